//! What a run and a job list take, checked before anything is sent: context times, time
//! zones, custom variables, run and list inputs.

use std::{
    fmt,
    num::{NonZeroU32, NonZeroU64},
    str::FromStr,
};

use chrono::{NaiveDateTime, TimeZone as _};
use trocco_api::types;

use super::MAX_PAGE_SIZE;
use crate::Error;

/// The wall-clock time queue-time custom variables expand to: `YYYY-MM-DD HH:MM:SS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContextTime(NaiveDateTime);

const LOCAL_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

impl FromStr for ContextTime {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::ids::exact_time(
            "context time",
            s,
            "9999-99-99 99:99:99",
            |s| NaiveDateTime::parse_from_str(s, LOCAL_FORMAT),
            "a real date and time as YYYY-MM-DD HH:MM:SS, such as 2024-01-31 09:00:00",
        )
        .map(Self)
    }
}

impl fmt::Display for ContextTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format(LOCAL_FORMAT))
    }
}

/// An IANA time zone name such as `Asia/Tokyo` or `Etc/UTC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeZoneName(chrono_tz::Tz);

impl TimeZoneName {
    /// trocco's default, Asia/Tokyo.
    pub fn tokyo() -> Self {
        Self(chrono_tz::Asia::Tokyo)
    }

    fn check(self, t: ContextTime) -> Result<(), Error> {
        match self.0.from_local_datetime(&t.0) {
            chrono::LocalResult::None => Err(Error::invalid(
                "context time",
                t.to_string(),
                format!("a time that exists in {self} (this one falls in a daylight-saving gap)"),
            )),
            _ => Ok(()),
        }
    }
}

impl FromStr for TimeZoneName {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<chrono_tz::Tz>().map(Self).map_err(|_| {
            Error::invalid(
                "time zone",
                s,
                "an IANA time zone name such as Asia/Tokyo or Etc/UTC (names are case-sensitive)",
            )
        })
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// A custom variable (カスタム変数) for one run: a `$name$` and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomVariable {
    name: String,
    value: String,
}

impl CustomVariable {
    /// `name` is written as trocco shows it, wrapped in `$` (`$ad_id$`).
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let inner = name
            .strip_prefix('$')
            .and_then(|n| n.strip_suffix('$'))
            .filter(|n| !n.is_empty() && !n.contains('$') && !n.chars().any(char::is_whitespace));
        if inner.is_none() {
            let hint = if name.is_empty() || name == "$" {
                " (if you wrote \"$name$\" in double quotes, the shell expanded it: use single quotes)"
            } else {
                ""
            };
            return Err(Error::invalid(
                "custom variable name",
                name.as_str(),
                format!("a name wrapped in $ without spaces, such as $ad_id${hint}"),
            ));
        }
        Ok(Self {
            name,
            value: value.into(),
        })
    }

    /// Parses `NAME=VALUE`; `NAME` may be given with or without its surrounding `$`.
    pub fn parse_assignment(text: &str) -> Result<Self, Error> {
        let Some((name, value)) = text.split_once('=') else {
            return Err(Error::invalid(
                "custom variable",
                text,
                "NAME=VALUE, such as '$ad_id$=A0000' or ad_id=A0000",
            ));
        };
        let name = name.trim();
        if !name.is_empty() && !name.contains('$') {
            return Self::new(format!("${name}$"), value);
        }
        Self::new(name, value)
    }

    /// The name, with its `$`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// Everything one transfer-job run takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunJob {
    pub(super) definition_id: NonZeroU64,
    context_time: Option<ContextTime>,
    time_zone: Option<TimeZoneName>,
    variables: Vec<CustomVariable>,
}

impl RunJob {
    /// A run of transfer definition (転送設定) `definition_id` with its defaults.
    pub fn new(definition_id: NonZeroU64) -> Self {
        Self {
            definition_id,
            context_time: None,
            time_zone: None,
            variables: Vec::new(),
        }
    }

    /// The time queue-time custom variables expand to (default: when trocco receives the call).
    pub fn context_time(mut self, t: ContextTime) -> Self {
        self.context_time = Some(t);
        self
    }

    /// The zone `context_time` is read in (default Asia/Tokyo).
    pub fn time_zone(mut self, tz: TimeZoneName) -> Self {
        self.time_zone = Some(tz);
        self
    }

