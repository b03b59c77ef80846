use std::time::Duration;

use jobrun_sim::trocco::{Fault, Target};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::common::{Api, header, ok_json};

fn html_503() -> Fault {
    Fault::Status {
        status: 503,
        content_type: "text/html; charset=utf-8".into(),
        body: "<html><body><h1>503 Service Unavailable</h1></body></html>".into(),
    }
}

#[tokio::test]
async fn status_fault_answers_verbatim_and_has_no_effect() {
    let api = Api::default().await;
    api.sim.inject(Target::RunJob, html_503(), 2);
    for _ in 0..2 {
        let response = api
            .post("/api/jobs?job_definition_id=1")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8"
        );
        assert_eq!(header(&response, "x-rate-limit-remaining"), 3500);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("503 Service Unavailable")
        );
    }
    // Neither faulted trigger created a job.
    assert_eq!(api.status_of("/api/jobs/1").await, StatusCode::NOT_FOUND);
    assert_eq!(api.run_job(1).await["id"], 1);

    let faults: Vec<_> = api.sim.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Some("status 503".to_owned()),
            Some("status 503".to_owned()),
            None,
            None
        ]
    );
}

#[tokio::test]
async fn faults_hit_only_their_target_and_are_used_in_order() {
    let api = Api::default().await;
    let teapot = |body: &str| Fault::Status {
        status: 418,
        content_type: "application/json".into(),
        body: body.into(),
    };
    assert_eq!(api.run_job(1).await["id"], 1);
    api.sim.inject(Target::GetJob, teapot("first"), 1);
    api.sim.inject(Target::GetPipelineJob, teapot("other"), 1);
    api.sim.inject(Target::GetJob, teapot("second"), 1);
    api.sim.inject(Target::Any, teapot("any"), 1);

    let text = |path: &'static str| {
        let request = api.get(path);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    assert_eq!(text("/api/jobs/1").await, "first");
    assert_eq!(text("/api/jobs/1").await, "second");
    assert_eq!(text("/api/unknown").await, "any");
    assert_eq!(text("/api/pipeline_jobs/1").await, "other");
    assert_eq!(api.status_of("/api/jobs/1").await, StatusCode::OK);
    assert_eq!(
        api.status_of("/api/pipeline_jobs/1").await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(start_paused = true)]
async fn delay_fault_holds_the_answer_back() {
    let api = Api::default().await;
    api.sim
        .inject(Target::GetJob, Fault::Delay(Duration::from_secs(30)), 1);
    api.run_job(1).await;
    let start = Instant::now();
    let job = api.job(1).await;
    assert!(start.elapsed() >= Duration::from_secs(30));
    assert_eq!(job["id"], 1);
    let start = Instant::now();
    api.job(1).await;
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(api.sim.requests()[1].fault.as_deref(), Some("delay 30s"));
}

#[tokio::test(start_paused = true)]
async fn slow_trigger_creates_its_job_even_when_the_client_gives_up() {
    let api = Api::default().await;
    api.sim
        .inject(Target::RunJob, Fault::Delay(Duration::from_secs(120)), 1);
    let outcome = api
        .post("/api/jobs?job_definition_id=2")
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(outcome.unwrap_err().is_timeout());
    assert_eq!(api.job(1).await["job_definition_id"], 2);
}

#[tokio::test]
async fn drop_fault_closes_the_connection_after_the_job_is_created() {
    let api = Api::default().await;
    api.sim.inject(Target::RunJob, Fault::Drop, 1);
    let outcome = api
        .post("/api/jobs?job_definition_id=1")
        .json(&json!({"context_time": "2024-01-01 00:00:00"}))
        .send()
        .await;
    let error = outcome.expect_err("a dropped connection must not produce a response");
    assert!(error.status().is_none());

    let recorded = api.sim.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].fault.as_deref(), Some("drop"));
    assert_eq!(
        recorded[0].body,
        br#"{"context_time":"2024-01-01 00:00:00"}"#
    );
    assert_eq!(
        api.job(1).await["job_definition_name"],
        "sim-transfer-succeeds"
    );
    assert_eq!(api.sim.count("POST", "/api/jobs"), 1);
}

#[tokio::test]
async fn drop_fault_writes_not_a_single_byte() {
    let api = Api::default().await;
    api.sim.inject(Target::RunPipelineJob, Fault::Drop, 1);
    let mut stream = tokio::net::TcpStream::connect(api.sim.addr())
        .await
        .unwrap();
    let request = "POST /api/pipeline_jobs?pipeline_definition_id=1 HTTP/1.1\r\n\
        Host: sim\r\nAuthorization: Token sim-trocco-key\r\nContent-Length: 0\r\n\r\n";
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    // Either a clean close or a reset is fine; any byte is not.
    let _ = stream.read_to_end(&mut received).await;
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    assert_eq!(api.pipeline_job(1).await["status"], "queued");
}

#[tokio::test]
async fn malformed_json_fault_sends_half_a_body() {
    let api = Api::default().await;
    api.sim.inject(Target::RunJob, Fault::MalformedJson, 1);
    let response = api
        .post("/api/jobs?job_definition_id=1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.bytes().await.unwrap();
    assert!(body.starts_with(b"{"));
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    // The trigger was processed, so the job exists and the next answer is whole.
    let job = ok_json(api.get("/api/jobs/1").send().await.unwrap()).await;
    assert_eq!(job["id"], 1);
}
