//! Reading what a client sent: the three JSON bodies, field by field, in the order seed 003
//! lists the fields. Bad input becomes the documented [`Refusal`], never a panic, and
//! nothing here touches state.

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

use super::answer::{Api, Refusal};

/// Browsers' `btoa` and Node's `Buffer` pad; other encoders may not, and both decode the
/// same serial, so padding is optional (inferred).
const SERIAL_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A `token` body that passed every syntactic check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenRequest {
    pub(crate) app_url: AppUrl,
    /// The decoded serial number, bytes as sent.
    pub(crate) serial: Vec<u8>,
}

/// A `run` body that passed every syntactic check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunRequest {
    pub(crate) access_token: String,
    pub(crate) app_id: AppId,
}

/// A `status` body that passed every syntactic check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusRequest {
    pub(crate) access_token: String,
    pub(crate) task_id: String,
}

/// `https://host/k/<digits>(/)`, the shape the format error row asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppUrl {
    host: String,
    app: String,
}

impl AppUrl {
    /// Parses the documented shape; the scheme is `https` in any letter case, the host
    /// letters, digits, `-`, `.` and an optional `:port`.
    pub(crate) fn parse(raw: &str) -> Option<Self> {
        let scheme = raw.get(..8)?;
        if !scheme.eq_ignore_ascii_case("https://") {
            return None;
        }
        let rest = raw.get(8..)?;
        let (host, path) = rest.split_once('/')?;
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'));
        let app = path.strip_prefix("k/")?;
        let app = app.strip_suffix('/').unwrap_or(app);
        let app_ok = !app.is_empty() && app.chars().all(|c| c.is_ascii_digit());
        (host_ok && app_ok).then(|| Self {
            host: host.to_ascii_lowercase(),
            // `/k/0123` and `/k/123` name the same app.
            app: match app.trim_start_matches('0') {
                "" => "0".to_owned(),
                trimmed => trimmed.to_owned(),
            },
        })
    }
}

/// `appId`, documented as "number or string".
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AppId {
    Number(serde_json::Number),
    Text(String),
}

impl Eq for AppId {}

impl AppId {
    /// Whether this names the kintone app `app` (a string must be its decimal digits).
    pub(crate) fn is(&self, app: u64) -> bool {
        match self {
            AppId::Number(number) => number.as_u64() == Some(app),
            AppId::Text(text) => {
                text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<u64>().ok() == Some(app)
            }
        }
    }
}

pub(crate) fn token_request(body: &[u8]) -> Result<TokenRequest, Refusal> {
    let fields = object(body, Api::Token)?;
    let url = required_string(&fields, "krewdataAppUrl")?;
    let app_url = AppUrl::parse(url).ok_or(Refusal::AppUrlFormat)?;
    let serial = required_string(&fields, "serialNumber")?;
    let serial = SERIAL_BASE64
        .decode(serial)
        .map_err(|_| Refusal::SerialNotBase64)?;
    Ok(TokenRequest { app_url, serial })
}

pub(crate) fn run_request(body: &[u8]) -> Result<RunRequest, Refusal> {
    let fields = object(body, Api::Run)?;
    let access_token = required_string(&fields, "accessToken")?.to_owned();
    // Any login name is accepted: the simulator has no kintone users to check it against.
    required_string(&fields, "user")?;
    let app_id = match fields.get("appId") {
        None | Some(Value::Null) => return Err(Refusal::Missing("appId")),
        Some(Value::String(text)) if text.is_empty() => return Err(Refusal::Missing("appId")),
        Some(Value::String(text)) => AppId::Text(text.clone()),
        Some(Value::Number(number)) => AppId::Number(number.clone()),
        Some(_) => return Err(Refusal::WrongType("appId")),
    };
    check_record(fields.get("record"))?;
    Ok(RunRequest {
        access_token,
        app_id,
    })
}

pub(crate) fn status_request(body: &[u8]) -> Result<StatusRequest, Refusal> {
    let fields = object(body, Api::Status)?;
    let access_token = required_string(&fields, "accessToken")?.to_owned();
    let task_id = required_string(&fields, "taskId")?.to_owned();
    Ok(StatusRequest {
        access_token,
        task_id,
    })
}

/// The body as a JSON object. The `Content-Type` header is not looked at (inferred): the
/// vendor sample sends `application/json;charset=UTF-8`, and a body is what it is.
fn object(body: &[u8], api: Api) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        _ => Err(Refusal::BodySchema(api)),
    }
}

