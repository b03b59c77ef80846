//! ASTERIA Warp: list checkpoint-flow requests, show one, re-run a failed one from its last
//! checkpoint and wait until it ends, through the Flow Service API (XML answers).
//!
//! ```no_run
//! use jobrun::asteria::AsteriaClient;
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! // ASTERIA_BASE_URL, ASTERIA_USER, ASTERIA_PASSWORD
//! let client = AsteriaClient::from_env()?;
//! let outcome = client
//!     .start_and_wait(
//!         &"eedd0d83-ac7a-482d-ae95-aa16c1d87d43".parse()?,
//!         "20121005".parse()?,
//!         &WaitOptions::default(),
//!         &mut |event| eprintln!("{event:?}"),
//!     )
//!     .await;
//! client.logout().await;
//! println!("{:?}", outcome?.details);
//! # Ok(()) }
//! ```
//!
//! Sessions: the client logs in on first use, sends the session in `X-Fs-SessionId`, logs in
//! again once when an answer says it is not logged in (error 2001: the session expired), and
//! logs out on [`AsteriaClient::logout`]. Concurrent callers share one login.
//!
//! Logs: the XML library (yaserde) logs every text it reads at debug level under the target
//! `yaserde`, session ids included. Keep that target off in your subscriber (e.g.
//! `RUST_LOG=debug,yaserde=off`); the `jobrun` command always does.
//!
//! Re-runs: rerun answers at once, and for a moment show may still answer the request's old
//! `error`. jobrun reads the request before re-running it and trusts no `error` whose
//! `restartTime` is the one from before: until show reflects the rerun the wait reports
//! `rerun requested`.

mod error;

use std::{
    collections::BTreeMap,
    fmt,
    num::NonZeroU32,
    str::FromStr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use asteria_warp_api::{Client, types, xml};
pub use asteria_warp_api::{
    types::RequestStatus,
    xml::{Answer, Request},
};
use chrono::NaiveDate;
use futures::{Stream, TryStreamExt};
use jobrun_transport::{SecretSlot, SecretString, VendorTime};
use secrecy::ExposeSecret;
use serde::Serialize;

pub use error::AsteriaError;

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, allow_http_from_env, required_env},
    error::VendorError,
    outcome::{JobRef, OutcomeState},
    request::{Answer as Sent, Call, Core, Dialect, Repeat, Secrets, Within},
    wait::{self, Begun, Phase, Snapshot, Start},
};

/// Environment variable with the server's URL, `http(s)://host[:port]`.
pub const BASE_URL_ENV: &str = "ASTERIA_BASE_URL";
/// Environment variable with the user name to log in as.
pub const USER_ENV: &str = "ASTERIA_USER";
/// Environment variable with the password (a secret).
pub const PASSWORD_ENV: &str = "ASTERIA_PASSWORD";
/// Environment variable setting the cap of the adaptive request rate (`N/DURATION`, or
/// `unlimited`).
pub const RATE_LIMIT_ENV: &str = "ASTERIA_RATE_LIMIT";
/// ASTERIA documents no limit; its server is the customer's own, so calls are paced
/// adaptively up to 10 per second per server and user, slowing down on 429 or 5xx.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Adaptive {
    requests: 10,
    per: Duration::from_secs(1),
};
/// The Flow Designer listener port of a standard install (research B2), used when a plain
/// `http://` URL names none.
pub const DEFAULT_PORT: u16 = 21381;
/// The server's page size when none is given (seed 004).
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// What a wait reports while show still answers the state from before the rerun.
pub const RERUN_REQUESTED: &str = "rerun requested";
const FORM: &str = "application/x-www-form-urlencoded";
const FORM_UTF8: &str = "application/x-www-form-urlencoded; charset=UTF-8";
const SESSION_HEADER: &str = "X-Fs-SessionId";

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
    fn api(self) -> Result<types::Date, Error> {
        types::Date::try_from(self.to_string())
            .map_err(|e| Error::invalid("date", self.to_string(), e.to_string()))
    }
}

/// How to reach an ASTERIA Warp server.
#[derive(Clone, Debug)]
pub struct AsteriaConfig {
    base_url: BaseUrl,
    user: String,
    password: SecretString,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// How long a single call (not a wait) keeps retrying transient errors.
    pub retry_budget: Duration,
    /// The request budget of this server and user.
    pub rate_limit: RateLimit,
}

