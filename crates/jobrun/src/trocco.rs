//! trocco: run transfer jobs (転送ジョブ) and workflow jobs (ワークフロージョブ), read them, list a
//! definition's jobs, and wait until they end.
//!
//! ```no_run
//! use jobrun::trocco::{RunJob, TroccoClient, TroccoConfig, CustomVariable};
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! let client = TroccoClient::new(TroccoConfig::from_env()?)?;
//! let run = RunJob::new(jobrun::parse_id("definition id", "42")?)
//!     .context_time("2024-01-01 00:00:00".parse()?)
//!     .variable(CustomVariable::new("$ad_id$", "A0000")?);
//! let outcome = client
//!     .start_job_and_wait(&run, &WaitOptions::default(), &mut |event| println!("{event:?}"))
//!     .await?;
//! println!("{} ended {}", outcome.job, outcome.state);
//! # Ok(()) }
//! ```

use std::{
    collections::HashSet,
    fmt,
    num::{NonZeroU32, NonZeroU64},
    str::FromStr,
};

use chrono::{NaiveDateTime, TimeZone as _};
use futures::{Stream, TryStreamExt};
use jobrun_transport::{SecretString, VendorTime};
use secrecy::ExposeSecret;
pub use trocco_api::types::{JobStatus, PipelineJob, TransferJob};
use trocco_api::{Client, types};

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, env_var},
    outcome::{JobRef, Outcome, OutcomeState, WaitEvent},
    request::{Core, Deadline, Dialect, ErrorWords, Repeat, Secrets, Within, no_kind},
    wait::{self, Begun, Phase, Snapshot, Start, WaitOptions},
};

/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "TROCCO_API_KEY";
/// Environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "TROCCO_BASE_URL";
/// trocco's only live region (research §2).
pub const DEFAULT_BASE_URL: &str = "https://trocco.io";
/// The time zone trocco reads `context_time` in when none is given.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Tokyo";
/// trocco's documented page-size maximum for job lists.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Environment variable overriding the account's rate limit (`N/DURATION`, e.g. `100/10m` on
/// a free plan, or `unlimited`).
pub const RATE_LIMIT_ENV: &str = "TROCCO_RATE_LIMIT";
/// trocco's documented limit for paid plans: 3,500 calls per 10 minutes per account.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Fixed {
    requests: 3500,
    per: std::time::Duration::from_secs(600),
};

/// How to reach trocco.
#[derive(Clone, Debug)]
pub struct TroccoConfig {
    api_key: SecretString,
    base_url: BaseUrl,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// How long a single call (not a wait) keeps retrying rate limits and transient errors.
    pub retry_budget: std::time::Duration,
    rate_limit: RateLimit,
}

impl TroccoConfig {
    /// A configuration for <https://trocco.io> with the given API key.
    pub fn new(api_key: SecretString) -> Result<Self, Error> {
        if api_key.expose_secret().trim().is_empty() {
            return Err(Error::Config(format!(
                "the trocco API key is empty; set {API_KEY_ENV}"
            )));
        }
        Ok(Self {
            api_key,
            base_url: BaseUrl::parse(DEFAULT_BASE_URL, false)?,
            http: HttpSettings::default(),
            retry_budget: std::time::Duration::from_secs(120),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads `TROCCO_API_KEY` (required), `TROCCO_BASE_URL` (default https://trocco.io),
    /// `TROCCO_RATE_LIMIT` (default 3500/10m) and `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let key = env_var(API_KEY_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{API_KEY_ENV} is not set: create a key in trocco (設定 → API KEY) and export it"
            ))
        })?;
        let mut config = Self::new(SecretString::from(key))?;
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        config.base_url = BaseUrl::from_env(BASE_URL_ENV)?.unwrap_or(config.base_url);
        Ok(config)
    }

    /// Points the client elsewhere (a simulator, a proxy). See [`BaseUrl::parse`] for the
    /// HTTPS rule.
    pub fn base_url(mut self, url: &str, allow_http: bool) -> Result<Self, Error> {
        self.base_url = BaseUrl::parse(url, allow_http)?;
        Ok(self)
    }

    /// The base URL in use.
    pub fn url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The account's request budget, shared by every client of this key and base URL in the
    /// process (default [`DEFAULT_RATE_LIMIT`]; a free plan allows `100` per 10 minutes).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }
}

