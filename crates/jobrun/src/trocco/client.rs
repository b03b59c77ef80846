//! The client: triggers, reads, job lists and waits, over the request core and the waiter.

use std::{collections::HashSet, num::NonZeroU64};

use futures::{Stream, TryStreamExt};
use jobrun_transport::SecretString;
use secrecy::ExposeSecret;
use trocco_api::Client;

use super::{
    ListJobs, PipelineJob, RunJob, RunPipeline, TransferJob, TroccoConfig, TroccoJob,
    error::trocco_words, input::JobsQuery, status::snapshot,
};
use crate::{
    Error,
    outcome::{JobRef, Outcome, WaitEvent},
    request::{Core, Deadline, Dialect, Repeat, Secrets, Within, no_kind},
    wait::{self, Begun, Snapshot, Start, WaitOptions},
};

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
            core: Core::new(&DIALECT, &config.http, &account, config.rate_limit, secrets)?,
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
        let job = self
            .core
            .send("runJob", Repeat::Trigger, within, || {
                self.api.run_job(run.definition_id, &body)
            })
            .await?;
        self.usable("runJob", job)
    }

    /// `job`, if its id is one: an answer whose id is not one leaves the job's fate unknown
    /// (it may have started), which [`Error::Unconfirmed`] says.
    fn usable<J: TroccoJob>(&self, operation: &'static str, job: J) -> Result<J, Error> {
        match job.job_ref() {
            Ok(_) => Ok(job),
            Err(e) => Err(self.core.unconfirmed_as(operation, e)),
        }
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
        let job = self
            .core
            .send("runPipelineJob", Repeat::Trigger, within, || {
                self.api.run_pipeline_job(run.definition_id, &body)
            })
            .await?;
        self.usable("runPipelineJob", job)
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
            begun(&job)
        };
        wait::start_and_wait(self, &self.core, start, options, on_event).await
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
            begun(&job)
        };
        wait::start_and_wait(self, &self.core, start, options, on_event).await
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
