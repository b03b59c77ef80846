//! Faults a test can queue on a simulator, the queue that hands them out, and how a fault
//! turns an answer into the misbehaviour it names.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::body::{Frame, SizeHint};

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
    /// Read and process the whole request (a trigger really creates its job), then never
    /// answer: the connection stays open, silent, until the client gives up (or the simulator
    /// stops). A client that has no deadline of its own waits forever.
    Hang,
    /// Read the whole request but never process it (a trigger creates no job) nor answer it:
    /// the connection stays open until the client gives up. Unlike [`Fault::Hang`], a client
    /// that re-sends the request after giving up creates exactly one job.
    HangBeforeProcessing,
    /// Process the request normally, send the answer's status and headers at once (with the
    /// body's real `Content-Length`), then its body `chunk` bytes at a time, pausing `every`
    /// before each chunk. Pauses are measured on tokio's clock, so a paused-clock test can let
    /// them pass instantly. A client that only bounds the time to the first byte, or each
    /// read, never finishes; only an overall deadline ends it. An empty body drips nothing.
    Drip {
        /// Bytes per chunk; 0 counts as 1.
        chunk: usize,
        /// Pause before each chunk.
        every: Duration,
    },
    /// Close the connection with a TCP reset as soon as the request's head arrives, without
    /// reading its body and without processing it (a trigger creates no job). Its record holds
    /// the head and an empty body, since the body was never read. [`Fault::Drop`] is the
    /// same failure after the request was processed.
    ResetBeforeRead,
    /// Answer `status` (301, 302, 303, 307 or 308 are the redirects; any other is sent as
    /// given) with this `Location` and an empty body. The request has no other effect, like
    /// [`Fault::Status`]. Point `location` at an [`crate::Elsewhere`] to prove that a client
    /// carries no credential to another origin, or does not follow at all.
    Redirect {
        /// HTTP status code; an invalid one (outside 100..=999) becomes 500.
        status: u16,
        /// Value of the `Location` header; one that is not a valid header value is left out.
        location: String,
    },
    /// Answer `status` with a body in the vendor's error shape (trocco's `error` and
    /// `message`, krewData's `description`, ASTERIA's `<errorMessage>`, Adobe's `message` or
    /// IMS's `error_description`) whose text repeats everything the request carried: method,
    /// path, query, every header with its value, and the raw body. A client that prints an
    /// error body prints its own credentials. The request has no other effect.
    Echo {
        /// HTTP status code; an invalid one (outside 100..=999) becomes 500.
        status: u16,
    },
    /// Answer 200 with the vendor's `Content-Type` and a body of exactly `bytes` bytes (at
    /// least the few bytes of its frame), generated while it is sent, never held in memory,
    /// and sent without `Content-Length`. It starts like one of the vendor's answers and is
    /// one string value (JSON) or text element (XML) that runs on until the size is reached,
    /// then closes properly, so it is well-formed however long. The request has no other
    /// effect.
    Huge {
        /// Total body length.
        bytes: u64,
    },
    /// Answer 200 with the vendor's `Content-Type` and a well-formed body nested `depth` levels
    /// deep (JSON objects `{"data":{"data":…{}}}`, XML elements
    /// `<result><data><data>…</data></data></result>`), generated while it is sent and sent
    /// without `Content-Length`. A recursive parser without a depth limit overflows its stack
    /// on 100 000 levels. The request has no other effect.
    Nested {
        /// Levels of nesting, the outermost object or element included; 0 counts as 1.
        depth: usize,
    },
    /// Answer 200 with the vendor's `Content-Type` and bytes that are neither JSON nor XML:
    /// invalid UTF-8, a NUL, terminal escape sequences (which must never reach a terminal
    /// raw) and unbalanced brackets. The request has no other effect.
    Garbage,
}

impl fmt::Display for Fault {
    /// The label stored in `RecordedRequest::fault`: `status 503` (for `Status` and
    /// `Reply`), `delay 1.5s`, `drop`, `malformed_json`, `malformed_body`, `hang`,
    /// `hang_before_processing`, `drip 4B/250ms`, `reset_before_read`,
    /// `redirect 307 http://127.0.0.1:4000/x`, `echo 400`, `huge 10000000B`,
    /// `nested 100000` or `garbage`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Hang => f.write_str("hang"),
            Fault::HangBeforeProcessing => f.write_str("hang_before_processing"),
            Fault::Drip { chunk, every } => {
                write!(f, "drip {}B/{}", chunk.max(&1), crate::fmt_duration(*every))
            }
            Fault::ResetBeforeRead => f.write_str("reset_before_read"),
            Fault::Redirect { status, location } => write!(f, "redirect {status} {location}"),
            Fault::Echo { status } => write!(f, "echo {status}"),
            Fault::Huge { bytes } => write!(f, "huge {bytes}B"),
            Fault::Nested { depth } => write!(f, "nested {}", depth.max(&1)),
            Fault::Garbage => f.write_str("garbage"),
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

