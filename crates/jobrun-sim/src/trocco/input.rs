//! Reading what a client sent: trigger bodies (JSON or the legacy form encoding), query
//! parameters, list cursors. Everything here answers bad input with an error value, never
//! a panic, and never touches state.

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};

/// trocco's request datetime format (`2019-11-18 00:00:00`).
const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// Length of a datetime in [`DATETIME_FORMAT`]; chrono alone would accept unpadded fields.
const DATETIME_LEN: usize = "2019-11-18 00:00:00".len();
/// The documented default of every `time_zone` parameter.
const DEFAULT_TIME_ZONE: Tz = chrono_tz::Asia::Tokyo;

/// `limit` when the client gives none, and the most one page holds (larger values are
/// clamped, not refused, because trocco's documented maxima disagree between sources).
pub(crate) const DEFAULT_LIMIT: usize = 50;
pub(crate) const MAX_LIMIT: usize = 100;

/// Cursors may arrive padded or not; both decode.
const CURSOR_ENGINES: [GeneralPurpose; 2] = [
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    ),
    GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    ),
];

/// One entry of the `errors` array of a validation failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) attribute: &'static str,
    pub(crate) message: String,
}

impl FieldError {
    fn new(attribute: &'static str, message: impl Into<String>) -> Self {
        Self {
            attribute,
            message: message.into(),
        }
    }
}

/// Why a request's input was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// The body could not be read at all (bad JSON, unsupported content type).
    Unreadable(String),
    /// The body or query was readable but some values are wrong.
    Invalid(Vec<FieldError>),
}

/// The validated parameters of a trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TriggerInput {
    /// The requested `context_time`, or `None` to use the request time.
    pub(crate) context_time: Option<DateTime<Utc>>,
}

/// Validates a trigger body. `custom_variables` is only checked where the docs accept it
/// (transfer jobs); elsewhere, like any other unknown field, it is ignored.
pub(crate) fn parse_trigger(
    headers: &HeaderMap,
    body: &[u8],
    accepts_custom_variables: bool,
) -> Result<TriggerInput, Rejection> {
    let fields = body_fields(headers, body)?;
    let mut errors = Vec::new();

    let time_zone = match string_field(&fields, "time_zone", &mut errors) {
        Some(raw) => parse_time_zone(raw)
            .map_err(|message| errors.push(FieldError::new("time_zone", message)))
            .ok(),
        None => Some(DEFAULT_TIME_ZONE),
    };
    let context_time = string_field(&fields, "context_time", &mut errors).and_then(|raw| {
        // Without a valid zone the value cannot be placed; the zone's error already says so.
        let zone = time_zone?;
        parse_local_datetime(raw, zone)
            .map_err(|message| errors.push(FieldError::new("context_time", message)))
            .ok()
    });
    if accepts_custom_variables {
        check_custom_variables(fields.get("custom_variables"), &mut errors);
    }

    if errors.is_empty() {
        Ok(TriggerInput { context_time })
    } else {
        Err(Rejection::Invalid(errors))
    }
}

/// The body as a map of fields, from JSON or from the form encoding of the 2022 docs.
fn body_fields(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, Rejection> {
    // The docs' own curl example for a plain run sends no body at all.
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).to_ascii_lowercase());
    let media_type = content_type
        .as_deref()
        .map(|value| value.split(';').next().unwrap_or_default().trim());
    match media_type {
        Some("application/x-www-form-urlencoded") => Ok(form_fields(body)),
        Some(json) if json == "application/json" || json.ends_with("+json") => json_object(body),
        // A client that forgot the header most likely still sent JSON.
        None | Some("") => json_object(body),
        Some(other) => Err(Rejection::Unreadable(format!(
            "Content-Type {other} is not supported; send application/json"
        ))),
    }
}

fn json_object(body: &[u8]) -> Result<Map<String, Value>, Rejection> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Rejection::Unreadable(
            "The request body must be a JSON object".to_owned(),
        )),
        Err(error) => Err(Rejection::Unreadable(format!(
            "The request body is not valid JSON: {error}"
        ))),
    }
}

/// Reads `custom_variables[][name]=…&custom_variables[][value]=…` the way Rails does: a
/// sub-key already present in the last element starts a new element.
fn form_fields(body: &[u8]) -> Map<String, Value> {
    const ARRAY_PREFIX: &str = "custom_variables[][";
    let mut fields = Map::new();
    let mut variables: Vec<Map<String, Value>> = Vec::new();
    for (key, value) in form_urlencoded::parse(body) {
        let value = Value::String(value.into_owned());
        let sub_key = key
            .strip_prefix(ARRAY_PREFIX)
            .and_then(|rest| rest.strip_suffix(']'));
        match sub_key {
            Some(sub_key) => match variables.last_mut() {
                Some(last) if !last.contains_key(sub_key) => {
                    last.insert(sub_key.to_owned(), value);
                }
                _ => {
                    let mut element = Map::new();
                    element.insert(sub_key.to_owned(), value);
                    variables.push(element);
                }
            },
            None => {
                fields.insert(key.into_owned(), value);
            }
        }
    }
    if !variables.is_empty() {
        let elements = variables.into_iter().map(Value::Object).collect();
        fields.insert("custom_variables".to_owned(), Value::Array(elements));
    }
    fields
}

