// generated from specs/adobe-query.yaml by `cargo xtask codegen`; do not edit.

#![allow(clippy::all, unused_imports, unused_qualifications, unused_mut)]

#[allow(unused_imports)]
pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
#[allow(unused_imports)]
use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
/// Types used as operation parameters and responses.
#[allow(clippy::all)]
pub mod types {
    /**The body of a 202 answer: what was accepted, and the status again. The change happens afterwards; read the schedule or run to see it.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Accepted {
        ///E.g. "Request to patch accepted", "Schedule deleted successfully".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "statusCode",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub status_code: ::std::option::Option<StatusCode>,
    }
    ///When a schedule runs, as the server answers it.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Cadence {
        ///The last time the schedule may run, as written by the server.
        #[serde(
            rename = "endDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub end_date: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///How many runs may go on at once.
        #[serde(
            rename = "maxActiveRuns",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub max_active_runs: ::std::option::Option<i32>,
        ///The cron expression or shorthand (see CadenceRequest).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub schedule: ::std::option::Option<::std::string::String>,
        ///The first time the schedule may run, as written by the server.
        #[serde(
            rename = "startDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub start_date: ::std::option::Option<::jobrun_transport::VendorTime>,
    }
    ///When a new schedule runs.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct CadenceRequest {
        /**The last time the schedule may run. Optional in the official spec; a live docs page says an end date must always be given (research §6 #13).
*/
        #[serde(
            rename = "endDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub end_date: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///How many runs may go on at once (default 1).
        #[serde(
            rename = "maxActiveRuns",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub max_active_runs: ::std::option::Option<::std::num::NonZeroU32>,
        /**A cron expression (e.g. `30 * * * *`, every hour at minute 30) or a shorthand: `@once` (once, at startDate), `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly` (seed 002).
*/
        pub schedule: ::std::string::String,
        ///The first time the schedule may run, e.g. 2020-01-08T12:30:00.000Z.
        #[serde(rename = "startDate")]
        pub start_date: ::jobrun_transport::VendorTime,
    }
    ///The body of cancelScheduledQueryRun: `{"op": "cancel"}`.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct CancelRunRequest {
        pub op: crate::types::CancelOp,
    }
    ///The body of createSchedule.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct CreateScheduleRequest {
        pub query: QueryDefinition,
        pub schedule: CadenceRequest,
    }
    ///Makes the query a CTAS (`CREATE TABLE AS SELECT`) into a new dataset.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct CtasParameters {
        ///The dataset to create.
        #[serde(
            rename = "datasetName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub dataset_name: ::std::option::Option<::std::string::String>,
        ///The new dataset's description.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub description: ::std::option::Option<::std::string::String>,
        ///The schema name of the new dataset.
        #[serde(
            rename = "targetSchemaTitle",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub target_schema_title: ::std::option::Option<::std::string::String>,
    }
    /**The error bodies seen in front of Platform APIs, in one type (read what is there): the gateway's `{"error_code": "403010", "message": "Oauth token is missing."}` and the RFC-7807-like `{"type", "status", "title", "detail"}` (research §8.1). The Query Service's own error bodies are not published; they may be neither, or empty.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ErrorBody {
        ///What went wrong, e.g. "A valid content-type must be specified".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub detail: ::std::option::Option<::std::string::String>,
        ///The gateway's code, digits in a string (e.g. "401013", "429050").
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub error_code: ::std::option::Option<::std::string::String>,
        ///The gateway's message.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        ///The HTTP status (RFC-7807-like body).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub status: ::std::option::Option<i32>,
        ///The problem title, e.g. "BadRequestError".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub title: ::std::option::Option<::std::string::String>,
        ///The problem type (RFC-7807-like body), e.g. "/placeholder/type/uri".
        #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
        pub type_: ::std::option::Option<::std::string::String>,
    }
    /**Whether the run was started by triggerScheduleRun rather than by the cadence: a boolean in the official spec, the string "true" or "false" in the docs (research §6 #1).
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum ExternalTrigger {
        Boolean(bool),
        String(::std::string::String),
    }
    impl ::std::fmt::Display for ExternalTrigger {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                Self::Boolean(x) => x.fmt(f),
                Self::String(x) => x.fmt(f),
            }
        }
    }
    impl ::std::convert::From<bool> for ExternalTrigger {
        fn from(value: bool) -> Self {
            Self::Boolean(value)
        }
    }
    ///A link written as an object.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct Href {
        ///The URL.
        pub href: ::std::string::String,
    }
    ///Makes the query an `INSERT INTO` the named dataset (official spec).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct InsertIntoParameters {
        ///The dataset to insert into.
        #[serde(
            rename = "datasetName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub dataset_name: ::std::option::Option<::std::string::String>,
    }
    /**A link to a related call: `href`, the HTTP `method`, and for PATCH links the `body` to send as a JSON text (e.g. `{ "op": "enable" }`). `href` may name a regional host.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Link {
        ///The body to send, as JSON text (enable, disable, cancel links).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub body: ::std::option::Option<::std::string::String>,
        ///The URL to call.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub href: ::std::option::Option<::std::string::String>,
        ///The HTTP method, e.g. GET, PATCH.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub method: ::std::option::Option<::std::string::String>,
    }
    /**The next page's URL: a string in the official spec, `{"href": …}` as aepp reads it and as the `/queries` lists write it (research §6 #8, §7). Follow it verbatim: it carries orderby, start and limit and may name a regional host.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum NextLink {
        String(::std::string::String),
        Href(Href),
    }
    impl ::std::convert::From<Href> for NextLink {
        fn from(value: Href) -> Self {
            Self::Href(value)
        }
    }
    /**Where a page sits in the list (`_page`). `start` and `next` are values of the `orderby` property (timestamps); pass `next` as the `start` of the next request.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Page {
        ///How many items are on this page.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub count: ::std::option::Option<i64>,
        ///The start value of the next page; absent on the last page.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub next: ::std::option::Option<::std::string::String>,
        ///The order of the list, e.g. `+created`, `-created`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub orderby: ::std::option::Option<::std::string::String>,
        ///The `property` filter the list was asked with, if any.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub property: ::std::option::Option<::std::string::String>,
        ///The first orderby value on this page.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub start: ::std::option::Option<::std::string::String>,
    }
    ///A list's links; `{}` on the last page (seed 002, EL-runs).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct PageLinks {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub next: ::std::option::Option<NextLink>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub prev: ::std::option::Option<NextLink>,
    }
    /**The query a schedule runs. Seed 002 creates one with dbName, sql, name and description; the official spec also allows a saved template (templateId) instead of sql, parameters for `$key` placeholders, and INSERT INTO / CTAS targets.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct QueryDefinition {
        #[serde(
            rename = "ctasParameters",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub ctas_parameters: ::std::option::Option<CtasParameters>,
        /**The database, `{SANDBOX}:{DATABASE}.{SCHEMA}` or e.g. `prod:all` (seed 002).
*/
        #[serde(
            rename = "dbName",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub db_name: ::std::option::Option<::std::string::String>,
        ///What the query is for.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub description: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "insertIntoParameters",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub insert_into_parameters: ::std::option::Option<InsertIntoParameters>,
        ///The scheduled query's name.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub name: ::std::option::Option<::std::string::String>,
        /**Values for `$key` placeholders in `sql`, name → value. The official spec freezes its example keys (`key`, `key1`, `key2`) into the schema (research §9 #11); any name is allowed here, and the server does no type checking of the values, so any JSON value is kept as sent.
*/
        #[serde(
            rename = "queryParameters",
            default,
            skip_serializing_if = "::serde_json::Map::is_empty"
        )]
        pub query_parameters: ::serde_json::Map<
            ::std::string::String,
            ::serde_json::Value,
        >,
        ///The SQL statement, e.g. `SELECT * FROM accounts;`.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub sql: ::std::option::Option<::std::string::String>,
        ///A saved query template to run instead of `sql` (official spec).
        #[serde(
            rename = "templateId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub template_id: ::std::option::Option<::std::string::String>,
    }
    ///One run of a scheduled query, as listed.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Run {
        ///When the run started, as written (ISO 8601 with Z in every sample).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created: ::std::option::Option<::jobrun_transport::VendorTime>,
        #[serde(
            rename = "externalTrigger",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub external_trigger: ::std::option::Option<ExternalTrigger>,
        ///The run id (runId in paths).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "_links",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub links: ::std::option::Option<RunLinks>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub state: ::std::option::Option<crate::types::RunState>,
        ///The resource version.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub version: ::std::option::Option<i64>,
    }
    ///The answer of retrieveScheduledQueryRun.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct RunDetails {
        /**The run's execution date, as written: `2020-01-08T20:45:00` without a zone in the docs, `2022-06-02T10:56:00Z` in the official spec (research §6 #4).
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created: ::std::option::Option<::jobrun_transport::VendorTime>,
        #[serde(
            rename = "externalTrigger",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub external_trigger: ::std::option::Option<ExternalTrigger>,
        ///The run id.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "_links",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub links: ::std::option::Option<RunLinks>,
        ///The schedule the run belongs to.
        #[serde(
            rename = "scheduleId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub schedule_id: ::std::option::Option<::std::string::String>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub state: ::std::option::Option<crate::types::RunState>,
        ///The run's tasks in order (absent or empty before any task starts).
        #[serde(
            rename = "taskStatusList",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub task_status_list: ::std::option::Option<::std::vec::Vec<Task>>,
        ///The resource version (EL-runs shows 1; the official spec has none).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub version: ::std::option::Option<i64>,
    }
    ///A run id, Base64 of an Airflow run id (research §6).
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct RunId(::std::string::String);
    impl ::std::ops::Deref for RunId {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<RunId> for ::std::string::String {
        fn from(value: RunId) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for RunId {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for RunId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for RunId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for RunId {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///What can be done with a run.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct RunLinks {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub cancel: ::std::option::Option<Link>,
        #[serde(rename = "self", skip_serializing_if = "::std::option::Option::is_none")]
        pub self_: ::std::option::Option<Link>,
    }
    ///The answer of listScheduleRuns.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct RunList {
        #[serde(
            rename = "_links",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub links: ::std::option::Option<PageLinks>,
        #[serde(
            rename = "_page",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub page: ::std::option::Option<Page>,
        ///This page's runs (`[]` past the last one).
        #[serde(rename = "runsSchedules")]
        pub runs_schedules: ::std::vec::Vec<Run>,
        ///The resource version.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub version: ::std::option::Option<i64>,
    }
    ///A scheduled query.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Schedule {
        /**When the schedule was created, as written: epoch milliseconds in a string in seed 002 (`"1578523458919"`), ISO 8601 in the official spec (research §6 #4). Absent in the answer of createSchedule.
*/
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub created: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///The schedule id (schedulesId in paths).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub id: ::std::option::Option<::std::string::String>,
        #[serde(
            rename = "_links",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub links: ::std::option::Option<ScheduleLinks>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub query: ::std::option::Option<QueryDefinition>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub schedule: ::std::option::Option<Cadence>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub state: ::std::option::Option<crate::types::ScheduleState>,
        ///When the schedule was last changed, as written (see created).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub updated: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///Who changed it last.
        #[serde(
            rename = "updatedUserId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub updated_user_id: ::std::option::Option<::std::string::String>,
        ///Who created the schedule.
        #[serde(
            rename = "userId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub user_id: ::std::option::Option<::std::string::String>,
        ///The resource version (seed 002 shows 2; the official spec has none).
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub version: ::std::option::Option<i64>,
    }
    ///A schedule id (seed 002 {SCHEDULE_ID}).
    #[derive(::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
    #[serde(transparent)]
    pub struct ScheduleId(::std::string::String);
    impl ::std::ops::Deref for ScheduleId {
        type Target = ::std::string::String;
        fn deref(&self) -> &::std::string::String {
            &self.0
        }
    }
    impl ::std::convert::From<ScheduleId> for ::std::string::String {
        fn from(value: ScheduleId) -> Self {
            value.0
        }
    }
    impl ::std::str::FromStr for ScheduleId {
        type Err = self::error::ConversionError;
        fn from_str(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            if value.chars().count() < 1usize {
                return Err("shorter than 1 characters".into());
            }
            Ok(Self(value.to_string()))
        }
    }
    impl ::std::convert::TryFrom<&str> for ScheduleId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: &str,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl ::std::convert::TryFrom<::std::string::String> for ScheduleId {
        type Error = self::error::ConversionError;
        fn try_from(
            value: ::std::string::String,
        ) -> ::std::result::Result<Self, self::error::ConversionError> {
            value.parse()
        }
    }
    impl<'de> ::serde::Deserialize<'de> for ScheduleId {
        fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
        where
            D: ::serde::Deserializer<'de>,
        {
            ::std::string::String::deserialize(deserializer)?
                .parse()
                .map_err(|e: self::error::ConversionError| {
                    <D::Error as ::serde::de::Error>::custom(e.to_string())
                })
        }
    }
    ///What can be done with a schedule (seed 002 `_links`).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct ScheduleLinks {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub delete: ::std::option::Option<Link>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub disable: ::std::option::Option<Link>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub enable: ::std::option::Option<Link>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub runs: ::std::option::Option<Link>,
        #[serde(rename = "self", skip_serializing_if = "::std::option::Option::is_none")]
        pub self_: ::std::option::Option<Link>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub trigger: ::std::option::Option<Link>,
    }
    ///The answer of listSchedules.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct ScheduleList {
        #[serde(
            rename = "_links",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub links: ::std::option::Option<PageLinks>,
        #[serde(
            rename = "_page",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub page: ::std::option::Option<Page>,
        ///This page's scheduled queries (`[]` past the last one).
        pub schedules: ::std::vec::Vec<Schedule>,
        ///The resource version.
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub version: ::std::option::Option<i64>,
    }
    /**One change: `{"op": "replace", "path": "/state", "value": "disable"}` or `{"op": "replace", "path": "/schedule/schedule", "value": "45 * * * *"}` (seed 002). The official spec allows only enable/disable as `value` (research §6 #7).
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct SchedulePatchOperation {
        pub op: crate::types::PatchOp,
        pub path: crate::types::SchedulePatchPath,
        /**`enable` or `disable` for `/state`; a cron expression or shorthand for `/schedule/schedule`.
*/
        pub value: ::std::string::String,
    }
    /**The HTTP status repeated in an Accepted body: the number 202 in the docs; the official spec's similar bodies declare a string (query_template_delete.statusCode).
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum StatusCode {
        Int32(i32),
        String(::std::string::String),
    }
    impl ::std::fmt::Display for StatusCode {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                Self::Int32(x) => x.fmt(f),
                Self::String(x) => x.fmt(f),
            }
        }
    }
    impl ::std::convert::From<i32> for StatusCode {
        fn from(value: i32) -> Self {
            Self::Int32(value)
        }
    }
    ///One task of a run.
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
    pub struct Task {
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub duration: ::std::option::Option<TaskDuration>,
        ///When the task ended, as written (see startDate); absent while it runs.
        #[serde(
            rename = "endDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub end_date: ::std::option::Option<::jobrun_transport::VendorTime>,
        ///What happened, e.g. "Processed Successfully", "Processing Failed".
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub message: ::std::option::Option<::std::string::String>,
        /**When the task started, as written: microseconds, with or without a zone (`2020-01-08T23:43:58.936269`, research §6 #4).
*/
        #[serde(
            rename = "startDate",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub start_date: ::std::option::Option<::jobrun_transport::VendorTime>,
        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
        pub state: ::std::option::Option<crate::types::TaskState>,
        ///The task id.
        #[serde(
            rename = "taskId",
            skip_serializing_if = "::std::option::Option::is_none"
        )]
        pub task_id: ::std::option::Option<::std::string::String>,
    }
    /**How many seconds a task took: a string in the official spec (example 9), a number in the docs (`303`, research §6 #3). Kept as written.
*/
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    #[serde(untagged)]
    pub enum TaskDuration {
        Int64(i64),
        Number(f64),
        String(::std::string::String),
    }
    impl ::std::fmt::Display for TaskDuration {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            match self {
                Self::Int64(x) => x.fmt(f),
                Self::Number(x) => x.fmt(f),
                Self::String(x) => x.fmt(f),
            }
        }
    }
    impl ::std::convert::From<i64> for TaskDuration {
        fn from(value: i64) -> Self {
            Self::Int64(value)
        }
    }
    impl ::std::convert::From<f64> for TaskDuration {
        fn from(value: f64) -> Self {
            Self::Number(value)
        }
    }
    ///The body of updateSchedule: `{"body": [operation, …]}` (JSON Patch-like).
    #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
    pub struct UpdateScheduleRequest {
        ///The changes, applied in order.
        pub body: ::std::vec::Vec<SchedulePatchOperation>,
    }
    /// Error types.
    pub mod error {
        /// Error from a `TryFrom` or `FromStr` implementation.
        pub struct ConversionError(::std::borrow::Cow<'static, str>);
        impl ::std::error::Error for ConversionError {}
        impl ::std::fmt::Display for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::std::fmt::Debug for ConversionError {
            fn fmt(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> Result<(), ::std::fmt::Error> {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl From<&'static str> for ConversionError {
            fn from(value: &'static str) -> Self {
                Self(value.into())
            }
        }
        impl From<String> for ConversionError {
            fn from(value: String) -> Self {
                Self(value.into())
            }
        }
    }
    /** The operation of cancelScheduledQueryRun; `cancel` is the only one.

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum CancelOp {
        /// `cancel`
        Cancel,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl CancelOp {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &["cancel"];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Cancel => "cancel",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for CancelOp {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for CancelOp {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "cancel" => Self::Cancel,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for CancelOp {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for CancelOp {
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
    /** The operation of a schedule change; `replace` is the only one.

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum PatchOp {
        /// `replace`
        Replace,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl PatchOp {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &["replace"];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Replace => "replace",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for PatchOp {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for PatchOp {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "replace" => Self::Replace,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for PatchOp {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for PatchOp {
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
    /** The state of a scheduled query's run. The official spec lists SUCCESS, IN_PROGRESS and FAILED; the docs also write them in lower case (`"success"`, research §6 #2). No source documents the state of a cancelled run (research §16): KILLED and TIMEOUT are the Query Service's own query states (`/queries`), CANCELLED/CANCELED cover the cancellation this API offers; all four are inferred and terminal.

 Keeps the text as received and encodes it back unchanged; [`RunState::kind`] tells what it means, matching the spec's values ignoring ASCII case (`x-case-insensitive`).

 ```
 use adobe_query_api::types::{RunState, RunStateKind};

 let state: RunState = serde_json::from_str("\"success\"").unwrap();
 assert_eq!(state.kind(), RunStateKind::Success);
 assert_eq!(state.as_str(), "success");
 assert_eq!(serde_json::to_string(&state).unwrap(), "\"success\"");

 let other: RunState = "SOMETHING_NEW".into();
 assert_eq!(other.kind(), RunStateKind::Unknown("SOMETHING_NEW".to_owned()));
 ```*/
    #[derive(
        Clone,
        Debug,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        ::serde::Serialize,
        ::serde::Deserialize
    )]
    #[serde(transparent)]
    pub struct RunState(::std::string::String);
    impl RunState {
        /// Every value the spec lists, in the spec's order and spelling.
        pub const KNOWN: &'static [&'static str] = RunStateKind::KNOWN;
        /// The text as received (or as given), unchanged.
        pub fn as_str(&self) -> &str {
            &self.0
        }
        /// What the text means: the spec's value it equals ignoring ASCII case, or
        /// `Unknown` with the text.
        pub fn kind(&self) -> RunStateKind {
            match self.0.parse() {
                Ok(kind) => kind,
                Err(never) => match never {}
            }
        }
        /// Whether the text is one of the spec's values, in any letter case.
        pub fn is_known(&self) -> bool {
            self.kind().is_known()
        }
        /// Whether the value means one the spec marks terminal, in any letter case (`x-terminal`: SUCCESS, FAILED, KILLED, CANCELLED, CANCELED, TIMEOUT).
        pub fn is_terminal(&self) -> bool {
            self.kind().is_terminal()
        }
    }
    impl ::std::convert::From<RunStateKind> for RunState {
        /// The spec's spelling of a known value; an `Unknown` one's text.
        fn from(kind: RunStateKind) -> Self {
            Self(kind.as_str().to_owned())
        }
    }
    impl ::std::convert::From<::std::string::String> for RunState {
        fn from(text: ::std::string::String) -> Self {
            Self(text)
        }
    }
    impl ::std::convert::From<&str> for RunState {
        fn from(text: &str) -> Self {
            Self(text.to_owned())
        }
    }
    impl ::std::fmt::Display for RunState {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl ::std::str::FromStr for RunState {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self(value.to_owned()))
        }
    }
    /** What a [`RunState`] means.

 The state of a scheduled query's run. The official spec lists SUCCESS, IN_PROGRESS and FAILED; the docs also write them in lower case (`"success"`, research §6 #2). No source documents the state of a cancelled run (research §16): KILLED and TIMEOUT are the Query Service's own query states (`/queries`), CANCELLED/CANCELED cover the cancellation this API offers; all four are inferred and terminal.

 Open enum matched ignoring ASCII case: each value the spec lists is a variant whatever the letter case of the text, and anything else is `Unknown` with the text as received. `as_str` gives the spec's spelling; the text as received stays in the [`RunState`].*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum RunStateKind {
        /// `SUCCESS`: the run ended and succeeded
        Success,
        /// `IN_PROGRESS`: the run is going on
        InProgress,
        /// `FAILED`: the run ended and failed
        Failed,
        /// `KILLED`: the run was stopped (a query state of /queries) (inferred: no vendor page lists this value here)
        Killed,
        /// `CANCELLED`: the run was cancelled (after cancelScheduledQueryRun) (inferred: no vendor page lists this value here)
        Cancelled,
        /// `CANCELED`: the run was cancelled (American spelling) (inferred: no vendor page lists this value here)
        Canceled,
        /// `TIMEOUT`: the run took too long and was stopped (a query state of /queries) (inferred: no vendor page lists this value here)
        Timeout,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl RunStateKind {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &[
            "SUCCESS",
            "IN_PROGRESS",
            "FAILED",
            "KILLED",
            "CANCELLED",
            "CANCELED",
            "TIMEOUT",
        ];
        /// The value in the spec's spelling (an `Unknown` one as received).
        pub fn as_str(&self) -> &str {
            match self {
                Self::Success => "SUCCESS",
                Self::InProgress => "IN_PROGRESS",
                Self::Failed => "FAILED",
                Self::Killed => "KILLED",
                Self::Cancelled => "CANCELLED",
                Self::Canceled => "CANCELED",
                Self::Timeout => "TIMEOUT",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
        /// Whether the spec marks this value terminal (`x-terminal`: SUCCESS, FAILED, KILLED, CANCELLED, CANCELED, TIMEOUT).
        pub fn is_terminal(&self) -> bool {
            matches!(
                self, Self::Success | Self::Failed | Self::Killed | Self::Cancelled |
                Self::Canceled | Self::Timeout
            )
        }
    }
    impl ::std::fmt::Display for RunStateKind {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for RunStateKind {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            if value.eq_ignore_ascii_case("SUCCESS") {
                return Ok(Self::Success);
            }
            if value.eq_ignore_ascii_case("IN_PROGRESS") {
                return Ok(Self::InProgress);
            }
            if value.eq_ignore_ascii_case("FAILED") {
                return Ok(Self::Failed);
            }
            if value.eq_ignore_ascii_case("KILLED") {
                return Ok(Self::Killed);
            }
            if value.eq_ignore_ascii_case("CANCELLED") {
                return Ok(Self::Cancelled);
            }
            if value.eq_ignore_ascii_case("CANCELED") {
                return Ok(Self::Canceled);
            }
            if value.eq_ignore_ascii_case("TIMEOUT") {
                return Ok(Self::Timeout);
            }
            Ok(Self::Unknown(value.to_owned()))
        }
    }
    impl ::serde::Serialize for RunStateKind {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for RunStateKind {
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
    /** What a schedule change replaces.

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum SchedulePatchPath {
        /// `/state`: the schedule's state: `value` is enable or disable
        State,
        /// `/schedule/schedule`: the cron expression: `value` is the new one, e.g. `45 * * * *`
        ScheduleSchedule,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl SchedulePatchPath {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &["/state", "/schedule/schedule"];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::State => "/state",
                Self::ScheduleSchedule => "/schedule/schedule",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for SchedulePatchPath {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for SchedulePatchPath {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "/state" => Self::State,
                    "/schedule/schedule" => Self::ScheduleSchedule,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for SchedulePatchPath {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for SchedulePatchPath {
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
    /** The state of a scheduled query. REGISTERING turns ENABLED by itself once the schedule is registered; an ENABLED schedule runs on its cadence and can be triggered; a DISABLED one does neither and is the only state that can be deleted (official spec).

 Open enum: a value the spec does not list decodes to `Unknown` with the text as received, and encodes back unchanged.*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum ScheduleState {
        /// `REGISTERING`: being registered on internal systems; turns ENABLED by itself
        Registering,
        /// `ENABLED`: runs on its cadence and can be triggered with triggerScheduleRun
        Enabled,
        /// `DISABLED`: does not run and cannot be triggered; can be deleted
        Disabled,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl ScheduleState {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &[
            "REGISTERING",
            "ENABLED",
            "DISABLED",
        ];
        /// The value as it goes on the wire.
        pub fn as_str(&self) -> &str {
            match self {
                Self::Registering => "REGISTERING",
                Self::Enabled => "ENABLED",
                Self::Disabled => "DISABLED",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
    }
    impl ::std::fmt::Display for ScheduleState {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for ScheduleState {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(
                match value {
                    "REGISTERING" => Self::Registering,
                    "ENABLED" => Self::Enabled,
                    "DISABLED" => Self::Disabled,
                    other => Self::Unknown(other.to_owned()),
                },
            )
        }
    }
    impl ::serde::Serialize for ScheduleState {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for ScheduleState {
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
    /** The state of one task of a run (official task_detail.state). Written in upper case in every sample; matched ignoring case like RunState.

 Keeps the text as received and encodes it back unchanged; [`TaskState::kind`] tells what it means, matching the spec's values ignoring ASCII case (`x-case-insensitive`).

 ```
 use adobe_query_api::types::{TaskState, TaskStateKind};

 let state: TaskState = serde_json::from_str("\"success\"").unwrap();
 assert_eq!(state.kind(), TaskStateKind::Success);
 assert_eq!(state.as_str(), "success");
 assert_eq!(serde_json::to_string(&state).unwrap(), "\"success\"");

 let other: TaskState = "SOMETHING_NEW".into();
 assert_eq!(other.kind(), TaskStateKind::Unknown("SOMETHING_NEW".to_owned()));
 ```*/
    #[derive(
        Clone,
        Debug,
        PartialEq,
        Eq,
        Hash,
        PartialOrd,
        Ord,
        ::serde::Serialize,
        ::serde::Deserialize
    )]
    #[serde(transparent)]
    pub struct TaskState(::std::string::String);
    impl TaskState {
        /// Every value the spec lists, in the spec's order and spelling.
        pub const KNOWN: &'static [&'static str] = TaskStateKind::KNOWN;
        /// The text as received (or as given), unchanged.
        pub fn as_str(&self) -> &str {
            &self.0
        }
        /// What the text means: the spec's value it equals ignoring ASCII case, or
        /// `Unknown` with the text.
        pub fn kind(&self) -> TaskStateKind {
            match self.0.parse() {
                Ok(kind) => kind,
                Err(never) => match never {}
            }
        }
        /// Whether the text is one of the spec's values, in any letter case.
        pub fn is_known(&self) -> bool {
            self.kind().is_known()
        }
        /// Whether the value means one the spec marks terminal, in any letter case (`x-terminal`: SUCCESS, FAILED).
        pub fn is_terminal(&self) -> bool {
            self.kind().is_terminal()
        }
    }
    impl ::std::convert::From<TaskStateKind> for TaskState {
        /// The spec's spelling of a known value; an `Unknown` one's text.
        fn from(kind: TaskStateKind) -> Self {
            Self(kind.as_str().to_owned())
        }
    }
    impl ::std::convert::From<::std::string::String> for TaskState {
        fn from(text: ::std::string::String) -> Self {
            Self(text)
        }
    }
    impl ::std::convert::From<&str> for TaskState {
        fn from(text: &str) -> Self {
            Self(text.to_owned())
        }
    }
    impl ::std::fmt::Display for TaskState {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl ::std::str::FromStr for TaskState {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            Ok(Self(value.to_owned()))
        }
    }
    /** What a [`TaskState`] means.

 The state of one task of a run (official task_detail.state). Written in upper case in every sample; matched ignoring case like RunState.

 Open enum matched ignoring ASCII case: each value the spec lists is a variant whatever the letter case of the text, and anything else is `Unknown` with the text as received. `as_str` gives the spec's spelling; the text as received stays in the [`TaskState`].*/
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum TaskStateKind {
        /// `SUCCESS`: the task ended and succeeded
        Success,
        /// `IN_PROGRESS`: the task is going on
        InProgress,
        /// `FAILED`: the task ended and failed
        Failed,
        /// `QUEUED_FOR_RETRY`: the task failed and waits for an automatic retry
        QueuedForRetry,
        /// `QUEUED`: the task waits to start
        Queued,
        /// A value this client does not know, as received.
        Unknown(::std::string::String),
    }
    impl TaskStateKind {
        /// Every value the spec lists, in the spec's order.
        pub const KNOWN: &'static [&'static str] = &[
            "SUCCESS",
            "IN_PROGRESS",
            "FAILED",
            "QUEUED_FOR_RETRY",
            "QUEUED",
        ];
        /// The value in the spec's spelling (an `Unknown` one as received).
        pub fn as_str(&self) -> &str {
            match self {
                Self::Success => "SUCCESS",
                Self::InProgress => "IN_PROGRESS",
                Self::Failed => "FAILED",
                Self::QueuedForRetry => "QUEUED_FOR_RETRY",
                Self::Queued => "QUEUED",
                Self::Unknown(other) => other.as_str(),
            }
        }
        /// Whether the spec lists this value.
        pub fn is_known(&self) -> bool {
            !matches!(self, Self::Unknown(_))
        }
        /// Whether the spec marks this value terminal (`x-terminal`: SUCCESS, FAILED).
        pub fn is_terminal(&self) -> bool {
            matches!(self, Self::Success | Self::Failed)
        }
    }
    impl ::std::fmt::Display for TaskStateKind {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(self.as_str())
        }
    }
    impl ::std::str::FromStr for TaskStateKind {
        type Err = ::std::convert::Infallible;
        fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
            if value.eq_ignore_ascii_case("SUCCESS") {
                return Ok(Self::Success);
            }
            if value.eq_ignore_ascii_case("IN_PROGRESS") {
                return Ok(Self::InProgress);
            }
            if value.eq_ignore_ascii_case("FAILED") {
                return Ok(Self::Failed);
            }
            if value.eq_ignore_ascii_case("QUEUED_FOR_RETRY") {
                return Ok(Self::QueuedForRetry);
            }
            if value.eq_ignore_ascii_case("QUEUED") {
                return Ok(Self::Queued);
            }
            Ok(Self::Unknown(value.to_owned()))
        }
    }
    impl ::serde::Serialize for TaskStateKind {
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            serializer.serialize_str(self.as_str())
        }
    }
    impl<'de> ::serde::Deserialize<'de> for TaskStateKind {
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
}
#[derive(Clone, Debug)]
/**Client for Adobe Experience Platform Query Service schedules API

Scheduled queries (スケジュール済みクエリ) of Adobe Experience Platform Query Service and their runs. A new schedule is REGISTERING, then ENABLED; an ENABLED schedule runs on its cron cadence and can be triggered at once; only a DISABLED schedule can be deleted. The trigger answers 202 without a run id: find the run by listing the schedule's runs (`property=externalTrigger==true`, newest first). Every call sends `Authorization: Bearer {ACCESS_TOKEN}` (from specs/adobe-ims.yaml), `x-api-key` (the credential's client id), `x-gw-ims-org-id` (the IMS organization id) and `x-sandbox-name` (the all-lowercase sandbox name, e.g. prod), plus `Content-Type: application/json` on a body; jobrun injects the four headers through jobrun-transport, they are no method arguments. An optional `x-request-id` tracks a request (the server makes one up if absent).


Version: 2026-11*/
pub struct Client {
    pub(crate) baseurl: String,
    pub(crate) client: reqwest::Client,
    pub(crate) inner: ::jobrun_transport::Transport,
}
impl Client {
    /// Create a new client.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new(baseurl: &str, inner: ::jobrun_transport::Transport) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let client = {
            let dur = ::std::time::Duration::from_secs(15u64);
            reqwest::ClientBuilder::new().connect_timeout(dur).timeout(dur)
        };
        #[cfg(target_arch = "wasm32")]
        let client = reqwest::ClientBuilder::new();
        Self::new_with_client(baseurl, client.build().unwrap(), inner)
    }
    /// Construct a new client with an existing `reqwest::Client`,
    /// allowing more control over its configuration.
    ///
    /// `baseurl` is the base URL provided to the internal
    /// `reqwest::Client`, and should include a scheme and hostname,
    /// as well as port and a path stem if applicable.
    pub fn new_with_client(
        baseurl: &str,
        client: reqwest::Client,
        inner: ::jobrun_transport::Transport,
    ) -> Self {
        Self {
            baseurl: baseurl.to_string(),
            client,
            inner,
        }
    }
}
impl ClientInfo<::jobrun_transport::Transport> for Client {
    fn api_version() -> &'static str {
        "2026-11"
    }
    fn baseurl(&self) -> &str {
        self.baseurl.as_str()
    }
    fn client(&self) -> &reqwest::Client {
        &self.client
    }
    fn inner(&self) -> &::jobrun_transport::Transport {
        &self.inner
    }
}
const _: () = {
    #[allow(dead_code)]
    fn assert_client_hooks()
    where
        Client: ClientHooks<::jobrun_transport::Transport>,
    {}
};
#[allow(clippy::all)]
impl Client {
    /**スケジュールされたクエリのリストの取得 (list scheduled queries)

One page of the organization's scheduled queries. Every parameter is optional; without any, the call answers the scheduled queries of the organization from the first page. Follow `_links.next` (or pass `_page.next` as `start`) until it is absent.


Sends a `GET` request to `/schedules`

Arguments:
- `limit`: The page size (default 20, research §3.1; no documented maximum).
- `orderby`: Sort order: `created` or `updated`, prefixed `+` (ascending) or `-` (descending), e.g. `-created` (the default). A literal `+` must reach the server as `%2B`, which the query encoder does (seed 002; official spec).

- `property`: Comma-separated filters on `created` (`>`, `<`), `templateId` and `userId` (`==`), e.g. `userId==6ebd9c2d-494d-425a-aa91-24033f3abeec` (seed 002; the official spec allows `==` on templateId and userId only).

- `start`: Where the page starts, as a value of the `orderby` property: an ISO 8601 timestamp such as `2020-09-07`, `2022-11-05T08:15:30-05:00` or `2020-01-01T01:01:01Z` (UTC when no zone is given), e.g. the previous page's `_page.next` (seed 002; older docs called it an offset, research §6 #14).

*/
    pub async fn list_schedules<'a>(
        &'a self,
        limit: Option<::std::num::NonZeroU32>,
        orderby: Option<&'a str>,
        property: Option<&'a str>,
        start: Option<&'a str>,
    ) -> Result<ResponseValue<types::ScheduleList>, Error<ByteStream>> {
        let url = format!("{}/schedules", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("limit", &limit))
            .query(&progenitor_client::QueryParam::new("orderby", &orderby))
            .query(&progenitor_client::QueryParam::new("property", &property))
            .query(&progenitor_client::QueryParam::new("start", &start))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "list_schedules",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**新しいスケジュール済みクエリの作成 (create a scheduled query)

Creates a scheduled query; it answers 202 with the new schedule in state REGISTERING (without `created`/`updated`), which turns ENABLED once registered. Not idempotent: every call creates another schedule.


Sends a `POST` request to `/schedules`

*/
    pub async fn create_schedule<'a>(
        &'a self,
        body: &'a types::CreateScheduleRequest,
    ) -> Result<ResponseValue<types::Schedule>, Error<ByteStream>> {
        let url = format!("{}/schedules", self.baseurl,);
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "create_schedule",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**指定したスケジュール済みクエリの詳細のリクエスト (retrieve a scheduled query)

Sends a `GET` request to `/schedules/{schedulesId}`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

*/
    pub async fn retrieve_schedule<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
    ) -> Result<ResponseValue<types::Schedule>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}", self.baseurl, encode_path(& schedules_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "retrieve_schedule",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**指定したスケジュール済みクエリの削除 (delete a scheduled query)

