//! krewData: run an execution unit (実行単位) through the real-time execution API and wait until
//! its data-editing flows end, without ever handling an access token.
//!
//! ```no_run
//! use jobrun::krewdata::{KrewdataClient, Record, RunUnit};
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! // KREWDATA_APP_URL, KREWDATA_SERIAL_NUMBER, KREWDATA_USER (, KREWDATA_BASE_URL)
//! let client = KrewdataClient::from_env()?;
//! let run = RunUnit::new("abcdefghijklmn".parse()?, jobrun::parse_id("app id", "123")?)
//!     .record(Record::new().field("入荷日", "DATE", "2020-11-01")?);
//! let outcome = client
//!     .start_and_wait(&run, &WaitOptions::default(), &mut |event| eprintln!("{event:?}"))
//!     .await?;
//! for flow in &outcome.steps {
//!     println!("{} {}", flow.name, flow.status);
//! }
//! # Ok(()) }
//! ```
//!
//! Waiting reads the status first after [`WaitOptions::poll_min`] (5 s by default, the interval
//! of the seed's own sample), then backs off while nothing changes.
//!
//! Tokens: every run gets a fresh one (they are single use for a run); a wait reuses the run's
//! token while it is younger than [`TOKEN_REUSE`] and then gets a new one, and once more when a
//! status read answers that its token is invalid, so waits of hours never fail on an aged
//! token. Every token request first passes the [`RunGuard`], which keeps a unit under krewData's
//! 5 runs a minute across all jobrun processes of the user.
//!
//! Success is judged by the JSON `code` as well as the HTTP status: an HTTP 200 whose body says
//! `"code": 400` is an [`Error::Api`] whose [`crate::ApiError::kind`] names the documented error
//! ([`KrewdataError`]).

mod error;
mod guard;

use std::{
    collections::HashMap,
    fmt,
    num::NonZeroU64,
    str::FromStr,
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::Engine as _;
use jobrun_transport::SecretString;
pub use krewdata_api::types::{ExecutionStatus, FlowInfo, StatusAnswer};
use krewdata_api::{Client, types};
use secrecy::ExposeSecret;
use serde::Serialize;
use tokio::time::Instant;

pub use error::KrewdataError;
pub use guard::{RUN_LIMIT, RUN_WINDOW, RunGuard};

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, env_var},
    error::VendorError,
    outcome::{JobRef, OutcomeState, Step},
    request::{Call, Core, Dialect, Repeat, Secrets, Within, no_kind},
    wait::{self, Begun, Phase, Snapshot, Start},
};

/// Environment variable holding the krewData app's URL (`https://<domain>.cybozu.com/k/<appId>`).
pub const APP_URL_ENV: &str = "KREWDATA_APP_URL";
/// Environment variable holding the real-time execution's serial number, as shown (not Base64).
pub const SERIAL_NUMBER_ENV: &str = "KREWDATA_SERIAL_NUMBER";
/// Environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "KREWDATA_BASE_URL";
/// Environment variable holding the kintone login name recorded as a run's user.
pub const USER_ENV: &str = "KREWDATA_USER";
/// Environment variable setting the cap of the adaptive request rate (`N/DURATION`, or
/// `unlimited`).
pub const RATE_LIMIT_ENV: &str = "KREWDATA_RATE_LIMIT";
/// krewData documents a limit only for runs (5 per minute per unit, kept by the run guard);
/// other calls are paced adaptively up to 5 per second per app, slowing down on 429 or 5xx.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Adaptive {
    requests: 5,
    per: Duration::from_secs(1),
};
/// The API reference's host (seed 003); `https://api.krewdata.mescius.com` is the same API.
pub const DEFAULT_BASE_URL: &str = "https://api.krewdata.grapecity.com";
/// How long an access token is accepted (seed 003).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(600);
/// How long a wait reuses a token: a minute short of [`TOKEN_LIFETIME`], so a read in flight
/// never crosses the line.
pub const TOKEN_REUSE: Duration = Duration::from_secs(540);
const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// An execution unit id (実行単位ID): the last segment of the real-time execution URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(String);

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
pub struct TaskId(String);

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

