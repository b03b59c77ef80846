// generated from specs/asteria-warp.xsd by `cargo xtask codegen`; do not edit.

//! Answers of the ASTERIA Warp Flow Service API (checkpoint module): every answer, success
//! or error, is one `result` element (research B.0, seed 004).
//!
//! Generated from `specs/asteria-warp.xsd`: [`from_xml`] decodes an answer's body into
//! [`Answer`] (the `<result>` element), [`to_xml`] encodes one. Elements the schema does
//! not declare are skipped. Status-like elements stay text as received; an accessor of the
//! same name reads them as an open enum, whose `Unknown` variant keeps a value the schema
//! does not list.
/// The OpenAPI spec's [`crate::types::RequestStatus`]: the schema lists the same values.
pub use crate::types::RequestStatus;
/// One answer: `status` says whether the call succeeded; a success carries `data`, an error
/// a code and a message.
///
/// Inferred: the error shape (`errorCode`, `errorMessage` beside `status` error, no
/// `data`): the docs give the codes and HTTP statuses but print no error body (research
/// B.2).
///
/// The root of every answer of the API (seed 004: list, show, rerun).
///
/// The root element `<result>`: decode it with [`from_xml`].
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    ::yaserde::YaDeserialize,
    ::yaserde::YaSerialize
)]
#[yaserde(rename = "result")]
pub struct Answer {
    /// Whether the call succeeded (seed 004: success).
    ///
    /// Element `<status>`, required.
    ///
    /// The text as received; [`Self::status()`] reads it as a [`ResultStatus`].
    #[yaserde(rename = "status")]
    pub status: String,
    /// What a successful call answers (seed 004: list, show, rerun).
    ///
    /// Inferred: that it is absent from error answers, and presumably from logout's answer,
    /// which has nothing to report.
    ///
    /// Element `<data>`, optional.
    #[yaserde(rename = "data")]
    pub data: Option<Data>,
    /// The API's error code: 2000 (HTTP 400, a parameter missing or wrong), 2001 (403, not
    /// logged in or no Enterprise licence), 2002 (404, no such request; for rerun also a
    /// request not in error), 9000 (500, the checkpoint information could not be read). Kept as
    /// text: the list of codes is not complete (research B.2).
    ///
    /// Inferred: the element name and its place: the docs list the codes but show no error
    /// body.
    ///
    /// Element `<errorCode>`, optional.
    #[yaserde(rename = "errorCode")]
    pub error_code: Option<String>,
    /// A description of the error, for people.
    ///
    /// Inferred: the element name and its place; the docs show no error message text.
    ///
    /// Element `<errorMessage>`, optional.
    #[yaserde(rename = "errorMessage")]
    pub error_message: Option<String>,
}
impl Answer {
    /// `<status>` as a [`ResultStatus`]: a value the schema does not list is
    /// `ResultStatus::Unknown` with the text as received.
    pub fn status(&self) -> ResultStatus {
        self.status.parse().unwrap_or_else(|never| match never {})
    }
}
/// The payload of a successful answer: the requests of list (many) and show (one), the
/// requestId of rerun, or the sessionId of login.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    ::yaserde::YaDeserialize,
    ::yaserde::YaSerialize
)]
pub struct Data {
    /// One checkpoint-flow request: list answers one per request of the page (seed 004 shows
    /// two), show answers one.
    ///
    /// Inferred: that a page with no request is an empty `data`; no sample shows one.
    ///
    /// Element `<request>`, any number, in order.
    #[yaserde(rename = "request")]
    pub requests: Vec<Request>,
    /// rerun's answer: the id of the re-run request (seed 004: the id it was given).
    ///
    /// Element `<requestId>`, optional.
    #[yaserde(rename = "requestId")]
    pub request_id: Option<String>,
    /// login's answer: the session id to send as `X-Fs-SessionId` (32 uppercase hex characters
    /// in the docs' examples, research B7). A secret.
    ///
    /// Inferred: the whole login answer: this API's auth page could not be read; the MC API
    /// answers `data/sessionId` (research B.6), and this API is assumed to do the same.
    ///
    /// Element `<sessionId>`, optional.
    #[yaserde(rename = "sessionId")]
    pub session_id: Option<String>,
}
/// A checkpoint-flow request (チェックポイントフローのリクエスト), as list and show answer it. Times read
/// like `2012-10-05T18:07:04 JST`: a local time, a space and the server's zone
/// abbreviation, not an ISO offset (research B.5); they stay text here.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    ::yaserde::YaDeserialize,
    ::yaserde::YaSerialize
)]
pub struct Request {
    /// リクエストID, the request's id: what show and rerun take (seed 004: lowercase UUIDs).
    ///
    /// Element `<requestId>`, required.
    #[yaserde(rename = "requestId")]
    pub request_id: String,
    /// The request's state (seed 004: success, error).
    ///
    /// Element `<status>`, required.
    ///
    /// The text as received; [`Self::status()`] reads it as a [`RequestStatus`].
    #[yaserde(rename = "status")]
    pub status: String,
    /// The project name (seed 004: Project1).
    ///
    /// Inferred: that it can be missing: every sample has it; a missing one is tolerated.
    ///
    /// Element `<project>`, optional.
    #[yaserde(rename = "project")]
    pub project: Option<String>,
    /// The flow name (seed 004: Flow1, Flow2).
    ///
    /// Inferred: that it can be missing: every sample has it; a missing one is tolerated.
    ///
    /// Element `<flow>`, optional.
    #[yaserde(rename = "flow")]
    pub flow: Option<String>,
    /// The project owner, `/{domain or user}` (seed 004: /guest).
    ///
    /// Inferred: that it can be missing: every sample has it; a missing one is tolerated.
    ///
    /// Element `<owner>`, optional.
    #[yaserde(rename = "owner")]
    pub owner: Option<String>,
    /// The user the flow runs as; show's sample has it empty, list's samples do not have it.
    ///
    /// Element `<executeUser>`, optional.
    #[yaserde(rename = "executeUser")]
    pub execute_user: Option<String>,
    /// When the request started (seed 004: 2012-10-05T18:07:04 JST).
    ///
    /// Inferred: that it can be missing: every sample has it; a missing one is tolerated.
    ///
    /// Element `<startTime>`, optional.
    #[yaserde(rename = "startTime")]
    pub start_time: Option<String>,
    /// The last checkpoint the request passed, which a rerun resumes from (seed 004:
    /// CheckPoint2; empty for a request that passed none).
    ///
    /// Inferred: that it can be missing: every sample has it, empty or not; a missing one is
    /// tolerated.
    ///
    /// Element `<checkPointStatus>`, optional.
    #[yaserde(rename = "checkPointStatus")]
    pub check_point_status: Option<String>,
    /// When the request ended (seed 004: 2012-10-05T20:47:12 JST).
    ///
    /// Inferred: that it can be missing: the samples show only ended requests; a running one
    /// presumably has no end time, or an empty one.
    ///
    /// Element `<endTime>`, optional.
    #[yaserde(rename = "endTime")]
    pub end_time: Option<String>,
    /// When the request was last re-run; show's sample has it, list's samples do not.
    ///
    /// Element `<restartTime>`, optional.
    #[yaserde(rename = "restartTime")]
    pub restart_time: Option<String>,
    /// The checkpoint the last re-run resumed from (seed 004: CheckPoint1); show's sample has
    /// it, list's samples do not.
    ///
    /// Element `<checkPointRestartStatus>`, optional.
    #[yaserde(rename = "checkPointRestartStatus")]
    pub check_point_restart_status: Option<String>,
}
impl Request {
    /// `<status>` as a [`RequestStatus`]: a value the schema does not list is
    /// `RequestStatus::Unknown` with the text as received.
    pub fn status(&self) -> RequestStatus {
        self.status.parse().unwrap_or_else(|never| match never {})
    }
}
/** Whether a call succeeded (`result/status`).

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResultStatus {
    /// `success`: The call succeeded (seed 004).
    Success,
    /// `error`: Inferred: the call failed and the answer carries an error code; no doc prints an error body (research B.2).
    Error,
    /// A value this client does not know, as received.
    Unknown(::std::string::String),
}
impl ResultStatus {
    /// Every value the spec lists, in the spec's order.
    pub const KNOWN: &'static [&'static str] = &["success", "error"];
    /// The value as it goes on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Success => "success",
            Self::Error => "error",
            Self::Unknown(other) => other.as_str(),
        }
    }
    /// Whether the spec lists this value.
    pub fn is_known(&self) -> bool {
        !matches!(self, Self::Unknown(_))
    }
}
impl ::std::fmt::Display for ResultStatus {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::std::str::FromStr for ResultStatus {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(
            match value {
                "success" => Self::Success,
                "error" => Self::Error,
                other => Self::Unknown(other.to_owned()),
            },
        )
    }
}
impl ::serde::Serialize for ResultStatus {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for ResultStatus {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        let text = <::std::string::String as ::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        Ok(
            match text.parse() {
                Ok(value) => value,
                Err(never) => match never {}
            },
        )
    }
}
/// The deepest element nesting [`from_xml`] reads; the schema's documents nest a few
/// levels, so a deeper answer is not one of them.
pub const MAX_DEPTH: usize = 32;
/// Whether elements open more than `limit` deep. One pass: the scan jumps from each
/// tag's `<` to its `>`, so no byte is looked at twice; comments and CDATA are counted
/// loosely, which can only make a document look deeper, never shallower.
fn too_deep(bytes: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let tag = &bytes[i + offset + 1..];
        let Some(end) = tag.iter().position(|&b| b == b'>') else {
            return false;
        };
        match tag.first() {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b'?' | b'!') => {}
            _ if end > 0 && tag[end - 1] == b'/' => {}
            _ => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
        }
        i += offset + 1 + end + 1;
    }
    false
}
/// Decodes an answer's body: the `<result>` element, with or without an XML declaration.
///
/// Elements the schema does not declare are skipped. Malformed or truncated XML, another
/// root element, content after it or a missing required element is an error that says what;
/// nothing panics. An answer nesting deeper than [`MAX_DEPTH`] is refused before it is
/// read: the XML reader's cost grows with the square of the depth.
pub fn from_xml(text: &str) -> ::std::result::Result<Answer, ::std::string::String> {
    if too_deep(text.as_bytes(), MAX_DEPTH) {
        return Err(format!("elements nest deeper than {MAX_DEPTH} levels"));
    }
    let mut reader = ::yaserde::de::Deserializer::new_from_reader(text.as_bytes());
    match reader.peek().map_err(|e| e.to_string())? {
        ::yaserde::__xml::reader::XmlEvent::StartElement { name, .. } => {
            if name.local_name != "result" {
                return Err(
                    format!("the root element is <{}>, not <result>", name.local_name),
                );
            }
        }
        other => return Err(format!("expected the <result> element, found {:?}", other)),
    }
    let answer = <Answer as ::yaserde::YaDeserialize>::deserialize(&mut reader)
        .map_err(|e| e.to_string())?;
    let mut event = reader.next_event().map_err(|e| e.to_string())?;
    if matches!(
        & event, ::yaserde::__xml::reader::XmlEvent::EndElement { name } if name
        .local_name == "result"
    ) {
        event = reader.next_event().map_err(|e| e.to_string())?;
    }
    match event {
        ::yaserde::__xml::reader::XmlEvent::EndDocument => Ok(answer),
        other => Err(format!("content after </result>: {:?}", other)),
    }
}
/// Encodes an answer as the vendor's samples show it: no XML declaration, one element per
/// line, indented with tabs. Empty text stays an empty element, not an absent one.
pub fn to_xml(
    answer: &Answer,
) -> ::std::result::Result<::std::string::String, ::std::string::String> {
    let config = ::yaserde::ser::Config {
        perform_indent: true,
        write_document_declaration: false,
        indent_string: Some("\t".to_owned()),
    };
    ::yaserde::ser::to_string_with_config(answer, &config).map_err(|e| e.to_string())
}
