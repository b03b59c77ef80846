//! The transport every generated jobrun vendor client (`generated/<vendor>-api`) points at.
//!
//! Generated crates stay 100% generated: they carry a [`Transport`] as progenitor's "inner
//! type" and call [`prepare`] as their pre-request hook, so credentials are injected in one
//! hand-written place instead of being a per-call argument. Vendor timestamps decode into the
//! tolerant [`VendorTime`], which never fails to decode and re-encodes byte for byte.
//!
//! ```
//! use jobrun_transport::{Transport, SecretString};
//!
//! // trocco: `Authorization: Token <key>` on every request.
//! let transport = Transport::new()
//!     .with_secret_header("authorization", SecretString::from("Token abc123"))
//!     .expect("a valid header");
//! // The secret never shows in Debug output.
//! assert!(!format!("{transport:?}").contains("abc123"));
//! ```

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};
use secrecy::ExposeSecret;
pub use secrecy::SecretString;

mod time;
pub use time::VendorTime;

/// Per-client request settings shared by all operations of one generated client.
#[derive(Clone, Default)]
pub struct Transport {
    headers: Vec<(HeaderName, HeaderValue)>,
    json_content_type: Option<HeaderValue>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only names: every injected value is a credential.
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Transport")
            .field("secret_headers", &names)
            .field("json_content_type", &self.json_content_type)
            .finish()
    }
}

/// A credential that cannot be sent as an HTTP header value.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The header name is not a valid HTTP header name.
    #[error("{name:?} is not a valid HTTP header name")]
    InvalidHeaderName {
        /// The rejected name.
        name: String,
    },
    /// The secret contains characters an HTTP header cannot carry (the value is not shown).
    #[error(
        "the value for header {name} contains characters an HTTP header cannot carry \
         (control characters or line breaks); the value is not shown"
    )]
    InvalidHeaderValue {
        /// The header the value was meant for.
        name: String,
    },
}

impl Transport {
    /// A transport that adds nothing to requests.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name: secret` to every request. The value is marked sensitive, so HTTP-level
    /// logging and `Debug` output never show it.
    pub fn with_secret_header(
        mut self,
        name: &str,
        secret: SecretString,
    ) -> Result<Self, TransportError> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            TransportError::InvalidHeaderName {
                name: name.to_owned(),
            }
        })?;
        let mut value = HeaderValue::from_str(secret.expose_secret()).map_err(|_| {
            TransportError::InvalidHeaderValue {
                name: name.to_owned(),
            }
        })?;
        value.set_sensitive(true);
        self.headers.retain(|(n, _)| n != header);
        self.headers.push((header, value));
        Ok(self)
    }

    /// Sends JSON bodies with this `Content-Type` instead of progenitor's plain
    /// `application/json`: krewData's own sample sends `application/json;charset=UTF-8`, and a
    /// vendor that documents a parameter is safest served exactly that.
    pub fn with_json_content_type(mut self, value: &'static str) -> Self {
        self.json_content_type = Some(HeaderValue::from_static(value));
        self
    }
}

/// The pre-request hook of every generated client: injects credentials, sets the vendor's JSON
/// content type if it has one, and removes progenitor's `api-version` header, which no vendor
/// API defines.
///
/// Async and fallible so that vendors whose credentials must be fetched or refreshed (OAuth
/// tokens, sessions) share the same hook signature.
pub async fn prepare(
    transport: &Transport,
    request: &mut reqwest::Request,
) -> Result<(), TransportError> {
    let headers = request.headers_mut();
    headers.remove("api-version");
    if let Some(json) = &transport.json_content_type
        && headers
            .get(reqwest::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes() == b"application/json")
    {
        headers.insert(reqwest::header::CONTENT_TYPE, json.clone());
    }
    for (name, value) in &transport.headers {
        headers.insert(name.clone(), value.clone());
    }
    // Header values marked sensitive print as `Sensitive`, so this is safe at any level.
    tracing::trace!(method = %request.method(), url = %request.url(), headers = ?request.headers(), "sending");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> reqwest::Request {
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/api/jobs/1".parse().expect("static URL"),
        );
        request
            .headers_mut()
            .insert("api-version", HeaderValue::from_static("2026-11"));
        request
    }

    #[tokio::test]
    async fn prepare_injects_the_secret_and_drops_api_version() {
        let transport = Transport::new()
            .with_secret_header("Authorization", SecretString::from("Token k-1"))
            .expect("valid");
        let mut request = request();
        prepare(&transport, &mut request).await.expect("prepared");
        let auth = &request.headers()["authorization"];
        assert_eq!(auth.to_str().expect("ascii"), "Token k-1");
        assert!(auth.is_sensitive());
        assert!(request.headers().get("api-version").is_none());
    }

    #[tokio::test]
    async fn json_bodies_get_the_vendor_content_type_and_others_keep_theirs() {
        let transport = Transport::new().with_json_content_type("application/json;charset=UTF-8");
        let mut json = request();
        json.headers_mut().insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        prepare(&transport, &mut json).await.expect("prepared");
        assert_eq!(
            json.headers()[reqwest::header::CONTENT_TYPE],
            "application/json;charset=UTF-8"
        );
        let mut form = request();
        form.headers_mut().insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        prepare(&transport, &mut form).await.expect("prepared");
        assert_eq!(
            form.headers()[reqwest::header::CONTENT_TYPE],
            "application/x-www-form-urlencoded"
        );
        let mut none = request();
        prepare(&transport, &mut none).await.expect("prepared");
        assert!(none.headers().get(reqwest::header::CONTENT_TYPE).is_none());
    }

    #[test]
    fn a_bad_secret_is_refused_without_showing_it() {
        let err = Transport::new()
            .with_secret_header("authorization", SecretString::from("Token bad\nsecret"))
            .expect_err("newline in a header value");
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("authorization"));
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn debug_names_headers_but_never_values() {
        let transport = Transport::new()
            .with_secret_header("x-api-key", SecretString::from("very-secret"))
            .expect("valid");
        let shown = format!("{transport:?}");
        assert!(shown.contains("x-api-key"));
        assert!(!shown.contains("very-secret"));
    }
}