    /// Like [`FaultQueue::take`], but only when the oldest entry whose target `applies` holds a
    /// fault that `wanted` accepts; otherwise the queue is left as it was. Lets a simulator
    /// act on a fault before it reads the body, without consuming a fault meant for later.
    pub(crate) fn take_if(
        &mut self,
        applies: impl Fn(&T) -> bool,
        wanted: impl Fn(&Fault) -> bool,
    ) -> Option<Fault> {
        let first = self.entries.iter().find(|entry| applies(&entry.target))?;
        if wanted(&first.fault) {
            self.take(applies)
        } else {
            None
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
    /// A [`Fault::Status`] with a small HTML error page labelled `text/html; charset=utf-8`,
    /// as a proxy, load balancer or login wall answers in front of an API. With 200 it is an
    /// HTML page where the client expected JSON or XML. The request has no other effect.
    pub fn html(status: u16) -> Fault {
        let title = match StatusCode::from_u16(status) {
            Ok(code) => format!("{status} {}", code.canonical_reason().unwrap_or("Error")),
            Err(_) => status.to_string(),
        };
        Fault::Status {
            status,
            content_type: "text/html; charset=utf-8".to_owned(),
            body: format!(
                "<!DOCTYPE html>\n<html><head><title>{title}</title></head>\
                 <body><h1>{title}</h1><p>Please sign in to continue.</p></body></html>\n"
            ),
        }
    }

    /// A 429 with `Retry-After: {value}` sent verbatim, whatever it says: `-5`,
    /// `99999999999999999999`, `Thu, 01 Jan 1970 00:00:00 GMT`, `Fri, 31 Dec 9999 23:59:59
    /// GMT`, `soon`. The body is a gateway's plain `Too Many Requests`. A value that is not
    /// a valid header value (control characters, non-ASCII) leaves the header out, as for
    /// every [`Fault::Reply`]. The request has no other effect.
    pub fn retry_after(value: impl Into<String>) -> Fault {
        Fault::Reply {
            status: 429,
            headers: vec![("Retry-After".to_owned(), value.into())],
            content_type: Some("text/plain; charset=utf-8".to_owned()),
            body: "Too Many Requests".to_owned(),
        }
    }

    /// A 429 as trocco words it, with `X-Rate-Limit-Reset: {value}` sent verbatim whatever it
    /// says (negative, huge, a date in 1970 or 9999, garbage), `X-Rate-Limit-Limit: 3500`,
    /// `X-Rate-Limit-Remaining: 0` and trocco's JSON `message`. The trocco simulator leaves
    /// these headers as they are instead of adding its own. On another simulator it is just a
    /// 429 with unusual headers. Header values are as for [`Fault::retry_after`]. The request
    /// has no other effect.
    pub fn rate_limit_reset(value: impl Into<String>) -> Fault {
        Fault::Reply {
            status: 429,
            headers: vec![
                ("X-Rate-Limit-Limit".to_owned(), "3500".to_owned()),
                ("X-Rate-Limit-Remaining".to_owned(), "0".to_owned()),
                ("X-Rate-Limit-Reset".to_owned(), value.into()),
            ],
            content_type: Some("application/json".to_owned()),
            body: r#"{"message":"Rate limit exceeded"}"#.to_owned(),
        }
    }

    /// Whether the fault stands for a failure in front of the service: the request is then
    /// not processed at all (not authenticated, not counted, no job created).
    pub(crate) fn is_front(&self) -> bool {
        matches!(
            self,
            Fault::Status { .. }
                | Fault::Reply { .. }
                | Fault::HangBeforeProcessing
                | Fault::ResetBeforeRead
                | Fault::Redirect { .. }
                | Fault::Echo { .. }
                | Fault::Huge { .. }
                | Fault::Nested { .. }
                | Fault::Garbage
        )
    }

    /// Whether the client gets any answer at all (for the simulators' answer counters).
    pub(crate) fn answers(&self) -> bool {
        !matches!(
            self,
            Fault::Drop | Fault::Hang | Fault::HangBeforeProcessing | Fault::ResetBeforeRead
        )
    }

    /// The answer of a fault that stands for a failure in front of the service (see
    /// [`Fault::is_front`]): the request must then have no other effect. `shape` is how the
    /// vendor's answers look, `parts` and `body` the request (echoed by [`Fault::Echo`]).
    /// `None` for the faults that act on a processed request.
    pub(crate) fn front_answer(
        &self,
        shape: &Shape,
        parts: &Parts,
        body: &[u8],
    ) -> Option<Response> {
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
            Fault::Redirect { status, location } => Some(redirect_answer(*status, location)),
            Fault::Echo { status } => Some(status_answer(
                *status,
                shape.content_type,
                &(shape.error)(*status, &echo_text(parts, body)),
            )),
            Fault::Huge { bytes } => Some(generated(shape, huge_chunks(shape, *bytes))),
            Fault::Nested { depth } => Some(generated(shape, nested_chunks(shape, *depth))),
            Fault::Garbage => {
                let mut response = (StatusCode::OK, Bytes::from_static(GARBAGE)).into_response();
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static(shape.content_type));
                Some(response)
            }
            // Never sent: `apply` keeps the connection silent or resets it instead.
            Fault::HangBeforeProcessing | Fault::ResetBeforeRead => Some(unanswered()),
            Fault::Delay(_)
            | Fault::Drop
            | Fault::MalformedJson
            | Fault::MalformedBody
            | Fault::Hang
            | Fault::Drip { .. } => None,
        }
    }
}

