//! What a simulator received, kept so a test can prove what its client sent.

use std::time::SystemTime;

use axum::http::request::Parts;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

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

    /// Whether `needle` appears anywhere in the request: in its path or query (as sent or
    /// percent-decoded), in any header value (and inside a `Basic` credential, once decoded),
    /// or in the body (as sent, form-decoded, or in any string of a JSON body). The check that
    /// a credential did not travel somewhere. An empty `needle` is always found, as with
    /// `str::contains`.
    pub fn carries(&self, needle: &str) -> bool {
        let decoded = |text: &str| {
            form_urlencoded::parse(text.as_bytes())
                .any(|(key, value)| key.contains(needle) || value.contains(needle))
        };
        let query = self.query.as_deref().unwrap_or_default();
        let body = String::from_utf8_lossy(&self.body);
        self.path.contains(needle)
            || decoded(&self.path)
            || query.contains(needle)
            || decoded(query)
            || self.headers.iter().any(|(_, value)| {
                value.contains(needle)
                    || basic_credential(value).is_some_and(|c| c.contains(needle))
            })
            || body.contains(needle)
            || decoded(&body)
            || serde_json::from_slice::<serde_json::Value>(&self.body)
                .is_ok_and(|json| json_carries(&json, needle))
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

/// The decoded `user:password` of an `Authorization: Basic …` value.
fn basic_credential(value: &str) -> Option<String> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = BASE64.decode(encoded.trim()).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether any key or string of `json` contains `needle` once JSON escapes are undone.
fn json_carries(json: &serde_json::Value, needle: &str) -> bool {
    match json {
        serde_json::Value::String(text) => text.contains(needle),
        serde_json::Value::Array(items) => items.iter().any(|item| json_carries(item, needle)),
        serde_json::Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains(needle) || json_carries(value, needle)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(
        path: &str,
        query: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            path: path.into(),
            query: query.map(str::to_owned),
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            body: body.to_vec(),
            fault: None,
            received_at: SystemTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn carries_finds_a_secret_however_it_was_encoded() {
        let secret = "s3cr/t+1";
        assert!(record("/", Some("key=s3cr%2Ft%2B1"), &[], b"").carries(secret));
        assert!(record("/a/s3cr%2Ft+1", None, &[], b"").carries("s3cr/t"));
        // "user:s3cr/t+1" in Base64.
        let basic = format!("Basic {}", BASE64.encode("user:s3cr/t+1"));
        assert!(record("/", None, &[("authorization", &basic)], b"").carries(secret));
        assert!(record("/", None, &[], b"password=s3cr%2Ft%2B1").carries(secret));
        assert!(record("/", None, &[], br#"{"k":["s3cr\/t\u002b1"]}"#).carries(secret));
        assert!(!record("/", Some("a=b"), &[("x", "y")], b"{}").carries(secret));
    }
}
