//! Adobe Experience Platform Query Service: scheduled queries and their runs, with Adobe's
//! OAuth (IMS, server to server) handled.
//!
//! ```no_run
//! use jobrun::adobe::AdobeClient;
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! // ADOBE_CLIENT_ID, ADOBE_CLIENT_SECRET, ADOBE_ORG_ID, ADOBE_SCOPES (, ADOBE_SANDBOX, …)
//! let client = AdobeClient::from_env()?;
//! let schedule = "e95186d6_sample_scheduled_query".parse()?;
//! let outcome = client
//!     .start_and_wait(&schedule, &WaitOptions::default(), &mut |event| eprintln!("{event:?}"))
//!     .await?;
//! for task in &outcome.steps {
//!     println!("{} {}", task.name, task.status);
//! }
//! # Ok(()) }
//! ```
//!
//! Tokens: fetched from IMS on first use, cached, renewed a margin before `expires_in`
//! (seconds), fetched by one caller at a time however many wait; a 401 with the gateway's
//! invalid-token answer (401013) gets one renewal and one retry, never more.
//!
//! Triggers: Adobe answers 202 without the new run's id. jobrun notes the externally
//! triggered runs before the trigger, then lists them (newest first) until exactly one new run
//! appears. Two or more new runs (someone else triggered too) are an error naming them:
//! jobrun does not guess. A trigger is never re-sent by a retry (only after a refused
//! connection, or after the gateway refused an expired token, which proves it was not run).

mod error;
mod input;
mod token;

use std::{collections::HashSet, num::NonZeroU32, time::Duration};

use adobe_ims_api::{Client as ImsClient, types as ims};
pub use adobe_query_api::types::{
    Accepted, Run, RunDetails, RunState, RunStateKind, Schedule, ScheduleState, Task,
};
use adobe_query_api::{Client, types};
use futures::{Stream, TryStreamExt};
use jobrun_transport::{SecretSlot, SecretString};
use secrecy::ExposeSecret;

pub use error::AdobeError;
pub use input::{Cron, Filter, IsoDate, MAX_LIMIT, OrderBy, RunId, ScheduleId, parse_limit};

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, env_var, required_env},
    error::VendorError,
    outcome::{JobRef, OutcomeState, Step},
    request::Backoff,
    request::{Answer, Core, Deadline, Dialect, Repeat, Secrets, Within, no_kind},
    wait::{self, Begun, Phase, Snapshot, Start},
};

/// Environment variables of the configuration.
pub const CLIENT_ID_ENV: &str = "ADOBE_CLIENT_ID";
/// The OAuth client secret (a secret).
pub const CLIENT_SECRET_ENV: &str = "ADOBE_CLIENT_SECRET";
/// The IMS organization id (`…@AdobeOrg`).
pub const ORG_ID_ENV: &str = "ADOBE_ORG_ID";
/// The credential's scopes, comma separated, as Developer Console shows them.
pub const SCOPES_ENV: &str = "ADOBE_SCOPES";
/// The sandbox (default `prod`).
pub const SANDBOX_ENV: &str = "ADOBE_SANDBOX";
/// The IMS URL (default <https://ims-na1.adobelogin.com>).
pub const IMS_URL_ENV: &str = "ADOBE_IMS_URL";
/// The Platform URL (default <https://platform.adobe.io>).
pub const PLATFORM_URL_ENV: &str = "ADOBE_PLATFORM_URL";
/// IMS's documented host.
pub const DEFAULT_IMS_URL: &str = "https://ims-na1.adobelogin.com";
/// Platform's documented host.
pub const DEFAULT_PLATFORM_URL: &str = "https://platform.adobe.io";
/// The sandbox when none is named.
pub const DEFAULT_SANDBOX: &str = "prod";
/// Where the Query Service lives under the Platform URL.
const QUERY_BASE: &str = "/data/foundation/query";
/// Environment variable setting the cap of the adaptive request rate (`N/DURATION`, or
/// `unlimited`).
pub const RATE_LIMIT_ENV: &str = "ADOBE_RATE_LIMIT";
/// Adobe documents no Query Service limit: calls are paced adaptively up to 10 per second
/// per organization and credential, slowing down when Adobe answers 429 or 5xx.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Adaptive {
    requests: 10,
    per: Duration::from_secs(1),
};

