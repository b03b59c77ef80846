//! A local simulator of Adobe Experience Platform Query Service's scheduled queries, with
//! the Adobe IMS token endpoint in front of it (seed 002, research
//! `adobe-query-service.md`).
//!
//! One server on 127.0.0.1 stands for both hosts: IMS (`ims-na1.adobelogin.com`) at
//! `/ims/token/v3`, and the platform (`platform.adobe.io`) under `/data/foundation/query`.
//! Every answer is JSON and carries an `X-Request-Id` header (the client's own
//! `x-request-id` echoed, or a generated one).
//!
//! | method and path | body | answer |
//! |---|---|---|
//! | `POST /ims/token/v3` | form (or query string): `grant_type=client_credentials`, `client_id`, `client_secret`, `scope` | 200 `{"access_token":"…","token_type":"bearer","expires_in":86399}` (seconds) |
//! | `GET /schedules` (listSchedules) | `?orderby=&limit=&start=&property=` | 200 `{"schedules":[…],"_page":{…},"_links":{…},"version":2}` |
//! | `POST /schedules` (createSchedule) | `{"query":{…},"schedule":{"schedule":"30 * * * *","startDate":"…"}}` | 202, the schedule, `REGISTERING`, without `created`/`updated` |
//! | `GET /schedules/{id}` (retrieveSchedule) | | 200, the schedule |
//! | `DELETE /schedules/{id}` (deleteSchedule) | | 202 `{"message":"Schedule deleted successfully","statusCode":202}` |
//! | `PATCH /schedules/{id}` (updateSchedule) | `{"body":[{"op":"replace","path":"/state","value":"enable"}]}` or `"path":"/schedule/schedule","value":"<cron>"` | 202 `{"message":"Request to patch accepted","statusCode":202}` |
//! | `GET /schedules/{id}/runs` (listScheduleRuns) | `?orderby=&limit=&start=&property=` | 200 `{"runsSchedules":[…],"_page":{…},"_links":{…},"version":2}` |
//! | `POST /schedules/{id}/runs` (triggerScheduleRun) | none | 202 `{"message":"Request to trigger run of a scheduled query accepted.","statusCode":202}`, no run id |
//! | `GET /schedules/{id}/runs/{runId}` (retrieveScheduledQueryRun) | | 200, the run with `taskStatusList` |
//! | `PATCH /schedules/{id}/runs/{runId}` (cancelScheduledQueryRun) | `{"op":"cancel"}` | 202 `{"message":"Request to cancel run of a scheduled query accepted","statusCode":202}` |
//!
//! (Schedule paths are under `/data/foundation/query`.)
//!
//! A schedule created through the API is `REGISTERING` for [`AdobeConfig::registering_for`]
//! (2 s by default), then `ENABLED`. A triggered run is `IN_PROGRESS` while its tasks run one
//! after the other (a task is `QUEUED`, `IN_PROGRESS`, then its scripted state), then
//! `SUCCESS`, or `FAILED` if a task failed ([`RunScript`]). Its id is the Base64 of
//! `manual__2024-05-01T12:00:00.123000+00:00` (the trigger time), `externalTrigger` true; a
//! run added with [`AdobeSim::add_run`] stands for one the scheduler started: Base64 of
//! `scheduled__2024-05-01T12:00:00+00:00`, `externalTrigger` false.
//!
//! # Errors
//!
//! Requests to the platform pass the gateway's checks first, in this order (research §8.1);
//! the first failing one answers `{"error_code":"…","message":"…"}`:
//!
//! | check | HTTP | `error_code` | `message` |
//! |---|---|---|---|
//! | no `Authorization` (or an empty one) | 403 | `403010` | `Oauth token is missing.` |
//! | not `Bearer <token>` of a live token (unknown, expired, or dropped by [`AdobeSim::expire_tokens`]) | 401 | `401013` | `Oauth token is not valid` |
//! | no `x-api-key` | 403 | `403000` | `Api Key is required` |
//! | `x-api-key` is not the client id | 403 | `403003` | `Api Key is invalid` |
//! | no `x-gw-ims-org-id` | 400 | `400003` | `Missing header` |
//! | `x-gw-ims-org-id` is not the org id | 403 | `403025` | `Profile is not valid` |
//! | a POST/PUT/PATCH with a body but without `Content-Type: application/json` | 400 | | `{"type":"/placeholder/type/uri","status":400,"title":"BadRequestError","detail":"A valid content-type must be specified"}` (as `application/problem+json`) |
//!
//! Then the service answers its own errors as `{"message":"…","statusCode":400}` (the shape
//! of its documented 202 answers; Adobe publishes no error body for schedules):
//!
//! | when | HTTP | `message` |
//! |---|---|---|
//! | no such path | 404 | `No such resource: GET /…` |
//! | a method the path does not serve | 405 (+ `Allow`) | `Method PUT is not allowed on /…` |
//! | list: bad `orderby`, `limit`, `start` or `property` | 400 | `Invalid limit: "0" (a whole number from 1)` and the like |
//! | create: body not a JSON object, `query` or `schedule` missing, no `query.dbName`, neither `query.sql` nor `query.templateId`, `schedule.schedule` not a cron expression or shorthand, `schedule.startDate` missing or not a timestamp, bad `maxActiveRuns` | 400 | `The payload is malformed: schedule.schedule is required` and the like |
//! | no schedule with that id (in the request's sandbox) | 404 | `Schedule not found: {id}` |
//! | no run with that id in the schedule | 404 | `Run not found: {runId}` |
//! | patch: body not `{"body":[…]}`, op not `replace`, path not `/state` or `/schedule/schedule`, value not `enable`/`disable` or not a cron expression | 400 | `Unsupported path: "/query/sql" (/state or /schedule/schedule)` and the like |
//! | patch while `REGISTERING` | 400 | `Schedule is in Inactive state. Please try after sometime.` |
//! | patch `/state` to the state it is in | 400 | `Schedule already in the state request` |
//! | delete while not `DISABLED` | 400 | `Please disable the schedule before requesting delete operation` |
//! | delete with a run `IN_PROGRESS` | 400 | `There are active run(s) for this schedule, please wait for completion before requesting delete operation` |
//! | trigger while `DISABLED` | 400 | `Schedule is disabled. Immediate run cannot be triggered` |
//! | trigger while `REGISTERING` | 400 | `Schedule is in Inactive state. Please try after sometime.` |
//! | trigger with `maxActiveRuns` runs `IN_PROGRESS` | 400 | `Schedule has reached its maximum number of active runs (1). Immediate run cannot be triggered` |
//! | cancel: body not `{"op":"cancel"}` | 400 | `Unsupported op: "stop" (cancel)` and the like |
//! | cancel a run that is not `IN_PROGRESS` | 400 | `Run is not in progress (SUCCESS). Only a run in progress can be cancelled` |
//!
//! IMS answers OAuth errors `{"error":"…","error_description":"…"}`, checking fields in this
//! order, each for presence then value:
//!
//! | check | HTTP | `error` | `error_description` |
//! |---|---|---|---|
//! | not `POST` | 405 (+ `Allow: POST`) | `bad_request` | `method GET is not allowed; use POST` |
//! | `grant_type` missing | 400 | `bad_request` | `missing grant_type parameter` |
//! | `grant_type` not `client_credentials` | 400 | `unsupported_grant_type` | `unsupported grant_type parameter: password` |
//! | `client_id` missing / wrong | 400 | `bad_request` / `invalid_client` | `missing client_id parameter` / `invalid client_id parameter` |
//! | `client_secret` missing / wrong | 400 | `bad_request` / `invalid_client` | `missing client_secret parameter` / `invalid client_secret parameter` |
//! | `scope` missing / naming a scope not granted | 400 | `bad_request` / `invalid_scope` | `missing scope parameter` / `invalid scope parameter` |
//!
//! # Where the docs are silent (inferred)
//!
//! | what | decision |
//! |---|---|
//! | IMS error statuses | 400 for every OAuth error, `invalid_client` included: the statuses observed on v3 (research §11); `bad_request` for a missing field, as in Adobe's JWT-era table |
//! | IMS parameters | the form body wins over the query string; a body is read as a form when its `Content-Type` is `application/x-www-form-urlencoded` or absent (multipart is not read); `scope` may be comma- or space-separated and may ask for a subset of the granted scopes |
//! | tokens | JWT-shaped (claims `created_at`, `expires_in` in ms as strings); valid for [`AdobeConfig::token_ttl`] on tokio's clock; `expires_in` is its whole seconds; any number of live tokens at once |
//! | gateway check order | token, API key, org, content type (the order the codes are listed in the brief; Adobe documents none); the 400 status of `400003` follows its code's prefix; a wrong org answers `403025` |
//! | `x-sandbox-name` | optional, `prod` when absent; schedules live in the sandbox they were created in and are not found from another |
//! | `Content-Type` | only checked when a POST/PUT/PATCH has a body (a trigger has none); `application/json` with any parameters |
//! | unknown or wrong-method paths | pass the gateway first, then 404 or 405 in the service's shape |
//! | schedule ids | `{org}_{uuid}_{name}{10 random}_{6 random}`, like the docs' sample |
//! | create | 202 (the spec; the docs' text says "accepted"); `query` echoes the documented fields only; `maxActiveRuns` defaults to 1 |
//! | patch | applies at once (`DISABLED` the moment the 202 is sent); several operations in one body are all checked before any applies; a patch while `REGISTERING` is refused whatever its path; aepp's bare array (no `{"body":…}`) is refused |
//! | `maxActiveRuns` | a trigger beyond it is refused (400), never queued, so a 202 always means a run now exists |
//! | trigger while `REGISTERING` | refused like a patch then |
//! | runs on the cron cadence | never: the simulator does not read cron expressions; [`AdobeSim::add_run`] adds a scheduled run when a test needs one |
//! | run ids | `manual__` + the trigger time with microseconds and `+00:00`; `scheduled__` + the minute; never two alike in a schedule |
//! | cancel | takes effect at once: the run and its unfinished tasks take [`AdobeConfig::cancel_state`] (default `CANCELLED`; the docs do not say, research §16), tasks with the message `Run cancelled by request.`; a run no longer `IN_PROGRESS` answers 400 |
//! | task fields | `taskId`, `state`, `message` (once ended: `Finished execution.`, `Processing Failed`, or the script's), `startDate` (once started), `endDate` and `duration` (once ended; whole seconds, rounded) |
//! | times | spec style: ISO 8601 with milliseconds and `Z` (`2022-01-06T23:42:15.352Z`); task dates with microseconds. Every `created` (and schedule `updated`) is unique within a simulator, a millisecond apart if need be, so keyset paging never skips or repeats an item |
//! | paging | `orderby` `created` or `updated`, `+` (or an unescaped `+`, which arrives as a space) ascending, `-` descending, none ascending, default `-created`; `limit` default 20, no upper bound; `start` a timestamp (items from that value on, inclusive) or, as in the older docs, a short number (a zero-based offset); `_page` has `orderby`, `start`, `next`, `property`, `count`; `_links.next` repeats `orderby`, `start`, `limit` and `property` and is absent (`_links: {}`) on the last page |
//! | filters | comma-separated, all must hold; schedules: `created` (`>`, `<`, `>=`, `<=`, `==`), `templateId==`, `userId==`; runs: `created` (same), `state==`/`!=` (ignoring case), `externalTrigger==true|false`; anything else is a 400 |
//! | errors of the service | `{"message","statusCode"}`, as above |
//!
//! # Doc-style payloads
//!
//! [`AdobeConfig::doc_style_payloads`] makes bodies look like the docs' samples instead of
//! the spec (research §6): schedule `created`/`updated` as epoch-millisecond strings
//! (`"1578523458919"`) and `"version": 2` on each schedule; `externalTrigger` as `"true"`/
//! `"false"` strings; run details with a lower-case `state` (`"success"`) and `created`
//! without zone (`2020-01-08T20:45:00`); task dates without zone; numeric task `duration`
//! (`303`); run lists with `created` to the second; the cancel link with its `body`.
//!
//! # Faults
//!
//! Faults ([`Fault`], queued with [`AdobeSim::inject`]) work as for the other simulators: a
//! `Status` or `Reply` fault answers in front of everything (no token check) and has no
//! effect, so a 429 on a trigger creates no run; `Delay`, `Drop`, `MalformedJson` and
//! `MalformedBody` act after the request took effect, so a dropped trigger still starts its
//! run. [`too_many_requests`] and [`too_many_requests_empty`] build the gateway's 429 with
//! or without `Retry-After`; [`gateway_error`] any other gateway answer.
//!
//! ```
//! use jobrun_sim::adobe::{AdobeConfig, AdobeSim, SAMPLE_SCHEDULE_ID};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = AdobeSim::start(AdobeConfig::new()).await?;
//! let client = reqwest::Client::new();
//! let token: serde_json::Value = client
//!     .post(format!("{}/ims/token/v3", sim.base_url()))
//!     .header("Content-Type", "application/x-www-form-urlencoded")
//!     .body(format!(
//!         "grant_type=client_credentials&client_id={}&client_secret={}&scope={}",
//!         sim.client_id(),
//!         sim.client_secret(),
//!         sim.scopes()
//!     ))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! let token = token["access_token"].as_str().ok_or("no token")?;
//!
//! let trigger = client
//!     .post(format!("{}/schedules/{SAMPLE_SCHEDULE_ID}/runs", sim.platform_url()))
//!     .bearer_auth(token)
//!     .header("x-api-key", sim.client_id())
//!     .header("x-gw-ims-org-id", sim.org_id())
//!     .header("x-sandbox-name", "prod")
//!     .send()
//!     .await?;
//! assert_eq!(trigger.status(), 202);
//! assert_eq!(sim.run_count(SAMPLE_SCHEDULE_ID), 5);
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod answer;
mod http;
mod ims;
mod input;
mod script;
mod store;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

