//! The fault-matrix faults on the ASTERIA simulator (see `../support/fault_matrix.rs`).

use jobrun_sim::RecordedRequest;
use jobrun_sim::asteria::{Fault, SESSION_HEADER, Target};
use reqwest::{Client, RequestBuilder};

use crate::common::{Api, RECOVERS, SUCCEEDED, XML, field};
use crate::fault_matrix::{Vendor, fault_tests};

/// A simulator with a session; triggers rerun the failed request `RECOVERS`, reads show the
/// succeeded one.
struct Asteria {
    api: Api,
    session: String,
    date: String,
}

impl Vendor for Asteria {
    const CONTENT_TYPE: &'static str = XML;
    const XML: bool = true;

    async fn start() -> Self {
        let api = Api::default().await;
        let session = api.login().await;
        let date = api.date_of(&session, RECOVERS).await;
        Self { api, session, date }
    }

    fn inject_trigger(&self, fault: Fault) {
        self.api.sim.inject(Target::Rerun, fault, 1);
    }

    fn inject_read(&self, fault: Fault) {
        self.api.sim.inject(Target::Show, fault, 1);
    }

    fn trigger(&self, client: &Client) -> RequestBuilder {
        client
            .post(self.api.url("/api/checkpoint/rerun"))
            .header(SESSION_HEADER, &self.session)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("date={}&requestId={RECOVERS}", self.date))
    }

    fn read(&self, client: &Client) -> RequestBuilder {
        client
            .get(
                self.api
                    .url(&format!("/api/checkpoint/show?requestId={SUCCEEDED}")),
            )
            .header(SESSION_HEADER, &self.session)
    }

    async fn jobs(&self) -> usize {
        self.api.sim.rerun_count(RECOVERS)
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        self.api.sim.requests()
    }

    fn secret(&self) -> String {
        self.session.clone()
    }

    fn error_message(body: &str) -> String {
        assert_eq!(field(body, "status").as_deref(), Some("error"));
        assert_eq!(field(body, "errorCode").as_deref(), Some("9000"));
        field(body, "errorMessage")
            .unwrap()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }
}

fault_tests!(Asteria);
