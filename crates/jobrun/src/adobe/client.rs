//! The client: tokens, schedules, runs, triggers with run discovery and waits, over the request
//! core and the waiter.

use std::{collections::HashSet, num::NonZeroU32, time::Duration};

use adobe_ims_api::{Client as ImsClient, types as ims};
use adobe_query_api::{Client, types};
use futures::{Stream, TryStreamExt};
use jobrun_transport::{SecretSlot, SecretString};
use secrecy::ExposeSecret;

use super::{
    Accepted, AdobeConfig, AdobeError, Cron, Filter, ListOptions, NewSchedule, OrderBy, QUERY_BASE,
    Run, RunDetails, RunId, Schedule, ScheduleId, error, input,
    input::{api_run, api_schedule},
    status::snapshot,
    token,
};
use crate::{
    Error,
    config::BaseUrl,
    outcome::JobRef,
    request::Backoff,
    request::{Answer, Core, Deadline, Dialect, Repeat, Secrets, Within, no_kind},
    wait::{self, Begun, Snapshot, Start},
};

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
pub(super) struct PageQuery {
    pub(super) limit: Option<NonZeroU32>,
    pub(super) orderby: Option<String>,
    pub(super) property: Option<String>,
    pub(super) start: Option<String>,
}

impl PageQuery {
    /// The next page's query from `_links.next`: its `start`, and any `orderby`, `limit` and
    /// `property` it carries, asked of the configured host (never the link's own host, which
    /// would receive the credentials).
    pub(super) fn follow(&self, href: &str) -> Result<Self, Error> {
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