impl AsteriaConfig {
    /// A configuration for the server at `base_url` (`http(s)://host[:port]`; a plain `http://`
    /// URL without a port gets [`DEFAULT_PORT`]). ASTERIA servers often speak plain HTTP
    /// inside a company network: plain HTTP to a host other than loopback needs `allow_http`,
    /// because the password would travel unencrypted.
    pub fn new(
        base_url: &str,
        allow_http: bool,
        user: impl Into<String>,
        password: SecretString,
    ) -> Result<Self, Error> {
        let user = user.into();
        if user.trim().is_empty() {
            return Err(Error::Config(format!(
                "the ASTERIA user name is empty; set {USER_ENV}"
            )));
        }
        Ok(Self {
            base_url: BaseUrl::parse(&with_default_port(base_url), allow_http)?,
            user,
            password,
            http: HttpSettings::default(),
            retry_budget: Duration::from_secs(120),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads `ASTERIA_BASE_URL`, `ASTERIA_USER` and `ASTERIA_PASSWORD` (all required) and
    /// `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let url = required_env(
            BASE_URL_ENV,
            "the Flow Service URL, such as http://warp.example.local:21381",
        )?;
        let user = required_env(USER_ENV, "the user name to log in as")?;
        let password = required_env(PASSWORD_ENV, "the user's password")?;
        let mut config = Self::new(
            &url,
            allow_http_from_env()?,
            user,
            SecretString::from(password),
        )?;
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        Ok(config)
    }

    /// The base URL in use.
    pub fn url(&self) -> &BaseUrl {
        &self.base_url
    }
}

/// A plain `http://host` means the Flow Designer listener's standard port; `https://` without a
/// port is taken to be a TLS proxy on 443.
fn with_default_port(text: &str) -> String {
    match url::Url::parse(text.trim()) {
        Ok(mut url) if url.scheme() == "http" && url.port().is_none() && url.host().is_some() => {
            let _ = url.set_port(Some(DEFAULT_PORT));
            url.to_string()
        }
        _ => text.to_owned(),
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

/// A rerun that was accepted, with what show said before it (to tell its effect from the
/// state before).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StartedRerun {
    /// `asteria:request:<requestId>:<YYYYMMDD>`.
    pub job: JobRef,
    /// Where the request had stopped (checkPointStatus before the rerun).
    pub stopped_at: Option<String>,
    #[serde(skip)]
    before_restart: Option<String>,
}

static DIALECT: Dialect = Dialect {
    vendor: "asteria",
    reset_header: None,
    words: error::words,
    auth_hint: "check the user name, the password and the Enterprise licence",
    status_kind: error::status_kind,
    check: "show the request: a restart time after the rerun means it took effect",
};

/// An ASTERIA Warp client: sessions handled, XML decoded, waits.
#[derive(Clone, Debug)]
pub struct AsteriaClient {
    api: Client,
    core: Core,
    user: String,
    password: SecretString,
    session: SecretSlot,
    /// Counts logins, so that callers who all saw the same session refused log in once.
    generation: Arc<AtomicU64>,
    login_lock: Arc<tokio::sync::Mutex<()>>,
}

impl AsteriaClient {
    /// Builds a client; nothing is sent until the first call.
    pub fn new(config: AsteriaConfig) -> Result<Self, Error> {
        let session = SecretSlot::new();
        let transport = config
            .http
            .transport()
            .with_content_type(FORM, FORM_UTF8)
            .with_secret_slot(SESSION_HEADER, session.clone())
            .map_err(|e| Error::Config(e.to_string()))?;
        let http = config.http.build()?;
        let secrets = Secrets::default();
        secrets.add(config.password.expose_secret());
        let account = ["asteria", config.base_url.as_str(), &config.user];
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
            user: config.user,
            password: config.password,
            session,
            generation: Arc::new(AtomicU64::new(0)),
            login_lock: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// [`AsteriaClient::new`] with [`AsteriaConfig::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(AsteriaConfig::from_env()?)
    }

    /// Sends one call and reads its XML answer; a `status` other than success is an error.
    async fn answer<Fut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        within: Within,
        send: impl Fn() -> Fut,
    ) -> Result<xml::Answer, Error>
    where
        Fut: Future<Output = Sent<progenitor_client::ByteStream>>,
    {
        let call = self.core.op(operation);
        self.core
            .send_read(operation, repeat, within, send, |stream| {
                read_answer(call, stream)
            })
            .await
    }

    /// Logs in unless a session is open; returns the login generation it used.
    async fn session(&self, within: Within) -> Result<u64, Error> {
        if self.session.is_set() {
            return Ok(self.generation.load(Ordering::SeqCst));
        }
        self.login_after(None, within).await
    }

    /// Logs in, unless another caller already did since generation `seen` (or, with `None`,
    /// unless a session is open by the time the lock is held).
    async fn login_after(&self, seen: Option<u64>, within: Within) -> Result<u64, Error> {
        let Ok(_one_at_a_time) =
            tokio::time::timeout_at(within.deadline.end(), self.login_lock.lock()).await
        else {
            return Err(Error::Transport {
                vendor: "asteria",
                operation: "login",
                message: "another caller's login did not end before the deadline".into(),
                fate: crate::RequestFate::NotSent,
            });
        };
        let current = self.generation.load(Ordering::SeqCst);
        let fresh = match seen {
            Some(seen) => current != seen,
            None => self.session.is_set(),
        };
        if fresh {
            return Ok(current);
        }
        self.session.clear();
        let form = types::LoginForm {
            user_name: self.user.clone(),
            password: self.password.expose_secret().to_owned(),
        };
        let answer = self
            .answer("login", Repeat::Once, within, || self.api.login(&form))
            .await?;
        let id = answer
            .data
            .as_ref()
            .and_then(|d| d.session_id.clone())
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Error::Decode {
                vendor: "asteria",
                operation: "login",
                reason: "the answer holds no sessionId".into(),
                body: String::new(),
            })?;
        self.core.secrets().add_recent(&id);
        self.session
            .set(&SecretString::from(id))
            .map_err(|e| Error::Decode {
                vendor: "asteria",
                operation: "login",
                reason: e.to_string(),
                body: String::new(),
            })?;
        tracing::debug!(user = %self.user, "logged in");
        Ok(self.generation.fetch_add(1, Ordering::SeqCst) + 1)
    }

