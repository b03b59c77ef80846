//! The fault-matrix faults on the krewData simulator (see `../support/fault_matrix.rs`).

use std::time::Duration;

use jobrun_sim::RecordedRequest;
use jobrun_sim::krewdata::{DEFAULT_USER, Fault, KrewdataConfig, KrewdataSim, Target};
use reqwest::{Client, RequestBuilder};
use serde_json::{Value, json};

use crate::common::Api;
use crate::fault_matrix::{Vendor, fault_tests};

const UNIT: &str = "simunitsucceeds";

/// A simulator with one task started, its token (for status reads) and a fresh token for the
/// trigger.
struct Krewdata {
    api: Api,
    status_token: String,
    task: String,
    run_token: String,
}

impl Krewdata {
    fn sim(&self) -> &KrewdataSim {
        &self.api.sim
    }

    fn post(&self, client: &Client, api: &str, body: &Value) -> RequestBuilder {
        client.post(self.api.url(UNIT, api)).json(body)
    }
}

impl Vendor for Krewdata {
    const CONTENT_TYPE: &'static str = "application/json";
    const XML: bool = false;

    async fn start() -> Self {
        let api = Api::default().await;
        let (status_token, task) = api.run(UNIT).await;
        let run_token = api.token(UNIT).await;
        Self {
            api,
            status_token,
            task,
            run_token,
        }
    }

    fn inject_trigger(&self, fault: Fault) {
        self.sim().inject(Target::Run, fault, 1);
    }

    fn inject_read(&self, fault: Fault) {
        self.sim().inject(Target::Status, fault, 1);
    }

    fn trigger(&self, client: &Client) -> RequestBuilder {
        let body = json!({"accessToken": self.run_token, "user": DEFAULT_USER, "appId": "123"});
        self.post(client, "run", &body)
    }

    fn read(&self, client: &Client) -> RequestBuilder {
        let body = json!({"accessToken": self.status_token, "taskId": self.task});
        self.post(client, "status", &body)
    }

    async fn jobs(&self) -> usize {
        // The task started at setup is not a trigger's.
        self.sim().task_ids(UNIT).len() - 1
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.sim().requests()
    }

    fn secret(&self) -> String {
        self.run_token.clone()
    }

    fn error_message(body: &str) -> String {
        let value: Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["code"], 401);
        assert_eq!(value["status"], "Unauthorized");
        value["description"].as_str().unwrap().to_owned()
    }
}

fault_tests!(Krewdata);

/// `taskStatus` values the docs never mention, while a task queues and once it ended; and a
/// token past its lifetime, refused as documented.
#[tokio::test(start_paused = true)]
async fn undocumented_task_status_and_expired_token() {
    let config = KrewdataConfig::new()
        .task_status_reads("Queuing", "Pending")
        .task_status_reads("Success", "Completed")
        .token_ttl(Duration::from_secs(60));
    let api = Api::start(config).await;
    let (token, task) = api.run(UNIT).await;
    assert_eq!(
        api.status(UNIT, &token, &task).await["taskStatus"],
        "Pending"
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    let ended = api.status(UNIT, &token, &task).await;
    assert_eq!(ended["taskStatus"], "Completed");
    assert_eq!(
        ended["flowInfo"][1]["status"], "Success",
        "flows keep their words"
    );

    tokio::time::sleep(Duration::from_secs(60)).await;
    let body = json!({"accessToken": token, "taskId": task});
    let response = api.post(UNIT, "status", &body).await;
    assert_eq!(response.status(), 400);
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["description"], "Specified accessToken is invalid.");
}