/// A placeholder for an answer that a fault keeps from ever being sent.
pub(crate) fn unanswered() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// How one vendor's answers look, for the faults that make up an answer of their own
/// ([`Fault::Echo`], [`Fault::Huge`], [`Fault::Nested`], [`Fault::Garbage`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// The `Content-Type` of the vendor's answers.
    pub(crate) content_type: &'static str,
    /// Whether the answers are XML (ASTERIA) rather than JSON.
    pub(crate) xml: bool,
    /// The vendor's error body for an HTTP status, with `text` as its message.
    pub(crate) error: fn(u16, &str) -> String,
    /// A [`Fault::Huge`] body: the start of one of the vendor's answers up to the opening of
    /// a string value (JSON, ending in `"`) or a text element (XML), and its end after the
    /// filler.
    pub(crate) huge: (&'static str, &'static str),
}

/// The text a [`Fault::Echo`] repeats: the request line, every header, a blank line and the
/// body, each as received (bytes that are not UTF-8 decoded lossily).
fn echo_text(parts: &Parts, body: &[u8]) -> String {
    let mut text = format!("{} {}", parts.method, parts.uri.path());
    if let Some(query) = parts.uri.query() {
        text.push('?');
        text.push_str(query);
    }
    text.push('\n');
    for (name, value) in &parts.headers {
        text.push_str(name.as_str());
        text.push_str(": ");
        text.push_str(&String::from_utf8_lossy(value.as_bytes()));
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(body));
    text
}

/// The answer of a [`Fault::Redirect`]: no body, no `Content-Type`.
fn redirect_answer(status: u16, location: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = status.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// The body of a [`Fault::Garbage`]: it starts with a byte no JSON or XML document starts
/// with, is not UTF-8, and carries a NUL, a clear-screen and a window-title escape.
const GARBAGE: &[u8] = b"\xff\xfe\x00\x1b[2J\x1b[31mNOT AN ANSWER\x1b[0m\x1b]0;jobrun\x07\r\x08\x80\xc3( ]]}}>< \xf0\x28\x8c\x28\n";

/// What a [`Fault::Huge`] body is padded with: valid inside a JSON string and XML text.
static FILLER: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// A 200 of the vendor's `Content-Type` whose body is `chunks`, sent as they are produced.
fn generated(shape: &Shape, chunks: impl Iterator<Item = Bytes> + Send + 'static) -> Response {
    let mut response = Response::new(Body::new(Paced::new(chunks, Duration::ZERO, None)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(shape.content_type));
    response
}

/// The chunks of a [`Fault::Huge`] body of `bytes` bytes: the frame's start, filler, its end.
fn huge_chunks(shape: &Shape, bytes: u64) -> impl Iterator<Item = Bytes> + Send + 'static {
    let (lead, tail) = shape.huge;
    let frame = u64::try_from(lead.len() + tail.len()).unwrap_or(u64::MAX);
    let mut left = bytes.saturating_sub(frame);
    let filler = std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        let len = usize::try_from(left).map_or(FILLER.len(), |left| left.min(FILLER.len()));
        left -= len as u64;
        Some(Bytes::from_static(&FILLER[..len]))
    });
    std::iter::once(Bytes::from_static(lead.as_bytes()))
        .chain(filler)
        .chain(std::iter::once(Bytes::from_static(tail.as_bytes())))
}

