use jobrun_sim::trocco::TroccoConfig;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{Api, header, json_with};

#[tokio::test]
async fn missing_or_wrong_key_is_401_with_a_trocco_error_body() {
    let api = Api::default().await;
    let url = api.url("/api/jobs/1");
    let attempts = [
        api.client.get(&url),
        api.client.get(&url).header("Authorization", "Token wrong"),
        api.client
            .get(&url)
            .header("Authorization", format!("Bearer {}", api.sim.api_key())),
        api.client
            .get(&url)
            .header("Authorization", api.sim.api_key()),
    ];
    for attempt in attempts {
        let response = attempt.send().await.unwrap();
        assert_eq!(header(&response, "x-rate-limit-limit"), 3500);
        // Unauthenticated calls cannot be charged to an account.
        assert_eq!(header(&response, "x-rate-limit-remaining"), 3500);
        let body = json_with(response, StatusCode::UNAUTHORIZED).await;
        assert_eq!(body, json!({"error": "Not authenticated"}));
    }
}

#[tokio::test]
async fn unauthenticated_trigger_creates_nothing() {
    let api = Api::default().await;
    let response = api
        .client
        .post(api.url("/api/jobs?job_definition_id=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(api.run_job(1).await["id"], 1);
}

#[tokio::test]
async fn configured_key_is_the_only_one_accepted() {
    let api = Api::start(TroccoConfig::new().api_key("tra_secret")).await;
    assert_eq!(api.sim.api_key(), "tra_secret");
    assert_eq!(api.status_of("/api/jobs/1").await, StatusCode::NOT_FOUND);
    let default_key = api
        .client
        .get(api.url("/api/jobs/1"))
        .header("Authorization", "Token sim-trocco-key")
        .send()
        .await
        .unwrap();
    assert_eq!(default_key.status(), StatusCode::UNAUTHORIZED);
}
