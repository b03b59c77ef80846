//! Reading what clients send: list parameters (`orderby`, `limit`, `start`, `property`),
//! the create and patch bodies, the cancel body, timestamps and cron expressions.
//!
//! Every function answers `Err(message)` for input a client got wrong; the caller turns it
//! into a 400. Nothing here panics on client input.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value};

/// The page size when `limit` is absent: "Default value: 20" (docs).
pub(super) const DEFAULT_LIMIT: usize = 20;

/// What a list is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Created,
    Updated,
}

/// `orderby`: a field and a direction; the default is `-created`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OrderBy {
    pub(super) field: Field,
    pub(super) descending: bool,
}

impl OrderBy {
    /// `-created`, `+updated`: the form `_page.orderby` and next links carry.
    pub(super) fn label(self) -> String {
        let sign = if self.descending { '-' } else { '+' };
        let field = match self.field {
            Field::Created => "created",
            Field::Updated => "updated",
        };
        format!("{sign}{field}")
    }
}

/// `start`: a timestamp (keyset paging, the spec's reading) or a zero-based offset (the
/// older docs' reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    At(i64),
    Offset(usize),
}

/// A comparison in a `property` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
    Ne,
}

impl Cmp {
    pub(super) fn holds(self, left: i64, right: i64) -> bool {
        match self {
            Cmp::Gt => left > right,
            Cmp::Lt => left < right,
            Cmp::Ge => left >= right,
            Cmp::Le => left <= right,
            Cmp::Eq => left == right,
            Cmp::Ne => left != right,
        }
    }
}

/// One `property` filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Filter {
    Created(Cmp, i64),
    TemplateId(String),
    UserId(String),
    /// `state==X` (`true`) or `state!=X` (`false`); compared ignoring case.
    State(bool, String),
    ExternalTrigger(bool),
}

/// Which list a query is for: the filters each accepts differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListKind {
    Schedules,
    Runs,
}

/// The parameters of `GET /schedules` or `GET /schedules/{id}/runs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ListQuery {
    pub(super) orderby: OrderBy,
    pub(super) limit: usize,
    pub(super) start: Option<Start>,
    /// The `property` parameter as sent, echoed in `_page.property` and next links.
    pub(super) property: Option<String>,
    pub(super) filters: Vec<Filter>,
}

/// Parses a list query string. The first of repeated parameters wins; unknown ones (such as
/// `linkType=next` from the spec's sample link) are ignored.
pub(super) fn list_query(query: Option<&str>, kind: ListKind) -> Result<ListQuery, String> {
    let mut orderby = None;
    let mut limit = None;
    let mut start = None;
    let mut property = None;
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let slot = match key.as_ref() {
            "orderby" => &mut orderby,
            "limit" => &mut limit,
            "start" => &mut start,
            "property" => &mut property,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value.into_owned());
        }
    }
    let orderby = match orderby {
        None => OrderBy {
            field: Field::Created,
            descending: true,
        },
        Some(text) => parse_orderby(&text)?,
    };
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(text) => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => return Err(format!("Invalid limit: \"{text}\" (a whole number from 1)")),
        },
    };
    let start = match start {
        None => None,
        Some(text) if text.trim().is_empty() => None,
        Some(text) => Some(parse_start(&text)?),
    };
    let property = property.filter(|text| !text.trim().is_empty());
    let filters = match &property {
        None => Vec::new(),
        Some(text) => parse_filters(text, kind)?,
    };
    Ok(ListQuery {
        orderby,
        limit,
        start,
        property,
        filters,
    })
}

fn parse_orderby(text: &str) -> Result<OrderBy, String> {
    // An unescaped `+` arrives as a space (the spec warns that it must be sent as `%2B`);
    // taking it for the `+` it was meant to be helps more than refusing it.
    let (descending, field) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (
            false,
            text.strip_prefix(['+', ' '])
                .unwrap_or(text.trim_start_matches(' ')),
        ),
    };
    let field = match field {
        "created" => Field::Created,
        "updated" => Field::Updated,
        _ => {
            return Err(format!(
                "Invalid orderby: \"{text}\" (created or updated, with + or -)"
            ));
        }
    };
    Ok(OrderBy { field, descending })
}