pub use crate::fault::Fault;
pub use crate::record::RecordedRequest;
pub use script::{DEFAULT_RUN_DURATION, RunScript, Schedule};

use crate::clock::Clock;
use crate::fault::FaultQueue;
use crate::server::Server;
use input::QueryDef;
use store::{StoredRun, StoredSchedule};

/// The client id (also the `x-api-key`) a default configuration accepts: 32 hex digits,
/// like a Developer Console credential's.
pub const DEFAULT_CLIENT_ID: &str = "4f1e2d3c5b6a47989a0b1c2d3e4f5a6b";
/// The client secret of [`DEFAULT_CLIENT_ID`], shaped like Adobe's `p8e-…` secrets.
pub const DEFAULT_CLIENT_SECRET: &str = "p8e-jobrunSimSecret-0123456789abcdefGHIJ";
/// The IMS org a default configuration belongs to; its hex part starts the docs' sample
/// schedule id, which the default catalog holds.
pub const DEFAULT_ORG_ID: &str = "E95186D65A28ABF00A495D82@AdobeOrg";
/// The scopes a default credential is granted (comma-separated, as the Developer Console
/// shows them); a token request may ask for all or some of them.
pub const DEFAULT_SCOPES: &str =
    "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session";
/// The sandbox of the default catalog, and of requests without `x-sandbox-name`.
pub const DEFAULT_SANDBOX: &str = "prod";
/// The technical account of the default credential: `userId` of the schedules it creates.
pub const DEFAULT_TECHNICAL_ACCOUNT_ID: &str = "7C3B2A1F0E9D8C7B6A5F4E3D@techacct.adobe.com";
/// How long a token lives: 86399 s, the `expires_in` of the docs' sample.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(86_399);
/// How long a schedule created through the API stays `REGISTERING`.
pub const DEFAULT_REGISTERING: Duration = Duration::from_secs(2);
/// The state of a cancelled run unless configured otherwise.
pub const DEFAULT_CANCEL_STATE: &str = "CANCELLED";
/// The IMS token endpoint's path.
pub const TOKEN_PATH: &str = "/ims/token/v3";
/// Where the Query Service API lives on the platform host.
pub const PLATFORM_PREFIX: &str = "/data/foundation/query";