/// How to reach krewData.
#[derive(Clone, Debug)]
pub struct KrewdataConfig {
    app_url: AppUrl,
    serial_number: SecretString,
    base_url: BaseUrl,
    user: Option<String>,
    guard: RunGuard,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// How long a single call (not a wait) keeps retrying transient errors.
    pub retry_budget: Duration,
    /// The request budget of this app (runs also obey the run guard).
    pub rate_limit: RateLimit,
}

impl KrewdataConfig {
    /// A configuration for the public API with the app URL and the serial number as the
    /// krewData plugin shows it (jobrun Base64-encodes it). The run guard is the user's
    /// ([`RunGuard::for_user`]).
    pub fn new(app_url: AppUrl, serial_number: SecretString) -> Result<Self, Error> {
        if serial_number.expose_secret().trim().is_empty() {
            return Err(Error::Config(format!(
                "the krewData serial number is empty; set {SERIAL_NUMBER_ENV}"
            )));
        }
        Ok(Self {
            app_url,
            serial_number,
            base_url: BaseUrl::parse(DEFAULT_BASE_URL, false)?,
            user: None,
            guard: RunGuard::for_user(),
            http: HttpSettings::default(),
            retry_budget: Duration::from_secs(120),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads `KREWDATA_APP_URL` and `KREWDATA_SERIAL_NUMBER` (required), `KREWDATA_USER`,
    /// `KREWDATA_BASE_URL` and `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let app_url = env_var(APP_URL_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{APP_URL_ENV} is not set: export the URL of the krewData app holding the unit, \
                 such as https://yourdomain.cybozu.com/k/123"
            ))
        })?;
        let serial = env_var(SERIAL_NUMBER_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{SERIAL_NUMBER_ENV} is not set: export the serial number of the unit's real-time \
                 execution (krewData plugin → リアルタイム実行)"
            ))
        })?;
        let mut config = Self::new(app_url.parse()?, SecretString::from(serial))?;
        if let Some(user) = env_var(USER_ENV) {
            config = config.user(user);
        }
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        config.base_url = BaseUrl::from_env(BASE_URL_ENV)?.unwrap_or(config.base_url);
        Ok(config)
    }

    /// Points the client elsewhere (a simulator, the mescius host). See [`BaseUrl::parse`].
    pub fn base_url(mut self, url: &str, allow_http: bool) -> Result<Self, Error> {
        self.base_url = BaseUrl::parse(url, allow_http)?;
        Ok(self)
    }

    /// The kintone login name recorded as the user of runs that name none.
    pub fn user(mut self, login: impl Into<String>) -> Self {
        self.user = Some(login.into());
        self
    }

    /// Replaces the run guard ([`RunGuard::disabled`] turns it off).
    pub fn run_guard(mut self, guard: RunGuard) -> Self {
        self.guard = guard;
        self
    }

    /// The base URL in use.
    pub fn url(&self) -> &BaseUrl {
        &self.base_url
    }
}

/// A kintone record handed to a run as its parameters: field code → `{type, value}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Record(types::KintoneRecord);

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
    unit: UnitId,
    app_id: NonZeroU64,
    user: Option<String>,
    record: Option<Record>,
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

/// An access token and when it was received. Never printed.
#[derive(Clone)]
struct Token {
    secret: SecretString,
    received: Instant,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(received {:?} ago)", self.received.elapsed())
    }
}

/// A task a run started, with the token that started it (reused by the wait while young).
#[derive(Debug)]
pub struct StartedTask {
    /// `krewdata:task:<unitId>:<taskId>`.
    pub job: JobRef,
    /// The unit.
    pub unit: UnitId,
    /// The task.
    pub task: TaskId,
    token: Token,
}

impl Serialize for StartedTask {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            job: &'a JobRef,
            unit: &'a str,
            task: &'a str,
        }
        Shown {
            job: &self.job,
            unit: &self.unit.0,
            task: &self.task.0,
        }
        .serialize(serializer)
    }
}

static DIALECT: Dialect = Dialect {
    vendor: "krewdata",
    reset_header: None,
    words: error::words,
    auth_hint: "check the serial number of the unit's real-time execution",
    status_kind: no_kind,
    check: "look at the unit's execution history in krewData",
};