Deletes a DISABLED schedule without active runs; otherwise 400 ("Please disable the schedule before requesting delete operation OR There are active run(s) for this schedule, please wait for completion before requesting delete operation", official spec).


Sends a `DELETE` request to `/schedules/{schedulesId}`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

*/
    pub async fn delete_schedule<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
    ) -> Result<ResponseValue<types::Accepted>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}", self.baseurl, encode_path(& schedules_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .delete(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "delete_schedule",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**指定したスケジュール済みクエリの詳細の更新 (update a scheduled query)

Enables or disables a schedule (`path` `/state`, `value` enable or disable) or changes its cron expression (`path` `/schedule/schedule`, `value` e.g. `45 * * * *`). Answers 202; the change happens afterwards. 400 when the schedule is already in the requested state or still REGISTERING ("Schedule already in the state request OR Schedule is in Inactive state. Please try after sometime.", official spec).


Sends a `PATCH` request to `/schedules/{schedulesId}`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

- `body`
*/
    pub async fn update_schedule<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
        body: &'a types::UpdateScheduleRequest,
    ) -> Result<ResponseValue<types::Accepted>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}", self.baseurl, encode_path(& schedules_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .patch(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "update_schedule",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**List all runs for a schedule

One page of a schedule's runs, past and running. Same paging as listSchedules.