    /// One call with the session, logging in again once if the server says it is not logged
    /// in (an expired session: error 2001, or any HTTP 403, whatever its body's element names
    /// are). A refusal for want of a session means the call was not carried out, so even a
    /// rerun may be repeated then.
    async fn with_session<Fut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        within: Within,
        send: impl Fn() -> Fut,
    ) -> Result<xml::Answer, Error>
    where
        Fut: Future<Output = Sent<progenitor_client::ByteStream>>,
    {
        let generation = self.session(within).await?;
        match self.answer(operation, repeat, within, &send).await {
            Err(e) if e.asteria() == Some(&AsteriaError::NotLoggedIn) => {
                tracing::info!(operation, "not logged in; logging in again once");
                self.login_after(Some(generation), within).await?;
                self.answer(operation, repeat, within, &send).await
            }
            other => other,
        }
    }

    /// Logs out if a session is open, within the client's single-call bound (callers that
    /// must not wait that long put their own timeout around it). Errors are logged, not
    /// returned: the session ends on the server anyway. While the server's rate limit holds
    /// every call of the account back (a 429 asked for a pause), no logout is sent: it would
    /// wait out the pause, for a session the server ends by itself.
    pub async fn logout(&self) {
        if !self.session.is_set() {
            return;
        }
        if self.core.budget().is_paused() {
            tracing::info!("not logging out while rate limited; the session expires on the server");
            self.session.clear();
            return;
        }
        let within = Within::read(&self.core.single().deadline);
        if let Err(e) = self
            .answer("logout", Repeat::Once, within, || self.api.logout())
            .await
        {
            tracing::warn!(error = %e, "logout failed; the session expires on the server");
        }
        self.session.clear();
    }

    /// One page of requests.
    async fn page(&self, filter: &ListFilter, page: NonZeroU32) -> Result<Vec<Request>, Error> {
        let date = filter.date.map(CheckpointDate::api).transpose()?;
        let size = filter.size;
        let answer = self
            .with_session("listCheckpoints", Repeat::Safe, self.core.single(), || {
                self.api.list_checkpoints(
                    date.as_ref(),
                    filter.domain.as_deref(),
                    filter.flow.as_deref(),
                    Some(page),
                    filter.project.as_deref(),
                    size,
                    filter.status.as_ref(),
                    filter.user.as_deref(),
                )
            })
            .await?;
        Ok(answer.data.map(|d| d.requests).unwrap_or_default())
    }

    /// The requests matching `filter`, page after page until a page comes back short (or only
    /// `filter.page`). A page that repeats the previous one ends the walk with an error rather
    /// than a loop.
    pub fn list<'a>(
        &'a self,
        filter: &'a ListFilter,
    ) -> impl Stream<Item = Result<Request, Error>> + 'a {
        let size = filter.size.map_or(DEFAULT_PAGE_SIZE, NonZeroU32::get) as usize;
        let first = filter.page.unwrap_or(NonZeroU32::MIN);
        let state = (Some(first), None::<Vec<String>>);
        futures::stream::try_unfold(state, move |(next, previous)| async move {
            let Some(page) = next else {
                return Ok(None);
            };
            let requests = self.page(filter, page).await?;
            let ids: Vec<String> = requests.iter().map(|r| r.request_id.clone()).collect();
            if !ids.is_empty() && previous.as_ref() == Some(&ids) {
                return Err(Error::Decode {
                    vendor: "asteria",
                    operation: "listCheckpoints",
                    reason: format!(
                        "page {page} repeats the page before it; stopping instead of looping"
                    ),
                    body: String::new(),
                });
            }
            let more = filter.page.is_none() && requests.len() >= size && size > 0;
            let next = more.then(|| page.checked_add(1)).flatten();
            Ok(Some((
                futures::stream::iter(requests.into_iter().map(Ok)),
                (next, Some(ids)),
            )))
        })
        .try_flatten()
    }

    /// One request (its start date makes the server faster).
    pub async fn show(
        &self,
        request: &RequestId,
        date: Option<CheckpointDate>,
    ) -> Result<Request, Error> {
        self.show_within(request, date, self.core.single()).await
    }

    async fn show_within(
        &self,
        request: &RequestId,
        date: Option<CheckpointDate>,
        within: Within,
    ) -> Result<Request, Error> {
        let id = api_request_id(request)?;
        let date = date.map(CheckpointDate::api).transpose()?;
        let answer = self
            .with_session("showCheckpoint", Repeat::Safe, within, || {
                self.api.show_checkpoint(date.as_ref(), &id)
            })
            .await?;
        answer
            .data
            .and_then(|d| d.requests.into_iter().next())
            .ok_or_else(|| Error::Decode {
                vendor: "asteria",
                operation: "showCheckpoint",
                reason: format!("the answer holds no request {request}"),
                body: String::new(),
            })
    }

    /// Re-runs a request that ended in `error` from its last checkpoint. The request is read
    /// first (a request that did not end in error is refused before anything is re-run), and
    /// the rerun is never sent twice by a retry.
    pub async fn start(
        &self,
        request: &RequestId,
        date: CheckpointDate,
    ) -> Result<StartedRerun, Error> {
        self.start_within(request, date, self.core.single()).await
    }

    async fn start_within(
        &self,
        request: &RequestId,
        date: CheckpointDate,
        within: Within,
    ) -> Result<StartedRerun, Error> {
        let before = match self.show_within(request, Some(date), within).await {
            Err(e) if e.asteria() == Some(&AsteriaError::NotFound) => return Err(e),
            other => other?,
        };
        if before.status() != RequestStatus::Error {
            return Err(not_in_error(request, &before.status));
        }
        let form = types::RerunForm {
            date: date.api()?,
            request_id: api_request_id(request)?,
        };
        let operation = "rerunCheckpoint";
        let answer = match self
            .with_session(operation, Repeat::Trigger, within, || {
                self.api.rerun_checkpoint(&form)
            })
            .await
        {
            // 2002 means "no such request" or "not in error"; the request was there a moment
            // ago, so ask it which.
            Err(e) if e.asteria() == Some(&AsteriaError::NotFound) => {
                return Err(match self.show_within(request, Some(date), within).await {
                    Ok(now) => not_in_error(request, &now.status),
                    Err(_) => e,
                });
            }
            other => other?,
        };
        let answered = answer
            .data
            .and_then(|d| d.request_id)
            .filter(|id| !id.trim().is_empty())
            .map(|id| id.parse::<RequestId>())
            .transpose()
            .map_err(|e| self.core.unconfirmed_as(operation, e))?;
        // The seed's sample answers the id it was given; another id is another request, for
        // which the state before is no baseline.
        let (id, before_restart) = match answered {
            Some(id) if id != *request => (id, None),
            _ => (
                request.clone(),
                Some(before.restart_time.clone().unwrap_or_default()),
            ),
        };
        Ok(StartedRerun {
            job: JobRef::AsteriaRequest { request: id, date },
            stopped_at: before.check_point_status.clone().filter(|s| !s.is_empty()),
            before_restart,
        })
    }

    wait::methods! {
        /// Re-runs a request and waits until it ends; `options.timeout` bounds both.
        fn start_and_wait(request: &RequestId, date: CheckpointDate);
        /// Waits for a request by its reference (from another process, say). Without the
        /// state from before a rerun there is nothing to tell a stale `error` by: resume a
        /// wait after show has reflected the rerun.
        fn wait;
        /// Waits for a rerun just started: an `error` whose restartTime is the one from
        /// before the rerun is the old state, reported as [`RERUN_REQUESTED`] and never taken
        /// as the outcome.
        fn wait_started(&StartedRerun);
    }
}

