use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jobrun_sim::trocco::TroccoConfig;
use reqwest::StatusCode;

use crate::common::{Api, header, json_with};

#[tokio::test(start_paused = true)]
async fn budget_runs_out_with_429_and_returns_after_the_window() {
    let window = Duration::from_secs(60);
    let api = Api::start(TroccoConfig::new().rate_limit(3, window)).await;
    let real_now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();

    let mut resets = Vec::new();
    for remaining in [2, 1, 0] {
        let response = api.get("/api/jobs/1").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(header(&response, "x-rate-limit-limit"), 3);
        assert_eq!(header(&response, "x-rate-limit-remaining"), remaining);
        resets.push(header(&response, "x-rate-limit-reset"));
    }
    assert!(resets.iter().all(|reset| *reset == resets[0]));
    let reset = resets[0];
    assert!(
        (real_now + 59..=real_now + 62).contains(&reset),
        "reset {reset}, now {real_now}"
    );

    tokio::time::sleep(Duration::from_secs(30)).await;
    let refused = api
        .post("/api/jobs?job_definition_id=1")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&refused, "x-rate-limit-remaining"), 0);
    assert_eq!(header(&refused, "x-rate-limit-reset"), reset);
    let body = json_with(refused, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(body["message"].as_str().unwrap().contains("Rate limit"));
    // A refused trigger creates nothing; refusals do not push the reset further out.
    let again = api.get("/api/jobs/1").send().await.unwrap();
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&again, "x-rate-limit-reset"), reset);

    tokio::time::sleep(Duration::from_secs(31)).await;
    let job = api.run_job(1).await;
    assert_eq!(job["id"], 1);
    let response = api.get("/api/jobs/1").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "x-rate-limit-remaining"), 1);
    let next_reset = header(&response, "x-rate-limit-reset");
    assert!(
        (reset + 60..=reset + 62).contains(&next_reset),
        "{next_reset} vs {reset}"
    );
}

#[tokio::test]
async fn default_budget_is_trocco_s_3500_per_ten_minutes() {
    let api = Api::default().await;
    let real_now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let response = api.get("/api/jobs/1").send().await.unwrap();
    assert_eq!(header(&response, "x-rate-limit-limit"), 3500);
    assert_eq!(header(&response, "x-rate-limit-remaining"), 3499);
    let reset = header(&response, "x-rate-limit-reset");
    assert!((real_now + 599..=real_now + 602).contains(&reset));
}

#[tokio::test]
async fn headers_are_sent_in_trocco_s_spelling() {
    let api = Api::default().await;
    let address = api.sim.addr();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = format!(
        "GET /api/jobs/1 HTTP/1.1\r\nHost: {address}\r\nAuthorization: Token sim-trocco-key\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 404"), "{raw}");
    for name in [
        "X-Rate-Limit-Limit: ",
        "X-Rate-Limit-Remaining: ",
        "X-Rate-Limit-Reset: ",
    ] {
        assert!(raw.contains(name), "{name} missing in {raw}");
    }
}
