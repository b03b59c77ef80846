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

#![warn(missing_docs)]

use std::{
    fmt,
    sync::{Arc, PoisonError, RwLock},
};

use reqwest::header::{HeaderName, HeaderValue};
use secrecy::ExposeSecret;
pub use secrecy::SecretString;

mod time;
pub use time::VendorTime;

/// The default cap on one answer's body: no vendor answer jobrun reads comes near it, and a
/// server that sends more (by mistake or on purpose) must not take the process's memory.
pub const DEFAULT_ANSWER_CAP: usize = 16 * 1024 * 1024;

/// Per-client request settings shared by all operations of one generated client.
#[derive(Clone)]
pub struct Transport {
    headers: Vec<(HeaderName, HeaderValue)>,
    slots: Vec<(HeaderName, SecretSlot)>,
    content_types: Vec<(&'static str, HeaderValue)>,
    answer_cap: usize,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            headers: Vec::new(),
            slots: Vec::new(),
            content_types: Vec::new(),
            answer_cap: DEFAULT_ANSWER_CAP,
        }
    }
}

/// A credential that changes while a client lives (a session id, an OAuth token): the code
/// that renews it and the [`Transport`] that sends it share one slot. Clones share the slot.
#[derive(Clone, Default)]
pub struct SecretSlot(Arc<RwLock<Option<HeaderValue>>>);

impl SecretSlot {
    /// An empty slot: requests go out without the header until [`SecretSlot::set`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Puts a new credential in the slot (marked sensitive, so logs never show it).
    pub fn set(&self, secret: &SecretString) -> Result<(), TransportError> {
        let mut value = HeaderValue::from_str(secret.expose_secret()).map_err(|_| {
            TransportError::InvalidHeaderValue {
                name: "(a renewed credential)".to_owned(),
            }
        })?;
        value.set_sensitive(true);
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(value);
        Ok(())
    }

    /// Empties the slot (after a logout, say).
    pub fn clear(&self) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Whether the slot holds a credential.
    pub fn is_set(&self) -> bool {
        self.get().is_some()
    }

    fn get(&self) -> Option<HeaderValue> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl fmt::Debug for SecretSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.is_set() { "set" } else { "empty" };
        write!(f, "SecretSlot({state})")
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only names: every injected value is a credential.
        let names: Vec<&str> = self
            .headers
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(self.slots.iter().map(|(n, _)| n.as_str()))
            .collect();
        f.debug_struct("Transport")
            .field("secret_headers", &names)
            .field("content_types", &self.content_types)
            .field("answer_cap", &self.answer_cap)
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

    /// Sends `name` with whatever `slot` holds at the time of each request (nothing while it is
    /// empty).
    pub fn with_secret_slot(
        mut self,
        name: &str,
        slot: SecretSlot,
    ) -> Result<Self, TransportError> {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            TransportError::InvalidHeaderName {
                name: name.to_owned(),
            }
        })?;
        self.slots.retain(|(n, _)| n != header);
        self.slots.push((header, slot));
        Ok(self)
    }

    /// Sends bodies that progenitor labels `plain` (e.g. `application/json`) as `sent` instead
    /// (e.g. `application/json;charset=UTF-8`): a vendor whose docs show a parameter is safest
    /// served exactly that.
    pub fn with_content_type(mut self, plain: &'static str, sent: &'static str) -> Self {
        self.content_types.retain(|(p, _)| *p != plain);
        self.content_types
            .push((plain, HeaderValue::from_static(sent)));
        self
    }

    /// Ends the reading of any answer body longer than `bytes` with [`AnswerTooLarge`]
    /// (default [`DEFAULT_ANSWER_CAP`]).
    pub fn with_answer_cap(mut self, bytes: usize) -> Self {
        self.answer_cap = bytes;
        self
    }
}

/// An answer body that grew past the transport's cap. It reaches callers as the source of the
/// `reqwest::Error` that ended the body's reading.
#[derive(Debug, thiserror::Error)]
#[error("the answer is larger than the cap of {cap} bytes")]
pub struct AnswerTooLarge {
    /// The cap that was passed.
    pub cap: usize,
}

