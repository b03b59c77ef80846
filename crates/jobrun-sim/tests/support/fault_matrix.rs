//! The fault-matrix faults, checked the same way on every simulator. Each vendor's test
//! binary includes this file, implements [`Vendor`] for its simulator and instantiates every
//! check with [`fault_tests!`], so a fault that misbehaves on one vendor fails there by name.
//!
//! Every check runs on tokio's paused clock: hangs and drips take virtual seconds, not real
//! ones.

use std::time::Duration;

use jobrun_sim::{Elsewhere, Fault, RecordedRequest};
use reqwest::redirect::Policy;
use reqwest::{Client, RequestBuilder, StatusCode};
use tokio::time::Instant;

/// One simulator, started with a job to read and a credential to trigger with.
pub trait Vendor: Sized {
    /// `Content-Type` of the vendor's answers.
    const CONTENT_TYPE: &'static str;
    /// Whether the vendor answers XML.
    const XML: bool;

    async fn start() -> Self;
    /// Queues `fault` once on the endpoint that starts a job.
    fn inject_trigger(&self, fault: Fault);
    /// Queues `fault` once on the endpoint that reads a job's status.
    fn inject_read(&self, fault: Fault);
    /// A request that starts a job.
    fn trigger(&self, client: &Client) -> RequestBuilder;
    /// A request that reads the job started at setup.
    fn read(&self, client: &Client) -> RequestBuilder;
    /// How many jobs triggers have started so far.
    async fn jobs(&self) -> usize;
    fn requests(&self) -> Vec<RecordedRequest>;
    /// The credential [`Vendor::trigger`] carries.
    fn secret(&self) -> String;
    /// The message text of an error body in the vendor's shape, unescaped.
    fn error_message(body: &str) -> String;
}

/// The labels of every faulted request, in order.
fn labels<V: Vendor>(vendor: &V) -> Vec<String> {
    vendor
        .requests()
        .into_iter()
        .filter_map(|request| request.fault)
        .collect()
}

/// The one faulted request's record.
fn faulted<V: Vendor>(vendor: &V) -> RecordedRequest {
    let mut faulted: Vec<_> = vendor
        .requests()
        .into_iter()
        .filter(|request| request.fault.is_some())
        .collect();
    assert_eq!(faulted.len(), 1, "{faulted:?}");
    faulted.remove(0)
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned()
}

pub async fn hang<V: Vendor>() {
    let vendor = V::start().await;
    let before = vendor.jobs().await;
    vendor.inject_trigger(Fault::Hang);
    let started = Instant::now();
    let error = vendor
        .trigger(&Client::new())
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() >= Duration::from_secs(300));
    assert_eq!(vendor.jobs().await, before + 1, "processed, then silent");
    assert_eq!(labels(&vendor), ["hang"]);
}

pub async fn hang_before_processing<V: Vendor>() {
    let vendor = V::start().await;
    let before = vendor.jobs().await;
    vendor.inject_trigger(Fault::HangBeforeProcessing);
    let error = vendor
        .trigger(&Client::new())
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(vendor.jobs().await, before, "never processed");
    assert_eq!(labels(&vendor), ["hang_before_processing"]);
    // The next trigger is served normally.
    assert!(
        vendor
            .trigger(&Client::new())
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    assert_eq!(vendor.jobs().await, before + 1);
}

pub async fn drip<V: Vendor>() {
    let vendor = V::start().await;
    let client = Client::new();
    let every = Duration::from_secs(1);
    vendor.inject_read(Fault::Drip { chunk: 3, every });
    vendor.inject_read(Fault::Drip { chunk: 3, every });

    // Headers come at once; a deadline on the body alone runs out.
    let started = Instant::now();
    let response = vendor.read(&client).send().await.unwrap();
    assert!(started.elapsed() < every, "headers are not held back");
    assert_eq!(response.status(), StatusCode::OK);
    let length = response.content_length().unwrap();
    assert!(length > 30, "a body worth dripping: {length} bytes");
    let cut = tokio::time::timeout(Duration::from_secs(5), response.bytes()).await;
    assert!(cut.is_err(), "five seconds bring 15 bytes at most");

    // Read to the end, it is the whole answer, a chunk a second. (The job may have moved on
    // meanwhile, so its answer may be of another length.)
    let started = Instant::now();
    let response = vendor.read(&client).send().await.unwrap();
    assert_eq!(content_type(&response), V::CONTENT_TYPE);
    let length = response.content_length().unwrap();
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len() as u64, length);
    assert!(started.elapsed() >= every * u32::try_from(length.div_ceil(3)).unwrap());
    if V::XML {
        assert!(body.ends_with(b"</result>\n"));
    } else {
        serde_json::from_slice::<serde_json::Value>(&body).unwrap();
    }
    assert_eq!(labels(&vendor), ["drip 3B/1s", "drip 3B/1s"]);
}

pub async fn reset_before_read<V: Vendor>() {
    let vendor = V::start().await;
    let before = vendor.jobs().await;
    vendor.inject_trigger(Fault::ResetBeforeRead);
    let error = vendor
        .trigger(&Client::new())
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .unwrap_err();
    assert!(!error.is_timeout(), "closed at once: {error:?}");
    assert_eq!(vendor.jobs().await, before, "never processed");
    let record = faulted(&vendor);
    assert_eq!(record.fault.as_deref(), Some("reset_before_read"));
    assert!(record.body.is_empty(), "the body was never read");
    assert_eq!(record.method, "POST", "the head is on record");
}

