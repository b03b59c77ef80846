//! The fault-matrix faults on the trocco simulator (see `../support/fault_matrix.rs`).

use std::time::Duration;

use jobrun_sim::RecordedRequest;
use jobrun_sim::trocco::{Fault, Script, Target, TroccoConfig, TroccoSim};
use reqwest::{Client, RequestBuilder};
use serde_json::Value;

use crate::fault_matrix::{Vendor, fault_tests};

/// A simulator with definition 1, whose jobs run for an hour, and job 1 started.
struct Trocco {
    sim: TroccoSim,
}

impl Trocco {
    fn authed(&self, request: RequestBuilder) -> RequestBuilder {
        request.header("Authorization", format!("Token {}", self.sim.api_key()))
    }
}

impl Vendor for Trocco {
    const CONTENT_TYPE: &'static str = "application/json";
    const XML: bool = false;

    async fn start() -> Self {
        let script = Script::new().step("running", Duration::from_secs(3600));
        let config = TroccoConfig::empty().transfer_definition(1, "load", script);
        let trocco = Self {
            sim: TroccoSim::start(config).await.unwrap(),
        };
        let first = trocco.trigger(&Client::new()).send().await.unwrap();
        assert!(first.status().is_success());
        trocco
    }

    fn inject_trigger(&self, fault: Fault) {
        self.sim.inject(Target::RunJob, fault, 1);
    }

    fn inject_read(&self, fault: Fault) {
        self.sim.inject(Target::GetJob, fault, 1);
    }

    fn trigger(&self, client: &Client) -> RequestBuilder {
        let url = format!("{}/api/jobs?job_definition_id=1", self.sim.base_url());
        self.authed(client.post(url))
    }

    fn read(&self, client: &Client) -> RequestBuilder {
        self.authed(client.get(format!("{}/api/jobs/1", self.sim.base_url())))
    }

    async fn jobs(&self) -> usize {
        let url = format!("{}/api/job_definitions/1/jobs", self.sim.base_url());
        let page: Value = self
            .authed(Client::new().get(url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page["items"].as_array().unwrap().len()
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.sim.requests()
    }

    fn secret(&self) -> String {
        self.sim.api_key()
    }

    fn error_message(body: &str) -> String {
        let value: Value = serde_json::from_str(body).unwrap();
        // trocco words some errors as `error`, others as `message`: an echo fills both.
        assert_eq!(value["error"], value["message"]);
        value["message"].as_str().unwrap().to_owned()
    }
}

fault_tests!(Trocco);