/// A krewData client: runs, status reads and waits, with tokens handled.
#[derive(Clone, Debug)]
pub struct KrewdataClient {
    api: Client,
    core: Core,
    app_url: AppUrl,
    serial_base64: SecretString,
    user: Option<String>,
    guard: RunGuard,
    /// Status tokens of the waits by reference, per unit (see [`KrewdataClient::wait`]).
    status_tokens: Arc<Mutex<HashMap<UnitId, Arc<TokenSlot>>>>,
}

impl KrewdataClient {
    /// Builds a client; nothing is sent yet.
    pub fn new(config: KrewdataConfig) -> Result<Self, Error> {
        let http = config.http.build()?;
        let transport = config
            .http
            .transport()
            .with_content_type("application/json", CONTENT_TYPE);
        let serial = config.serial_number.expose_secret().trim();
        // What the seed's sample sends: `window.btoa(serialNumber)`, standard Base64 with
        // padding of the serial's bytes.
        let serial_base64 =
            SecretString::from(base64::engine::general_purpose::STANDARD.encode(serial.as_bytes()));
        let secrets = Secrets::default();
        secrets.add(serial);
        secrets.add(serial_base64.expose_secret());
        let app_url = config.app_url.to_string();
        let account = ["krewdata", config.base_url.as_str(), &app_url];
        Ok(Self {
            api: Client::new_with_client(config.base_url.as_str(), http, transport),
            core: Core::new(
                &DIALECT,
                &config.http,
                &account,
                config.rate_limit,
                config.retry_budget,
                secrets,
            )?,
            app_url: config.app_url,
            serial_base64,
            user: config.user,
            guard: config.guard,
            status_tokens: Arc::default(),
        })
    }