/// The docs' sample schedule ("Sample Scheduled Query"), in the default catalog.
pub const SAMPLE_SCHEDULE_ID: &str = "e95186d65a28abf00a495d82_28e74200-e3de-11e9-8f5d-7f27416c5f0d_sample_scheduled_query7omob151bm_birvwm";
/// "Nightly accounts rollup": two tasks per run, one failed night among its past runs.
pub const NIGHTLY_SCHEDULE_ID: &str = "e95186d65a28abf00a495d82_3c1f5a20-5b7e-11ee-9d2a-0242ac120002_nightly_accounts_rollupk2v9q4x7sd_p3mz8c";
/// "Broken export": every run fails.
pub const FAILING_SCHEDULE_ID: &str =
    "e95186d65a28abf00a495d82_51a7c3e0-5b7e-11ee-9d2a-0242ac120002_broken_exportw8r2n5t1yb_f6kq0v";
/// "Retired report": `DISABLED`, so it can be deleted but not triggered.
pub const RETIRED_SCHEDULE_ID: &str =
    "e95186d65a28abf00a495d82_6e9d2b40-5b7e-11ee-9d2a-0242ac120002_retired_reporth4c7j1m9xa_s2lw5e";
/// "Weekly aggregate": a 10-minute run is in progress when the simulator starts.
pub const SLOW_SCHEDULE_ID: &str = "e95186d65a28abf00a495d82_7b3e8f60-5b7e-11ee-9d2a-0242ac120002_weekly_aggregatez5g1p8d3vn_u7ty4r";