pub use crate::ids::parse_id;

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
    definition_id: NonZeroU64,
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

    fn body(&self) -> Result<types::RunJobRequest, Error> {
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
    definition_id: NonZeroU64,
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

    fn body(&self) -> Result<types::RunPipelineJobRequest, Error> {
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

fn local_date_time(t: ContextTime) -> Result<types::LocalDateTime, Error> {
    t.to_string()
        .parse()
        .map_err(|_| Error::invalid("context time", t.to_string(), "YYYY-MM-DD HH:MM:SS"))
}

/// A job list's filters as trocco takes them, once checked.
struct JobsQuery {
    start: Option<types::LocalDateTime>,
    end: Option<types::LocalDateTime>,
    time_zone: Option<types::TimeZone>,
}

impl JobsQuery {
    fn of(filter: &ListJobs) -> Result<Self, Error> {
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

fn trocco_words(body: &[u8]) -> Option<ErrorWords> {
    let body: types::ErrorBody = serde_json::from_slice(body).ok()?;
    let mut details: Vec<String> = body
        .errors
        .iter()
        .map(|e| match (&e.attribute, &e.message) {
            (Some(a), Some(m)) => format!("{a}: {m}"),
            (a, m) => a.clone().or_else(|| m.clone()).unwrap_or_default(),
        })
        .filter(|d| !d.is_empty())
        .collect();
    // Terraform's provider reads `error` before `message` (research §1.7); keep both.
    let message = match (body.error, body.message) {
        (Some(e), Some(m)) if e != m => {
            details.insert(0, m);
            Some(e)
        }
        (e, m) => e.or(m),
    };
    (message.is_some() || !details.is_empty()).then_some(ErrorWords {
        code: None,
        message,
        details,
        kind: None,
    })
}

static DIALECT: Dialect = Dialect {
    vendor: "trocco",
    reset_header: Some("x-rate-limit-reset"),
    words: trocco_words,
    auth_hint: "check the API key and its permissions",
    status_kind: no_kind,
    check: "list the definition's jobs created since the trigger",
};

/// A trocco API client with retries and waiting.
#[derive(Clone, Debug)]
pub struct TroccoClient {
    api: Client,
    core: Core,
}

impl TroccoClient {
    /// Runs a trigger once the budget admits it. The trigger's request machinery exists only
    /// from then on, on the heap: a hundred thousand trigger-and-waits queued at once hold
    /// their place in line, not a request each, and the wait that follows stays small. The
    /// place in line is given up (nothing sent) when `deadline` passes first.
    async fn prepaid<T, Fut>(
        &self,
        operation: &'static str,
        deadline: &Deadline,
        trigger: impl FnOnce() -> Fut,
    ) -> Result<T, Error>
    where
        Fut: Future<Output = Result<T, Error>>,
    {
        let budget = self.core.budget();
        let Ok(_slot) = tokio::time::timeout_at(deadline.end(), budget.reserve()).await else {
            return Err(self.core.not_admitted(operation));
        };
        Box::pin(budget.prepaid(trigger())).await
    }

    /// Builds a client; nothing is sent yet.
    pub fn new(config: TroccoConfig) -> Result<Self, Error> {
        let key = config.api_key.expose_secret();
        let header = SecretString::from(format!("Token {key}"));
        let transport = config
            .http
            .transport()
            .with_secret_header("authorization", header)
            .map_err(|e| Error::Config(format!("the trocco API key cannot be sent: {e}")))?;
        let http = config.http.build()?;
        let secrets = Secrets::default();
        secrets.add(key);
        let account = ["trocco", config.base_url.as_str(), key];
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
        })
    }

    /// [`TroccoClient::new`] with [`TroccoConfig::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        Self::new(TroccoConfig::from_env()?)
    }

    /// Starts a transfer job. Never sent twice: it is retried only when the connection failed
    /// before the request was written.
    pub async fn start_job(&self, run: &RunJob) -> Result<TransferJob, Error> {
        self.start_job_within(run, self.core.single()).await
    }

    async fn start_job_within(&self, run: &RunJob, within: Within) -> Result<TransferJob, Error> {
        let body = run.body()?;
        self.core
            .send("runJob", Repeat::Trigger, within, || {
                self.api.run_job(run.definition_id, &body)
            })
            .await
    }

    /// Starts a workflow job; retried like [`TroccoClient::start_job`].
    pub async fn start_pipeline(&self, run: &RunPipeline) -> Result<PipelineJob, Error> {
        self.start_pipeline_within(run, self.core.single()).await
    }

    async fn start_pipeline_within(
        &self,
        run: &RunPipeline,
        within: Within,
    ) -> Result<PipelineJob, Error> {
        let body = run.body()?;
        self.core
            .send("runPipelineJob", Repeat::Trigger, within, || {
                self.api.run_pipeline_job(run.definition_id, &body)
            })
            .await
    }

    /// Reads a transfer job.
    pub async fn job(&self, id: NonZeroU64) -> Result<TransferJob, Error> {
        let within = self.core.single();
        self.core
            .send("getJob", Repeat::Safe, within, || self.api.get_job(id))
            .await
    }

    /// Reads a workflow job.
    pub async fn pipeline_job(&self, id: NonZeroU64) -> Result<PipelineJob, Error> {
        let within = self.core.single();
        self.core
            .send("getPipelineJob", Repeat::Safe, within, || {
                self.api.get_pipeline_job(id)
            })
            .await
    }

    /// Lists the transfer jobs of a definition, following `next_cursor` to the last page, as
    /// a stream (each page is asked for when the one before it is used up). A filter that
    /// trocco would refuse is the stream's first and only item, and nothing is sent.
    pub fn jobs<'a>(
        &'a self,
        definition_id: NonZeroU64,
        filter: &'a ListJobs,
    ) -> impl Stream<Item = Result<TransferJob, Error>> + 'a {
        // The next page's cursor (`Some(None)`: the first page; `None`: no more pages), the
        // cursors seen, and the checked query once the first step made it.
        let state = (Some(None::<String>), HashSet::new(), None::<JobsQuery>);
        futures::stream::try_unfold(state, move |(next, mut seen, query)| async move {
            let Some(cursor) = next else {
                return Ok(None);
            };
            let query = match query {
                Some(query) => query,
                None => JobsQuery::of(filter)?,
            };
            let within = self.core.single();
            let page = self
                .core
                .send("listJobs", Repeat::Safe, within, || {
                    self.api.list_jobs(
                        definition_id,
                        cursor.as_deref(),
                        query.end.as_ref(),
                        filter.page_size,
                        query.start.as_ref(),
                        query.time_zone.as_ref(),
                    )
                })
                .await?;
            let next = match page.next_cursor {
                Some(next) if !seen.insert(next.clone()) => {
                    return Err(Error::Decode {
                        vendor: "trocco",
                        operation: "listJobs",
                        reason: format!(
                            "next_cursor {next:?} came back twice; stopping instead of looping"
                        ),
                        body: String::new(),
                    });
                }
                Some(next) => Some(Some(next)),
                None => None,
            };
            let items = futures::stream::iter(page.items.into_iter().map(Ok));
            Ok(Some((items, (next, seen, Some(query)))))
        })
        .try_flatten()
    }

    /// Starts a transfer job and waits until it ends; `options.timeout` bounds both.
    pub async fn start_job_and_wait(
        &self,
        run: &RunJob,
        options: &WaitOptions,
        on_event: &mut (dyn FnMut(&WaitEvent) + Send),
    ) -> Result<Outcome, Error> {
        let start = |deadline| async move {
            // The single-call bound starts once the budget admits the trigger: a trigger
            // queued behind hundreds of others is held by the wait's deadline alone.
            let job = self
                .prepaid("runJob", &deadline, || {
                    self.start_job_within(run, self.core.single().within(&deadline))
                })
                .await?;
            begun(&job).map_err(|e| self.core.unconfirmed_as("runJob", e))
        };
        wait::start_and_wait(self, start, options, on_event).await
    }

    /// Starts a workflow job and waits until it ends; `options.timeout` bounds both.
    pub async fn start_pipeline_and_wait(
        &self,
        run: &RunPipeline,
        options: &WaitOptions,
        on_event: &mut (dyn FnMut(&WaitEvent) + Send),
    ) -> Result<Outcome, Error> {
        let start = |deadline| async move {
            let job = self
                .prepaid("runPipelineJob", &deadline, || {
                    self.start_pipeline_within(run, self.core.single().within(&deadline))
                })
                .await?;
            begun(&job).map_err(|e| self.core.unconfirmed_as("runPipelineJob", e))
        };
        wait::start_and_wait(self, start, options, on_event).await
    }

    wait::methods! {
        /// Waits until the job ends. `on_event` hears every status change and every retry.
        fn wait;
        /// Waits for a job a trigger answered with: its status is reported at once, and the
        /// first read waits `poll_min` instead of going out immediately.
        fn wait_started(&impl TroccoJob);
    }
}