/// The chunks of a [`Fault::Nested`] body `depth` levels deep.
fn nested_chunks(shape: &Shape, depth: usize) -> impl Iterator<Item = Bytes> + Send + 'static {
    // The outermost level is the document's own object or root element; every further level
    // opens one more inside it.
    let inner = depth.max(1) - 1;
    let (head, open, middle, close, tail) = if shape.xml {
        ("<result>", "<data>", "", "</data>", "</result>\n")
    } else {
        ("", "{\"data\":", "{}", "}", "\n")
    };
    std::iter::once(Bytes::from_static(head.as_bytes()))
        .chain(repeated(open, inner))
        .chain(std::iter::once(Bytes::from_static(middle.as_bytes())))
        .chain(repeated(close, inner))
        .chain(std::iter::once(Bytes::from_static(tail.as_bytes())))
}

/// `unit` `times` times over, in chunks of a few kilobytes.
fn repeated(unit: &'static str, times: usize) -> impl Iterator<Item = Bytes> + Send + 'static {
    const PER_CHUNK: usize = 4096;
    let mut left = times;
    std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        let count = left.min(PER_CHUNK);
        left -= count;
        Some(Bytes::from(unit.repeat(count)))
    })
}

/// A body sent chunk by chunk as the chunks are produced, pausing `every` (on tokio's clock)
/// before each one; with a zero pause it is just a lazily generated body.
struct Paced {
    chunks: std::iter::Peekable<Box<dyn Iterator<Item = Bytes> + Send>>,
    every: Duration,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    /// Bytes still to come, when known; with it hyper frames the body by length.
    remaining: Option<u64>,
}

impl Paced {
    fn new(
        chunks: impl Iterator<Item = Bytes> + Send + 'static,
        every: Duration,
        length: Option<u64>,
    ) -> Self {
        let chunks: Box<dyn Iterator<Item = Bytes> + Send> = Box::new(chunks);
        Self {
            chunks: chunks.peekable(),
            every,
            pause: None,
            remaining: length,
        }
    }
}

impl HttpBody for Paced {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        // No pause after the last chunk: the body ends as soon as its last byte is out.
        if this.chunks.peek().is_none() {
            return Poll::Ready(None);
        }
        if !this.every.is_zero() {
            let every = this.every;
            let pause = this
                .pause
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(every)));
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        let Some(chunk) = this.chunks.next() else {
            return Poll::Ready(None);
        };
        if let Some(remaining) = &mut this.remaining {
            *remaining = remaining.saturating_sub(chunk.len() as u64);
        }
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn size_hint(&self) -> SizeHint {
        self.remaining.map(SizeHint::with_exact).unwrap_or_default()
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

/// Applies what `fault` does once the request was recorded and, unless the fault stood in
/// front of the service, processed: hold the answer back, drip or cut its body, never send
/// it, or close the connection without it. A front fault's answer (`Status`, `Redirect`,
/// `Echo`, …) is already `response`, so it is left alone.
pub(crate) async fn apply(
    fault: Option<Fault>,
    response: Response,
    connection: Option<ConnControl>,
) -> Response {
    match fault {
        None
        | Some(
            Fault::Status { .. }
            | Fault::Reply { .. }
            | Fault::Redirect { .. }
            | Fault::Echo { .. }
            | Fault::Huge { .. }
            | Fault::Nested { .. }
            | Fault::Garbage,
        ) => response,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            response
        }
        Some(Fault::MalformedJson) => truncate_body(response, true).await,
        Some(Fault::MalformedBody) => truncate_body(response, false).await,
        Some(Fault::Drip { chunk, every }) => drip(response, chunk, every).await,
        // Never completing keeps hyper from writing a byte while the connection stays open;
        // the connection task drops this future when the client hangs up or the simulator
        // stops.
        Some(Fault::Hang | Fault::HangBeforeProcessing) => std::future::pending().await,
        Some(Fault::Drop) => close(connection, false, response).await,
        Some(Fault::ResetBeforeRead) => close(connection, true, response).await,
    }
}