/// A string field; JSON `null` counts as absent, any other non-string is an error.
fn string_field<'a>(
    fields: &'a Map<String, Value>,
    name: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<&'a str> {
    match fields.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(value)) => Some(value),
        Some(_) => {
            errors.push(FieldError::new(name, format!("{name} must be a string")));
            None
        }
    }
}

fn check_custom_variables(value: Option<&Value>, errors: &mut Vec<FieldError>) {
    const ATTRIBUTE: &str = "custom_variables";
    let items = match value {
        None | Some(Value::Null) => return,
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.push(FieldError::new(
                ATTRIBUTE,
                "custom_variables must be an array of {name, value} objects",
            ));
            return;
        }
    };
    for (index, item) in items.iter().enumerate() {
        let Some(item) = item.as_object() else {
            errors.push(FieldError::new(
                ATTRIBUTE,
                format!("custom_variables[{index}] must be an object with name and value"),
            ));
            continue;
        };
        match item.get("name") {
            Some(Value::String(name)) if is_wrapped_in_dollars(name) => {}
            Some(Value::String(name)) => errors.push(FieldError::new(
                ATTRIBUTE,
                format!(
                    "custom_variables[{index}].name {name:?} must be wrapped in $, e.g. $ad_id$"
                ),
            )),
            _ => errors.push(FieldError::new(
                ATTRIBUTE,
                format!("custom_variables[{index}].name must be a string"),
            )),
        }
        if !matches!(item.get("value"), Some(Value::String(_))) {
            errors.push(FieldError::new(
                ATTRIBUTE,
                format!("custom_variables[{index}].value must be a string"),
            ));
        }
    }
}

fn is_wrapped_in_dollars(name: &str) -> bool {
    name.len() >= 3 && name.starts_with('$') && name.ends_with('$')
}

fn parse_time_zone(raw: &str) -> Result<Tz, String> {
    raw.parse::<Tz>()
        .map_err(|_| format!("time_zone {raw:?} is not a known IANA time zone name"))
}

/// A `YYYY-MM-DD HH:MM:SS` wall time in `zone`, as an instant.
fn parse_local_datetime(raw: &str, zone: Tz) -> Result<DateTime<Utc>, String> {
    let naive = (raw.len() == DATETIME_LEN)
        .then(|| NaiveDateTime::parse_from_str(raw, DATETIME_FORMAT).ok())
        .flatten()
        .ok_or_else(|| format!("{raw:?} must be a datetime formatted as YYYY-MM-DD HH:MM:SS"))?;
    // In a repeated hour (end of daylight saving) the earlier reading is as good as any.
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|local| local.with_timezone(&Utc))
        .ok_or_else(|| format!("{raw:?} does not exist in {zone} (skipped by a clock change)"))
}

/// The required integer id `name` from a query string.
pub(crate) fn query_id(query: Option<&str>, name: &'static str) -> Result<i64, Rejection> {
    let raw = last_query_value(query, name).filter(|raw| !raw.is_empty());
    let Some(raw) = raw else {
        return Err(Rejection::Invalid(vec![FieldError::new(
            name,
            format!("{name} is required"),
        )]));
    };
    raw.trim().parse::<i64>().map_err(|_| {
        Rejection::Invalid(vec![FieldError::new(
            name,
            format!("{name} must be an integer, got {raw:?}"),
        )])
    })
}

/// Rails keeps the last of repeated scalar parameters; so does this.
fn last_query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == name)
        .last()
        .map(|(_, value)| value.into_owned())
}

/// The parameters of `GET /api/job_definitions/{id}/jobs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListQuery {
    /// Inclusive bounds on `created_at`.
    pub(crate) start: Option<DateTime<Utc>>,
    pub(crate) end: Option<DateTime<Utc>>,
    pub(crate) limit: usize,
    /// Only jobs with a smaller id (the page continues after this one, newest first).
    pub(crate) before_id: Option<i64>,
}