Sends a `GET` request to `/schedules/{schedulesId}/runs`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

- `limit`: The page size (default 20, research §3.1; no documented maximum).
- `orderby`: Sort order: `created` or `updated`, prefixed `+` (ascending) or `-` (descending), e.g. `-created` (the default). A literal `+` must reach the server as `%2B`, which the query encoder does (seed 002; official spec).

- `property`: Comma-separated filters on `created` (`>`, `<`), `state` (`==`, `!=`) and `externalTrigger` (`==`), e.g. `externalTrigger==true,state==SUCCESS` (official spec).

- `start`: Where the page starts, as a value of the `orderby` property: an ISO 8601 timestamp such as `2020-09-07`, `2022-11-05T08:15:30-05:00` or `2020-01-01T01:01:01Z` (UTC when no zone is given), e.g. the previous page's `_page.next` (seed 002; older docs called it an offset, research §6 #14).

*/
    pub async fn list_schedule_runs<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
        limit: Option<::std::num::NonZeroU32>,
        orderby: Option<&'a str>,
        property: Option<&'a str>,
        start: Option<&'a str>,
    ) -> Result<ResponseValue<types::RunList>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}/runs", self.baseurl, encode_path(& schedules_id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .query(&progenitor_client::QueryParam::new("limit", &limit))
            .query(&progenitor_client::QueryParam::new("orderby", &orderby))
            .query(&progenitor_client::QueryParam::new("property", &property))
            .query(&progenitor_client::QueryParam::new("start", &start))
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "list_schedule_runs",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Trigger an immediate run of a scheduled query