/// How to reach Adobe.
#[derive(Clone, Debug)]
pub struct AdobeConfig {
    client_id: String,
    client_secret: SecretString,
    org_id: String,
    scopes: String,
    sandbox: String,
    ims_url: BaseUrl,
    platform_url: BaseUrl,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// How long a single call (not a wait) keeps retrying transient errors.
    pub retry_budget: Duration,
    /// How long, after a trigger, jobrun looks for the run it started.
    pub discovery_timeout: Duration,
    /// The request budget of this organization and credential (IMS has its own).
    pub rate_limit: RateLimit,
}

impl AdobeConfig {
    /// A configuration for Adobe's public hosts and the `prod` sandbox.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: SecretString,
        org_id: impl Into<String>,
        scopes: impl Into<String>,
    ) -> Result<Self, Error> {
        let client_id = client_id.into();
        let org_id = org_id.into();
        for (name, value) in [(CLIENT_ID_ENV, &client_id), (ORG_ID_ENV, &org_id)] {
            if value.trim().is_empty() || value.chars().any(char::is_control) {
                return Err(Error::Config(format!(
                    "{name} is empty or holds control characters"
                )));
            }
        }
        if client_secret.expose_secret().trim().is_empty() {
            return Err(Error::Config(format!("{CLIENT_SECRET_ENV} is empty")));
        }
        Ok(Self {
            client_id,
            client_secret,
            org_id,
            scopes: scopes.into(),
            sandbox: DEFAULT_SANDBOX.to_owned(),
            ims_url: BaseUrl::parse(DEFAULT_IMS_URL, false)?,
            platform_url: BaseUrl::parse(DEFAULT_PLATFORM_URL, false)?,
            http: HttpSettings::default(),
            retry_budget: Duration::from_secs(120),
            discovery_timeout: Duration::from_secs(120),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads the `ADOBE_*` variables and `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let mut config = Self::new(
            required_env(
                CLIENT_ID_ENV,
                "the OAuth Server-to-Server credential's client id",
            )?,
            SecretString::from(required_env(
                CLIENT_SECRET_ENV,
                "the credential's client secret",
            )?),
            required_env(ORG_ID_ENV, "the IMS organization id (…@AdobeOrg)")?,
            required_env(SCOPES_ENV, "the credential's scopes, comma separated")?,
        )?;
        if let Some(sandbox) = env_var(SANDBOX_ENV) {
            config = config.sandbox(&sandbox)?;
        }
        config.ims_url = BaseUrl::from_env(IMS_URL_ENV)?.unwrap_or(config.ims_url);
        config.platform_url = BaseUrl::from_env(PLATFORM_URL_ENV)?.unwrap_or(config.platform_url);
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        Ok(config)
    }

    /// The sandbox: lowercase letters, digits and `-` (Adobe's rule for sandbox names).
    pub fn sandbox(mut self, name: &str) -> Result<Self, Error> {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(Error::invalid(
                "sandbox",
                name,
                "an all-lowercase sandbox name such as prod",
            ));
        }
        self.sandbox = name.to_owned();
        Ok(self)
    }

    /// Points IMS and Platform elsewhere (a simulator serving both, a proxy).
    pub fn urls(mut self, ims: &str, platform: &str, allow_http: bool) -> Result<Self, Error> {
        self.ims_url = BaseUrl::parse(ims, allow_http)?;
        self.platform_url = BaseUrl::parse(platform, allow_http)?;
        Ok(self)
    }
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

/// A run a trigger started, once jobrun found it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StartedRun {
    /// `adobe:run:<scheduleId>:<runId>`.
    pub job: JobRef,
}

static DIALECT: Dialect = Dialect {
    vendor: "adobe",
    reset_header: None,
    words: error::words,
    auth_hint: "check the client id and secret, the org id, the scopes and the sandbox",
    status_kind: no_kind,
    check: "list the schedule's runs triggered since then",
};

/// An Adobe Query Service client: OAuth, retries, listing, trigger-and-wait.
#[derive(Clone, Debug)]
pub struct AdobeClient {
    api: Client,
    ims: ImsClient,
    tokens: std::sync::Arc<token::TokenCache>,
    core: Core,
    ims_core: Core,
    discovery_timeout: Duration,
    client_id: String,
    client_secret: SecretString,
    scopes: String,
}

impl AdobeClient {
    /// Builds a client; nothing is sent until the first call.
    pub fn new(config: AdobeConfig) -> Result<Self, Error> {
        let http = config.http.build()?;
        let slot = SecretSlot::new();
        let secret = |v: &str| SecretString::from(v.to_owned());
        let transport = config
            .http
            .transport()
            .with_secret_slot("authorization", slot.clone())
            .and_then(|t| t.with_secret_header("x-api-key", secret(&config.client_id)))
            .and_then(|t| t.with_secret_header("x-gw-ims-org-id", secret(&config.org_id)))
            .and_then(|t| t.with_secret_header("x-sandbox-name", secret(&config.sandbox)))
            .map_err(|e| Error::Config(format!("an Adobe header cannot be sent: {e}")))?;
        let platform = format!("{}{QUERY_BASE}", config.platform_url.as_str());
        let secrets = Secrets::default();
        secrets.add(config.client_secret.expose_secret());
        secrets.add(&config.client_id);
        let core = |host: &BaseUrl| {
            let id = ["adobe", host.as_str(), &config.org_id, &config.client_id];
            Core::new(
                &DIALECT,
                &config.http,
                &id,
                config.rate_limit,
                config.retry_budget,
                secrets.clone(),
            )
        };
        Ok(Self {
            core: core(&config.platform_url)?,
            ims_core: core(&config.ims_url)?,
            api: Client::new_with_client(&platform, http.clone(), transport),
            ims: ImsClient::new_with_client(config.ims_url.as_str(), http, config.http.transport()),
            tokens: std::sync::Arc::new(token::TokenCache::new(slot)),
            discovery_timeout: config.discovery_timeout,
            client_id: config.client_id,
            client_secret: config.client_secret,
            scopes: config.scopes,
        })
    }

    /// [`AdobeClient::new`] with [`AdobeConfig::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(AdobeConfig::from_env()?)
    }

    async fn fetch_token(&self, within: Within) -> Result<token::Fresh, Error> {
        let body = ims::TokenRequest {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.expose_secret().to_owned(),
            grant_type: ims::GrantType::ClientCredentials,
            scope: self.scopes.clone(),
        };
        let answer = self
            .ims_core
            .send("getAccessToken", Repeat::Safe, within, || {
                self.ims.get_access_token(&body)
            })
            .await?;
        self.core.secrets().add_recent(&answer.access_token);
        Ok(token::Fresh {
            token: SecretString::from(answer.access_token),
            expires_in_secs: answer.expires_in,
        })
    }

    /// One call with a valid token; a 401013 gets one renewal and one retry. The gateway
    /// refuses an expired token before the service sees the request, so even a trigger may be
    /// sent again then.
    async fn send<T, Fut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        within: Within,
        send: impl Fn() -> Fut,
    ) -> Result<T, Error>
    where
        Fut: Future<Output = Answer<T>>,
    {
        let generation = self.tokens.current(|| self.fetch_token(within)).await?;
        match self.core.send(operation, repeat, within, &send).await {
            Err(e) if e.adobe() == Some(&AdobeError::InvalidToken) => {
                tracing::info!(operation, "token refused; renewing once");
                self.tokens
                    .renew(generation, || self.fetch_token(within))
                    .await?;
                self.core.send(operation, repeat, within, &send).await
            }
            other => other,
        }
    }

    /// A call answered 202: an empty body is acceptance too (the service's 202 bodies are
    /// documented, but an empty one must not turn an accepted request into an error). An
    /// empty body under another status is no acceptance: a trigger answered so may or may
    /// not have started a run, and says so ([`Error::Unconfirmed`]).
    async fn accept<Fut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        within: Within,
        send: impl Fn() -> Fut,
    ) -> Result<Accepted, Error>
    where
        Fut: Future<Output = Answer<Accepted>>,
    {
        match self.send(operation, repeat, within, send).await {
            Err(e) if crate::request::answer::empty_documented_answer(&e) => {
                Ok(Accepted::default())
            }
            other => other,
        }
    }

    /// Lists schedules page after page, following `_links.next` (a string or `{href}`,
    /// absolute on a regional host or relative) by its `start` and other parameters, sent to
    /// the configured host only. A page that repeats ends the walk with an error.
    pub fn schedules<'a>(
        &'a self,
        options: &'a ListOptions,
    ) -> impl Stream<Item = Result<Schedule, Error>> + 'a {
        self.pages(options, move |page| async move {
            let list = self
                .send("listSchedules", Repeat::Safe, self.core.single(), || {
                    self.api.list_schedules(
                        page.limit,
                        page.orderby.as_deref(),
                        page.property.as_deref(),
                        page.start.as_deref(),
                    )
                })
                .await?;
            Ok((list.schedules, next_href(list.links.as_ref())))
        })
    }

    /// Lists a schedule's runs, every page (see [`AdobeClient::schedules`]).
    pub fn runs<'a>(
        &'a self,
        schedule: &'a ScheduleId,
        options: &'a ListOptions,
    ) -> impl Stream<Item = Result<Run, Error>> + 'a {
        self.pages(options, move |page| async move {
            let id = api_schedule(schedule)?;
            let list = self
                .send("listScheduleRuns", Repeat::Safe, self.core.single(), || {
                    self.api.list_schedule_runs(
                        &id,
                        page.limit,
                        page.orderby.as_deref(),
                        page.property.as_deref(),
                        page.start.as_deref(),
                    )
                })
                .await?;
            Ok((list.runs_schedules, next_href(list.links.as_ref())))
        })
    }

    fn pages<'a, T: 'a, F, Fut>(
        &'a self,
        options: &'a ListOptions,
        fetch: F,
    ) -> impl Stream<Item = Result<T, Error>> + 'a
    where
        F: Fn(PageQuery) -> Fut + 'a,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>> + 'a,
    {
        let first = PageQuery {
            limit: options.limit,
            orderby: options.orderby.map(|o| o.to_string()),
            property: input::property(&options.filters),
            start: None,
        };
        let state = (Some(first), HashSet::<String>::new());
        futures::stream::try_unfold(state, move |(query, mut seen)| {
            let page = query.clone().map(&fetch);
            async move {
                let (Some(query), Some(page)) = (query, page) else {
                    return Ok(None);
                };
                let (items, next) = page.await?;
                let next = match next {
                    Some(href) => {
                        let following = query.follow(&href)?;
                        let key = format!("{following:?}");
                        if !seen.insert(key) {
                            return Err(Error::Decode {
                                vendor: "adobe",
                                operation: "list",
                                reason: format!(
                                    "_links.next {href:?} came back twice; stopping instead of looping"
                                ),
                                body: String::new(),
                            });
                        }
                        Some(following)
                    }
                    None => None,
                };
                Ok(Some((
                    futures::stream::iter(items.into_iter().map(Ok)),
                    (next, seen),
                )))
            }
        })
        .try_flatten()
    }

    /// Creates a scheduled query; Adobe answers with it (state REGISTERING at first).
    pub async fn create_schedule(&self, new: &NewSchedule) -> Result<Schedule, Error> {
        let body = types::CreateScheduleRequest {
            query: types::QueryDefinition {
                name: Some(new.name.clone()),
                sql: Some(new.sql.clone()),
                db_name: Some(new.db_name.clone()),
                description: new.description.clone(),
                ..Default::default()
            },
            schedule: types::CadenceRequest {
                schedule: new.cron.to_string(),
                start_date: new.start.to_string().parse().unwrap_or_else(|n| match n {}),
                end_date: new
                    .end
                    .as_ref()
                    .map(|e| e.to_string().parse().unwrap_or_else(|n| match n {})),
                max_active_runs: new.max_active_runs,
            },
        };
        self.send("createSchedule", Repeat::Once, self.core.single(), || {
            self.api.create_schedule(&body)
        })
        .await
    }

    /// Reads a scheduled query.
    pub async fn schedule(&self, id: &ScheduleId) -> Result<Schedule, Error> {
        let id = api_schedule(id)?;
        self.send("retrieveSchedule", Repeat::Safe, self.core.single(), || {
            self.api.retrieve_schedule(&id)
        })
        .await
    }

    /// Deletes a scheduled query (Adobe allows it only when DISABLED with no active run).
    pub async fn delete_schedule(&self, id: &ScheduleId) -> Result<Accepted, Error> {
        let id = api_schedule(id)?;
        self.accept("deleteSchedule", Repeat::Once, self.core.single(), || {
            self.api.delete_schedule(&id)
        })
        .await
    }

    async fn patch(
        &self,
        id: &ScheduleId,
        path: types::SchedulePatchPath,
        value: String,
    ) -> Result<Accepted, Error> {
        let id = api_schedule(id)?;
        let body = types::UpdateScheduleRequest {
            body: vec![types::SchedulePatchOperation {
                op: types::PatchOp::Replace,
                path,
                value,
            }],
        };
        self.accept("updateSchedule", Repeat::Once, self.core.single(), || {
            self.api.update_schedule(&id, &body)
        })
        .await
    }

    /// Enables a scheduled query.
    pub async fn enable(&self, id: &ScheduleId) -> Result<Accepted, Error> {
        self.patch(id, types::SchedulePatchPath::State, "enable".into())
            .await
    }

    /// Disables a scheduled query.
    pub async fn disable(&self, id: &ScheduleId) -> Result<Accepted, Error> {
        self.patch(id, types::SchedulePatchPath::State, "disable".into())
            .await
    }

    /// Changes a scheduled query's cadence.
    pub async fn set_cron(&self, id: &ScheduleId, cron: &Cron) -> Result<Accepted, Error> {
        self.patch(
            id,
            types::SchedulePatchPath::ScheduleSchedule,
            cron.to_string(),
        )
        .await
    }

    /// Reads a run with its tasks.
    pub async fn run(&self, schedule: &ScheduleId, run: &RunId) -> Result<RunDetails, Error> {
        self.run_within(schedule, run, self.core.single()).await
    }

    async fn run_within(
        &self,
        schedule: &ScheduleId,
        run: &RunId,
        within: Within,
    ) -> Result<RunDetails, Error> {
        let (s, r) = (api_schedule(schedule)?, api_run(run)?);
        self.send("retrieveScheduledQueryRun", Repeat::Safe, within, || {
            self.api.retrieve_scheduled_query_run(&s, &r)
        })
        .await
    }

    /// Asks Adobe to cancel a run.
    pub async fn cancel_run(&self, schedule: &ScheduleId, run: &RunId) -> Result<Accepted, Error> {
        let (s, r) = (api_schedule(schedule)?, api_run(run)?);
        let body = types::CancelRunRequest {
            op: types::CancelOp::Cancel,
        };
        self.accept(
            "cancelScheduledQueryRun",
            Repeat::Once,
            self.core.single(),
            || self.api.cancel_scheduled_query_run(&s, &r, &body),
        )
        .await
    }

    /// The ids of the newest externally triggered runs.
    async fn triggered_runs(
        &self,
        schedule: &ScheduleId,
        within: Within,
    ) -> Result<Vec<String>, Error> {
        let options = ListOptions {
            limit: NonZeroU32::new(50),
            orderby: Some(OrderBy::NEWEST),
            filters: vec![Filter::ExternalTrigger(true)],
        };
        let id = api_schedule(schedule)?;
        let property = input::property(&options.filters);
        let orderby = options.orderby.map(|o| o.to_string());
        let list = self
            .send("listScheduleRuns", Repeat::Safe, within, || {
                self.api.list_schedule_runs(
                    &id,
                    options.limit,
                    orderby.as_deref(),
                    property.as_deref(),
                    None,
                )
            })
            .await?;
        // The server filters; this keeps a server that ignores the filter from mixing in
        // scheduled runs.
        Ok(list
            .runs_schedules
            .into_iter()
            .filter(|r| {
                r.external_trigger
                    .as_ref()
                    .is_none_or(|t| t.to_string().eq_ignore_ascii_case("true"))
            })
            .filter_map(|r| r.id)
            .collect())
    }

    /// Triggers a run and finds it: the externally triggered runs are noted first, then
    /// listed until exactly one new one appears (within the discovery timeout).
    pub async fn start(&self, schedule: &ScheduleId) -> Result<StartedRun, Error> {
        self.start_within(schedule, self.core.single()).await
    }

    /// [`AdobeClient::start`] within `within`; discovery ends by its deadline too.
    async fn start_within(
        &self,
        schedule: &ScheduleId,
        within: Within,
    ) -> Result<StartedRun, Error> {
        let id = api_schedule(schedule)?;
        let before: HashSet<String> = self
            .triggered_runs(schedule, within)
            .await?
            .into_iter()
            .collect();
        let operation = "triggerScheduleRun";
        self.accept(operation, Repeat::Trigger, within, || {
            self.api.trigger_schedule_run(&id)
        })
        .await?;
        let deadline = Deadline::after(self.discovery_timeout).min(&within.deadline);
        let listing = Within::until(&deadline);
        let backoff = Backoff {
            min: Duration::from_millis(500),
            max: Duration::from_secs(5),
        };
        let mut step = 0;
        loop {
            let new: Vec<String> = self
                .triggered_runs(schedule, listing)
                .await
                .map_err(|e| self.discovery_failed(schedule, e))?
                .into_iter()
                .filter(|r| !before.contains(r))
                .collect();
            match new.as_slice() {
                [one] => {
                    let run = one
                        .parse()
                        .map_err(|e| self.core.unconfirmed_as(operation, e))?;
                    return Ok(StartedRun {
                        job: JobRef::AdobeRun {
                            schedule: schedule.clone(),
                            run,
                        },
                    });
                }
                [] => {}
                many => {
                    return Err(Error::Discovery {
                        vendor: "adobe",
                        message: format!(
                            "{} new externally triggered runs of {schedule} appeared after the \
                             trigger (someone else triggered too); jobrun does not guess which \
                             is yours",
                            many.len()
                        ),
                        candidates: many
                            .iter()
                            .filter_map(|r| r.parse().ok())
                            .map(|run| JobRef::AdobeRun {
                                schedule: schedule.clone(),
                                run,
                            })
                            .collect(),
                    });
                }
            }
            let pause = backoff.delay(step).min(deadline.remaining());
            if pause.is_zero() {
                return Err(Error::Discovery {
                    vendor: "adobe",
                    message: format!(
                        "the trigger of {schedule} was accepted, but no new run appeared within \
                         {}; list the schedule's runs to find it",
                        humantime::format_duration(Duration::from_secs(
                            deadline.elapsed().as_secs()
                        ))
                    ),
                    candidates: Vec::new(),
                });
            }
            step += 1;
            tokio::time::sleep(pause).await;
        }
    }

    /// A failed look for the run a trigger started: the run may exist.
    fn discovery_failed(&self, schedule: &ScheduleId, err: Error) -> Error {
        Error::Discovery {
            vendor: "adobe",
            message: format!(
                "the trigger of {schedule} was accepted, but looking for its run failed ({err}); \
                 list the schedule's runs to find it"
            ),
            candidates: Vec::new(),
        }
    }

    wait::methods! {
        /// Triggers a run, finds it and waits until it ends; `options.timeout` bounds all
        /// three.
        fn start_and_wait(schedule: &ScheduleId);
        /// Waits for a run by its reference.
        fn wait;
        /// Waits for a run a trigger of this process started and found; its first read
        /// waits `poll_min`.
        fn wait_started(&StartedRun);
    }
}