/// The `userId` of "Broken export" in the default catalog: a person, not the technical
/// account.
const CATALOG_PERSON: &str = "2B4D6F8A1C3E5A7C9E1B3D5F@AdobeID";
/// `templateId`s of the default catalog.
const RETIRED_TEMPLATE: &str = "b7e3a1c2-4d5f-4e6a-8b9c-0d1e2f3a4b5c";
const SLOW_TEMPLATE: &str = "0c4f2e1d-8a7b-4c6d-9e5f-1a2b3c4d5e6f";

/// The gateway's 429 body (research §8.2).
const TOO_MANY_REQUESTS: &str = r#"{"error_code":"429050","message":"Too many requests"}"#;

fn retry_after_header(retry_after: Option<Duration>) -> Vec<(String, String)> {
    retry_after
        .map(|wait| {
            // Whole seconds, rounded up: a client waiting that long never comes back early.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            ("Retry-After".to_owned(), seconds.to_string())
        })
        .into_iter()
        .collect()
}

/// A 429 with the gateway's body `{"error_code":"429050","message":"Too many requests"}`
/// (`application/json`), and `Retry-After` in whole seconds (rounded up) when given.
pub fn too_many_requests(retry_after: Option<Duration>) -> Fault {
    Fault::Reply {
        status: 429,
        headers: retry_after_header(retry_after),
        content_type: Some(answer::JSON.to_owned()),
        body: TOO_MANY_REQUESTS.to_owned(),
    }
}

/// A 429 with an empty body and no `Content-Type` (what Adobe's newer gateway sends), and
/// `Retry-After` in whole seconds (rounded up) when given.
pub fn too_many_requests_empty(retry_after: Option<Duration>) -> Fault {
    Fault::Reply {
        status: 429,
        headers: retry_after_header(retry_after),
        content_type: None,
        body: String::new(),
    }
}

/// Any gateway answer `{"error_code":"…","message":"…"}` with this HTTP status, e.g.
/// `gateway_error(503, "503000", "Could not validate the API key")`.
pub fn gateway_error(http_status: u16, error_code: &str, message: &str) -> Fault {
    let body = serde_json::to_string(&answer::object([
        ("error_code", error_code.into()),
        ("message", message.into()),
    ]))
    .unwrap_or_default();
    Fault::Status {
        status: http_status,
        content_type: answer::JSON.to_owned(),
        body,
    }
}

/// The endpoint a fault is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Every request, including ones to unknown paths.
    Any,
    /// `/ims/token/v3`, whatever the method.
    Token,
    /// `GET /schedules`.
    ListSchedules,
    /// `POST /schedules`.
    CreateSchedule,
    /// `GET /schedules/{id}`.
    GetSchedule,
    /// `DELETE /schedules/{id}`.
    DeleteSchedule,
    /// `PATCH /schedules/{id}`.
    UpdateSchedule,
    /// `GET /schedules/{id}/runs`.
    ListRuns,
    /// `POST /schedules/{id}/runs`.
    TriggerRun,
    /// `GET /schedules/{id}/runs/{runId}`.
    GetRun,
    /// `PATCH /schedules/{id}/runs/{runId}`.
    CancelRun,
}

impl Target {
    fn applies_to(self, endpoint: Option<Target>) -> bool {
        self == Target::Any || Some(self) == endpoint
    }
}

/// What an [`AdobeSim`] starts with: port, credentials, timings, payload style and the
/// schedules it holds.
///
/// [`AdobeConfig::new`] (or `default()`) holds the demo catalog below, the `DEFAULT_*`
/// credentials, sandbox `prod`, tokens of 86399 s, 2 s of `REGISTERING`, `{href}` next links,
/// spec-style payloads, `CANCELLED` for cancelled runs, and new schedules whose runs take
/// 3 s and succeed. Times are relative to when the simulator starts. Its `Display` prints the
/// catalog.
///
/// | schedule (id constant) | name | state | cron | triggered runs | runs at start (newest first) |
/// |---|---|---|---|---|---|
/// | [`FAILING_SCHEDULE_ID`] | Broken export (userId `2B4D6F8A1C3E5A7C9E1B3D5F@AdobeID`) | ENABLED | `0 * * * *` | 2 s → FAILED | scheduled 1h, 2h ago: FAILED |
/// | [`SAMPLE_SCHEDULE_ID`] | Sample Scheduled Query (the docs' sample) | ENABLED | `30 * * * *` | 3 s → SUCCESS | triggered 30m ago; scheduled 1h, 2h, 3h ago: all SUCCESS |
/// | [`SLOW_SCHEDULE_ID`] | Weekly aggregate (templateId `0c4f2e1d-…`) | ENABLED | `@weekly` | 10 min → SUCCESS | triggered 1m ago: IN_PROGRESS for 9 more minutes |
/// | [`NIGHTLY_SCHEDULE_ID`] | Nightly accounts rollup | ENABLED | `@daily` | tasks `prepare` 1 s, `insert_into` 2 s → SUCCESS | scheduled 1–5 days ago: SUCCESS but 3 days ago FAILED (`insert_into`) |
/// | [`RETIRED_SCHEDULE_ID`] | Retired report (templateId `b7e3a1c2-…`) | DISABLED | `0 6 * * 1` | 3 s → SUCCESS | scheduled 9 days ago: SUCCESS |
///
/// The rows are in the default order (`-created`): created 1, 3, 5, 7 and 10 days before the
/// start. `limit=2` pages the schedules in three pages, and the nightly runs too.
#[derive(Debug, Clone)]
pub struct AdobeConfig {
    port: u16,
    client_id: String,
    client_secret: String,
    org_id: String,
    scopes: String,
    technical_account: String,
    sandbox: String,
    token_ttl: Duration,
    registering_for: Duration,
    links_as_strings: bool,
    doc_style: bool,
    cancel_state: String,
    default_run: RunScript,
    /// In the order added.
    schedules: Vec<Schedule>,
    /// Run `state` values shown in place of documented ones, as (documented, shown).
    run_states: Vec<(String, String)>,
}