fn parse_start(text: &str) -> Result<Start, String> {
    let trimmed = text.trim();
    // Short digit strings are the older docs' zero-based offset ("start=2 will return a list
    // starting from the third"); epoch milliseconds have at least ten digits.
    if trimmed.len() < 10
        && let Ok(offset) = trimmed.parse::<usize>()
    {
        return Ok(Start::Offset(offset));
    }
    parse_time(trimmed)
        .map(Start::At)
        .ok_or_else(|| format!("Invalid start: \"{text}\" (an ISO 8601 timestamp)"))
}

/// Parses the timestamps the docs describe for `start` and filters: `2020-09-07`,
/// `2022-11-05T08:15:30-05:00`, `2020-01-01T01:01:01Z`, with or without fractions, a time
/// without zone read as UTC; also epoch milliseconds (the docs' schedule `created`).
pub(super) fn parse_time(text: &str) -> Option<i64> {
    // A `+` of an offset sent unescaped in a query string arrives as a space.
    let text = text.trim().replace(' ', "+");
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(&text) {
        return Some(at.timestamp_millis());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(&text, format) {
            return Some(at.and_utc().timestamp_millis());
        }
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc().timestamp_millis())
}

/// The operators, longest first so that `>=` is not read as `>` followed by `=…`.
const OPERATORS: [(&str, Cmp); 6] = [
    ("==", Cmp::Eq),
    ("!=", Cmp::Ne),
    (">=", Cmp::Ge),
    ("<=", Cmp::Le),
    (">", Cmp::Gt),
    ("<", Cmp::Lt),
];

fn parse_filters(text: &str, kind: ListKind) -> Result<Vec<Filter>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| parse_filter(part, kind))
        .collect()
}

fn parse_filter(part: &str, kind: ListKind) -> Result<Filter, String> {
    let invalid = || format!("Invalid property filter: \"{part}\"");
    let (at, operator, cmp) = OPERATORS
        .iter()
        .filter_map(|(operator, cmp)| part.find(operator).map(|at| (at, *operator, *cmp)))
        .min_by_key(|(at, operator, _)| (*at, std::cmp::Reverse(operator.len())))
        .ok_or_else(invalid)?;
    let name = part[..at].trim();
    let value = part[at + operator.len()..].trim();
    if value.is_empty() {
        return Err(invalid());
    }
    let unsupported = || format!("Unsupported property filter: \"{part}\"");
    match (kind, name, cmp) {
        (_, "created", Cmp::Gt | Cmp::Lt | Cmp::Ge | Cmp::Le | Cmp::Eq) => parse_time(value)
            .map(|at| Filter::Created(cmp, at))
            .ok_or_else(|| format!("Invalid timestamp in property filter: \"{part}\"")),
        (ListKind::Schedules, "templateId", Cmp::Eq) => Ok(Filter::TemplateId(value.to_owned())),
        (ListKind::Schedules, "userId", Cmp::Eq) => Ok(Filter::UserId(value.to_owned())),
        (ListKind::Runs, "state", Cmp::Eq | Cmp::Ne) => {
            Ok(Filter::State(cmp == Cmp::Eq, value.to_owned()))
        }
        (ListKind::Runs, "externalTrigger", Cmp::Eq) => match value.to_ascii_lowercase().as_str() {
            "true" => Ok(Filter::ExternalTrigger(true)),
            "false" => Ok(Filter::ExternalTrigger(false)),
            _ => Err(invalid()),
        },
        _ => Err(unsupported()),
    }
}

/// `query` of a schedule: the documented fields, in the docs' order; others are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct QueryDef {
    pub(super) db_name: Option<String>,
    pub(super) sql: Option<String>,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    pub(super) template_id: Option<String>,
    pub(super) query_parameters: Option<Value>,
    pub(super) insert_into_parameters: Option<Value>,
    pub(super) ctas_parameters: Option<Value>,
}

