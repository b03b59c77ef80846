use std::time::Duration;

use crate::common::Api;

#[tokio::test(start_paused = true)]
async fn every_request_is_recorded_with_what_was_sent() {
    let api = Api::default().await;
    let token_body = api.token_body().to_string();
    let token = api.token("simunitsucceeds").await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    let task = api.run_with("simunitsucceeds", &token).await;
    api.client
        .post(format!("{}/trigger/v1/nowhere/run?x=1", api.sim.base_url()))
        .header("X-Trace", "abc")
        .send()
        .await
        .unwrap();

    let recorded = api.sim.requests();
    assert_eq!(recorded.len(), 3);
    let first = &recorded[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/trigger/v1/simunitsucceeds/token");
    assert_eq!(first.query, None);
    assert_eq!(first.body, token_body.as_bytes());
    assert_eq!(
        first.header("content-type"),
        Some("application/json;charset=UTF-8")
    );
    assert_eq!(first.fault, None);
    let run = &recorded[1];
    let sent: serde_json::Value = serde_json::from_slice(&run.body).unwrap();
    assert_eq!(sent["accessToken"], token.as_str());
    let waited = run.received_at.duration_since(first.received_at).unwrap();
    assert!(waited >= Duration::from_secs(10) && waited < Duration::from_secs(11));
    assert_eq!(recorded[2].query.as_deref(), Some("x=1"));
    assert_eq!(recorded[2].header("x-trace"), Some("abc"));
    assert!(recorded[2].body.is_empty());
    assert!(!task.is_empty());
}

#[tokio::test]
async fn count_proves_a_run_was_sent_exactly_once() {
    let api = Api::default().await;
    let (token, task) = api.run("simunitsucceeds").await;
    api.status("simunitsucceeds", &token, &task).await;
    api.status("simunitsucceeds", &token, &task).await;
    assert_eq!(
        api.sim.count("POST", "/trigger/v1/simunitsucceeds/token"),
        1
    );
    assert_eq!(api.sim.count("post", "/trigger/v1/simunitsucceeds/run"), 1);
    assert_eq!(
        api.sim.count("POST", "/trigger/v1/simunitsucceeds/status"),
        2
    );
    assert_eq!(api.sim.count("GET", "/trigger/v1/simunitsucceeds/run"), 0);
    assert_eq!(api.sim.count("POST", "/trigger/v1/simunitfails/run"), 0);
}