impl Default for AdobeConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        let hour = 3600;
        let day = 24 * hour;
        let failure = "Processing Failed: relation \"missing_table\" does not exist";
        let nightly = |fails: bool| {
            RunScript::new().task("prepare", s(1), "SUCCESS").task(
                "insert_into",
                s(2),
                if fails { "FAILED" } else { "SUCCESS" },
            )
        };
        let mut nightly_schedule = Schedule::new(
            "Nightly accounts rollup",
            "INSERT INTO accounts_daily SELECT * FROM accounts;",
        )
        .id(NIGHTLY_SCHEDULE_ID)
        .description("Rolls yesterday's accounts up into accounts_daily.")
        .cron("@daily")
        .created_ago(s(7 * day))
        .runs(nightly(false));
        for days in (1..=5).rev() {
            nightly_schedule = nightly_schedule.past_run(s(days * day), nightly(days == 3));
        }
        Self::empty()
            .schedule(
                Schedule::new("Retired report", "SELECT * FROM weekly_report;")
                    .id(RETIRED_SCHEDULE_ID)
                    .template_id(RETIRED_TEMPLATE)
                    .cron("0 6 * * 1")
                    .created_ago(s(10 * day))
                    .disabled()
                    .past_run(s(9 * day), RunScript::new().lasts(s(60))),
            )
            .schedule(nightly_schedule)
            .schedule(
                Schedule::new(
                    "Weekly aggregate",
                    "INSERT INTO weekly_totals SELECT * FROM events;",
                )
                .id(SLOW_SCHEDULE_ID)
                .template_id(SLOW_TEMPLATE)
                .cron("@weekly")
                .created_ago(s(5 * day))
                .runs(RunScript::new().lasts(s(600)))
                .past_triggered_run(s(60), RunScript::new().lasts(s(600))),
            )
            .schedule(
                Schedule::new("Sample Scheduled Query", "SELECT * FROM accounts;")
                    .id(SAMPLE_SCHEDULE_ID)
                    .description("A sample of a scheduled query.")
                    .created_ago(s(3 * day))
                    .past_run(s(3 * hour), RunScript::new().lasts(s(300)))
                    .past_run(s(2 * hour), RunScript::new().lasts(s(300)))
                    .past_run(s(hour), RunScript::new().lasts(s(300)))
                    .past_triggered_run(s(30 * 60), RunScript::new().lasts(s(120))),
            )
            .schedule(
                Schedule::new("Broken export", "SELECT * FROM missing_table;")
                    .id(FAILING_SCHEDULE_ID)
                    .user_id(CATALOG_PERSON)
                    .cron("0 * * * *")
                    .created_ago(s(day))
                    .runs(RunScript::new().lasts(s(2)).fails(failure))
                    .past_run(s(2 * hour), RunScript::new().lasts(s(20)).fails(failure))
                    .past_run(s(hour), RunScript::new().lasts(s(20)).fails(failure)),
            )
    }
}

impl AdobeConfig {
    /// The default configuration, demo catalog included.
    pub fn new() -> Self {
        Self::default()
    }

    /// Like [`AdobeConfig::new`] but with no schedules at all.
    pub fn empty() -> Self {
        Self {
            port: 0,
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            org_id: DEFAULT_ORG_ID.to_owned(),
            scopes: DEFAULT_SCOPES.to_owned(),
            technical_account: DEFAULT_TECHNICAL_ACCOUNT_ID.to_owned(),
            sandbox: DEFAULT_SANDBOX.to_owned(),
            token_ttl: DEFAULT_TOKEN_TTL,
            registering_for: DEFAULT_REGISTERING,
            links_as_strings: false,
            doc_style: false,
            cancel_state: DEFAULT_CANCEL_STATE.to_owned(),
            default_run: RunScript::new(),
            schedules: Vec::new(),
            run_states: Vec::new(),
        }
    }

    /// Makes every run answer `state` `shown` wherever it would answer `documented`
    /// (`IN_PROGRESS`, `SUCCESS`, `FAILED`, or the cancel state), e.g.
    /// `run_state_reads("IN_PROGRESS", "PAUSED")` for a value the docs never mention while a
    /// run goes on, or `run_state_reads("SUCCESS", "UP_FOR_RETRY")` for an unknown final one.
    /// The run's tasks keep their states, and a `state==` filter compares the shown value.
    pub fn run_state_reads(mut self, documented: &str, shown: impl Into<String>) -> Self {
        let shown = shown.into();
        match self
            .run_states
            .iter_mut()
            .find(|(from, _)| from == documented)
        {
            Some((_, existing)) => *existing = shown,
            None => self.run_states.push((documented.to_owned(), shown)),
        }
        self
    }