    /// [`KrewdataClient::new`] with [`KrewdataConfig::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(KrewdataConfig::from_env()?)
    }

    /// A fresh token for `unit`, once the run guard allows it. Not repeated after a request
    /// that may have arrived: every token request counts toward the unit's 5 a minute.
    async fn token(&self, unit: &UnitId, from_wait: bool, within: Within) -> Result<Token, Error> {
        self.guard.admit(unit, self.core.now(), from_wait)?;
        let body = types::TokenRequest {
            krewdata_app_url: self.app_url.to_string(),
            serial_number: self.serial_base64.expose_secret().to_owned(),
        };
        let path = api_unit(unit)?;
        let operation = "requestToken";
        let answer = self
            .core
            .send_read(
                operation,
                Repeat::Once,
                within,
                || self.api.request_token(&path, &body),
                |answer| async move { check_code(self.core.op(operation), answer.code, answer) },
            )
            .await?;
        self.core.secrets().add_recent(&answer.access_token);
        Ok(Token {
            secret: SecretString::from(answer.access_token),
            received: Instant::now(),
        })
    }

    /// Runs a unit: a fresh token, then the run. The run is never sent twice: it is retried
    /// only when the connection failed before the request was written.
    pub async fn start(&self, run: &RunUnit) -> Result<StartedTask, Error> {
        self.start_within(run, self.core.single()).await
    }

    async fn start_within(&self, run: &RunUnit, within: Within) -> Result<StartedTask, Error> {
        let user = run
            .user
            .clone()
            .or_else(|| self.user.clone())
            .ok_or_else(|| {
                Error::Config(format!(
                    "no kintone user to record as the run's user: set {USER_ENV} or pass --user"
                ))
            })?;
        if user.trim().is_empty() {
            return Err(Error::invalid("kintone user", user, "a kintone login name"));
        }
        let path = api_unit(&run.unit)?;
        let token = self.token(&run.unit, false, within).await?;
        let body = types::RunRequest {
            access_token: token.secret.expose_secret().to_owned(),
            user,
            // As the seed's sample sends it: `event.appId.toString()`.
            app_id: types::AppId::String(run.app_id.to_string()),
            record: run.record.as_ref().map(|r| r.0.clone()),
        };
        let operation = "runUnit";
        let task = self
            .core
            .send_read(
                operation,
                Repeat::Trigger,
                within,
                || self.api.run_unit(&path, &body),
                |answer| async move {
                    check_code(self.core.op(operation), answer.code, &answer)?;
                    answer.task_id.parse::<TaskId>().map_err(|_| Error::Decode {
                        vendor: "krewdata",
                        operation,
                        reason: format!("the taskId {:?} is not a usable id", answer.task_id),
                        body: String::new(),
                    })
                },
            )
            .await?;
        Ok(StartedTask {
            job: JobRef::KrewdataTask {
                unit: run.unit.clone(),
                task: task.clone(),
            },
            unit: run.unit.clone(),
            task,
            token,
        })
    }

    /// Reads how a task stands, with a fresh token.
    pub async fn status(&self, unit: &UnitId, task: &TaskId) -> Result<StatusAnswer, Error> {
        let slot = TokenSlot::default();
        self.read_status(unit, task, &slot, false, self.core.single())
            .await
    }

    /// One status read with the token in `slot`: renewed when it is older than
    /// [`TOKEN_REUSE`], and once more when krewData says it is no longer good.
    async fn read_status(
        &self,
        unit: &UnitId,
        task: &TaskId,
        slot: &TokenSlot,
        from_wait: bool,
        within: Within,
    ) -> Result<StatusAnswer, Error> {
        let token = match slot.young() {
            Some(token) => token,
            None => {
                // One token request for every wait sharing the slot.
                let _one = slot.fetching.lock().await;
                match slot.young() {
                    Some(token) => token,
                    None => slot.put(self.token(unit, from_wait, within).await?),
                }
            }
        };
        match self.status_once(unit, task, &token, within).await {
            Err(e) if e.krewdata().is_some_and(KrewdataError::is_token_problem) => {
                tracing::info!(%unit, "status token refused; getting a new one once");
                let token = slot.put(self.token(unit, from_wait, within).await?);
                self.status_once(unit, task, &token, within).await
            }
            other => other,
        }
    }

    async fn status_once(
        &self,
        unit: &UnitId,
        task: &TaskId,
        token: &Token,
        within: Within,
    ) -> Result<StatusAnswer, Error> {
        let body = types::StatusRequest {
            access_token: token.secret.expose_secret().to_owned(),
            task_id: task.0.clone(),
        };
        let path = api_unit(unit)?;
        let operation = "getTaskStatus";
        self.core
            .send_read(
                operation,
                Repeat::Safe,
                within,
                || self.api.get_task_status(&path, &body),
                |answer| async move {
                    check_code(self.core.op(operation), answer.code, &answer)?;
                    Ok(answer)
                },
            )
            .await
    }

    wait::methods! {
        /// Runs a unit and waits until its task ends; `options.timeout` bounds both.
        fn start_and_wait(run: &RunUnit);
        /// Waits for a task by its reference (from another process, say). Waits by
        /// reference of one client share one status token per unit (krewData accepts any
        /// unexpired token of the unit), so many waits on a unit need one token request per
        /// [`TOKEN_REUSE`], not one each against the five per minute the run guard allows.
        fn wait;
        /// Waits for a task a run just started, reusing its token while it is young.
        fn wait_started(&StartedTask);
    }
}

/// What a wait for a task keeps: its ids and the token its reads use.
#[derive(Debug)]
pub(crate) struct Watched {
    unit: UnitId,
    task: TaskId,
    slot: Arc<TokenSlot>,
}

/// The wait of a task a run just started: its first read waits `poll_min`, as the vendor's
/// own sample does, and uses the run's token while it is young.
fn begun(started: &StartedTask) -> Result<Begun<Watched>, Error> {
    let slot = Arc::new(TokenSlot::default());
    slot.put(started.token.clone());
    Ok(Begun {
        job: started.job.clone(),
        watch: Watched {
            unit: started.unit.clone(),
            task: started.task.clone(),
            slot,
        },
        start: Start::Later,
    })
}

impl wait::Vendor for KrewdataClient {
    type Watch = Watched;

    fn core(&self) -> &Core {
        &self.core
    }

    fn watch(&self, job: &JobRef) -> Result<Watched, Error> {
        let JobRef::KrewdataTask { unit, task } = job else {
            return Err(job.refused("a krewData reference, krewdata:task:<unitId>:<taskId>"));
        };
        let slot = self
            .status_tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(unit.clone())
            .or_default()
            .clone();
        Ok(Watched {
            unit: unit.clone(),
            task: task.clone(),
            slot,
        })
    }

