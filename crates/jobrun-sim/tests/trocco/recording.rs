use std::time::Duration;

use jobrun_sim::trocco::{Fault, Target, TroccoConfig};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::Api;

#[tokio::test(start_paused = true)]
async fn every_request_is_recorded_with_what_was_sent() {
    let api = Api::default().await;
    api.post("/api/jobs?job_definition_id=1&extra=x%20y")
        .header("X-Trace", "abc")
        .json(&json!({"custom_variables": [{"name": "$a$", "value": "b"}]}))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    api.client.get(api.url("/api/jobs/1")).send().await.unwrap();
    api.get("/nowhere").send().await.unwrap();

    let recorded = api.sim.requests();
    assert_eq!(recorded.len(), 3);
    let trigger = &recorded[0];
    assert_eq!(trigger.method, "POST");
    assert_eq!(trigger.path, "/api/jobs");
    assert_eq!(
        trigger.query.as_deref(),
        Some("job_definition_id=1&extra=x%20y")
    );
    assert_eq!(
        trigger.header("authorization"),
        Some("Token sim-trocco-key")
    );
    assert_eq!(trigger.header("X-TRACE"), Some("abc"));
    assert_eq!(trigger.header("content-type"), Some("application/json"));
    assert_eq!(
        trigger.body,
        br#"{"custom_variables":[{"name":"$a$","value":"b"}]}"#
    );
    assert_eq!(trigger.fault, None);

    // Unauthenticated and unrouted requests are recorded too.
    assert_eq!(recorded[1].header("authorization"), None);
    assert_eq!(recorded[1].query, None);
    assert_eq!(recorded[2].path, "/nowhere");
    let waited = recorded[1]
        .received_at
        .duration_since(trigger.received_at)
        .unwrap();
    assert!(waited >= Duration::from_secs(10) && waited < Duration::from_secs(11));
}

#[tokio::test]
async fn count_matches_method_and_exact_path() {
    let api = Api::default().await;
    api.run_job(1).await;
    api.run_job(2).await;
    api.job(1).await;
    assert_eq!(api.status_of("/api/jobs/1/").await, StatusCode::NOT_FOUND);
    assert_eq!(api.sim.count("POST", "/api/jobs"), 2);
    assert_eq!(api.sim.count("post", "/api/jobs"), 2);
    assert_eq!(api.sim.count("GET", "/api/jobs"), 0);
    assert_eq!(api.sim.count("GET", "/api/jobs/1"), 1);
    assert_eq!(api.sim.count("GET", "/api/jobs/1/"), 1);
    assert_eq!(api.sim.count("POST", "/api/pipeline_jobs"), 0);
}

#[tokio::test]
async fn recording_can_be_turned_off_for_load_tests() {
    let api = Api::start(TroccoConfig::new().record_requests(false)).await;
    api.run_job(1).await;
    api.job(1).await;
    assert_eq!(api.sim.requests(), Vec::new());
    assert_eq!(api.sim.count("POST", "/api/jobs"), 0);
    // The counters still see every request.
    assert_eq!(api.sim.stats().received, 2);
}

#[tokio::test]
async fn stats_count_answers_by_status_and_rate_limit_refusals() {
    let api = Api::start(TroccoConfig::new().rate_limit(3, Duration::from_secs(600))).await;
    api.run_job(1).await;
    // A dropped connection is charged but answers nothing.
    api.sim.inject(Target::GetJob, Fault::Drop, 1);
    assert!(api.get("/api/jobs/1").send().await.is_err());
    assert_eq!(api.status_of("/api/jobs/999").await, StatusCode::NOT_FOUND);
    assert_eq!(
        api.status_of("/api/jobs/1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Unauthenticated calls are not charged, so this one is a 401, not a 429.
    let anonymous = api.client.get(api.url("/api/jobs/1")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // An injected 429 is an answer, not a refusal of the rate limit.
    api.sim.inject(
        Target::Any,
        Fault::Status {
            status: 429,
            content_type: "application/json".into(),
            body: "{}".into(),
        },
        1,
    );
    assert_eq!(
        api.status_of("/api/jobs/1").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    let stats = api.sim.stats();
    assert_eq!(stats.received, 6);
    assert_eq!(stats.rate_limited, 1);
    let answers: Vec<(u16, u64)> = stats.answers.into_iter().collect();
    assert_eq!(answers, [(200, 1), (401, 1), (404, 1), (429, 2)]);
    // Recording stays on by default.
    assert_eq!(api.sim.requests().len(), 6);
}