Starts a run of an ENABLED schedule now (400 "Schedule is disabled. Immediate run cannot be triggered" otherwise). No request body. The 202 answer names no run: list the runs with `property=externalTrigger==true` to find it. Not idempotent: every accepted call starts a run.


Sends a `POST` request to `/schedules/{schedulesId}/runs`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

*/
    pub async fn trigger_schedule_run<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
    ) -> Result<ResponseValue<types::Accepted>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}/runs", self.baseurl, encode_path(& schedules_id
            .to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .post(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "trigger_schedule_run",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Retrieve details of a query schedule run

One run with the status of each of its tasks. Read-only, safe to repeat.

Sends a `GET` request to `/schedules/{schedulesId}/runs/{runId}`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

- `run_id`: The run's `id`: the Base64 of an Airflow run id such as `scheduled__2020-01-08T12:30:00+00:00` (research §6), passed as listed, e.g. c2NoZWR1bGVkX18yMDIwLTAxLTA4VDEyOjMwOjAwKzAwOjAw.

*/
    pub async fn retrieve_scheduled_query_run<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
        run_id: &'a types::RunId,
    ) -> Result<ResponseValue<types::RunDetails>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}/runs/{}", self.baseurl, encode_path(& schedules_id
            .to_string()), encode_path(& run_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .get(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "retrieve_scheduled_query_run",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
    /**Cancel a run of a scheduled query

Asks for a run to be cancelled, with the body `{"op": "cancel"}`. Answers 202; the run's state after a cancel is not documented (research §16).


Sends a `PATCH` request to `/schedules/{schedulesId}/runs/{runId}`

Arguments:
- `schedules_id`: The schedule's `id` (seed 002 {SCHEDULE_ID}), e.g. e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm.

- `run_id`: The run's `id`: the Base64 of an Airflow run id such as `scheduled__2020-01-08T12:30:00+00:00` (research §6), passed as listed, e.g. c2NoZWR1bGVkX18yMDIwLTAxLTA4VDEyOjMwOjAwKzAwOjAw.

- `body`
*/
    pub async fn cancel_scheduled_query_run<'a>(
        &'a self,
        schedules_id: &'a types::ScheduleId,
        run_id: &'a types::RunId,
        body: &'a types::CancelRunRequest,
    ) -> Result<ResponseValue<types::Accepted>, Error<ByteStream>> {
        let url = format!(
            "{}/schedules/{}/runs/{}", self.baseurl, encode_path(& schedules_id
            .to_string()), encode_path(& run_id.to_string()),
        );
        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
        #[allow(unused_mut)]
        let mut request = self
            .client
            .patch(url)
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
            .json(&body)
            .headers(header_map)
            .build()?;
        let info = OperationInfo {
            operation_id: "cancel_scheduled_query_run",
        };
        match (::jobrun_transport::prepare)(&self.inner, &mut request).await {
            Ok(_) => {}
            Err(e) => return Err(Error::Custom(e.to_string())),
        }
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            202u16 => ResponseValue::from_response(response).await,
            400u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            401u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            403u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            429u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            500u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}
/// Items consumers will typically use such as the Client.
pub mod prelude {
    #[allow(unused_imports)]
    pub use super::Client;
}