/// Which of trocco's two kinds of job a wait reads.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Watched {
    Transfer(NonZeroU64),
    Workflow(NonZeroU64),
}

impl Watched {
    fn of(job: &JobRef) -> Result<Self, Error> {
        match *job {
            JobRef::TroccoJob(id) => Ok(Self::Transfer(id)),
            JobRef::TroccoPipelineJob(id) => Ok(Self::Workflow(id)),
            _ => {
                Err(job.refused("a trocco reference, trocco:job:<id> or trocco:pipeline-job:<id>"))
            }
        }
    }
}

impl wait::Vendor for TroccoClient {
    type Watch = Watched;

    fn core(&self) -> &Core {
        &self.core
    }

    fn watch(&self, job: &JobRef) -> Result<Watched, Error> {
        Watched::of(job)
    }

    async fn read(&self, watch: &Watched, within: Within) -> Result<Snapshot, Error> {
        match *watch {
            Watched::Transfer(id) => self
                .core
                .send("getJob", Repeat::Safe, within, || self.api.get_job(id))
                .await
                .map(|j| snapshot(&j)),
            Watched::Workflow(id) => self
                .core
                .send("getPipelineJob", Repeat::Safe, within, || {
                    self.api.get_pipeline_job(id)
                })
                .await
                .map(|j| snapshot(&j)),
        }
    }
}