/// What a wait for a run keeps: its ids.
#[derive(Debug)]
pub(crate) struct Watched {
    schedule: ScheduleId,
    run: RunId,
}

impl Watched {
    fn of(job: &JobRef) -> Result<Self, Error> {
        let JobRef::AdobeRun { schedule, run } = job else {
            return Err(job.refused("an Adobe reference, adobe:run:<scheduleId>:<runId>"));
        };
        Ok(Self {
            schedule: schedule.clone(),
            run: run.clone(),
        })
    }
}

fn begun(started: &StartedRun) -> Result<Begun<Watched>, Error> {
    Ok(Begun {
        job: started.job.clone(),
        watch: Watched::of(&started.job)?,
        start: Start::Later,
    })
}

impl wait::Vendor for AdobeClient {
    type Watch = Watched;

    fn core(&self) -> &Core {
        &self.core
    }

    fn watch(&self, job: &JobRef) -> Result<Watched, Error> {
        Watched::of(job)
    }

    async fn read(&self, watch: &Watched, within: Within) -> Result<Snapshot, Error> {
        self.run_within(&watch.schedule, &watch.run, within)
            .await
            .map(|d| snapshot(&d))
    }
}

/// One page's query parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PageQuery {
    limit: Option<NonZeroU32>,
    orderby: Option<String>,
    property: Option<String>,
    start: Option<String>,
}

