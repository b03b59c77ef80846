//! The fault-matrix faults on the ASTERIA simulator (see `../support/fault_matrix.rs`).

use jobrun_sim::RecordedRequest;
use jobrun_sim::asteria::{AsteriaConfig, Fault, SESSION_HEADER, Target};
use reqwest::{Client, RequestBuilder};

use crate::common::{Api, RECOVERS, RUNNING, SUCCEEDED, XML, field};
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

/// A session expiry answered 403 with error elements a client cannot know the names of.
#[tokio::test]
async fn expired_session_with_undocumented_error_elements() {
    let config = AsteriaConfig::new().error_elements("code", "message");
    let api = Api::start(config).await;
    let session = api.login().await;
    api.sim.expire_sessions();
    let response = api.get("/api/checkpoint/list", Some(&session)).await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        response.text().await.unwrap(),
        "<result>\n\t<status>error</status>\n\t<code>2001</code>\n\t\
         <message>Not logged in: the session is unknown or has expired.</message>\n</result>\n"
    );
}

/// Status values the docs never mention, while running and once ended.
#[tokio::test(start_paused = true)]
async fn undocumented_status_values() {
    let config = AsteriaConfig::new()
        .status_reads("running", "suspended")
        .status_reads("success", "completed");
    let api = Api::start(config).await;
    let session = api.login().await;
    let shown = api.show(&session, RUNNING).await;
    assert_eq!(field(&shown, "status").as_deref(), Some("suspended"));
    let shown = api.show(&session, SUCCEEDED).await;
    assert_eq!(field(&shown, "status").as_deref(), Some("completed"));
    // The filter still takes the documented value.
    let listed = api.list(&session, "status=running").await;
    assert!(listed.contains(RUNNING) && listed.contains("<status>suspended</status>"));
    let shown = api.show(&session, RECOVERS).await;
    assert_eq!(field(&shown, "status").as_deref(), Some("error"));
}