/// What a wait for a request keeps: its ids, and the restart time from before a rerun until
/// show reflects the rerun.
#[derive(Debug)]
pub(crate) struct Watched {
    request: RequestId,
    date: CheckpointDate,
    before_restart: Option<String>,
    reflected: AtomicBool,
}

impl Watched {
    fn of(job: &JobRef, before_restart: Option<String>) -> Result<Self, Error> {
        let JobRef::AsteriaRequest { request, date } = job else {
            return Err(job.refused("an ASTERIA reference, asteria:request:<requestId>:<YYYYMMDD>"));
        };
        Ok(Self {
            request: request.clone(),
            date: *date,
            reflected: AtomicBool::new(before_restart.is_none()),
            before_restart,
        })
    }
}

/// The wait of a rerun just started: its first read waits `poll_min`.
fn begun(started: &StartedRerun) -> Result<Begun<Watched>, Error> {
    Ok(Begun {
        job: started.job.clone(),
        watch: Watched::of(&started.job, started.before_restart.clone())?,
        start: Start::Later,
    })
}

impl wait::Vendor for AsteriaClient {
    type Watch = Watched;

    fn core(&self) -> &Core {
        &self.core
    }

    fn watch(&self, job: &JobRef) -> Result<Watched, Error> {
        Watched::of(job, None)
    }