/// Has the connection closed (or reset) without an answer, and never returns.
async fn close(connection: Option<ConnControl>, reset: bool, response: Response) -> Response {
    match connection {
        Some(connection) => {
            if reset {
                connection.reset_connection();
            } else {
                connection.drop_connection();
            }
            // The connection task drops this future along with the connection.
            std::future::pending().await
        }
        // Only reachable if the router is served by something other than crate::server.
        None => response,
    }
}

/// Sends `response`'s status and headers (with its real `Content-Length`), then its body
/// `chunk` bytes at a time, pausing `every` before each.
async fn drip(response: Response, chunk: usize, every: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    let full = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(full.len()));
    let chunk = chunk.max(1);
    let length = full.len() as u64;
    let pieces = (0..full.len())
        .step_by(chunk)
        .map(move |start| full.slice(start..full.len().min(start + chunk)));
    Response::from_parts(parts, Body::new(Paced::new(pieces, every, Some(length))))
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

    const JSON_SHAPE: Shape = Shape {
        content_type: "application/json",
        xml: false,
        error: |status, text| serde_json::json!({ "status": status, "message": text }).to_string(),
        huge: ("{\"message\":\"", "\"}"),
    };

    const XML_SHAPE: Shape = Shape {
        content_type: "text/xml; charset=UTF-8",
        xml: true,
        error: |_, text| format!("<result><message>{text}</message></result>"),
        huge: ("<result><message>", "</message></result>"),
    };

    fn request() -> Parts {
        axum::http::Request::post("/api/jobs?key=q-secret")
            .header("authorization", "Token h-secret")
            .body(())
            .unwrap()
            .into_parts()
            .0
    }

    fn front(fault: &Fault) -> Option<Response> {
        fault.front_answer(&JSON_SHAPE, &request(), b"")
    }

    async fn text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn generated_bodies_are_well_formed_and_exactly_sized() {
        let huge = Fault::Huge { bytes: 200_000 };
        let body = text(front(&huge).unwrap()).await;
        assert_eq!(body.len(), 200_000);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["message"].as_str().unwrap().len(), 200_000 - 14);
        let xml = text(huge.front_answer(&XML_SHAPE, &request(), b"").unwrap()).await;
        assert_eq!(xml.len(), 200_000);
        assert!(xml.starts_with("<result><message>xxx") && xml.ends_with("xxx</message></result>"));
        // Shorter than its frame: the frame alone.
        assert_eq!(
            text(front(&Fault::Huge { bytes: 3 }).unwrap()).await,
            "{\"message\":\"\"}"
        );

        assert_eq!(
            text(front(&Fault::Nested { depth: 3 }).unwrap()).await,
            "{\"data\":{\"data\":{}}}\n"
        );
        assert_eq!(
            text(front(&Fault::Nested { depth: 0 }).unwrap()).await,
            "{}\n"
        );
        let nested = Fault::Nested { depth: 2 };
        assert_eq!(
            text(nested.front_answer(&XML_SHAPE, &request(), b"").unwrap()).await,
            "<result><data></data></result>\n"
        );
        let deep = text(front(&Fault::Nested { depth: 100_000 }).unwrap()).await;
        assert_eq!(deep.len(), 2 + 99_999 * 9 + 1);
    }

    #[tokio::test]
    async fn echo_repeats_the_whole_request_in_the_vendor_shape() {
        let echo = Fault::Echo { status: 401 };
        let response = echo
            .front_answer(&JSON_SHAPE, &request(), b"password=b-secret")
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let value: serde_json::Value = serde_json::from_str(&text(response).await).unwrap();
        let message = value["message"].as_str().unwrap();
        for secret in ["q-secret", "h-secret", "b-secret", "POST /api/jobs"] {
            assert!(message.contains(secret), "{message}");
        }
    }

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
        let response = front(&reply).unwrap();
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
        let response = front(&typed).unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        assert!(front(&Fault::Drop).is_none());
        assert!(front(&Fault::Delay(Duration::ZERO)).is_none());
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