/// The body of `POST /schedules`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NewSchedule {
    pub(super) query: QueryDef,
    pub(super) cron: String,
    pub(super) start_date: String,
    pub(super) end_date: Option<String>,
    pub(super) max_active_runs: u32,
}

fn object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the body must be a JSON object".to_owned()),
        Err(error) => Err(format!("the body is not JSON ({error})")),
    }
}

/// A string field: absent and `null` are `None`, another type is an error.
fn string(map: &Map<String, Value>, key: &str, path: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("{path}.{key} must be a string")),
    }
}

/// An object field: absent and `null` are `None`, another type is an error.
fn nested(map: &Map<String, Value>, key: &str, path: &str) -> Result<Option<Value>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(value.clone())),
        Some(_) => Err(format!("{path}.{key} must be an object")),
    }
}

fn non_empty(value: Option<&String>) -> bool {
    value.is_some_and(|text| !text.trim().is_empty())
}

/// Checks the create body: `query` (with `dbName`, and `sql` or `templateId`) and
/// `schedule` (with a valid `schedule` and a `startDate`) are required.
pub(super) fn new_schedule(body: &[u8]) -> Result<NewSchedule, String> {
    let map = object(body)?;
    let query = match map.get("query") {
        Some(Value::Object(query)) => query,
        Some(_) => return Err("query must be an object".to_owned()),
        None => return Err("query is required".to_owned()),
    };
    let schedule = match map.get("schedule") {
        Some(Value::Object(schedule)) => schedule,
        Some(_) => return Err("schedule must be an object".to_owned()),
        None => return Err("schedule is required".to_owned()),
    };
    let query = QueryDef {
        db_name: string(query, "dbName", "query")?,
        sql: string(query, "sql", "query")?,
        name: string(query, "name", "query")?,
        description: string(query, "description", "query")?,
        template_id: string(query, "templateId", "query")?,
        query_parameters: nested(query, "queryParameters", "query")?,
        insert_into_parameters: nested(query, "insertIntoParameters", "query")?,
        ctas_parameters: nested(query, "ctasParameters", "query")?,
    };
    if !non_empty(query.db_name.as_ref()) {
        return Err("query.dbName is required".to_owned());
    }
    if !non_empty(query.sql.as_ref()) && !non_empty(query.template_id.as_ref()) {
        return Err("query.sql or query.templateId is required".to_owned());
    }
    let cron = string(schedule, "schedule", "schedule")?
        .ok_or_else(|| "schedule.schedule is required".to_owned())?;
    if !valid_cron(&cron) {
        return Err(format!(
            "schedule.schedule is not a cron expression: \"{cron}\""
        ));
    }
    let start_date = string(schedule, "startDate", "schedule")?
        .ok_or_else(|| "schedule.startDate is required".to_owned())?;
    if parse_time(&start_date).is_none() {
        return Err(format!(
            "schedule.startDate is not a timestamp: \"{start_date}\""
        ));
    }
    let end_date = string(schedule, "endDate", "schedule")?;
    if let Some(end) = &end_date
        && parse_time(end).is_none()
    {
        return Err(format!("schedule.endDate is not a timestamp: \"{end}\""));
    }
    let max_active_runs = match schedule.get("maxActiveRuns") {
        None | Some(Value::Null) => 1,
        Some(value) => value
            .as_u64()
            .filter(|n| *n >= 1)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| "schedule.maxActiveRuns must be a whole number from 1".to_owned())?,
    };
    Ok(NewSchedule {
        query,
        cron,
        start_date,
        end_date,
        max_active_runs,
    })
}

/// The cron shorthands the docs list.
const SHORTHANDS: [&str; 6] = [
    "@once", "@hourly", "@daily", "@weekly", "@monthly", "@yearly",
];

