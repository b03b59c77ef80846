//! The XML the simulator answers with, success and error, laid out like the seed's samples:
//! no XML declaration, one element a line, indented with tabs, and empty elements written
//! `<checkPointStatus></checkPointStatus>`.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Asia::Tokyo;

use super::request::{Status, Stored, View};

/// The `Content-Type` of every answer (inferred: the seed shows bodies, not headers).
pub(crate) const CONTENT_TYPE_XML: &str = "text/xml; charset=UTF-8";

/// Error codes of the seed's error tables.
pub(crate) const BAD_REQUEST: u16 = 2000;
pub(crate) const FORBIDDEN: u16 = 2001;
pub(crate) const NOT_FOUND: u16 = 2002;

/// Echoed client input is cut to this many characters, so a huge parameter cannot make a
/// huge error body.
const ECHO_LIMIT: usize = 100;

/// Every error the simulator answers by itself (9000 only comes from an injected fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 2000: the path is served, but with the other method.
    WrongMethod {
        path: &'static str,
        method: &'static str,
    },
    /// 2000: a required parameter is absent or empty.
    Missing(&'static str),
    /// 2000: `status` is not `running`, `success` or `error`.
    BadStatus(String),
    /// 2000: `date` is not a `YYYYMMDD` calendar date.
    BadDate(String),
    /// 2000: `page` or `size` is not a whole number from 1.
    BadNumber(&'static str, String),
    /// 2000: the body could not be read (over 1 MiB).
    BodyTooLarge,
    /// 2001: no `X-Fs-SessionId` header.
    NoSession,
    /// 2001: the session is unknown, logged out or expired.
    SessionInvalid,
    /// 2001: login with an unknown user or a wrong password.
    LoginFailed,
    /// 2001: the enterprise license is missing.
    NoLicense,
    /// 2002: no such `/api/{module}/{function}`.
    UnknownApi(String),
    /// 2002: no request with this id (on this date).
    RequestNotFound(String),
    /// 2002: rerun of a request whose status is not `error`.
    NotInError(String, Status),
}

impl Refusal {
    fn code(&self) -> u16 {
        match self {
            Refusal::WrongMethod { .. }
            | Refusal::Missing(_)
            | Refusal::BadStatus(_)
            | Refusal::BadDate(_)
            | Refusal::BadNumber(..)
            | Refusal::BodyTooLarge => BAD_REQUEST,
            Refusal::NoSession
            | Refusal::SessionInvalid
            | Refusal::LoginFailed
            | Refusal::NoLicense => FORBIDDEN,
            Refusal::UnknownApi(_) | Refusal::RequestNotFound(_) | Refusal::NotInError(..) => {
                NOT_FOUND
            }
        }
    }

    /// The `errorMessage` (the simulator's own wording; the vendor's is not documented).
    pub(crate) fn message(&self) -> String {
        match self {
            Refusal::WrongMethod { path, method } => format!("{path} takes {method}."),
            Refusal::Missing(name) => format!("Required parameter is missing: {name}."),
            Refusal::BadStatus(value) => format!(
                "Invalid status: \"{}\" (running, success or error).",
                echo(value)
            ),
            Refusal::BadDate(value) => {
                format!("Invalid date: \"{}\" (YYYYMMDD).", echo(value))
            }
            Refusal::BadNumber(name, value) => format!(
                "Invalid {name}: \"{}\" (a whole number from 1).",
                echo(value)
            ),
            Refusal::BodyTooLarge => "The request body is too large.".to_owned(),
            Refusal::NoSession => "Not logged in: no X-Fs-SessionId header.".to_owned(),
            Refusal::SessionInvalid => {
                "Not logged in: the session is unknown or has expired.".to_owned()
            }
            Refusal::LoginFailed => "Login failed: wrong userName or password.".to_owned(),
            Refusal::NoLicense => "Checkpoints need an enterprise license.".to_owned(),
            Refusal::UnknownApi(path) => format!("No such API: {}.", echo(path)),
            Refusal::RequestNotFound(id) => format!("Request not found: {}.", echo(id)),
            Refusal::NotInError(id, status) => format!(
                "Request is not in error: {} is {}.",
                echo(id),
                status.as_str()
            ),
        }
    }
}

/// HTTP status of an error code, as the seed's tables pair them; unknown codes are 500.
fn http_status(code: u16) -> StatusCode {
    match code {
        BAD_REQUEST => StatusCode::BAD_REQUEST,
        FORBIDDEN => StatusCode::FORBIDDEN,
        NOT_FOUND => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn echo(value: &str) -> String {
    match value.char_indices().nth(ECHO_LIMIT) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.answer(&Wording::default())
    }
}

impl Refusal {
    /// The error answer, with the element names of `wording`.
    pub(crate) fn answer(&self, wording: &Wording) -> Response {
        let code = self.code();
        let (code_name, message_name) = &wording.error_elements;
        let mut out = String::from("<result>\n");
        element(&mut out, 1, "status", "error");
        element(&mut out, 1, code_name, &code.to_string());
        element(&mut out, 1, message_name, &self.message());
        out.push_str("</result>\n");
        xml(http_status(code), out)
    }
}

/// Words a configuration may change in the answers, to test a client against a server
/// that does not say what the seed (or this simulator's reading of it) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wording {
    /// The names of the `errorCode` and `errorMessage` elements of error answers.
    pub(crate) error_elements: (String, String),
    /// `status` values shown in place of documented ones, as (documented, shown).
    pub(crate) statuses: Vec<(String, String)>,
}

impl Default for Wording {
    fn default() -> Self {
        Self {
            error_elements: ("errorCode".to_owned(), "errorMessage".to_owned()),
            statuses: Vec::new(),
        }
    }
}

impl Wording {
    /// What a request's `status` reads as: `documented`, unless the configuration renamed it.
    fn status<'a>(&'a self, documented: &'a str) -> &'a str {
        self.statuses
            .iter()
            .find(|(from, _)| from == documented)
            .map_or(documented, |(_, shown)| shown.as_str())
    }
}

/// `<result><status>error</status><errorCode>…</errorCode><errorMessage>…</errorMessage>
/// </result>`, laid out like every other answer.
pub fn error_body(error_code: u16, message: &str) -> String {
    let mut out = String::from("<result>\n");
    element(&mut out, 1, "status", "error");
    element(&mut out, 1, "errorCode", &error_code.to_string());
    element(&mut out, 1, "errorMessage", message);
    out.push_str("</result>\n");
    out
}

/// `2012-10-05T18:07:04 JST`.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Tokyo)
        .format("%Y-%m-%dT%H:%M:%S JST")
        .to_string()
}

