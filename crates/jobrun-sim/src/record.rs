//! What a simulator received, kept so a test can prove what its client sent.

use std::time::SystemTime;

use axum::http::request::Parts;

use crate::fault::Fault;

/// One request as the simulator received it, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path without the query string, e.g. `/api/jobs`.
    pub path: String,
    /// Raw query string without the leading `?`, if the request had one.
    pub query: Option<String>,
    /// Headers in received order, names lowercase; values that are not UTF-8 are decoded
    /// lossily.
    pub headers: Vec<(String, String)>,
    /// The body bytes exactly as received.
    pub body: Vec<u8>,
    /// The fault applied to this request, as its `Display` label (`status 503`,
    /// `delay 2s`, `drop`, `malformed_json`), or `None` when it was answered normally.
    pub fault: Option<String>,
    /// When it arrived, on the simulator's clock (tokio time shifted onto the wall clock).
    pub received_at: SystemTime,
}

impl RecordedRequest {
    /// The first value of the header `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The record of a request whose head is `parts` and whose whole body is `body`.
    pub(crate) fn capture(
        parts: &Parts,
        body: &[u8],
        fault: Option<&Fault>,
        received_at: SystemTime,
    ) -> Self {
        Self {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
            body: body.to_vec(),
            fault: fault.map(ToString::to_string),
            received_at,
        }
    }
}
