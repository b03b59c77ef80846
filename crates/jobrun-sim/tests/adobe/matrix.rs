//! The fault-matrix faults on the Adobe simulator (see `../support/fault_matrix.rs`).

use std::time::Duration;

use jobrun_sim::RecordedRequest;
use jobrun_sim::adobe::{AdobeConfig, Fault, Target};
use reqwest::{Client, RequestBuilder};
use serde_json::Value;

use crate::common::{Api, SAMPLE};
use crate::fault_matrix::{Vendor, fault_tests};

/// A simulator with an access token; triggers run the sample schedule, reads get it.
struct Adobe {
    api: Api,
    token: String,
    runs_at_start: usize,
}

impl Vendor for Adobe {
    const CONTENT_TYPE: &'static str = "application/json";
    const XML: bool = false;

    async fn start() -> Self {
        let api = Api::default().await;
        let token = api.token().await;
        let runs_at_start = api.sim.run_count(SAMPLE);
        Self {
            api,
            token,
            runs_at_start,
        }
    }

    fn inject_trigger(&self, fault: Fault) {
        self.api.sim.inject(Target::TriggerRun, fault, 1);
    }

    fn inject_read(&self, fault: Fault) {
        self.api.sim.inject(Target::GetSchedule, fault, 1);
    }

    fn trigger(&self, client: &Client) -> RequestBuilder {
        let url = self.api.url(&format!("/schedules/{SAMPLE}/runs"));
        self.api.authed(client.post(url), &self.token)
    }

    fn read(&self, client: &Client) -> RequestBuilder {
        let url = self.api.url(&format!("/schedules/{SAMPLE}"));
        self.api.authed(client.get(url), &self.token)
    }

    async fn jobs(&self) -> usize {
        self.api.sim.run_count(SAMPLE) - self.runs_at_start
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.api.sim.requests()
    }

    fn secret(&self) -> String {
        self.token.clone()
    }

    fn error_message(body: &str) -> String {
        let value: Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["statusCode"], 401);
        value["message"].as_str().unwrap().to_owned()
    }
}

fault_tests!(Adobe);

/// Run states the docs never mention, while a run goes on and once it ended.
#[tokio::test(start_paused = true)]
async fn undocumented_run_states() {
    let config = AdobeConfig::new()
        .run_state_reads("IN_PROGRESS", "PAUSED")
        .run_state_reads("SUCCESS", "UP_FOR_RETRY");
    let api = Api::start(config).await;
    let token = api.token().await;
    assert!(api.trigger(&token, SAMPLE).await.status().is_success());
    assert_eq!(api.newest_run(&token, SAMPLE).await["state"], "PAUSED");
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert_eq!(
        api.newest_run(&token, SAMPLE).await["state"],
        "UP_FOR_RETRY"
    );
}

/// An echo on the token endpoint answers in IMS's OAuth shape and repeats the client secret.
#[tokio::test]
async fn echo_on_the_token_endpoint_repeats_the_client_secret() {
    let api = Api::default().await;
    api.sim
        .inject(Target::Token, Fault::Echo { status: 400 }, 1);
    let response = api.token_request(&api.token_form()).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.contains(&api.sim.client_secret()),
        "{description}"
    );
    assert_eq!(api.sim.requests()[0].fault.as_deref(), Some("echo 400"));
}