    async fn read(&self, watch: &Watched, within: Within) -> Result<Snapshot, Error> {
        let now = self
            .show_within(&watch.request, Some(watch.date), within)
            .await?;
        let stale = !watch.reflected.load(Ordering::SeqCst)
            && now.status() == RequestStatus::Error
            && now.restart_time.clone().unwrap_or_default()
                == watch.before_restart.clone().unwrap_or_default();
        if stale {
            return Ok(Snapshot::new(RERUN_REQUESTED.into(), true, Phase::Running));
        }
        watch.reflected.store(true, Ordering::SeqCst);
        Ok(snapshot(&now))
    }
}

fn not_in_error(request: &RequestId, status: &str) -> Error {
    Error::from(crate::ApiError {
        vendor: "asteria",
        operation: "rerunCheckpoint",
        status: 404,
        code: Some("2002".into()),
        message: Some(format!(
            "request {request} is {status}, not error: only a request that ended in error can be re-run"
        )),
        details: Vec::new(),
        body: String::new(),
        retry_after: None,
        kind: Some(VendorError::Asteria(AsteriaError::NotInError {
            status: status.to_owned(),
        })),
        request_id: None,
        auth_hint: "",
    })
}

fn api_request_id(request: &RequestId) -> Result<types::RequestId, Error> {
    types::RequestId::try_from(request.0.as_str())
        .map_err(|e| Error::invalid("ASTERIA request id", request.0.clone(), e.to_string()))
}

/// Collects an XML answer; a body that is not the documented XML is a decode error keeping it.
async fn read_answer(c: Call, stream: progenitor_client::ByteStream) -> Result<xml::Answer, Error> {
    let chunks: Vec<bytes::Bytes> = stream
        .into_inner()
        .try_collect()
        .await
        .map_err(|e| c.body_error(&e))?;
    let body = chunks.concat();
    let text = String::from_utf8_lossy(&body);
    let answer = xml::from_xml(&text)
        .map_err(|reason| c.decode(format!("not the documented XML: {reason}"), text.as_bytes()))?;
    match error::error_words(&answer) {
        Some(words) => Err(c.api_error_with(200, words, &body, None)),
        None => Ok(answer),
    }
}

/// How a request's status ends a wait.
pub(crate) fn phase(status: &RequestStatus) -> Phase {
    match status {
        RequestStatus::Success => Phase::Ended(OutcomeState::Succeeded),
        RequestStatus::Error => Phase::Ended(OutcomeState::Failed),
        RequestStatus::Running | RequestStatus::Unknown(_) => Phase::Running,
    }
}