    /// The port to listen on (on 127.0.0.1 only); 0 (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The credential IMS accepts (`client_id` is also the `x-api-key`) and the org
    /// (`x-gw-ims-org-id`) the platform expects.
    pub fn credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        org_id: impl Into<String>,
    ) -> Self {
        self.client_id = client_id.into();
        self.client_secret = client_secret.into();
        self.org_id = org_id.into();
        self
    }

    /// The scopes the credential is granted, comma-separated (default [`DEFAULT_SCOPES`]).
    pub fn scopes(mut self, scopes: impl Into<String>) -> Self {
        self.scopes = scopes.into();
        self
    }

    /// The technical account id of the credential: `userId` of schedules it creates
    /// (default [`DEFAULT_TECHNICAL_ACCOUNT_ID`]).
    pub fn technical_account(mut self, id: impl Into<String>) -> Self {
        self.technical_account = id.into();
        self
    }

    /// The sandbox preloaded schedules live in (default `prod`); requests without
    /// `x-sandbox-name` also use `prod`.
    pub fn sandbox(mut self, sandbox: impl Into<String>) -> Self {
        self.sandbox = sandbox.into();
        self
    }

    /// How long a token lives (default 86399 s); `expires_in` is its whole seconds.
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// How long a schedule created through the API stays `REGISTERING` (default 2 s).
    pub fn registering_for(mut self, delay: Duration) -> Self {
        self.registering_for = delay;
        self
    }

    /// `_links.next` as a plain string (the spec's schema) instead of `{"href": …}` (the
    /// default, what aepp reads).
    pub fn page_links_as_strings(mut self, as_strings: bool) -> Self {
        self.links_as_strings = as_strings;
        self
    }

    /// Payloads shaped like the docs' samples instead of the spec (see the module docs):
    /// `"false"` strings, lower-case `success`, numeric `duration`, epoch-ms `created`,
    /// `"version": 2`.
    pub fn doc_style_payloads(mut self, doc_style: bool) -> Self {
        self.doc_style = doc_style;
        self
    }

    /// The state a cancelled run (and its unfinished tasks) takes (default `CANCELLED`;
    /// `FAILED` or `KILLED` are other plausible readings of the silent docs).
    pub fn cancel_state(mut self, state: &str) -> Self {
        self.cancel_state = state.to_owned();
        self
    }

    /// Adds a schedule, or replaces the one with the same id.
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        let same = |known: &Schedule| known.id.is_some() && known.id == schedule.id;
        match self.schedules.iter_mut().find(|known| same(known)) {
            Some(existing) => *existing = schedule,
            None => self.schedules.push(schedule),
        }
        self
    }

    /// The run script of schedules created through the API, and of preloaded ones without
    /// their own (default [`RunScript::new`]: 3 s, then `SUCCESS`).
    pub fn default_run(mut self, script: RunScript) -> Self {
        self.default_run = script;
        self
    }
}

impl fmt::Display for AdobeConfig {
    /// The credentials and the catalog, for people starting the simulator by hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Adobe Experience Platform Query Service simulator (scheduled queries) + IMS"
        )?;
        writeln!(
            f,
            "  token: POST {TOKEN_PATH} grant_type=client_credentials client_id={} client_secret={} scope={} (expires_in {} s)",
            self.client_id,
            self.client_secret,
            self.scopes,
            self.token_ttl.as_secs()
        )?;
        writeln!(
            f,
            "  then under {PLATFORM_PREFIX} send Authorization: Bearer TOKEN, x-api-key: {}, x-gw-ims-org-id: {}, x-sandbox-name: {}",
            self.client_id, self.org_id, self.sandbox
        )?;
        writeln!(
            f,
            "  new schedules are REGISTERING for {}, then ENABLED; their runs: {}",
            crate::fmt_duration(self.registering_for),
            self.default_run
        )?;
        writeln!(
            f,
            "schedules (GET /schedules, POST /schedules/ID/runs, GET /schedules/ID/runs):"
        )?;
        if self.schedules.is_empty() {
            return writeln!(f, "  (none)");
        }
        for schedule in self.schedules.iter().rev() {
            writeln!(
                f,
                "  {}",
                schedule.id.as_deref().unwrap_or("(id generated at start)")
            )?;
            let script = schedule.run.as_ref().unwrap_or(&self.default_run);
            writeln!(
                f,
                "      {:?}, {}, {}, runs: {}; {} past run(s)",
                schedule.name,
                if schedule.disabled {
                    "DISABLED"
                } else {
                    "ENABLED"
                },
                schedule.cron,
                script,
                schedule.past_runs.len()
            )?;
        }
        Ok(())
    }
}

/// Letters and digits, for ids and request ids.
const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const HEX: &[u8] = b"0123456789abcdef";

/// Random ids from SipHash (keyed at random once per simulator) of a counter:
/// unpredictable across runs, cheap, and no extra dependency.
#[derive(Debug)]
struct Ids {
    keys: RandomState,
    drawn: u64,
}

impl Ids {
    fn new() -> Self {
        Self {
            keys: RandomState::new(),
            drawn: 0,
        }
    }

    fn draw(&mut self, len: usize, alphabet: &[u8]) -> String {
        (0..len)
            .map(|_| {
                self.drawn += 1;
                let index = self.keys.hash_one(self.drawn) % alphabet.len() as u64;
                // `index` < alphabet.len(), so it fits and is in range.
                char::from(alphabet[usize::try_from(index).unwrap_or(0)])
            })
            .collect()
    }
}

/// A live token.
#[derive(Debug)]
struct Token {
    expires_ms: i64,
}

/// Everything a request can change.
#[derive(Debug)]
struct State {
    /// In creation order.
    schedules: Vec<StoredSchedule>,
    tokens: HashMap<String, Token>,
    ids: Ids,
    /// Every `created`/`updated` handed out, so that none repeats.
    stamps: HashSet<i64>,
    faults: FaultQueue<Target>,
    requests: Vec<RecordedRequest>,
}

