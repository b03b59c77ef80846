//! The fault-matrix faults on the Adobe simulator (see `../support/fault_matrix.rs`).

use jobrun_sim::RecordedRequest;
use jobrun_sim::adobe::{Fault, Target};
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