    async fn read(&self, watch: &Watched, within: Within) -> Result<Snapshot, Error> {
        self.read_status(&watch.unit, &watch.task, &watch.slot, true, within)
            .await
            .map(|a| snapshot(&a))
    }
}

/// The token a wait (or the waits of a unit) reuses.
#[derive(Debug, Default)]
struct TokenSlot {
    token: Mutex<Option<Token>>,
    fetching: tokio::sync::Mutex<()>,
}

impl TokenSlot {
    fn young(&self) -> Option<Token> {
        let guard = self
            .token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard
            .as_ref()
            .filter(|t| t.received.elapsed() < TOKEN_REUSE)
            .cloned()
    }

    fn put(&self, token: Token) -> Token {
        let mut guard = self
            .token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard = Some(token.clone());
        token
    }
}

fn api_unit(unit: &UnitId) -> Result<types::UnitId, Error> {
    types::UnitId::try_from(unit.0.as_str())
        .map_err(|e| Error::invalid("krewData execution unit id", unit.0.clone(), e.to_string()))
}

/// An answer that decoded as a success but whose JSON `code` says otherwise is an error.
fn check_code<T: Serialize>(c: Call, code: i32, answer: T) -> Result<T, Error> {
    if code == 200 {
        return Ok(answer);
    }
    let body = serde_json::to_vec(&answer).unwrap_or_default();
    let words = (c.dialect.words)(&body).unwrap_or_default();
    Err(c.api_error_with(200, words, &body, None))
}

/// How a task's status ends a wait.
pub(crate) fn phase(status: &ExecutionStatus) -> Phase {
    match status {
        ExecutionStatus::Success => Phase::Ended(OutcomeState::Succeeded),
        ExecutionStatus::Failure => Phase::Ended(OutcomeState::Failed),
        ExecutionStatus::Cancel => Phase::Ended(OutcomeState::Canceled),
        ExecutionStatus::Queuing | ExecutionStatus::Running | ExecutionStatus::Unknown(_) => {
            Phase::Running
        }
    }
}

fn written(t: &Option<jobrun_transport::VendorTime>) -> Option<jobrun_transport::VendorTime> {
    // A running flow's endTime is "" (seed 003): not a time.
    t.clone().filter(|t| !t.as_str().trim().is_empty())
}

fn snapshot(a: &StatusAnswer) -> Snapshot {
    let steps: Vec<Step> = a
        .flow_info
        .iter()
        .map(|f| Step {
            id: f.flow_exec_unique_key.clone(),
            name: f.flow_name.clone(),
            status: f.status.to_string(),
            started_at: written(&f.start_time),
            finished_at: written(&f.end_time),
            message: None,
            duration: None,
        })
        .collect();
    let phase = phase(&a.task_status);
    let started_at = steps.iter().find_map(|s| s.started_at.clone());
    let finished_at = match phase {
        Phase::Running => None,
        _ => steps.iter().rev().find_map(|s| s.finished_at.clone()),
    };
    Snapshot {
        started_at,
        finished_at,
        error_code: a.error_code.clone(),
        error_message: a.error_message.clone(),
        steps,
        ..Snapshot::new(a.task_status.to_string(), a.task_status.is_known(), phase)
    }
}