/// A documented shorthand, or five to seven fields (Unix cron, or Quartz with seconds and
/// year, which the docs link) of the characters cron fields use. Field ranges are not
/// checked: the simulator never runs schedules on their cadence.
pub(super) fn valid_cron(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with('@') {
        return SHORTHANDS.contains(&text);
    }
    let fields: Vec<&str> = text.split_whitespace().collect();
    (5..=7).contains(&fields.len())
        && fields.iter().all(|field| {
            field
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "*,/-?LW#".contains(c))
        })
}

/// One operation of a schedule PATCH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PatchOp {
    /// `/state` to `enable` (`true`) or `disable` (`false`).
    State(bool),
    /// `/schedule/schedule` to this cron expression.
    Cron(String),
}

/// Checks `{"body":[{"op":"replace","path":…,"value":…}, …]}`; every operation is checked
/// before any is applied.
pub(super) fn patch(body: &[u8]) -> Result<Vec<PatchOp>, String> {
    let map = object(body)?;
    let operations = match map.get("body") {
        Some(Value::Array(operations)) if !operations.is_empty() => operations,
        Some(Value::Array(_)) => return Err("body must hold at least one operation".to_owned()),
        Some(_) => return Err("body must be an array of operations".to_owned()),
        None => return Err("body is required: {\"body\":[{\"op\":\"replace\",…}]}".to_owned()),
    };
    operations
        .iter()
        .map(|operation| {
            let Value::Object(operation) = operation else {
                return Err("each operation must be an object".to_owned());
            };
            let field = |key: &str| string(operation, key, "body[]");
            let op = field("op")?.unwrap_or_default();
            if op != "replace" {
                return Err(format!("Unsupported op: \"{op}\" (replace)"));
            }
            let path = field("path")?.unwrap_or_default();
            let value = field("value")?.unwrap_or_default();
            match path.as_str() {
                "/state" => match value.as_str() {
                    "enable" => Ok(PatchOp::State(true)),
                    "disable" => Ok(PatchOp::State(false)),
                    _ => Err(format!(
                        "Invalid value for /state: \"{value}\" (enable or disable)"
                    )),
                },
                "/schedule/schedule" if valid_cron(&value) => Ok(PatchOp::Cron(value)),
                "/schedule/schedule" => Err(format!(
                    "Invalid value for /schedule/schedule: \"{value}\" (a cron expression)"
                )),
                _ => Err(format!(
                    "Unsupported path: \"{path}\" (/state or /schedule/schedule)"
                )),
            }
        })
        .collect()
}

/// Checks the cancel body `{"op":"cancel"}`.
pub(super) fn cancel(body: &[u8]) -> Result<(), String> {
    let map = object(body)?;
    match string(&map, "op", "body")? {
        Some(op) if op == "cancel" => Ok(()),
        Some(op) => Err(format!("Unsupported op: \"{op}\" (cancel)")),
        None => Err("op is required: {\"op\":\"cancel\"}".to_owned()),
    }
}