    /// Adds a custom variable; a second one with the same name replaces the first.
    pub fn variable(mut self, v: CustomVariable) -> Self {
        self.variables.retain(|old| old.name != v.name);
        self.variables.push(v);
        self
    }

    pub(super) fn body(&self) -> Result<types::RunJobRequest, Error> {
        let (context_time, time_zone) = time_fields(self.context_time, self.time_zone)?;
        Ok(types::RunJobRequest {
            context_time,
            time_zone,
            custom_variables: self
                .variables
                .iter()
                .map(|v| types::CustomVariable {
                    name: v.name.clone(),
                    value: v.value.clone(),
                })
                .collect(),
            manual_resource_enhancement: None,
        })
    }
}

/// Everything one workflow-job run takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunPipeline {
    pub(super) definition_id: NonZeroU64,
    context_time: Option<ContextTime>,
    time_zone: Option<TimeZoneName>,
}

impl RunPipeline {
    /// A run of workflow definition (ワークフロー定義) `definition_id`.
    pub fn new(definition_id: NonZeroU64) -> Self {
        Self {
            definition_id,
            context_time: None,
            time_zone: None,
        }
    }

    /// See [`RunJob::context_time`].
    pub fn context_time(mut self, t: ContextTime) -> Self {
        self.context_time = Some(t);
        self
    }

    /// See [`RunJob::time_zone`].
    pub fn time_zone(mut self, tz: TimeZoneName) -> Self {
        self.time_zone = Some(tz);
        self
    }

    pub(super) fn body(&self) -> Result<types::RunPipelineJobRequest, Error> {
        let (context_time, time_zone) = time_fields(self.context_time, self.time_zone)?;
        Ok(types::RunPipelineJobRequest {
            context_time,
            time_zone,
        })
    }
}

/// The zone goes out whenever a time does, so the request means the same even if trocco's
/// default changes; with neither, trocco's own defaults apply.
fn time_fields(
    t: Option<ContextTime>,
    tz: Option<TimeZoneName>,
) -> Result<(Option<types::LocalDateTime>, Option<types::TimeZone>), Error> {
    let tz = match (t, tz) {
        (Some(_), None) => Some(TimeZoneName::tokyo()),
        (_, tz) => tz,
    };
    let local = match (t, tz) {
        (Some(t), Some(tz)) => {
            tz.check(t)?;
            Some(local_date_time(t)?)
        }
        (Some(t), None) => Some(local_date_time(t)?),
        (None, _) => None,
    };
    Ok((local, tz.map(|tz| types::TimeZone(tz.to_string()))))
}

pub(super) fn local_date_time(t: ContextTime) -> Result<types::LocalDateTime, Error> {
    t.to_string()
        .parse()
        .map_err(|_| Error::invalid("context time", t.to_string(), "YYYY-MM-DD HH:MM:SS"))
}

/// A job list's filters as trocco takes them, once checked.
pub(super) struct JobsQuery {
    pub(super) start: Option<types::LocalDateTime>,
    pub(super) end: Option<types::LocalDateTime>,
    pub(super) time_zone: Option<types::TimeZone>,
}

impl JobsQuery {
    pub(super) fn of(filter: &ListJobs) -> Result<Self, Error> {
        if let Some(size) = filter.page_size.filter(|s| s.get() > MAX_PAGE_SIZE) {
            return Err(Error::invalid("page size", size.to_string(), "1 to 100"));
        }
        let tz = filter.time_zone;
        let times = [filter.start_time, filter.end_time];
        for t in times.into_iter().flatten() {
            tz.unwrap_or_else(TimeZoneName::tokyo).check(t)?;
        }
        let [start, end] = times.map(|t| t.map(local_date_time).transpose());
        Ok(Self {
            start: start?,
            end: end?,
            time_zone: tz.map(|tz| types::TimeZone(tz.to_string())),
        })
    }
}

/// Filters of a job list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListJobs {
    /// Jobs created at or after this time.
    pub start_time: Option<ContextTime>,
    /// Jobs created at or before this time.
    pub end_time: Option<ContextTime>,
    /// The zone of `start_time` and `end_time` (trocco's default: Asia/Tokyo).
    pub time_zone: Option<TimeZoneName>,
    /// Jobs per page, 1 to 100 (trocco's default: 50). All pages are read either way.
    pub page_size: Option<NonZeroU32>,
}