impl PageQuery {
    /// The next page's query from `_links.next`: its `start`, and any `orderby`, `limit` and
    /// `property` it carries, asked of the configured host (never the link's own host, which
    /// would receive the credentials).
    fn follow(&self, href: &str) -> Result<Self, Error> {
        let url = url::Url::parse(href)
            .or_else(|_| url::Url::parse("https://relative.invalid/").and_then(|b| b.join(href)))
            .map_err(|e| Error::Decode {
                vendor: "adobe",
                operation: "list",
                reason: format!("_links.next {href:?} is not a URL: {e}"),
                body: String::new(),
            })?;
        let mut next = Self {
            start: None,
            ..self.clone()
        };
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "start" => next.start = Some(value.into_owned()),
                "orderby" => next.orderby = Some(value.into_owned()),
                "property" => next.property = Some(value.into_owned()),
                "limit" => next.limit = value.parse().ok().or(next.limit),
                _ => {}
            }
        }
        if next.start.is_none() {
            return Err(Error::Decode {
                vendor: "adobe",
                operation: "list",
                reason: format!("_links.next {href:?} carries no start"),
                body: String::new(),
            });
        }
        Ok(next)
    }
}

fn next_href(links: Option<&types::PageLinks>) -> Option<String> {
    match links?.next.as_ref()? {
        types::NextLink::String(s) => Some(s.clone()),
        types::NextLink::Href(h) => Some(h.href.clone()),
    }
    .filter(|s| !s.trim().is_empty())
}

