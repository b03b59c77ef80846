//! Typed inputs of the schedule operations, checked before anything is sent.

use std::{fmt, num::NonZeroU32, str::FromStr};

use adobe_query_api::types;

use crate::Error;

/// A scheduled query's id: non-empty, printable, without `/` or spaces.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScheduleId(pub(crate) String);

impl FromStr for ScheduleId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = "a scheduled query's id as Adobe returns it: printable, without / or \
                        spaces, not . or ..";
        crate::ids::text_id("schedule id", s, 512, false, expected).map(Self)
    }
}

impl fmt::Display for ScheduleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A run's id: non-empty and printable. Adobe's run ids are Base64 (of
/// `manual__<time>`), so `=`, `+` and `/` are allowed; `/` goes out percent-encoded.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub(crate) String);

impl FromStr for RunId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = "a run id as Adobe returns it, such as bWFudWFsX18yMDI0LTAxLTAxVDAwOjAwOjAw \
                        (Base64: no `:`)";
        // A `:` would make `adobe:run:<schedule>:<run>` parse back differently.
        if s.contains(':') {
            return Err(Error::invalid("run id", s, expected));
        }
        crate::ids::text_id("run id", s, 512, true, expected).map(Self)
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A schedule's cadence: five cron fields (`45 * * * *`) or one of `@once`, `@hourly`,
/// `@daily`, `@weekly`, `@monthly`, `@yearly` (seed 002).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron(String);

impl FromStr for Cron {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let expected = "five cron fields (minute hour day-of-month month day-of-week, such as \
                        '45 * * * *') or @once, @hourly, @daily, @weekly, @monthly, @yearly";
        if matches!(
            text,
            "@once" | "@hourly" | "@daily" | "@weekly" | "@monthly" | "@yearly"
        ) {
            return Ok(Self(text.to_owned()));
        }
        if text.starts_with('@') || text.split_whitespace().count() != 5 {
            return Err(Error::invalid("cron expression", s, expected));
        }
        croner::parser::CronParser::new()
            .parse(text)
            .map_err(|e| Error::invalid("cron expression", s, format!("{expected} ({e})")))?;
        Ok(Self(text.to_owned()))
    }
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A start or end date as ISO 8601 (`2024-01-01T00:00:00Z`, an offset, or zone-less), sent as
/// written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IsoDate(String);

impl FromStr for IsoDate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = chrono::DateTime::parse_from_rfc3339(s).is_ok()
            || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok();
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::invalid(
                "date",
                s,
                "an ISO 8601 date and time such as 2024-01-31T09:00:00Z",
            ))
        }
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The largest page size jobrun asks for. Adobe documents the default (20) but no maximum.
pub const MAX_LIMIT: u32 = 1000;

/// Parses a page size, 1 to [`MAX_LIMIT`].
pub fn parse_limit(text: &str) -> Result<NonZeroU32, Error> {
    text.trim()
        .parse::<NonZeroU32>()
        .ok()
        .filter(|n| n.get() <= MAX_LIMIT)
        .ok_or_else(|| Error::invalid("limit", text, format!("a page size from 1 to {MAX_LIMIT}")))
}

/// A list order: `created` or `updated`, ascending (`+`) or descending (`-`, the default
/// direction Adobe uses: `-created`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderBy {
    field: &'static str,
    ascending: bool,
}

impl OrderBy {
    /// Newest first: `-created`.
    pub const NEWEST: Self = Self {
        field: "created",
        ascending: false,
    };
}

impl FromStr for OrderBy {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (ascending, rest) = match s.trim() {
            t if t.starts_with('+') => (true, &t[1..]),
            t if t.starts_with('-') => (false, &t[1..]),
            t => (true, t),
        };
        let field = match rest {
            "created" => "created",
            "updated" => "updated",
            _ => {
                return Err(Error::invalid(
                    "orderby",
                    s,
                    "created or updated, with + (ascending) or - (descending), such as -created",
                ));
            }
        };
        Ok(Self { field, ascending })
    }
}

