//! Faults a test can queue on a simulator, the queue that hands them out, and how a fault
//! turns an answer into the misbehaviour it names.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::server::ConnControl;

/// A misbehaviour applied to one request in place of, or on top of, its normal answer.
///
/// Faults are queued with a target endpoint and a count (see `TroccoSim::inject`,
/// `KrewdataSim::inject`, `AsteriaSim::inject` and `AdobeSim::inject`) and are consumed in
/// the order they were queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer at once with this HTTP status, `Content-Type` and body, as a gateway or a
    /// crashing backend would. The request has no other effect: it is not authenticated, not
    /// counted against the rate limit, and a trigger creates no job. The body need not be
    /// JSON (an HTML error page is a realistic choice).
    Status {
        /// HTTP status code; an invalid one (outside 100..=999) becomes 500.
        status: u16,
        /// Value of the `Content-Type` header.
        content_type: String,
        /// Body sent verbatim.
        body: String,
    },
    /// Like [`Fault::Status`], with response headers besides: a 429 with `Retry-After`, a 503
    /// with its own `X-Request-Id`. The request has no effect either. With `content_type`
    /// `None` the answer has no `Content-Type` header at all, as an empty gateway answer
    /// has none.
    Reply {
        /// HTTP status code; an invalid one (outside 100..=999) becomes 500.
        status: u16,
        /// Extra headers, in order; pairs that are not valid HTTP are left out.
        headers: Vec<(String, String)>,
        /// Value of the `Content-Type` header, or `None` for no such header.
        content_type: Option<String>,
        /// Body sent verbatim (may be empty).
        body: String,
    },
    /// Process the request normally (a trigger creates its job on arrival), then hold the
    /// answer back for this long. Measured on tokio's clock, so paused tests skip the wait.
    Delay(Duration),
    /// Read and process the whole request (a trigger really creates its job), then close the
    /// TCP connection without writing a single byte of the response.
    Drop,
    /// Process the request normally but send only the first half of its JSON body, keeping
    /// the status code and labelling it `application/json`, so the client must cope with a
    /// body that does not parse.
    MalformedJson,
    /// Process the request normally but send only the first half of its body, keeping the
    /// status code and the answer's own `Content-Type`: a truncated XML document from an XML
    /// API (ASTERIA), half a JSON object from a JSON one. Unlike [`Fault::MalformedJson`] it
    /// does not relabel the answer, so the client sees a cut body of the type it expects.
    MalformedBody,
}

impl fmt::Display for Fault {
    /// The label stored in `RecordedRequest::fault`: `status 503` (for `Status` and
    /// `Reply`), `delay 1.5s`, `drop`, `malformed_json` or `malformed_body`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Status { status, .. } | Fault::Reply { status, .. } => {
                write!(f, "status {status}")
            }
            Fault::Delay(delay) => write!(f, "delay {}", crate::fmt_duration(*delay)),
            Fault::Drop => f.write_str("drop"),
            Fault::MalformedJson => f.write_str("malformed_json"),
            Fault::MalformedBody => f.write_str("malformed_body"),
        }
    }
}

#[derive(Debug)]
struct Entry<T> {
    target: T,
    fault: Fault,
    remaining: usize,
}

/// Queued faults, each aimed at a vendor-specific target and good for a number of requests.
#[derive(Debug)]
pub(crate) struct FaultQueue<T> {
    entries: VecDeque<Entry<T>>,
}

impl<T> Default for FaultQueue<T> {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
        }
    }
}

impl<T> FaultQueue<T> {
    /// Queues `fault` for the next `times` requests that `target` applies to.
    pub(crate) fn push(&mut self, target: T, fault: Fault, times: usize) {
        if times > 0 {
            self.entries.push_back(Entry {
                target,
                fault,
                remaining: times,
            });
        }
    }

    /// Takes one use of the oldest entry whose target `applies`. Entries aimed elsewhere do
    /// not block it: a fault queued for status polls must not hold back one queued for
    /// triggers.
    pub(crate) fn take(&mut self, applies: impl Fn(&T) -> bool) -> Option<Fault> {
        let index = self
            .entries
            .iter()
            .position(|entry| applies(&entry.target))?;
        let entry = self.entries.get_mut(index)?;
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.entries.remove(index);
        }
        Some(fault)
    }
}

impl Fault {
    /// The answer of a fault that stands for a failure in front of the service ([`Fault::Status`],
    /// [`Fault::Reply`]): the request must then have no other effect. `None` for the faults
    /// that act on a processed request.
    pub(crate) fn front_answer(&self) -> Option<Response> {
        match self {
            Fault::Status {
                status,
                content_type,
                body,
            } => Some(status_answer(*status, content_type, body)),
            Fault::Reply {
                status,
                headers,
                content_type,
                body,
            } => Some(reply_answer(
                *status,
                headers,
                content_type.as_deref(),
                body,
            )),
            Fault::Delay(_) | Fault::Drop | Fault::MalformedJson | Fault::MalformedBody => None,
        }
    }
}

/// The answer of a [`Fault::Reply`].
fn reply_answer(
    status: u16,
    headers: &[(String, String)],
    content_type: Option<&str>,
    body: &str,
) -> Response {
    let mut response = match content_type {
        Some(content_type) => status_answer(status, content_type, body),
        None => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, body.to_owned()).into_response();
            response.headers_mut().remove(CONTENT_TYPE);
            response
        }
    };
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}