/// Validates list parameters. Empty values count as absent, since clients often send
/// `cursor=` for a first page.
pub(crate) fn parse_list_query(query: Option<&str>) -> Result<ListQuery, Rejection> {
    let value = |name| last_query_value(query, name).filter(|raw| !raw.is_empty());
    let mut errors = Vec::new();

    let zone = match value("time_zone") {
        Some(raw) => parse_time_zone(&raw)
            .map_err(|message| errors.push(FieldError::new("time_zone", message)))
            .ok(),
        None => Some(DEFAULT_TIME_ZONE),
    };
    let mut bound = |name: &'static str| {
        let raw = value(name)?;
        parse_local_datetime(&raw, zone?)
            .map_err(|message| errors.push(FieldError::new(name, message)))
            .ok()
    };
    let start = bound("start_time");
    let end = bound("end_time");

    let limit = match value("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(limit) => usize::try_from(limit.clamp(1, MAX_LIMIT as i64)).unwrap_or(MAX_LIMIT),
            Err(_) => {
                errors.push(FieldError::new(
                    "limit",
                    format!("limit must be an integer, got {raw:?}"),
                ));
                DEFAULT_LIMIT
            }
        },
    };
    let before_id = value("cursor").and_then(|raw| {
        decode_cursor(&raw)
            .ok_or_else(|| errors.push(FieldError::new("cursor", "cursor is invalid")))
            .ok()
    });

    if errors.is_empty() {
        Ok(ListQuery {
            start,
            end,
            limit,
            before_id,
        })
    } else {
        Err(Rejection::Invalid(errors))
    }
}

/// trocco's cursor format: base64 of `{"id":N}` (its docs show `eyJpZCI6MjF9`).
pub(crate) fn encode_cursor(id: i64) -> String {
    general_purpose::STANDARD.encode(format!("{{\"id\":{id}}}"))
}

fn decode_cursor(raw: &str) -> Option<i64> {
    // A client that forgot to percent-encode `+` sends it as a space.
    let raw = raw.trim().replace(' ', "+");
    let bytes = CURSOR_ENGINES
        .iter()
        .find_map(|engine| engine.decode(&raw).ok())?;
    serde_json::from_slice::<Value>(&bytes)
        .ok()?
        .get("id")?
        .as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        headers
    }

    #[test]
    fn cursor_matches_the_documented_example() {
        assert_eq!(encode_cursor(21), "eyJpZCI6MjF9");
        assert_eq!(decode_cursor("eyJpZCI6MjF9"), Some(21));
        assert_eq!(decode_cursor(&encode_cursor(123)), Some(123));
        assert_eq!(decode_cursor("eyJpZCI6MTIzfQ"), Some(123));
        assert_eq!(decode_cursor("not a cursor"), None);
    }

    #[test]
    fn legacy_form_body_groups_custom_variables() {
        let body = b"context_time=2019-11-18+00%3A00%3A00&custom_variables[][name]=%24a%24&custom_variables[][value]=1&custom_variables[][name]=%24b%24&custom_variables[][value]=2";
        let fields = form_fields(body);
        assert_eq!(
            fields["custom_variables"],
            serde_json::json!([{"name": "$a$", "value": "1"}, {"name": "$b$", "value": "2"}])
        );
        let input =
            parse_trigger(&headers("application/x-www-form-urlencoded"), body, true).unwrap();
        assert_eq!(
            input.context_time.map(|t| t.to_rfc3339()),
            Some("2019-11-17T15:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn context_time_is_read_in_its_time_zone() {
        let body = br#"{"context_time": "2023-05-19 00:00:00", "time_zone": "Etc/UTC"}"#;
        let input = parse_trigger(&headers("application/json"), body, true).unwrap();
        assert_eq!(
            input.context_time.map(|t| t.to_rfc3339()),
            Some("2023-05-19T00:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn bad_values_are_listed_per_attribute() {
        let body = br#"{"context_time": "2023-5-19 0:00:00", "time_zone": "Mars/Olympus",
            "custom_variables": [{"name": "ad_id", "value": 3}]}"#;
        let Err(Rejection::Invalid(errors)) =
            parse_trigger(&headers("application/json"), body, true)
        else {
            panic!("expected a validation failure");
        };
        let attributes: Vec<_> = errors.iter().map(|e| e.attribute).collect();
        assert_eq!(
            attributes,
            ["time_zone", "custom_variables", "custom_variables"]
        );
        let body = br#"{"context_time": "2023-5-19 0:00:00"}"#;
        let Err(Rejection::Invalid(errors)) =
            parse_trigger(&headers("application/json"), body, true)
        else {
            panic!("expected a validation failure");
        };
        assert_eq!(errors[0].attribute, "context_time");
    }

    #[test]
    fn nonexistent_local_time_is_refused() {
        let zone: Tz = "America/New_York".parse().unwrap();
        assert!(parse_local_datetime("2024-03-10 02:30:00", zone).is_err());
        assert!(parse_local_datetime("2024-11-03 01:30:00", zone).is_ok());
    }

    #[test]
    fn list_limit_is_clamped() {
        let limit = |q: &str| parse_list_query(Some(q)).map(|q| q.limit);
        assert_eq!(limit(""), Ok(DEFAULT_LIMIT));
        assert_eq!(limit("limit=1000"), Ok(MAX_LIMIT));
        assert_eq!(limit("limit=0"), Ok(1));
        assert_eq!(limit("limit=7"), Ok(7));
        assert!(limit("limit=seven").is_err());
    }
}