impl State {
    /// `at`, or the next millisecond not handed out yet.
    fn stamp(&mut self, at: i64) -> i64 {
        let mut at = at;
        while !self.stamps.insert(at) {
            at = at.saturating_add(1);
        }
        at
    }

    fn schedule_index(&self, id: &str, sandbox: &str) -> Option<usize> {
        self.schedules
            .iter()
            .position(|schedule| schedule.id == id && schedule.sandbox == sandbox)
    }

    /// `{org}_{uuid}_{name}{10 random}_{6 random}`, like the docs' sample id.
    fn schedule_id(&mut self, org_id: &str, name: Option<&str>) -> String {
        let org = org_id
            .split('@')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let org = if org.is_empty() {
            "jobrunsim".into()
        } else {
            org
        };
        let mut slug = String::new();
        for c in name.unwrap_or("query").chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('_') && !slug.is_empty() {
                slug.push('_');
            }
        }
        let slug: String = slug.trim_end_matches('_').chars().take(40).collect();
        let slug = if slug.is_empty() {
            "query".into()
        } else {
            slug
        };
        loop {
            let uuid = format!(
                "{}-{}-{}-{}-{}",
                self.ids.draw(8, HEX),
                self.ids.draw(4, HEX),
                self.ids.draw(4, HEX),
                self.ids.draw(4, HEX),
                self.ids.draw(12, HEX)
            );
            let id = format!(
                "{org}_{uuid}_{slug}{}_{}",
                self.ids.draw(10, LOWER_ALPHANUMERIC),
                self.ids.draw(6, LOWER_ALPHANUMERIC)
            );
            if !self.schedules.iter().any(|schedule| schedule.id == id) {
                return id;
            }
        }
    }

    /// Adds a run to the schedule at `index`, created at `created_ms` (made unique), and
    /// returns its id.
    fn add_run(
        &mut self,
        index: usize,
        external: bool,
        script: &RunScript,
        created_ms: i64,
    ) -> Option<String> {
        let created_ms = self.stamp(created_ms);
        let ids = &mut self.ids;
        let tasks = script.plan(|| ids.draw(10, ALPHANUMERIC));
        let schedule = self.schedules.get_mut(index)?;
        let mut stamp = input::utc(created_ms);
        let id = loop {
            let decoded = if external {
                // Unique already: `created` stamps never repeat.
                format!("manual__{}", stamp.format("%Y-%m-%dT%H:%M:%S%.6f+00:00"))
            } else {
                // A scheduler names a run after its cron tick, a whole minute.
                format!("scheduled__{}", stamp.format("%Y-%m-%dT%H:%M:00+00:00"))
            };
            let id = BASE64.encode(decoded);
            if schedule.run(&id).is_none() {
                break id;
            }
            // Two scheduled runs within one minute: name the later one after the tick
            // before, as a scheduler catching up would.
            stamp -= chrono::Duration::minutes(1);
        };
        schedule.runs.push(StoredRun {
            id: id.clone(),
            created_ms,
            external,
            tasks,
            cancelled_ms: None,
        });
        Some(id)
    }
}

/// Shared by the handle and every request.
#[derive(Debug)]
struct Shared {
    clock: Clock,
    client_id: String,
    client_secret: String,
    org_id: String,
    scopes: String,
    technical_account: String,
    sandbox: String,
    token_ttl: Duration,
    registering_ms: i64,
    links_as_strings: bool,
    doc_style: bool,
    cancel_state: String,
    default_run: RunScript,
    /// As in [`AdobeConfig`].
    run_states: Vec<(String, String)>,
    /// `http://127.0.0.1:PORT`, set once the server is bound.
    base: OnceLock<String>,
    state: Mutex<State>,
}

impl Shared {
    /// `run` as it shows at `now_ms`, its `state` renamed as the configuration says.
    fn run_view(&self, run: &store::StoredRun, now_ms: i64) -> store::RunView {
        let mut view = run.view(now_ms, &self.cancel_state);
        if let Some((_, shown)) = self
            .run_states
            .iter()
            .find(|(documented, _)| *documented == view.state)
        {
            view.state.clone_from(shown);
        }
        view
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data updated in single steps, so it is consistent even if a
        // holder panicked; refusing all later requests would help no one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Now, as UNIX epoch milliseconds on the simulator's clock.
    fn now_ms(&self) -> i64 {
        let since = self
            .clock
            .wall_at(self.clock.now())
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }
}

/// A running Query Service + IMS simulator. Dropping it stops the server and closes its
/// connections.
#[derive(Debug)]
pub struct AdobeSim {
    shared: Arc<Shared>,
    server: Server,
}

impl AdobeSim {
    /// Binds 127.0.0.1 on the configured port and starts serving.
    ///
    /// Must be called inside a tokio runtime; the server runs on it as spawned tasks.
    pub async fn start(config: AdobeConfig) -> std::io::Result<AdobeSim> {
        let clock = Clock::start();
        let state = State {
            schedules: Vec::new(),
            tokens: HashMap::new(),
            ids: Ids::new(),
            stamps: HashSet::new(),
            faults: FaultQueue::default(),
            requests: Vec::new(),
        };
        let shared = Arc::new(Shared {
            clock,
            client_id: config.client_id,
            client_secret: config.client_secret,
            org_id: config.org_id,
            scopes: config.scopes,
            technical_account: config.technical_account,
            sandbox: config.sandbox,
            token_ttl: config.token_ttl,
            registering_ms: script::millis(config.registering_for),
            links_as_strings: config.links_as_strings,
            doc_style: config.doc_style,
            cancel_state: config.cancel_state,
            default_run: config.default_run,
            run_states: config.run_states,
            base: OnceLock::new(),
            state: Mutex::new(state),
        });
        preload(&shared, config.schedules);
        let server = Server::start(config.port, http::router(Arc::clone(&shared))).await?;
        let _ = shared.base.set(format!("http://{}", server.addr()));
        Ok(AdobeSim { shared, server })
    }