/// The answer of a [`Fault::Status`]: this status, `Content-Type` and body, verbatim.
pub(crate) fn status_answer(status: u16, content_type: &str, body: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body.to_owned()).into_response();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

/// Applies what `fault` does after a request was processed: hold the answer back, cut its
/// body, or close the connection without it. A `Status` fault was answered before the request
/// was processed, so here it leaves `response` alone.
pub(crate) async fn apply(
    fault: Option<Fault>,
    response: Response,
    connection: Option<ConnControl>,
) -> Response {
    match fault {
        None | Some(Fault::Status { .. } | Fault::Reply { .. }) => response,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            response
        }
        Some(Fault::MalformedJson) => truncate_body(response, true).await,
        Some(Fault::MalformedBody) => truncate_body(response, false).await,
        Some(Fault::Drop) => match connection {
            Some(connection) => {
                connection.drop_connection();
                // The connection task drops this future along with the connection.
                std::future::pending().await
            }
            // Only reachable if the router is served by something other than crate::server.
            None => response,
        },
    }
}

/// Sends the first half of `response`'s body; `as_json` relabels it `application/json`.
async fn truncate_body(response: Response, as_json: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    let full = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let xml = !as_json
        && parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.to_ascii_lowercase().contains("xml"));
    // A proper prefix of a JSON object or of an XML document never parses; an empty body
    // gets an obvious stub of the same kind.
    let cut = if full.is_empty() {
        Bytes::from_static(if xml {
            b"<result><status>"
        } else {
            b"{\"id\":"
        })
    } else {
        full.slice(..full.len() / 2)
    };
    if as_json {
        parts
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oldest_matching_entry_wins_and_runs_out() {
        let mut queue = FaultQueue::default();
        queue.push("a", Fault::Drop, 1);
        queue.push("b", Fault::MalformedJson, 2);
        queue.push("a", Fault::Delay(Duration::from_secs(1)), 1);
        assert_eq!(queue.take(|t| *t == "b"), Some(Fault::MalformedJson));
        assert_eq!(queue.take(|t| *t == "a"), Some(Fault::Drop));
        assert_eq!(
            queue.take(|t| *t == "a"),
            Some(Fault::Delay(Duration::from_secs(1)))
        );
        assert_eq!(queue.take(|t| *t == "a"), None);
        assert_eq!(queue.take(|t| *t == "b"), Some(Fault::MalformedJson));
        assert_eq!(queue.take(|_| true), None);
    }

    #[test]
    fn zero_times_queues_nothing() {
        let mut queue = FaultQueue::default();
        queue.push((), Fault::Drop, 0);
        assert_eq!(queue.take(|_| true), None);
    }

    #[test]
    fn labels() {
        let status = Fault::Status {
            status: 503,
            content_type: "text/html".into(),
            body: String::new(),
        };
        assert_eq!(status.to_string(), "status 503");
        assert_eq!(
            Fault::Delay(Duration::from_millis(1500)).to_string(),
            "delay 1.5s"
        );
        assert_eq!(Fault::Drop.to_string(), "drop");
        assert_eq!(Fault::MalformedJson.to_string(), "malformed_json");
        assert_eq!(Fault::MalformedBody.to_string(), "malformed_body");
    }

    #[tokio::test]
    async fn reply_adds_headers_and_may_omit_the_content_type() {
        let reply = Fault::Reply {
            status: 429,
            headers: vec![
                ("Retry-After".into(), "3".into()),
                ("bad name".into(), "ignored".into()),
            ],
            content_type: None,
            body: String::new(),
        };
        assert_eq!(reply.to_string(), "status 429");
        let response = reply.front_answer().unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "3");
        assert!(response.headers().get(CONTENT_TYPE).is_none());
        assert_eq!(response.headers().len(), 1);
        let typed = Fault::Reply {
            status: 1000,
            headers: Vec::new(),
            content_type: Some("application/json".into()),
            body: "{}".into(),
        };
        let response = typed.front_answer().unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert!(Fault::Drop.front_answer().is_none());
        assert!(Fault::Delay(Duration::ZERO).front_answer().is_none());
    }

    async fn cut(
        content_type: &'static str,
        body: &'static str,
        as_json: bool,
    ) -> (String, String) {
        let mut response = (StatusCode::OK, body).into_response();
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        let response = truncate_body(response, as_json).await;
        let label = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (label, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn malformed_body_keeps_the_content_type_and_malformed_json_relabels() {
        let xml = "text/xml; charset=UTF-8";
        assert_eq!(
            cut(xml, "<result></result>", false).await,
            (xml.to_owned(), "<result>".to_owned())
        );
        assert_eq!(
            cut(xml, "", false).await,
            (xml.to_owned(), "<result><status>".to_owned())
        );
        assert_eq!(
            cut(xml, "<result></result>", true).await,
            ("application/json".to_owned(), "<result>".to_owned())
        );
        assert_eq!(
            cut("application/json", "", false).await,
            ("application/json".to_owned(), "{\"id\":".to_owned())
        );
    }
}