/// How every generated client sends a request (its `ClientHooks::exec`): the answer's body is
/// read through a counter that ends it with [`AnswerTooLarge`] past the transport's cap, so a
/// huge answer costs at most the cap in memory whichever code reads it.
///
/// No timer is set here: the caller bounds the whole exchange, body included, by its own
/// deadline (one timer per call instead of one per request and one per body).
pub async fn execute(
    client: &reqwest::Client,
    transport: &Transport,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let mut response = client.execute(request).await?;
    let cap = transport.answer_cap;
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let mut seen = 0usize;
    let body = futures::StreamExt::map(response.bytes_stream(), move |chunk| {
        let chunk = chunk.map_err(BoxError::from)?;
        seen = seen.saturating_add(chunk.len());
        if seen > cap {
            return Err(BoxError::from(AnswerTooLarge { cap }));
        }
        Ok(chunk)
    });
    let mut capped = http::Response::new(reqwest::Body::wrap_stream(body));
    *capped.status_mut() = status;
    *capped.version_mut() = version;
    *capped.headers_mut() = headers;
    Ok(reqwest::Response::from(capped))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The pre-request hook of every generated client: injects credentials and sets the vendor's
/// JSON content type if it has one.
///
/// Async and fallible so that vendors whose credentials must be fetched or refreshed (OAuth
/// tokens, sessions) share the same hook signature.
pub async fn prepare(
    transport: &Transport,
    request: &mut reqwest::Request,
) -> Result<(), TransportError> {
    let headers = request.headers_mut();
    let sent = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|current| {
            transport
                .content_types
                .iter()
                .find(|(plain, _)| current.as_bytes() == plain.as_bytes())
                .map(|(_, sent)| sent.clone())
        });
    if let Some(sent) = sent {
        headers.insert(reqwest::header::CONTENT_TYPE, sent);
    }
    for (name, value) in &transport.headers {
        headers.insert(name.clone(), value.clone());
    }
    for (name, slot) in &transport.slots {
        if let Some(value) = slot.get() {
            headers.insert(name.clone(), value);
        }
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
    async fn prepare_injects_the_secret() {
        let transport = Transport::new()
            .with_secret_header("Authorization", SecretString::from("Token k-1"))
            .expect("valid");
        let mut request = request();
        prepare(&transport, &mut request).await.expect("prepared");
        let auth = &request.headers()["authorization"];
        assert_eq!(auth.to_str().expect("ascii"), "Token k-1");
        assert!(auth.is_sensitive());
    }

    /// A loopback server answering every request with `body`.
    async fn serve(body: &'static [u8]) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut head = [0u8; 1024];
                let _ = socket.read(&mut head).await;
                let reply = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
                let _ = socket.write_all(reply.as_bytes()).await;
                let _ = socket.write_all(body).await;
            }
        });
        url
    }

    #[tokio::test]
    async fn answers_past_the_cap_end_with_answer_too_large() {
        let url = serve(b"0123456789abcdef").await;
        let client = reqwest::Client::new();
        let request =
            |url: &str| reqwest::Request::new(reqwest::Method::GET, url.parse().expect("url"));
        let small = Transport::new().with_answer_cap(10);
        let response = execute(&client, &small, request(&url))
            .await
            .expect("answered");
        assert_eq!(response.status(), 200);
        let err = response.bytes().await.expect_err("past the cap");
        let mut source = std::error::Error::source(&err);
        let mut found = false;
        while let Some(cause) = source {
            found |= cause.downcast_ref::<AnswerTooLarge>().is_some();
            source = cause.source();
        }
        assert!(found, "{err:?}");
        let roomy = Transport::new().with_answer_cap(16);
        let response = execute(&client, &roomy, request(&url))
            .await
            .expect("answered");
        assert_eq!(
            &response.bytes().await.expect("whole")[..],
            b"0123456789abcdef"
        );
    }

    #[tokio::test]
    async fn json_bodies_get_the_vendor_content_type_and_others_keep_theirs() {
        let transport = Transport::new()
            .with_content_type("application/json", "application/json;charset=UTF-8");
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

    #[tokio::test]
    async fn a_slot_sends_its_current_secret_or_nothing() {
        let slot = SecretSlot::new();
        let transport = Transport::new()
            .with_secret_slot("X-Fs-SessionId", slot.clone())
            .expect("valid");
        let mut before = request();
        prepare(&transport, &mut before).await.expect("prepared");
        assert!(before.headers().get("x-fs-sessionid").is_none());
        slot.set(&SecretString::from("F15B47BC1F004DB489BAF1E4CDD0100D"))
            .expect("valid");
        let mut after = request();
        prepare(&transport, &mut after).await.expect("prepared");
        let sent = &after.headers()["x-fs-sessionid"];
        assert_eq!(sent, "F15B47BC1F004DB489BAF1E4CDD0100D");
        assert!(sent.is_sensitive());
        let shown = format!("{transport:?} {slot:?}");
        assert!(
            !shown.contains("F15B47") && shown.contains("x-fs-sessionid"),
            "{shown}"
        );
        slot.clear();
        let mut cleared = request();
        prepare(&transport, &mut cleared).await.expect("prepared");
        assert!(cleared.headers().get("x-fs-sessionid").is_none());
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
