//! What a run takes, checked before anything is sent: unit and task ids, the app URL, the
//! record handed to the run.

use std::{fmt, num::NonZeroU64, str::FromStr};

use krewdata_api::types;

use crate::Error;

/// An execution unit id (実行単位ID): the last segment of the real-time execution URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub(super) String);

impl FromStr for UnitId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::invalid(
                "krewData execution unit id",
                s,
                "the last part of the unit's real-time execution URL: letters, digits, - or _ \
                 (such as abcdefghijklmn)",
            ))
        }
    }
}

impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A task id (タスクID) a run answered.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub(super) String);

impl FromStr for TaskId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = "the taskId a run answered: printable, without spaces or / (such as \
                        hijklmn8901234)";
        crate::ids::text_id("krewData task id", s, 256, false, expected).map(Self)
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The URL of the krewData app (krewData専用アプリ) the unit is registered in, shaped
/// `https://<domain>.cybozu.com/k/<appId>` (a trailing slash allowed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppUrl(String);

impl FromStr for AppUrl {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            Error::invalid(
                "krewData app URL",
                s,
                "the URL of the krewData app holding the unit, https://<domain>.cybozu.com/k/<app id> \
                 (such as https://yourdomain.cybozu.com/k/123)",
            )
        };
        let url = url::Url::parse(s.trim()).map_err(|_| invalid())?;
        let app = url
            .path()
            .strip_prefix("/k/")
            .map(|rest| rest.strip_suffix('/').unwrap_or(rest));
        let shaped = url.scheme() == "https"
            && url.host_str().is_some_and(|h| h.contains('.'))
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
            && app.is_some_and(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()));
        if shaped {
            // As the URL parser spells it: `https:/x.cybozu.com/k/1` is repaired, and the
            // repaired URL is what krewData must be sent.
            Ok(Self(url.as_str().to_owned()))
        } else {
            Err(invalid())
        }
    }
}

impl fmt::Display for AppUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A kintone record handed to a run as its parameters: field code → `{type, value}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Record(pub(super) types::KintoneRecord);

impl Default for Record {
    fn default() -> Self {
        Self(types::KintoneRecord(Default::default()))
    }
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a field; `kind` is the kintone field type (`SINGLE_LINE_TEXT`,
    /// `DATE`, `NUMBER`, …).
    pub fn field(
        mut self,
        code: impl Into<String>,
        kind: &str,
        value: impl Into<serde_json::Value>,
    ) -> Result<Self, Error> {
        let code = code.into();
        if code.trim().is_empty() {
            return Err(Error::invalid(
                "kintone field code",
                code,
                "a non-empty field code",
            ));
        }
        if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            return Err(Error::invalid(
                "kintone field type",
                kind,
                "a kintone field type in capitals, such as SINGLE_LINE_TEXT, NUMBER or DATE",
            ));
        }
        self.0.0.insert(
            code,
            types::KintoneField {
                type_: Some(kind.to_owned()),
                value: value.into(),
            },
        );
        Ok(self)
    }

    /// Parses `CODE=TYPE:VALUE` (e.g. `入荷日=DATE:2020-11-01`); the value is sent as text.
    pub fn parse_field(self, text: &str) -> Result<Self, Error> {
        let parsed = text
            .split_once('=')
            .and_then(|(code, rest)| Some((code, rest.split_once(':')?)));
        match parsed {
            Some((code, (kind, value))) => self.field(code, kind, value),
            None => Err(Error::invalid(
                "kintone field",
                text,
                "CODE=TYPE:VALUE, such as 入荷日=DATE:2020-11-01",
            )),
        }
    }

    /// Reads a record as kintone writes it: `{"code": {"type": …, "value": …}, …}`, or the
    /// answer of kintone's record API `{"record": {…}}`.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let expected = "a kintone record: an object of field code → {\"type\": …, \"value\": …}";
        let shorten = |t: &str| t.chars().take(80).collect::<String>();
        let mut value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid("record", shorten(text), format!("{expected} ({e})")))?;
        let wrapped = value
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.get("record"))
            .filter(|inner| inner.is_object() && inner.get("value").is_none())
            .cloned();
        if let Some(inner) = wrapped {
            value = inner;
        }
        serde_json::from_value(value)
            .map(Self)
            .map_err(|e| Error::invalid("record", shorten(text), format!("{expected} ({e})")))
    }

    /// [`Record::from_json`] of a file's contents.
    pub fn from_file(path: &std::path::Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::invalid(
                "record file",
                path.display().to_string(),
                format!("a readable JSON file ({e})"),
            )
        })?;
        Self::from_json(&text)
    }

    /// Whether it has no field.
    pub fn is_empty(&self) -> bool {
        self.0.0.is_empty()
    }
}

/// Everything one run of a unit takes.
#[derive(Clone, Debug, PartialEq)]
pub struct RunUnit {
    pub(super) unit: UnitId,
    pub(super) app_id: NonZeroU64,
    pub(super) user: Option<String>,
    pub(super) record: Option<Record>,
}

impl RunUnit {
    /// A run of `unit`, called from the kintone app `app_id` (the unit's 呼び出し元アプリ).
    pub fn new(unit: UnitId, app_id: NonZeroU64) -> Self {
        Self {
            unit,
            app_id,
            user: None,
            record: None,
        }
    }

    /// The kintone login name recorded as the run's user (default: the configuration's).
    pub fn user(mut self, login: impl Into<String>) -> Self {
        self.user = Some(login.into());
        self
    }

    /// The record the flows read as parameters.
    pub fn record(mut self, record: Record) -> Self {
        self.record = Some(record);
        self
    }

    /// The unit.
    pub fn unit(&self) -> &UnitId {
        &self.unit
    }
}

pub(super) fn api_unit(unit: &UnitId) -> Result<types::UnitId, Error> {
    types::UnitId::try_from(unit.0.as_str())
        .map_err(|e| Error::invalid("krewData execution unit id", unit.0.clone(), e.to_string()))
}