impl Error {
    /// The documented krewData error this is, if it is one.
    pub fn krewdata(&self) -> Option<&KrewdataError> {
        match self.vendor_error()? {
            VendorError::Krewdata(k) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_agree_with_the_spec_terminal_list() {
        wait::assert_phases_agree!(ExecutionStatus, "Paused", phase);
    }

    #[test]
    fn ids_and_app_urls_are_checked() {
        assert!("abcdefghijklmn".parse::<UnitId>().is_ok());
        for bad in ["", "a/b", "a b", "ユニット", "a?b"] {
            let err = bad.parse::<UnitId>().expect_err(bad).to_string();
            assert!(err.contains("execution unit id"), "{err}");
        }
        assert!("hijklmn8901234".parse::<TaskId>().is_ok());
        assert!("has space".parse::<TaskId>().is_err());
        for ok in [
            "https://yourdomain.cybozu.com/k/123",
            "https://yourdomain.cybozu.com/k/123/",
        ] {
            assert!(ok.parse::<AppUrl>().is_ok(), "{ok}");
        }
        for bad in [
            "http://yourdomain.cybozu.com/k/123",
            "https://yourdomain.cybozu.com/k/abc",
            "https://yourdomain.cybozu.com/k/",
            "https://yourdomain.cybozu.com/123",
            "https://yourdomain.cybozu.com/k/123?x=1",
            "yourdomain.cybozu.com/k/123",
        ] {
            let err = bad.parse::<AppUrl>().expect_err(bad).to_string();
            assert!(err.contains("/k/<app id>"), "{err}");
        }
    }

    #[test]
    fn records_from_fields_and_from_kintone_json() {
        let r = Record::new()
            .parse_field("入荷日=DATE:2020-11-01")
            .expect("valid")
            .parse_field("メモ=MULTI_LINE_TEXT:a=b:c")
            .expect("value keeps = and :");
        let json = serde_json::to_value(&r.0).expect("json");
        assert_eq!(json["入荷日"]["type"], "DATE");
        assert_eq!(json["メモ"]["value"], "a=b:c");
        for bad in ["no-equals", "code=nocolon", "=DATE:x", "c=date:x"] {
            assert!(Record::new().parse_field(bad).is_err(), "{bad}");
        }
        let plain = Record::from_json(r#"{"レコード番号":{"type":"RECORD_NUMBER","value":"1"}}"#)
            .expect("kintone record");
        let wrapped = Record::from_json(
            r#"{"record":{"レコード番号":{"type":"RECORD_NUMBER","value":"1"}}}"#,
        )
        .expect("record API answer");
        assert_eq!(plain, wrapped);
        for bad in ["[]", r#"{"a":1}"#, r#"{"a":{"type":"X"}}"#, "not json"] {
            let err = Record::from_json(bad).expect_err(bad).to_string();
            assert!(err.contains("kintone record"), "{err}");
        }
    }

    #[test]
    fn the_serial_is_sent_as_btoa_makes_it_and_never_shown() {
        let config = KrewdataConfig::new(
            "https://yourdomain.cybozu.com/k/123".parse().expect("url"),
            SecretString::from("abcdef-jklmno-pqrstu-xyz123-456789"),
        )
        .expect("valid")
        .run_guard(RunGuard::disabled());
        let shown = format!("{config:?}");
        assert!(!shown.contains("abcdef-jklmno"), "{shown}");
        let client = KrewdataClient::new(config).expect("client");
        // window.btoa("abcdef-jklmno-pqrstu-xyz123-456789")
        assert_eq!(
            client.serial_base64.expose_secret(),
            "YWJjZGVmLWprbG1uby1wcXJzdHUteHl6MTIzLTQ1Njc4OQ=="
        );
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("YWJjZGVm") && !shown.contains("abcdef-"),
            "{shown}"
        );
    }

    #[test]
    fn flows_become_steps_and_a_running_end_time_is_no_time() {
        let answer: StatusAnswer = serde_json::from_str(
            r#"{"code":200,"status":"OK","taskStatus":"Failure","errorCode":"33","errorMessage":"m",
               "flowInfo":[{"flowExecUniqueKey":"1","flowName":"フロー1","status":"Failure","startTime":"2020-12-01 09:00:00","endTime":"2020-12-01 09:01:00"},
                           {"flowExecUniqueKey":"2","flowName":"フロー2","status":"Cancel"}]}"#,
        )
        .expect("decodes");
        let s = snapshot(&answer);
        assert_eq!(s.phase, Phase::Ended(OutcomeState::Failed));
        assert_eq!(s.error_code.as_deref(), Some("33"));
        assert_eq!(s.steps[1].status, "Cancel");
        assert_eq!(
            s.finished_at.as_ref().map(|t| t.as_str()),
            Some("2020-12-01 09:01:00")
        );
        let running: StatusAnswer = serde_json::from_str(
            r#"{"code":200,"status":"OK","taskStatus":"Running","flowInfo":[{"flowName":"f","status":"Running","startTime":"2020-12-01 09:00:00","endTime":""}]}"#,
        )
        .expect("decodes");
        let s = snapshot(&running);
        assert_eq!(s.steps[0].finished_at, None);
        assert_eq!(s.finished_at, None);
    }
}