fn api_schedule(id: &ScheduleId) -> Result<types::ScheduleId, Error> {
    types::ScheduleId::try_from(id.0.as_str())
        .map_err(|e| Error::invalid("schedule id", id.0.clone(), e.to_string()))
}

fn api_run(id: &RunId) -> Result<types::RunId, Error> {
    types::RunId::try_from(id.0.as_str())
        .map_err(|e| Error::invalid("run id", id.0.clone(), e.to_string()))
}

/// How a run's state ends a wait. KILLED and CANCELLED/CANCELED are not in Adobe's run enum
/// but are how a stopped run is likeliest to read (inferred); TIMEOUT, a /queries state, counts
/// as a failure.
pub(crate) fn phase(state: &RunStateKind) -> Phase {
    match state {
        RunStateKind::Success => Phase::Ended(OutcomeState::Succeeded),
        RunStateKind::Failed | RunStateKind::Timeout => Phase::Ended(OutcomeState::Failed),
        RunStateKind::Killed | RunStateKind::Cancelled | RunStateKind::Canceled => {
            Phase::Ended(OutcomeState::Canceled)
        }
        RunStateKind::InProgress | RunStateKind::Unknown(_) => Phase::Running,
    }
}

fn snapshot(d: &RunDetails) -> Snapshot {
    let state = d
        .state
        .clone()
        .unwrap_or_else(|| types::RunState::from(String::new()));
    let kind = state.kind();
    let steps: Vec<Step> = d
        .task_status_list
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, t)| Step {
            id: t.task_id.clone(),
            name: t
                .task_id
                .clone()
                .unwrap_or_else(|| format!("task {}", i + 1)),
            status: t.state.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            started_at: t.start_date.clone(),
            finished_at: t.end_date.clone(),
            message: t.message.clone().filter(|m| !m.is_empty()),
            duration: t.duration.as_ref().map(ToString::to_string),
        })
        .collect();
    let phase = phase(&kind);
    let error_message = match phase {
        Phase::Ended(OutcomeState::Failed) => steps.iter().rev().find_map(|s| s.message.clone()),
        _ => None,
    };
    Snapshot {
        created_at: d.created.clone(),
        started_at: steps.iter().find_map(|s| s.started_at.clone()),
        finished_at: match phase {
            Phase::Running => None,
            _ => steps.iter().rev().find_map(|s| s.finished_at.clone()),
        },
        error_message,
        steps,
        ..Snapshot::new(state.to_string(), kind.is_known(), phase)
    }
}