    /// `http://127.0.0.1:PORT`: IMS is at `{base_url}/ims/token/v3`, the platform under
    /// `{base_url}/data/foundation/query`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// `{base_url}/ims/token/v3`.
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url())
    }

    /// `{base_url}/data/foundation/query`, standing for
    /// `https://platform.adobe.io/data/foundation/query`.
    pub fn platform_url(&self) -> String {
        format!("{}{PLATFORM_PREFIX}", self.base_url())
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The client id IMS accepts, also the `x-api-key` the platform expects.
    pub fn client_id(&self) -> String {
        self.shared.client_id.clone()
    }

    /// The client secret IMS accepts.
    pub fn client_secret(&self) -> String {
        self.shared.client_secret.clone()
    }

    /// The org id the platform expects in `x-gw-ims-org-id`.
    pub fn org_id(&self) -> String {
        self.shared.org_id.clone()
    }

    /// The scopes the credential is granted, comma-separated, as a token request sends them.
    pub fn scopes(&self) -> String {
        self.shared.scopes.clone()
    }

    /// The sandbox preloaded schedules live in.
    pub fn sandbox(&self) -> String {
        self.shared.sandbox.clone()
    }

    /// The technical account id: `userId` of the schedules created through the API.
    pub fn technical_account_id(&self) -> String {
        self.shared.technical_account.clone()
    }

    /// Queues `fault` for the next `times` requests to `target`. Faults are consumed in the
    /// order they were queued; each request takes at most one, from the oldest entry whose
    /// target matches it.
    pub fn inject(&self, target: Target, fault: Fault, times: usize) {
        self.shared.lock().faults.push(target, fault, times);
    }

    /// Every request received so far, in arrival order, faulted ones included.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many requests had this method (case-insensitive) and exactly this path, e.g.
    /// `count("POST", "/data/foundation/query/schedules/ID/runs")`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// How many requests reached `/ims/token/v3` (any method, refused and faulted ones
    /// included): how a test proves a client caches its token.
    pub fn token_requests(&self) -> usize {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.path == TOKEN_PATH)
            .count()
    }

    /// Invalidates every token issued so far, as a revocation would: the next platform call
    /// with one answers 401 `401013` and the client must fetch a new token.
    pub fn expire_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Adds a run the scheduler started (`externalTrigger` false, id Base64 of
    /// `scheduled__…` at this minute), created now and going as `script` says. Returns its id,
    /// or `None` when no schedule has this id. The schedule's state and `maxActiveRuns` are
    /// not consulted: a test decides when the scheduler fires.
    pub fn add_run(&self, schedule_id: &str, script: RunScript) -> Option<String> {
        let now = self.shared.now_ms();
        let mut state = self.shared.lock();
        let index = state
            .schedules
            .iter()
            .position(|schedule| schedule.id == schedule_id)?;
        state.add_run(index, false, &script, now)
    }

    /// Changes what the runs triggered on a schedule from now on do; `false` when no
    /// schedule has this id.
    pub fn set_run_script(&self, schedule_id: &str, script: RunScript) -> bool {
        let mut state = self.shared.lock();
        match state
            .schedules
            .iter_mut()
            .find(|schedule| schedule.id == schedule_id)
        {
            Some(schedule) => {
                schedule.script = script;
                true
            }
            None => false,
        }
    }

    /// How many runs a schedule has (0 for unknown ids): how a test proves a trigger took
    /// effect although its answer was lost, or that a refused one did not.
    pub fn run_count(&self, schedule_id: &str) -> usize {
        self.shared
            .lock()
            .schedules
            .iter()
            .find(|schedule| schedule.id == schedule_id)
            .map_or(0, |schedule| schedule.runs.len())
    }

    /// The ids of every schedule, oldest first.
    pub fn schedule_ids(&self) -> Vec<String> {
        self.shared
            .lock()
            .schedules
            .iter()
            .map(|schedule| schedule.id.clone())
            .collect()
    }

    /// Stops the server and waits until its connections are closed.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}

/// Loads the configured schedules and their past runs, relative to now.
fn preload(shared: &Shared, schedules: Vec<Schedule>) {
    let now = shared.now_ms();
    let mut state = shared.lock();
    for schedule in schedules {
        let created = state.stamp(now.saturating_sub(script::millis(schedule.created_ago)));
        let id = match schedule.id {
            Some(id) => id,
            None => state.schedule_id(&shared.org_id, Some(&schedule.name)),
        };
        let user = schedule
            .user_id
            .unwrap_or_else(|| shared.technical_account.clone());
        state.schedules.push(StoredSchedule {
            id,
            sandbox: schedule.sandbox.unwrap_or_else(|| shared.sandbox.clone()),
            query: QueryDef {
                db_name: Some(schedule.db_name),
                sql: Some(schedule.sql),
                name: Some(schedule.name),
                description: schedule.description,
                template_id: schedule.template_id,
                ..QueryDef::default()
            },
            cron: schedule.cron,
            start_date: schedule.start_date,
            end_date: None,
            max_active_runs: schedule.max_active_runs,
            user_id: user.clone(),
            updated_user_id: user,
            created_ms: created,
            updated_ms: created,
            registering_until_ms: created,
            enabled: !schedule.disabled,
            script: schedule.run.unwrap_or_else(|| shared.default_run.clone()),
            runs: Vec::new(),
        });
        let index = state.schedules.len() - 1;
        let mut past = schedule.past_runs;
        // Oldest first, so that runs are stored in creation order.
        past.sort_by_key(|run| std::cmp::Reverse(run.ago));
        for run in past {
            let at = now.saturating_sub(script::millis(run.ago));
            state.add_run(index, run.external, &run.script, at);
        }
    }
}