impl fmt::Display for OrderBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.ascending { '+' } else { '-' };
        write!(f, "{sign}{}", self.field)
    }
}

/// One `property` filter of a list, built from typed parts (research §3.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// `created>…`
    CreatedAfter(IsoDate),
    /// `created<…`
    CreatedBefore(IsoDate),
    /// `templateId==…` (schedules)
    TemplateId(String),
    /// `userId==…` (schedules)
    UserId(String),
    /// `state==…` (runs)
    State(String),
    /// `state!=…` (runs)
    NotState(String),
    /// `externalTrigger==…` (runs)
    ExternalTrigger(bool),
}

impl Filter {
    /// Whether the filter applies to schedule lists (else to run lists; `created` to both).
    pub fn for_schedules(&self) -> bool {
        !matches!(
            self,
            Self::State(_) | Self::NotState(_) | Self::ExternalTrigger(_)
        )
    }

    /// Whether the filter applies to run lists.
    pub fn for_runs(&self) -> bool {
        !matches!(self, Self::TemplateId(_) | Self::UserId(_))
    }
}

fn plain_value(what: &'static str, text: &str) -> Result<String, Error> {
    if text.is_empty() || text.contains(',') || text.chars().any(char::is_control) {
        return Err(Error::invalid(
            what,
            text,
            "a value without commas (commas separate filters)",
        ));
    }
    Ok(text.to_owned())
}

impl FromStr for Filter {
    type Err = Error;

    /// `created>DATE`, `created<DATE`, `templateId==ID`, `userId==ID`, `state==STATE`,
    /// `state!=STATE`, `externalTrigger==true|false`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let expected = "created>DATE, created<DATE, templateId==ID, userId==ID, state==STATE, \
                        state!=STATE or externalTrigger==true|false";
        let filter = if let Some(d) = s.strip_prefix("created>") {
            Self::CreatedAfter(d.parse()?)
        } else if let Some(d) = s.strip_prefix("created<") {
            Self::CreatedBefore(d.parse()?)
        } else if let Some(v) = s.strip_prefix("templateId==") {
            Self::TemplateId(plain_value("templateId", v)?)
        } else if let Some(v) = s.strip_prefix("userId==") {
            Self::UserId(plain_value("userId", v)?)
        } else if let Some(v) = s.strip_prefix("state==") {
            Self::State(plain_value("state", v)?)
        } else if let Some(v) = s.strip_prefix("state!=") {
            Self::NotState(plain_value("state", v)?)
        } else if let Some(v) = s.strip_prefix("externalTrigger==") {
            match v {
                "true" => Self::ExternalTrigger(true),
                "false" => Self::ExternalTrigger(false),
                _ => return Err(Error::invalid("externalTrigger", v, "true or false")),
            }
        } else {
            return Err(Error::invalid("property filter", s, expected));
        };
        Ok(filter)
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CreatedAfter(d) => write!(f, "created>{d}"),
            Self::CreatedBefore(d) => write!(f, "created<{d}"),
            Self::TemplateId(v) => write!(f, "templateId=={v}"),
            Self::UserId(v) => write!(f, "userId=={v}"),
            Self::State(v) => write!(f, "state=={v}"),
            Self::NotState(v) => write!(f, "state!={v}"),
            Self::ExternalTrigger(v) => write!(f, "externalTrigger=={v}"),
        }
    }
}