/// A required string: absent, `null` and `""` are "empty or cannot be found", any other
/// non-string is the wrong data type.
fn required_string<'a>(
    fields: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, Refusal> {
    match fields.get(name) {
        None | Some(Value::Null) => Err(Refusal::Missing(name)),
        Some(Value::String(text)) if text.is_empty() => Err(Refusal::Missing(name)),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(Refusal::WrongType(name)),
    }
}

/// `record` is optional; present, it must be a kintone record: an object whose every field
/// is an object with a `value` (`type` is usual but not required, since kintone's own REST
/// answers carry it while hand-written records often do not).
fn check_record(record: Option<&Value>) -> Result<(), Refusal> {
    match record {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Object(fields)) => {
            let kintone_shaped = fields
                .values()
                .all(|field| field.as_object().is_some_and(|f| f.contains_key("value")));
            if kintone_shaped {
                Ok(())
            } else {
                Err(Refusal::RecordType)
            }
        }
        Some(_) => Err(Refusal::RecordType),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_url_shapes() {
        let parse = |raw| AppUrl::parse(raw);
        let app = parse("https://example.cybozu.com/k/123").unwrap();
        assert_eq!(
            parse("HTTPS://Example.cybozu.com/k/0123/"),
            Some(app.clone())
        );
        assert!(parse("https://example.cybozu.com:443/k/9").is_some());
        for bad in [
            "http://example.cybozu.com/k/123",
            "https:///k/123",
            "https://example.cybozu.com/k/",
            "https://example.cybozu.com/k/12a",
            "https://example.cybozu.com/k/123//",
            "https://example.cybozu.com/k/123?x=1",
            "https://example.cybozu.com/app/123",
            "https://example.cybozu.com",
            "https://ex ample.com/k/1",
            "",
            "https://",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn app_id_matches_numbers_and_digit_strings() {
        assert!(AppId::Text("123".into()).is(123));
        assert!(AppId::Number(123.into()).is(123));
        assert!(!AppId::Text("+123".into()).is(123));
        assert!(!AppId::Text(" 123".into()).is(123));
        assert!(!AppId::Text("abc".into()).is(123));
        let float = serde_json::Number::from_f64(123.5).unwrap();
        assert!(!AppId::Number(float).is(123));
        assert!(!AppId::Number((-1).into()).is(123));
    }

    #[test]
    fn serial_base64_with_or_without_padding() {
        let body = br#"{"krewdataAppUrl": "https://a/k/1", "serialNumber": "YWJj"}"#;
        assert_eq!(token_request(body).unwrap().serial, b"abc");
        let body = br#"{"krewdataAppUrl": "https://a/k/1", "serialNumber": "YWI"}"#;
        assert_eq!(token_request(body).unwrap().serial, b"ab");
        let body = br#"{"krewdataAppUrl": "https://a/k/1", "serialNumber": "YWI="}"#;
        assert_eq!(token_request(body).unwrap().serial, b"ab");
        let body = br#"{"krewdataAppUrl": "https://a/k/1", "serialNumber": "not base64!"}"#;
        assert_eq!(token_request(body), Err(Refusal::SerialNotBase64));
    }

    #[test]
    fn fields_are_checked_in_documented_order() {
        assert_eq!(
            run_request(br#"{"appId": [], "user": 1}"#),
            Err(Refusal::Missing("accessToken"))
        );
        assert_eq!(
            run_request(br#"{"accessToken": "t", "appId": [], "user": 1}"#),
            Err(Refusal::WrongType("user"))
        );
        assert_eq!(
            run_request(br#"{"accessToken": "t", "user": "u", "appId": true}"#),
            Err(Refusal::WrongType("appId"))
        );
        assert_eq!(
            run_request(br#"{"accessToken": "t", "user": "u", "appId": 1, "record": []}"#),
            Err(Refusal::RecordType)
        );
        assert_eq!(
            run_request(
                br#"{"accessToken": "t", "user": "u", "appId": 1, "record": {"a": {"type": "X"}}}"#
            ),
            Err(Refusal::RecordType)
        );
        assert!(
            run_request(br#"{"accessToken": "t", "user": "u", "appId": 1, "record": {"a": {"value": null}}}"#)
                .is_ok()
        );
        assert_eq!(status_request(b"[]"), Err(Refusal::BodySchema(Api::Status)));
        assert_eq!(status_request(b""), Err(Refusal::BodySchema(Api::Status)));
    }
}