fn time(text: &Option<String>) -> Option<VendorTime> {
    let text = text.as_deref().filter(|t| !t.trim().is_empty())?;
    let t: VendorTime = text.parse().unwrap_or_else(|never| match never {});
    if t.parse().is_none() {
        tracing::warn!(
            time = text,
            "a time jobrun cannot place on the clock; kept as written"
        );
    }
    Some(t)
}

fn snapshot(r: &Request) -> Snapshot {
    let status = r.status();
    let details: BTreeMap<String, String> = [
        ("check_point_status", &r.check_point_status),
        ("check_point_restart_status", &r.check_point_restart_status),
        ("restart_time", &r.restart_time),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_owned(), v.clone().filter(|v| !v.is_empty())?)))
    .collect();
    Snapshot {
        started_at: time(&r.start_time),
        finished_at: match phase(&status) {
            Phase::Running => None,
            _ => time(&r.end_time),
        },
        details,
        ..Snapshot::new(status.to_string(), status.is_known(), phase(&status))
    }
}

impl Error {
    /// The ASTERIA Warp error this is, if it is one.
    pub fn asteria(&self) -> Option<&AsteriaError> {
        match self.vendor_error()? {
            VendorError::Asteria(k) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_agree_with_the_spec_terminal_list() {
        wait::assert_phases_agree!(RequestStatus, "suspend", phase);
    }

    #[test]
    fn dates_ids_and_urls_are_checked() {
        assert_eq!(
            "20121005"
                .parse::<CheckpointDate>()
                .expect("valid")
                .to_string(),
            "20121005"
        );
        for bad in ["20120230", "2012105", "2012-10-05", "201210055", ""] {
            let err = bad.parse::<CheckpointDate>().expect_err(bad).to_string();
            assert!(err.contains("YYYYMMDD"), "{err}");
        }
        assert!(
            "eedd0d83-ac7a-482d-ae95-aa16c1d87d432"
                .parse::<RequestId>()
                .is_ok()
        );
        for bad in ["", "has space", "tab\there"] {
            assert!(bad.parse::<RequestId>().is_err(), "{bad:?}");
        }
        assert_eq!(
            with_default_port("http://warp.example.local"),
            "http://warp.example.local:21381/"
        );
        assert_eq!(
            with_default_port("https://warp.example.com"),
            "https://warp.example.com"
        );
        let err = AsteriaConfig::new(
            "http://warp.example.local",
            false,
            "guest",
            SecretString::from("pw"),
        )
        .expect_err("plain http elsewhere");
        assert!(err.to_string().contains("JOBRUN_ALLOW_HTTP"), "{err}");
        assert!(
            AsteriaConfig::new(
                "http://127.0.0.1:21381",
                false,
                "guest",
                SecretString::from("pw")
            )
            .is_ok()
        );
    }

    #[test]
    fn the_password_never_shows() {
        let config = AsteriaConfig::new(
            "http://127.0.0.1:21381",
            false,
            "guest",
            SecretString::from("hunter2-secret"),
        )
        .expect("valid");
        let client = AsteriaClient::new(config.clone()).expect("client");
        let shown = format!("{config:?} {client:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn a_request_becomes_a_snapshot_with_its_checkpoints() {
        let answer = xml::from_xml(
            "<result><status>success</status><data><request><requestId>r1</requestId>\
             <status>error</status><startTime>2012-10-05T18:06:59 JST</startTime>\
             <checkPointStatus>CheckPoint2</checkPointStatus><endTime>2012-10-05T20:47:12 JST</endTime>\
             <restartTime>2012-10-05T20:46:44 JST</restartTime>\
             <checkPointRestartStatus>CheckPoint1</checkPointRestartStatus></request></data></result>",
        )
        .expect("decodes");
        let request = &answer.data.expect("data").requests[0];
        let s = snapshot(request);
        assert_eq!(s.phase, Phase::Ended(OutcomeState::Failed));
        assert_eq!(s.details["check_point_status"], "CheckPoint2");
        assert_eq!(s.details["check_point_restart_status"], "CheckPoint1");
        assert_eq!(
            s.finished_at
                .and_then(|t| t.parse())
                .map(|t| t.to_rfc3339()),
            Some("2012-10-05T20:47:12+09:00".to_owned())
        );
    }
}