/// The `property` parameter: filters joined by commas.
pub(crate) fn property(filters: &[Filter]) -> Option<String> {
    (!filters.is_empty()).then(|| {
        filters
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// A new scheduled query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSchedule {
    /// Its name.
    pub name: String,
    /// The SQL it runs.
    pub sql: String,
    /// `{SANDBOX}:{DATABASE}.{SCHEMA}`.
    pub db_name: String,
    /// Its cadence.
    pub cron: Cron,
    /// When it starts.
    pub start: IsoDate,
    /// When it ends (Adobe's live docs say one must always be given; the spec has it
    /// optional).
    pub end: Option<IsoDate>,
    /// A description.
    pub description: Option<String>,
    /// How many runs may be active at once (Adobe's default: 1).
    pub max_active_runs: Option<NonZeroU32>,
}

/// A list's options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Items per page (Adobe's default: 20); every page is read either way.
    pub limit: Option<NonZeroU32>,
    /// The order (Adobe's default: `-created`).
    pub orderby: Option<OrderBy>,
    /// Filters, joined into `property`.
    pub filters: Vec<Filter>,
}

pub(super) fn api_schedule(id: &ScheduleId) -> Result<types::ScheduleId, Error> {
    types::ScheduleId::try_from(id.0.as_str())
        .map_err(|e| Error::invalid("schedule id", id.0.clone(), e.to_string()))
}

pub(super) fn api_run(id: &RunId) -> Result<types::RunId, Error> {
    types::RunId::try_from(id.0.as_str())
        .map_err(|e| Error::invalid("run id", id.0.clone(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_crons_dates_and_orders_are_checked() {
        assert!("sched_1-a".parse::<ScheduleId>().is_ok());
        for bad in ["", "a/b", "a b"] {
            assert!(bad.parse::<ScheduleId>().is_err(), "{bad:?}");
        }
        assert!(
            "bWFudWFsX18yMDI0LTAxLTAxVDAwOjAwOjAw+/=="
                .parse::<RunId>()
                .is_ok()
        );
        assert!("a b".parse::<RunId>().is_err());
        for ok in [
            "45 * * * *",
            "0 0 1 * *",
            "@once",
            "@daily",
            "*/5 9-17 * * 1-5",
        ] {
            assert!(ok.parse::<Cron>().is_ok(), "{ok}");
        }
        for bad in ["* * * *", "61 * * * *", "@every-minute", "0 0 0 * * *", ""] {
            let err = bad.parse::<Cron>().expect_err(bad).to_string();
            assert!(err.contains("five cron fields"), "{err}");
        }
        for ok in [
            "2024-01-31T09:00:00Z",
            "2024-01-31T09:00:00+09:00",
            "2024-01-31T09:00:00",
        ] {
            assert!(ok.parse::<IsoDate>().is_ok(), "{ok}");
        }
        for bad in ["2024-02-30T00:00:00Z", "tomorrow", "2024-01-31"] {
            assert!(bad.parse::<IsoDate>().is_err(), "{bad}");
        }
        assert_eq!(
            "+created".parse::<OrderBy>().expect("valid").to_string(),
            "+created"
        );
        assert_eq!(
            "updated".parse::<OrderBy>().expect("valid").to_string(),
            "+updated"
        );
        assert!("-name".parse::<OrderBy>().is_err());
        assert!(parse_limit("0").is_err() && parse_limit("1001").is_err());
        assert_eq!(parse_limit("20").map(NonZeroU32::get).ok(), Some(20));
    }

    #[test]
    fn filters_parse_print_and_join() {
        let filters: Vec<Filter> = [
            "externalTrigger==true",
            "state==SUCCESS",
            "created>2024-01-01T00:00:00Z",
        ]
        .iter()
        .map(|t| t.parse().expect("valid"))
        .collect();
        assert_eq!(
            property(&filters).as_deref(),
            Some("externalTrigger==true,state==SUCCESS,created>2024-01-01T00:00:00Z")
        );
        assert!(!filters[0].for_schedules() && filters[2].for_schedules());
        for bad in [
            "state=SUCCESS",
            "userId==a,b",
            "externalTrigger==yes",
            "created>soon",
        ] {
            assert!(bad.parse::<Filter>().is_err(), "{bad}");
        }
        assert_eq!(property(&[]), None);
    }
}