impl Error {
    /// The Adobe error this is, if it is one.
    pub fn adobe(&self) -> Option<&AdobeError> {
        match self.vendor_error()? {
            VendorError::Adobe(k) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_issue_table() {
        for (text, ended) in [
            ("SUCCESS", Some(OutcomeState::Succeeded)),
            ("success", Some(OutcomeState::Succeeded)),
            ("FAILED", Some(OutcomeState::Failed)),
            ("TIMEOUT", Some(OutcomeState::Failed)),
            ("KILLED", Some(OutcomeState::Canceled)),
            ("Cancelled", Some(OutcomeState::Canceled)),
            ("CANCELED", Some(OutcomeState::Canceled)),
            ("IN_PROGRESS", None),
            ("QUEUED", None),
            ("ERRORED", None),
        ] {
            let kind = types::RunState::from(text.to_owned()).kind();
            let got = match phase(&kind) {
                Phase::Ended(s) | Phase::EndedUnlessMoved(s) => Some(s),
                Phase::Running => None,
            };
            assert_eq!(got, ended, "{text}");
        }
    }

    #[test]
    fn next_links_are_followed_by_their_parameters_on_our_host() {
        let first = PageQuery {
            limit: NonZeroU32::new(10),
            orderby: Some("-created".into()),
            property: None,
            start: None,
        };
        let next = first
            .follow("https://platform-va7.adobe.io/data/foundation/query/schedules?start=2022-11-01T00:11:08.389Z&limit=10&linkType=next")
            .expect("absolute");
        assert_eq!(next.start.as_deref(), Some("2022-11-01T00:11:08.389Z"));
        assert_eq!(next.orderby.as_deref(), Some("-created"));
        let relative = first
            .follow("/data/foundation/query/schedules?orderby=%2Bcreated&start=abc")
            .expect("relative");
        assert_eq!(relative.orderby.as_deref(), Some("+created"));
        assert!(first.follow("/schedules?limit=3").is_err());
    }

    #[test]
    fn the_client_secret_never_shows() {
        let config = AdobeConfig::new(
            "client-1",
            SecretString::from("p8e-very-secret"),
            "ORG@AdobeOrg",
            "openid,AdobeID",
        )
        .expect("valid");
        let client = AdobeClient::new(config.clone()).expect("client");
        let shown = format!("{config:?} {client:?}");
        assert!(!shown.contains("p8e-very-secret"), "{shown}");
        assert!(AdobeConfig::new("", SecretString::from("s"), "o", "x").is_err());
        assert!(config.clone().sandbox("Prod").is_err());
    }
}
