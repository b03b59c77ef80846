use std::time::Duration;

use jobrun_sim::asteria::{Fault, Target, error_fault};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::common::{Api, FAILS_AGAIN, RECOVERS, XML, field, ok};

fn gateway() -> Fault {
    Fault::Status {
        status: 503,
        content_type: "text/html".into(),
        body: "<h1>503 Service Unavailable</h1>".into(),
    }
}

#[tokio::test]
async fn status_faults_answer_verbatim_and_have_no_effect() {
    let api = Api::default().await;
    api.sim.inject(Target::Login, gateway(), 1);
    let response = api
        .post("/api/auth/login", None, "userName=guest&password=guest")
        .await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(
        response.text().await.unwrap(),
        "<h1>503 Service Unavailable</h1>"
    );
    assert_eq!(api.sim.session_count(), 0);

    let session = api.login().await;
    let date = api.date_of(&session, RECOVERS).await;
    api.sim.inject(Target::Rerun, gateway(), 1);
    let response = api.rerun(&session, &date, RECOVERS).await;
    assert_eq!(response.status(), 503);
    assert_eq!(api.sim.rerun_count(RECOVERS), 0);
    assert_eq!(
        field(&api.show(&session, RECOVERS).await, "status").unwrap(),
        "error"
    );
    // A status fault is answered even without a session: it stands for a gateway.
    api.sim.inject(
        Target::Show,
        error_fault(500, 9000, "Failed to read the checkpoint information."),
        1,
    );
    let response = api.get("/api/checkpoint/show", None).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["content-type"], XML);
    ok(api.rerun(&session, &date, RECOVERS).await).await;
}

#[tokio::test]
async fn a_dropped_rerun_still_reruns() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, FAILS_AGAIN).await;
    api.sim.inject(Target::Rerun, Fault::Drop, 1);
    let outcome = api
        .client
        .post(api.url("/api/checkpoint/rerun"))
        .header(jobrun_sim::asteria::SESSION_HEADER, &session)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("date={date}&requestId={FAILS_AGAIN}"))
        .send()
        .await;
    let error = outcome.expect_err("a dropped connection must not produce a response");
    assert!(error.status().is_none());
    assert_eq!(api.sim.rerun_count(FAILS_AGAIN), 1);
    // A blind retry is refused, so it cannot start a second run.
    let retry = api.rerun(&session, &date, FAILS_AGAIN).await;
    assert_eq!(retry.status(), 404);
    assert!(
        retry
            .text()
            .await
            .unwrap()
            .contains("Request is not in error:")
    );
    assert_eq!(api.sim.rerun_count(FAILS_AGAIN), 1);
    assert_eq!(api.sim.requests()[2].fault.as_deref(), Some("drop"));
}

#[tokio::test]
async fn dropped_answer_writes_not_a_single_byte() {
    let api = Api::default().await;
    api.sim.inject(Target::Login, Fault::Drop, 1);
    let mut stream = tokio::net::TcpStream::connect(api.sim.addr())
        .await
        .unwrap();
    let body = "userName=guest&password=guest";
    let request = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: sim\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received).await;
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    // The login took effect although its answer was lost.
    assert_eq!(api.sim.session_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn delay_holds_back_an_answer_computed_on_arrival() {
    let api = Api::default().await;
    let session = api.login().await;
    let date = api.date_of(&session, RECOVERS).await;
    ok(api.rerun(&session, &date, RECOVERS).await).await;
    api.sim
        .inject(Target::Show, Fault::Delay(Duration::from_secs(30)), 1);
    let start = Instant::now();
    let shown = api.show(&session, RECOVERS).await;
    assert!(start.elapsed() >= Duration::from_secs(30));
    // Computed during the rerun's lag, then held back.
    assert_eq!(field(&shown, "status").unwrap(), "error");
    let start = Instant::now();
    let shown = api.show(&session, RECOVERS).await;
    assert_eq!(field(&shown, "status").unwrap(), "success");
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn malformed_body_cuts_the_xml_and_keeps_its_type() {
    let api = Api::default().await;
    let session = api.login().await;
    let whole = api.list(&session, "").await;
    api.sim.inject(Target::List, Fault::MalformedBody, 1);
    let response = api.get("/api/checkpoint/list", Some(&session)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], XML);
    let cut = response.text().await.unwrap();
    assert_eq!(cut, whole[..whole.len() / 2]);
    assert!(!cut.ends_with("</result>\n"));

    api.sim.inject(Target::Login, Fault::MalformedJson, 1);
    let response = api
        .post("/api/auth/login", None, "userName=guest&password=guest")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let cut = response.text().await.unwrap();
    assert!(cut.starts_with("<result>"), "{cut}");
    assert!(!cut.contains("</sessionId>"), "{cut}");
    let labels: Vec<_> = api
        .sim
        .requests()
        .into_iter()
        .filter_map(|r| r.fault)
        .collect();
    assert_eq!(labels, ["malformed_body", "malformed_json"]);
}

#[tokio::test]
async fn faults_hit_only_their_target_in_order() {
    let api = Api::default().await;
    let session = api.login().await;
    let teapot = |body: &str| Fault::Status {
        status: 418,
        content_type: "text/plain".into(),
        body: body.into(),
    };
    api.sim.inject(Target::Show, teapot("show"), 1);
    api.sim.inject(Target::Logout, teapot("logout"), 1);
    api.sim.inject(Target::List, teapot("list"), 1);
    api.sim.inject(Target::Any, teapot("any"), 1);
    let text = |response: reqwest::Response| async move { response.text().await.unwrap() };
    assert_eq!(
        text(api.get("/api/checkpoint/list", Some(&session)).await).await,
        "list"
    );
    assert_eq!(text(api.get("/elsewhere", None).await).await, "any");
    assert_eq!(
        text(api.get("/api/checkpoint/show.xml", None).await).await,
        "show"
    );
    assert_eq!(
        text(api.post("/api/auth/logout", Some(&session), "").await).await,
        "logout"
    );
    // Every fault was used up; the session survived the faulted logout.
    api.list(&session, "").await;
}
