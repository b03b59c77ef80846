//! The client: the session, show, list, rerun and waits, over the request core and the waiter.

use std::{
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use asteria_warp_api::{Client, types, xml};
use futures::{Stream, TryStreamExt};
use jobrun_transport::{SecretSlot, SecretString};
use secrecy::ExposeSecret;
use serde::Serialize;

use super::{
    AsteriaConfig, AsteriaError, CheckpointDate, DEFAULT_PAGE_SIZE, FORM, FORM_UTF8, ListFilter,
    RERUN_REQUESTED, Request, RequestId, RequestStatus, SESSION_HEADER, error,
    input::api_request_id, status::snapshot,
};
use crate::{
    Error,
    error::VendorError,
    outcome::JobRef,
    request::{Answer as Sent, Call, Core, Dialect, Repeat, Secrets, Within},
    wait::{self, Begun, Phase, Snapshot, Start},
};

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
            core: Core::new(&DIALECT, &config.http, &account, config.rate_limit, secrets)?,
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
