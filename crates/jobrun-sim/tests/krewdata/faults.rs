use std::time::Duration;

use jobrun_sim::krewdata::{DEFAULT_USER, Fault, KrewdataConfig, Target};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::common::{Api, assert_bad_request, ok_json};

/// krewData's way of failing inside an HTTP 200: only the `code` field tells.
const CODE_IN_200: &str =
    r#"{"code":400,"status":"Bad Request","description":"Specified token is invalid."}"#;

fn code_in_200() -> Fault {
    Fault::Status {
        status: 200,
        content_type: "application/json".into(),
        body: CODE_IN_200.into(),
    }
}

fn run_body(token: &str) -> Value {
    json!({"accessToken": token, "user": DEFAULT_USER, "appId": "123"})
}

#[tokio::test]
async fn http_200_with_an_error_code_is_sent_verbatim_and_has_no_effect() {
    let api = Api::default().await;
    let token = api.token("simunitsucceeds").await;
    api.sim.inject(Target::Run, code_in_200(), 1);
    let response = api.post("simunitsucceeds", "run", &run_body(&token)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), CODE_IN_200);
    // No task was created and the token was not used.
    assert!(api.sim.task_ids("simunitsucceeds").is_empty());
    api.run_with("simunitsucceeds", &token).await;
    let faults: Vec<_> = api.sim.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(faults, [None, Some("status 200".to_owned()), None]);
}

#[tokio::test]
async fn gateway_errors_do_not_count_against_the_rate_limit() {
    let api = Api::start(KrewdataConfig::new().run_limit(1, Duration::from_secs(60))).await;
    let html = Fault::Status {
        status: 503,
        content_type: "text/html".into(),
        body: "<h1>503 Service Unavailable</h1>".into(),
    };
    api.sim.inject(Target::Token, html, 3);
    for _ in 0..3 {
        let response = api
            .post("simunitsucceeds", "token", &api.token_body())
            .await;
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["content-type"], "text/html");
        assert_eq!(
            response.text().await.unwrap(),
            "<h1>503 Service Unavailable</h1>"
        );
    }
    api.token("simunitsucceeds").await;
    assert!(!api.sim.is_unit_disabled("simunitsucceeds"));
}

#[tokio::test]
async fn dropped_run_creates_the_task_and_uses_the_token() {
    let api = Api::default().await;
    let token = api.token("simunitexclusive").await;
    api.sim.inject(Target::Run, Fault::Drop, 1);
    let outcome = api
        .client
        .post(api.url("simunitexclusive", "run"))
        .json(&run_body(&token))
        .send()
        .await;
    let error = outcome.expect_err("a dropped connection must not produce a response");
    assert!(error.status().is_none());

    let tasks = api.sim.task_ids("simunitexclusive");
    assert_eq!(tasks.len(), 1);
    // A blind retry with the same token is refused, so it cannot start a second run...
    let retry = api.post("simunitexclusive", "run", &run_body(&token)).await;
    assert_bad_request(retry, "Specified token has been used.").await;
    // ...and the task the lost answer named is visible through status and through a 409.
    let status = api.status("simunitexclusive", &token, &tasks[0]).await;
    assert_eq!(status["taskStatus"], "Queuing");
    let fresh = api.token("simunitexclusive").await;
    let conflict: Value = api
        .post("simunitexclusive", "run", &run_body(&fresh))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(conflict["code"], 409);
    assert_eq!(conflict["taskId"], tasks[0].as_str());

    assert_eq!(api.sim.count("POST", "/trigger/v1/simunitexclusive/run"), 3);
    assert_eq!(api.sim.requests()[1].fault.as_deref(), Some("drop"));
}

#[tokio::test]
async fn dropped_answer_writes_not_a_single_byte() {
    let api = Api::default().await;
    api.sim.inject(Target::Token, Fault::Drop, 1);
    let mut stream = tokio::net::TcpStream::connect(api.sim.addr())
        .await
        .unwrap();
    let body = api.token_body().to_string();
    let request = format!(
        "POST /trigger/v1/simunitsucceeds/token HTTP/1.1\r\nHost: sim\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
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
}

#[tokio::test(start_paused = true)]
async fn delay_holds_the_answer_back() {
    let api = Api::default().await;
    let (token, task) = api.run("simunitsucceeds").await;
    api.sim
        .inject(Target::Status, Fault::Delay(Duration::from_secs(30)), 1);
    let start = Instant::now();
    let status = api.status("simunitsucceeds", &token, &task).await;
    assert!(start.elapsed() >= Duration::from_secs(30));
    // The answer was computed on arrival, then held back.
    assert_eq!(status["taskStatus"], "Queuing");
    let start = Instant::now();
    assert_eq!(
        api.status("simunitsucceeds", &token, &task).await["taskStatus"],
        "Success"
    );
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn malformed_json_sends_half_of_a_real_answer() {
    let api = Api::default().await;
    api.sim.inject(Target::Token, Fault::MalformedJson, 1);
    let response = api
        .post("simunitsucceeds", "token", &api.token_body())
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.bytes().await.unwrap();
    assert!(body.starts_with(br#"{"code":200"#));
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    ok_json(
        api.post("simunitsucceeds", "token", &api.token_body())
            .await,
    )
    .await;
}

#[tokio::test]
async fn faults_hit_only_their_target_in_order() {
    let api = Api::default().await;
    let teapot = |body: &str| Fault::Status {
        status: 418,
        content_type: "text/plain".into(),
        body: body.into(),
    };
    let (token, task) = api.run("simunitsucceeds").await;
    api.sim.inject(Target::Status, teapot("first"), 1);
    api.sim.inject(Target::Run, teapot("run"), 1);
    api.sim.inject(Target::Status, teapot("second"), 1);
    api.sim.inject(Target::Any, teapot("any"), 1);
    let status_body = json!({"accessToken": token, "taskId": task});
    let text = |response: reqwest::Response| async move { response.text().await.unwrap() };
    assert_eq!(
        text(api.post("simunitsucceeds", "status", &status_body).await).await,
        "first"
    );
    assert_eq!(
        text(api.post("nosuchunit", "status", &status_body).await).await,
        "second"
    );
    assert_eq!(
        text(
            api.client
                .get(format!("{}/elsewhere", api.sim.base_url()))
                .send()
                .await
                .unwrap()
        )
        .await,
        "any"
    );
    assert_eq!(
        text(api.post("simunitsucceeds", "run", &run_body("x")).await).await,
        "run"
    );
    api.status("simunitsucceeds", &token, &task).await;
}