/// What a trigger's answer hands to its wait: the job, and its status to report at once.
fn begun(job: &impl TroccoJob) -> Result<Begun<Watched>, Error> {
    let job_ref = job.job_ref()?;
    Ok(Begun {
        watch: Watched::of(&job_ref)?,
        job: job_ref,
        start: Start::Known(Box::new(snapshot(job))),
    })
}

/// A job as trocco answers it: a [`TransferJob`] or a [`PipelineJob`].
///
/// Lets code handle both kinds alike (print them, wait for them); implemented for those two
/// types only.
pub trait TroccoJob: sealed::Sealed {
    /// The job's printable reference (`trocco:job:<id>` or `trocco:pipeline-job:<id>`).
    fn job_ref(&self) -> Result<JobRef, Error>;
    /// The job's status.
    fn status(&self) -> &JobStatus;
    /// The id of the definition it runs, if trocco said.
    fn definition_id(&self) -> Option<i64>;
    /// The name of the definition it runs, if trocco said.
    fn definition_name(&self) -> Option<&str>;
    /// When trocco created, started and finished it, as trocco wrote them.
    fn times(&self) -> [(&'static str, Option<&VendorTime>); 3];
    /// Workflow jobs may leave `error` for `retry_waiting` (see [`WaitOptions::confirm_after`]).
    fn is_workflow(&self) -> bool;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::TransferJob {}
    impl Sealed for super::PipelineJob {}
}

impl TroccoJob for TransferJob {
    fn job_ref(&self) -> Result<JobRef, Error> {
        answered_id(self.id, "runJob").map(JobRef::TroccoJob)
    }
    fn status(&self) -> &JobStatus {
        &self.status
    }
    fn definition_id(&self) -> Option<i64> {
        self.job_definition_id
    }
    fn definition_name(&self) -> Option<&str> {
        self.job_definition_name.as_deref()
    }
    fn times(&self) -> [(&'static str, Option<&VendorTime>); 3] {
        [
            ("created", self.created_at.as_ref()),
            ("started", self.started_at.as_ref()),
            ("finished", self.finished_at.as_ref()),
        ]
    }
    fn is_workflow(&self) -> bool {
        false
    }
}

impl TroccoJob for PipelineJob {
    fn job_ref(&self) -> Result<JobRef, Error> {
        answered_id(self.id, "runPipelineJob").map(JobRef::TroccoPipelineJob)
    }
    fn status(&self) -> &JobStatus {
        &self.status
    }
    fn definition_id(&self) -> Option<i64> {
        self.pipeline_definition_id
    }
    fn definition_name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn times(&self) -> [(&'static str, Option<&VendorTime>); 3] {
        [
            ("created", self.created_at.as_ref()),
            ("started", self.started_at.as_ref()),
            ("finished", self.finished_at.as_ref()),
        ]
    }
    fn is_workflow(&self) -> bool {
        true
    }
}

fn answered_id(id: i64, operation: &'static str) -> Result<NonZeroU64, Error> {
    u64::try_from(id)
        .ok()
        .and_then(NonZeroU64::new)
        .ok_or_else(|| Error::Decode {
            vendor: "trocco",
            operation,
            reason: format!("the job id {id} is not a positive integer"),
            body: String::new(),
        })
}

/// How a trocco status ends a job. `workflow` jobs may leave `error` for `retry_waiting` when
/// their definition has retries left (seed 001), so their `error` is confirmed before it is
/// trusted.
pub(crate) fn phase(status: &JobStatus, workflow: bool) -> Phase {
    match status {
        JobStatus::Succeeded => Phase::Ended(OutcomeState::Succeeded),
        JobStatus::Error if workflow => Phase::EndedUnlessMoved(OutcomeState::Failed),
        JobStatus::Error => Phase::Ended(OutcomeState::Failed),
        JobStatus::Canceled => Phase::Ended(OutcomeState::Canceled),
        JobStatus::Skipped => Phase::Ended(OutcomeState::Skipped),
        JobStatus::Queued
        | JobStatus::SettingUp
        | JobStatus::Executing
        | JobStatus::Interrupting
        | JobStatus::RetryWaiting
        | JobStatus::Unknown(_) => Phase::Running,
    }
}

/// What a wait needs of a job a trigger answered with; the answer itself is not kept.
fn snapshot(job: &impl TroccoJob) -> Snapshot {
    let [created, started, finished] = job.times().map(|(_, t)| t.cloned());
    Snapshot {
        created_at: created,
        started_at: started,
        finished_at: finished,
        ..Snapshot::new(
            job.status().to_string(),
            job.status().is_known(),
            phase(job.status(), job.is_workflow()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_agree_with_the_spec_terminal_list() {
        for workflow in [false, true] {
            let phase = |s: &JobStatus| phase(s, workflow);
            wait::assert_phases_agree!(JobStatus, "paused_by_admin", phase);
        }
        assert_eq!(
            phase(&JobStatus::Error, true),
            Phase::EndedUnlessMoved(OutcomeState::Failed)
        );
        assert_eq!(
            phase(&JobStatus::Error, false),
            Phase::Ended(OutcomeState::Failed)
        );
    }

    #[test]
    fn context_times_must_be_real_and_exactly_shaped() {
        assert_eq!(
            "2019-11-18 00:00:00"
                .parse::<ContextTime>()
                .expect("valid")
                .to_string(),
            "2019-11-18 00:00:00"
        );
        for bad in [
            "2024-02-30 00:00:00",
            "2024-1-01 00:00:00",
            "2024-01-01T00:00:00",
            "2024-01-01 24:00:00",
            "tomorrow",
            "",
        ] {
            let err = bad.parse::<ContextTime>().expect_err(bad).to_string();
            assert!(
                err.contains(&format!("{bad:?}")) && err.contains("YYYY-MM-DD HH:MM:SS"),
                "{err}"
            );
        }
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            "Etc/UTC"
                .parse::<TimeZoneName>()
                .expect("valid")
                .to_string(),
            "Etc/UTC"
        );
        for bad in ["JST", "asia/tokyo", "UTC+9", ""] {
            let err = bad.parse::<TimeZoneName>().expect_err(bad).to_string();
            assert!(err.contains("IANA"), "{err}");
        }
    }

    #[test]
    fn a_time_in_a_daylight_saving_gap_is_refused() {
        let run = RunJob::new(NonZeroU64::MIN)
            .context_time("2024-03-10 02:30:00".parse().expect("shape"))
            .time_zone("America/New_York".parse().expect("zone"));
        let err = run.body().expect_err("gap").to_string();
        assert!(err.contains("America/New_York"), "{err}");
    }

    #[test]
    fn custom_variables_need_dollar_names() {
        assert_eq!(
            CustomVariable::new("$ad_id$", "A0000")
                .expect("valid")
                .name(),
            "$ad_id$"
        );
        let v = CustomVariable::parse_assignment("ad_id=A=0").expect("bare name");
        assert_eq!((v.name(), v.value()), ("$ad_id$", "A=0"));
        let v = CustomVariable::parse_assignment("$ad_id$=").expect("empty value");
        assert_eq!((v.name(), v.value()), ("$ad_id$", ""));
        for bad in ["$$", "$ad id$", "ad_id$", "$a$b$", "$"] {
            assert!(CustomVariable::new(bad, "x").is_err(), "{bad}");
        }
        let err = CustomVariable::parse_assignment("$=A0000").expect_err("shell-expanded");
        assert!(err.to_string().contains("single quotes"), "{err}");
        assert!(CustomVariable::parse_assignment("no-equals").is_err());
    }

    #[test]
    fn the_zone_goes_out_with_a_time() {
        let t: ContextTime = "2024-01-01 00:00:00".parse().expect("valid");
        let body = RunJob::new(NonZeroU64::MIN)
            .context_time(t)
            .body()
            .expect("valid");
        assert_eq!(body.time_zone, Some(types::TimeZone("Asia/Tokyo".into())));
        let body = RunJob::new(NonZeroU64::MIN).body().expect("valid");
        assert_eq!(serde_json::to_string(&body).expect("json"), "{}");
    }

    #[test]
    fn error_words_cover_every_documented_shape() {
        let words = |s: &str| trocco_words(s.as_bytes());
        assert_eq!(
            words(r#"{"error":"タスクの依存関係が不正です"}"#)
                .and_then(|w| w.message)
                .as_deref(),
            Some("タスクの依存関係が不正です")
        );
        assert_eq!(
            words(r#"{"message":"Not Authorized"}"#)
                .and_then(|w| w.message)
                .as_deref(),
            Some("Not Authorized")
        );
        let w = words(r#"{"message":"Bad request","errors":[{"attribute":"incremental_column","message":"入力してください"}]}"#).expect("shape");
        assert_eq!(w.details, ["incremental_column: 入力してください"]);
        let w = words(r#"{"error":"e","message":"m"}"#).expect("shape");
        assert_eq!(
            (w.message.as_deref(), w.details),
            (Some("e"), vec!["m".to_owned()])
        );
        assert_eq!(words("HTTP Token: Access denied.\n"), None);
        assert_eq!(words(r#"{"unrelated":1}"#), None);
    }

    #[test]
    fn config_debug_hides_the_key() {
        let config = TroccoConfig::new(SecretString::from("tra_super_secret")).expect("valid");
        assert!(!format!("{config:?}").contains("tra_super_secret"));
        assert!(TroccoConfig::new(SecretString::from("  ")).is_err());
    }
}