/// `2022-01-06T23:42:15.352Z`, the spec's timestamps.
pub(super) fn iso_ms(ms: i64) -> String {
    utc(ms).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

pub(super) fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_query_defaults_and_values() {
        let query = list_query(None, ListKind::Schedules).unwrap();
        assert_eq!(query.orderby.label(), "-created");
        assert_eq!(query.limit, 20);
        assert_eq!(query.start, None);
        let query = list_query(
            Some("orderby=%2Bupdated&limit=2&start=3&property=userId%3D%3Dabc&linkType=next"),
            ListKind::Schedules,
        )
        .unwrap();
        assert_eq!(query.orderby.label(), "+updated");
        assert_eq!(query.limit, 2);
        assert_eq!(query.start, Some(Start::Offset(3)));
        assert_eq!(query.filters, vec![Filter::UserId("abc".into())]);
        // An unescaped plus arrives as a space.
        let query = list_query(Some("orderby=+created"), ListKind::Runs).unwrap();
        assert_eq!(query.orderby.label(), "+created");
        assert_eq!(
            list_query(Some("orderby=created"), ListKind::Runs)
                .unwrap()
                .orderby
                .label(),
            "+created"
        );
        for bad in ["limit=0", "limit=x", "orderby=name", "start=yesterday"] {
            assert!(list_query(Some(bad), ListKind::Runs).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_per_list() {
        let runs = |text| parse_filters(text, ListKind::Runs);
        assert_eq!(
            runs("externalTrigger==true,state==SUCCESS").unwrap(),
            vec![
                Filter::ExternalTrigger(true),
                Filter::State(true, "SUCCESS".into())
            ]
        );
        assert_eq!(
            runs("state!=FAILED").unwrap(),
            vec![Filter::State(false, "FAILED".into())]
        );
        assert_eq!(
            runs("created>=2021-04-05T13:30:00Z").unwrap(),
            vec![Filter::Created(Cmp::Ge, 1_617_629_400_000)]
        );
        assert!(runs("userId==x").is_err());
        assert!(runs("state>x").is_err());
        assert!(runs("created>nope").is_err());
        assert!(runs("nothing").is_err());
        let schedules = |text| parse_filters(text, ListKind::Schedules);
        assert_eq!(
            schedules("templateId==t1").unwrap(),
            vec![Filter::TemplateId("t1".into())]
        );
        assert!(schedules("state==ENABLED").is_err());
        assert!(schedules("userId!=x").is_err());
    }

    #[test]
    fn timestamps() {
        let expected = 1_578_486_600_000; // 2020-01-08T12:30:00Z
        for text in [
            "2020-01-08T12:30:00Z",
            "2020-01-08T12:30:00.000Z",
            "2020-01-08T12:30:00",
            "2020-01-08T07:30:00-05:00",
            "2020-01-08T13:30:00 01:00",
            "1578486600000",
        ] {
            assert_eq!(parse_time(text), Some(expected), "{text}");
        }
        assert_eq!(parse_time("2020-09-07"), Some(1_599_436_800_000));
        assert_eq!(parse_time("soon"), None);
        assert_eq!(iso_ms(expected + 5), "2020-01-08T12:30:00.005Z");
    }

    #[test]
    fn cron_expressions() {
        for good in [
            "30 * * * *",
            "@once",
            "@daily",
            "0 0/5 * * * ?",
            "1 0 0 1 1 *",
        ] {
            assert!(valid_cron(good), "{good}");
        }
        for bad in ["", "@sometimes", "* * *", "30 * * * * * * *", "30 * * * $"] {
            assert!(!valid_cron(bad), "{bad}");
        }
    }

    #[test]
    fn patch_bodies() {
        let ok = |text: &str| patch(text.as_bytes());
        assert_eq!(
            ok(r#"{"body":[{"op":"replace","path":"/state","value":"disable"}]}"#),
            Ok(vec![PatchOp::State(false)])
        );
        assert_eq!(
            ok(r#"{"body":[{"op":"replace","path":"/schedule/schedule","value":"45 * * * *"}]}"#),
            Ok(vec![PatchOp::Cron("45 * * * *".into())])
        );
        for bad in [
            r#"[{"op":"replace","path":"/state","value":"disable"}]"#,
            r#"{"body":[]}"#,
            r#"{"body":[{"op":"add","path":"/state","value":"disable"}]}"#,
            r#"{"body":[{"op":"replace","path":"/state","value":"off"}]}"#,
            r#"{"body":[{"op":"replace","path":"/query/sql","value":"x"}]}"#,
            r#"{"body":[{"op":"replace","path":"/schedule/schedule","value":"soon"}]}"#,
            "{",
        ] {
            assert!(ok(bad).is_err(), "{bad}");
        }
        assert_eq!(cancel(br#"{"op":"cancel"}"#), Ok(()));
        assert!(cancel(br#"{"op":"stop"}"#).is_err());
        assert!(cancel(b"{}").is_err());
    }
}