fn optional_time(at: Option<DateTime<Utc>>) -> String {
    at.map(time).unwrap_or_default()
}

/// Which fields a `<request>` carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// `list`: requestId, status, project, flow, owner, startTime, checkPointStatus, endTime.
    Summary,
    /// `show`: the above plus executeUser, restartTime, checkPointRestartStatus.
    Full,
}

/// The success answer of `list` (`rows` may be empty: `<data/>`) or `show` (one row).
pub(crate) fn requests(rows: &[(&Stored, View)], detail: Detail, wording: &Wording) -> Response {
    let mut out = opening();
    if rows.is_empty() {
        out.push_str("\t<data/>\n");
    } else {
        out.push_str("\t<data>\n");
        for (stored, view) in rows {
            request(&mut out, stored, view, detail, wording);
        }
        out.push_str("\t</data>\n");
    }
    out.push_str("</result>\n");
    xml(StatusCode::OK, out)
}

fn request(out: &mut String, stored: &Stored, view: &View, detail: Detail, wording: &Wording) {
    let spec = &stored.spec;
    out.push_str("\t\t<request>\n");
    element(out, 3, "requestId", &spec.request_id);
    element(out, 3, "status", wording.status(view.status.as_str()));
    element(out, 3, "project", &spec.project);
    element(out, 3, "flow", &spec.flow);
    element(out, 3, "owner", &spec.owner);
    if detail == Detail::Full {
        element(out, 3, "executeUser", &spec.execute_user);
    }
    element(out, 3, "startTime", &time(stored.start));
    element(out, 3, "checkPointStatus", &view.checkpoint);
    element(out, 3, "endTime", &optional_time(view.end));
    if detail == Detail::Full {
        element(out, 3, "restartTime", &optional_time(view.restart));
        element(out, 3, "checkPointRestartStatus", &view.restart_checkpoint);
    }
    out.push_str("\t\t</request>\n");
}

/// `<data>` holding a single element, the shape of the login and rerun answers.
pub(crate) fn single(name: &str, value: &str) -> Response {
    let mut out = opening();
    out.push_str("\t<data>\n");
    element(&mut out, 2, name, value);
    out.push_str("\t</data>\n</result>\n");
    xml(StatusCode::OK, out)
}

/// `<data/>`: the logout answer.
pub(crate) fn empty() -> Response {
    let mut out = opening();
    out.push_str("\t<data/>\n</result>\n");
    xml(StatusCode::OK, out)
}

fn opening() -> String {
    let mut out = String::from("<result>\n");
    element(&mut out, 1, "status", "success");
    out
}

fn element(out: &mut String, depth: usize, name: &str, value: &str) {
    for _ in 0..depth {
        out.push('\t');
    }
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, value);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// Escapes text content: `&`, `<` and `>` (quotes need no escaping outside attributes, and
/// messages that quote a value stay readable). Characters XML 1.0 forbids (most C0 controls)
/// cannot be written at all, so they become U+FFFD rather than making the whole answer
/// unparsable.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if u32::from(c) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push('\u{FFFD}');
            }
            c => out.push(c),
        }
    }
}

fn xml(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_XML));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> (u16, String, String) {
        let status = response.status().as_u16();
        let content_type = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            content_type,
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn error_answers() {
        let (status, content_type, text) = body(Refusal::NoSession.into_response()).await;
        assert_eq!((status, content_type.as_str()), (403, CONTENT_TYPE_XML));
        assert_eq!(
            text,
            "<result>\n\t<status>error</status>\n\t<errorCode>2001</errorCode>\n\
             \t<errorMessage>Not logged in: no X-Fs-SessionId header.</errorMessage>\n</result>\n"
        );
        let (status, _, text) =
            body(Refusal::RequestNotFound("<a&b>".into()).into_response()).await;
        assert_eq!(status, 404);
        assert!(
            text.contains("Request not found: &lt;a&amp;b&gt;."),
            "{text}"
        );
        assert_eq!(body(Refusal::Missing("date").into_response()).await.0, 400);
        assert_eq!(http_status(9000), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn echoes_are_short_and_controls_are_replaced() {
        let long = "x".repeat(500);
        let message = Refusal::BadDate(long).message();
        assert!(message.len() < 150, "{message}");
        let mut out = String::new();
        escape_into(&mut out, "a\u{1}b\"'\t<&>");
        assert_eq!(out, "a\u{FFFD}b\"'\t&lt;&amp;&gt;");
    }

    #[tokio::test]
    async fn success_answers() {
        assert_eq!(
            body(single("requestId", "r-1")).await.2,
            "<result>\n\t<status>success</status>\n\t<data>\n\t\t<requestId>r-1</requestId>\n\t</data>\n</result>\n"
        );
        assert_eq!(
            body(empty()).await.2,
            "<result>\n\t<status>success</status>\n\t<data/>\n</result>\n"
        );
    }
}