pub async fn redirect<V: Vendor>() {
    let vendor = V::start().await;
    let elsewhere = Elsewhere::start().await.unwrap();
    let before = vendor.jobs().await;
    let location = format!("{}/landing?from=sim", elsewhere.base_url());
    for status in [307, 302] {
        vendor.inject_trigger(Fault::Redirect {
            status,
            location: location.clone(),
        });
    }

    let manual = Client::builder().redirect(Policy::none()).build().unwrap();
    let response = vendor.trigger(&manual).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(response.headers()["location"], location.as_str());
    assert!(elsewhere.requests().is_empty());

    // A client that follows lands on the other origin, which records all it was sent.
    let response = vendor.trigger(&Client::new()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "{}");
    let landed = elsewhere.requests();
    assert_eq!(landed.len(), 1);
    assert_eq!(landed[0].path, "/landing");
    assert_eq!(landed[0].query.as_deref(), Some("from=sim"));
    assert_eq!(
        landed[0].method, "GET",
        "a 302 after a POST is followed with GET"
    );
    assert!(!landed[0].headers.is_empty());

    assert_eq!(vendor.jobs().await, before, "a redirect has no effect");
    assert_eq!(
        labels(&vendor),
        [
            format!("redirect 307 {location}"),
            format!("redirect 302 {location}")
        ]
    );
    elsewhere.shutdown().await;
}

pub async fn echo<V: Vendor>() {
    let vendor = V::start().await;
    let before = vendor.jobs().await;
    vendor.inject_trigger(Fault::Echo { status: 401 });
    let response = vendor
        .trigger(&Client::new())
        .header("X-Probe", "header-probe")
        .query(&[("probe", "query-probe")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(content_type(&response), V::CONTENT_TYPE);
    let message = V::error_message(&response.text().await.unwrap());
    let record = faulted(&vendor);
    let sent_body = String::from_utf8(record.body.clone()).unwrap();
    for expected in [
        vendor.secret().as_str(),
        "x-probe: header-probe",
        "probe=query-probe",
        &sent_body,
    ] {
        assert!(message.contains(expected), "{expected:?} not in {message}");
    }
    assert_eq!(record.fault.as_deref(), Some("echo 401"));
    assert_eq!(vendor.jobs().await, before, "an echo has no effect");
}

pub async fn huge<V: Vendor>() {
    let vendor = V::start().await;
    vendor.inject_read(Fault::Huge { bytes: 3_000_000 });
    let response = vendor.read(&Client::new()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), V::CONTENT_TYPE);
    assert_eq!(response.content_length(), None, "no size announced");
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 3_000_000);
    if V::XML {
        assert!(body.starts_with(b"<result>") && body.ends_with(b"</result>\n"));
        assert!(body.windows(10).any(|window| window == b"xxxxxxxxxx"));
    } else {
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(value.is_object());
    }
    assert_eq!(labels(&vendor), ["huge 3000000B"]);
}

pub async fn nested<V: Vendor>() {
    let vendor = V::start().await;
    vendor.inject_read(Fault::Nested { depth: 100_000 });
    let response = vendor.read(&Client::new()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), V::CONTENT_TYPE);
    let body = response.bytes().await.unwrap();
    let opening: &[u8] = if V::XML { b"<data>" } else { b"{\"data\":" };
    let levels = body
        .windows(opening.len())
        .filter(|window| *window == opening)
        .count();
    assert_eq!(levels, 99_999, "the outermost level plus 99 999 inside it");
    if !V::XML {
        let error = serde_json::from_slice::<serde_json::Value>(&body).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
    }
    assert_eq!(labels(&vendor), ["nested 100000"]);
}

pub async fn garbage<V: Vendor>() {
    let vendor = V::start().await;
    vendor.inject_read(Fault::Garbage);
    let response = vendor.read(&Client::new()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), V::CONTENT_TYPE);
    let body = response.bytes().await.unwrap();
    assert!(std::str::from_utf8(&body).is_err(), "not even text");
    assert!(!body.starts_with(b"<") && !body.starts_with(b"{"));
    assert!(body.contains(&0x1b), "carries terminal escapes");
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    assert_eq!(labels(&vendor), ["garbage"]);
}

pub async fn html<V: Vendor>() {
    let vendor = V::start().await;
    vendor.inject_read(Fault::html(200));
    let response = vendor.read(&Client::new()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(content_type(&response), "text/html; charset=utf-8");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert_eq!(labels(&vendor), ["status 200"]);
}

pub async fn absurd_rate_limits<V: Vendor>() {
    let vendor = V::start().await;
    let values = [
        "-1",
        "99999999999999999999",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "soon",
    ];
    for value in values {
        vendor.inject_read(Fault::retry_after(value));
        vendor.inject_read(Fault::rate_limit_reset(value));
    }
    let client = Client::new();
    for value in values {
        let response = vendor.read(&client).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], value);
        let response = vendor.read(&client).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let resets: Vec<_> = response
            .headers()
            .get_all("x-rate-limit-reset")
            .iter()
            .collect();
        assert_eq!(resets, [value], "sent as given, nothing added");
        assert_eq!(response.headers()["x-rate-limit-remaining"], "0");
    }
    assert_eq!(labels(&vendor), ["status 429"; 10]);
}

/// One `#[tokio::test]` per check above, for `$vendor`.
macro_rules! fault_tests {
    ($vendor:ty) => {
        fault_tests!(@each $vendor; hang, hang_before_processing, drip, reset_before_read,
            redirect, echo, huge, nested, garbage, html, absurd_rate_limits);
    };
    (@each $vendor:ty; $($check:ident),*) => {
        $(
            #[tokio::test(start_paused = true)]
            async fn $check() {
                crate::fault_matrix::$check::<$vendor>().await;
            }
        )*
    };
}
pub(crate) use fault_tests;
