//! What calls take, checked before anything is sent: request ids, checkpoint dates, list
//! filters.

use std::{fmt, num::NonZeroU32, str::FromStr};

use asteria_warp_api::types;
use chrono::NaiveDate;

use super::RequestStatus;
use crate::Error;

/// A request id (リクエストID): non-empty, printable, without spaces. Not a strict UUID: seed
/// 004's own rerun sample has 13 hex digits in its last group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(String);

impl FromStr for RequestId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = "a request id from list or show: printable, without spaces or / (such \
                        as eedd0d83-ac7a-482d-ae95-aa16c1d87d43)";
        crate::ids::text_id("ASTERIA request id", s, 256, false, expected).map(Self)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A request's start date, written `YYYYMMDD`: a real calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CheckpointDate(NaiveDate);

impl FromStr for CheckpointDate {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::ids::exact_time(
            "date",
            s,
            "99999999",
            |s| NaiveDate::parse_from_str(s, "%Y%m%d"),
            "a real date as YYYYMMDD, such as 20121005",
        )
        .map(Self)
    }
}

impl fmt::Display for CheckpointDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y%m%d"))
    }
}

impl CheckpointDate {
    pub(super) fn api(self) -> Result<types::Date, Error> {
        types::Date::try_from(self.to_string())
            .map_err(|e| Error::invalid("date", self.to_string(), e.to_string()))
    }
}

/// Filters of a request list. Every field is optional; the server's defaults apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Requests that started on this date (the server's today when unset).
    pub date: Option<CheckpointDate>,
    /// The project owner's domain.
    pub domain: Option<String>,
    /// The project owner's user name.
    pub user: Option<String>,
    /// The project.
    pub project: Option<String>,
    /// The flow.
    pub flow: Option<String>,
    /// Only requests in this status (running, success or error).
    pub status: Option<RequestStatus>,
    /// Requests per page (server default 50).
    pub size: Option<NonZeroU32>,
    /// Only this page; all pages when unset.
    pub page: Option<NonZeroU32>,
}

pub(super) fn api_request_id(request: &RequestId) -> Result<types::RequestId, Error> {
    types::RequestId::try_from(request.0.as_str())
        .map_err(|e| Error::invalid("ASTERIA request id", request.0.clone(), e.to_string()))
}
