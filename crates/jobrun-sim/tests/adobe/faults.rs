use std::time::Duration;

use jobrun_sim::adobe::{Fault, Target, gateway_error, too_many_requests, too_many_requests_empty};
use tokio::time::Instant;

use crate::common::{Api, NIGHTLY, SAMPLE, assert_gateway, json_ok};

#[tokio::test]
async fn a_429_with_retry_after_and_the_gateway_body() {
    let api = Api::default().await;
    let token = api.token().await;
    api.sim.inject(
        Target::TriggerRun,
        too_many_requests(Some(Duration::from_millis(2500))),
        1,
    );
    let response = api.trigger(&token, SAMPLE).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"error_code":"429050","message":"Too many requests"}"#
    );
    // In front of the service: no run was created.
    assert_eq!(api.sim.run_count(SAMPLE), 4);
    assert_eq!(api.trigger(&token, SAMPLE).await.status(), 202);
    assert_eq!(api.sim.run_count(SAMPLE), 5);
}

#[tokio::test]
async fn a_429_without_retry_after_and_with_an_empty_body() {
    let api = Api::default().await;
    let token = api.token().await;
    api.sim
        .inject(Target::ListRuns, too_many_requests_empty(None), 2);
    api.sim.inject(
        Target::GetSchedule,
        too_many_requests_empty(Some(Duration::from_secs(40))),
        1,
    );
    for _ in 0..2 {
        let response = api.get(&format!("/schedules/{SAMPLE}/runs"), &token).await;
        assert_eq!(response.status(), 429);
        assert!(response.headers().get("retry-after").is_none());
        assert!(response.headers().get("content-type").is_none());
        assert_eq!(response.text().await.unwrap(), "");
    }
    api.runs(&token, SAMPLE, "").await;
    let response = api.get(&format!("/schedules/{SAMPLE}"), &token).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "40");
    let body = too_many_requests(None);
    assert_eq!(body.to_string(), "status 429");
    let recorded = api.sim.requests();
    let faulted: Vec<_> = recorded
        .iter()
        .filter_map(|request| request.fault.as_deref())
        .collect();
    assert_eq!(faulted, ["status 429", "status 429", "status 429"]);
}

#[tokio::test]
async fn status_faults_answer_without_auth_and_have_no_effect() {
    let api = Api::default().await;
    api.sim.inject(
        Target::Token,
        gateway_error(503, "503000", "Could not validate the client"),
        1,
    );
    let response = api.token_request(&api.token_form()).await;
    assert_gateway(response, 503, "503000", "Could not validate the client").await;
    assert_eq!(api.sim.token_requests(), 1);
    let token = api.token().await;
    api.sim.inject(
        Target::CreateSchedule,
        Fault::Status {
            status: 502,
            content_type: "text/html".into(),
            body: "<h1>Bad Gateway</h1>".into(),
        },
        1,
    );
    // Not even authenticated: the fault stands in front of the gateway.
    let response = api.client.post(api.url("/schedules")).send().await.unwrap();
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(api.sim.schedule_ids().len(), 5);
    // Aimed at one endpoint, a fault leaves the others alone.
    api.sim
        .inject(Target::CancelRun, too_many_requests(None), 1);
    json_ok(api.get("/schedules", &token).await, 200).await;
    // `Any` hits whatever comes next.
    api.sim
        .inject(Target::Any, gateway_error(500, "500000", "boom"), 1);
    assert_eq!(api.get("/nowhere", &token).await.status(), 500);
}

#[tokio::test]
async fn a_dropped_trigger_still_starts_its_run() {
    let api = Api::default().await;
    let token = api.token().await;
    api.sim.inject(Target::TriggerRun, Fault::Drop, 1);
    let outcome = api
        .authed(
            api.client
                .post(api.url(&format!("/schedules/{NIGHTLY}/runs"))),
            &token,
        )
        .send()
        .await;
    let error = outcome.expect_err("a dropped connection must not produce a response");
    assert!(error.status().is_none());
    assert_eq!(api.sim.run_count(NIGHTLY), 6);
    // A blind retry meets the run it started: maxActiveRuns 1.
    let retry = api.trigger(&token, NIGHTLY).await;
    assert_eq!(retry.status(), 400);
    assert_eq!(api.sim.run_count(NIGHTLY), 6);
    assert_eq!(
        api.sim.count(
            "POST",
            &format!("/data/foundation/query/schedules/{NIGHTLY}/runs")
        ),
        2
    );
}

#[tokio::test]
async fn malformed_answers_keep_status_and_cut_the_body() {
    let api = Api::default().await;
    let token = api.token().await;
    api.sim
        .inject(Target::ListSchedules, Fault::MalformedJson, 1);
    let response = api.get("/schedules", &token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    assert!(text.starts_with("{\"schedules\":["));
    api.sim.inject(Target::TriggerRun, Fault::MalformedBody, 1);
    let response = api.trigger(&token, SAMPLE).await;
    assert_eq!(response.status(), 202);
    assert!(serde_json::from_str::<serde_json::Value>(&response.text().await.unwrap()).is_err());
    // The trigger took effect.
    assert_eq!(api.sim.run_count(SAMPLE), 5);
}

#[tokio::test(start_paused = true)]
async fn slow_answers_wait_on_tokio_time() {
    let api = Api::default().await;
    let token = api.token().await;
    api.sim
        .inject(Target::GetRun, Fault::Delay(Duration::from_secs(30)), 1);
    let run = api.newest_run(&token, SAMPLE).await;
    let id = run["id"].as_str().unwrap();
    let start = Instant::now();
    let details = api.run(&token, SAMPLE, id).await;
    assert!(start.elapsed() >= Duration::from_secs(30));
    assert_eq!(details["state"], "SUCCESS");
}

#[tokio::test(start_paused = true)]
async fn a_token_expiring_mid_wait_is_refused_until_renewed() {
    let api =
        Api::start(jobrun_sim::adobe::AdobeConfig::new().token_ttl(Duration::from_secs(60))).await;
    let token = api.token().await;
    api.trigger(&token, SAMPLE).await;
    let id = api.newest_run(&token, SAMPLE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Polling every 20 s: the fourth poll comes after the token died.
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_secs(20)).await;
        api.run(&token, SAMPLE, &id).await;
    }
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_gateway(
        api.get(&format!("/schedules/{SAMPLE}/runs/{id}"), &token)
            .await,
        401,
        "401013",
        "Oauth token is not valid",
    )
    .await;
    let renewed = api.token().await;
    assert_eq!(api.run(&renewed, SAMPLE, &id).await["state"], "SUCCESS");
}
