//! Waiting for many jobs at once, of any mix of vendors, with one stream of events.
//!
//! Every wait runs as its own small task; the waits of one vendor account share that
//! account's request budget and in-flight cap (see [`crate::RateLimit`]), so a hundred
//! thousand waits in one process poll fairly within the vendor's limit.
//!
//! ```no_run
//! use futures::StreamExt;
//! use jobrun::{JobRef, WaitOptions, fleet::{Clients, FleetEvent}};
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! let jobs: Vec<JobRef> = ["trocco:job:42", "krewdata:task:unit1:abc"]
//!     .iter()
//!     .map(|r| r.parse())
//!     .collect::<Result<_, _>>()?;
//! let clients = Clients::from_env_for(&jobs)?; // each vendor's usual variables
//! let mut events = clients.wait_all(jobs, WaitOptions::default());
//! while let Some(event) = events.next().await {
//!     match event {
//!         FleetEvent::Progress(change) => eprintln!("{change:?}"),
//!         FleetEvent::Ended { job, result } => println!("{job}: {:?}", result.map(|o| o.state)),
//!     }
//! }
//! # Ok(()) }
//! ```

use std::{
    collections::HashSet,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use futures::Stream;
use tokio::{sync::mpsc, task::JoinSet};

use crate::{
    Error, JobRef, Outcome, WaitEvent, WaitOptions, adobe::AdobeClient, asteria::AsteriaClient,
    krewdata::KrewdataClient, trocco::TroccoClient,
};

/// One client per vendor, for waits by reference. Cheap to share: clones share budgets.
#[derive(Clone, Debug, Default)]
pub struct Clients {
    trocco: Option<TroccoClient>,
    krewdata: Option<KrewdataClient>,
    asteria: Option<AsteriaClient>,
    adobe: Option<AdobeClient>,
}

/// What a many-job wait reports, tagged with its job.
#[derive(Debug)]
pub enum FleetEvent {
    /// A job's status or step changed, or a read is retried.
    Progress(WaitEvent),
    /// A job's wait ended: its outcome, or why it could not be known (a passed deadline is
    /// [`Error::Deadline`]).
    Ended {
        /// The job.
        job: JobRef,
        /// How it ended.
        result: Result<Outcome, Error>,
    },
}

impl Clients {
    /// No clients: add them with [`Clients::trocco`] and the like.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits for trocco jobs with `client`.
    pub fn trocco(mut self, client: TroccoClient) -> Self {
        self.trocco = Some(client);
        self
    }

    /// Waits for krewData tasks with `client`.
    pub fn krewdata(mut self, client: KrewdataClient) -> Self {
        self.krewdata = Some(client);
        self
    }

    /// Waits for ASTERIA Warp requests with `client`.
    pub fn asteria(mut self, client: AsteriaClient) -> Self {
        self.asteria = Some(client);
        self
    }

    /// Waits for Adobe runs with `client`.
    pub fn adobe(mut self, client: AdobeClient) -> Self {
        self.adobe = Some(client);
        self
    }

    /// A client, configured from its environment variables, for each vendor that `jobs` name
    /// (and only those: waiting for trocco jobs needs no Adobe credentials).
    pub fn from_env_for<'a>(jobs: impl IntoIterator<Item = &'a JobRef>) -> Result<Self, Error> {
        let vendors: HashSet<&str> = jobs.into_iter().map(JobRef::vendor).collect();
        let mut clients = Self::new();
        if vendors.contains("trocco") {
            clients = clients.trocco(TroccoClient::from_env()?);
        }
        if vendors.contains("krewdata") {
            clients = clients.krewdata(KrewdataClient::from_env()?);
        }
        if vendors.contains("asteria") {
            clients = clients.asteria(AsteriaClient::from_env()?);
        }
        if vendors.contains("adobe") {
            clients = clients.adobe(AdobeClient::from_env()?);
        }
        Ok(clients)
    }

    /// Waits for one job with its vendor's client.
    pub async fn wait(
        &self,
        job: &JobRef,
        options: &WaitOptions,
        on_event: &mut (dyn FnMut(&WaitEvent) + Send),
    ) -> Result<Outcome, Error> {
        let missing = || {
            Error::Config(format!(
                "no {} client to wait for {job} with: configure one",
                job.vendor()
            ))
        };
        match job {
            JobRef::TroccoJob(_) | JobRef::TroccoPipelineJob(_) => {
                let client = self.trocco.as_ref().ok_or_else(missing)?;
                client.wait(job, options, on_event).await
            }
            JobRef::KrewdataTask { .. } => {
                let client = self.krewdata.as_ref().ok_or_else(missing)?;
                client.wait(job, options, on_event).await
            }
            JobRef::AsteriaRequest { .. } => {
                let client = self.asteria.as_ref().ok_or_else(missing)?;
                client.wait(job, options, on_event).await
            }
            JobRef::AdobeRun { .. } => {
                let client = self.adobe.as_ref().ok_or_else(missing)?;
                client.wait(job, options, on_event).await
            }
        }
    }

    /// Waits for every job in `jobs` at once (a job named twice is waited for once) and
    /// returns their events as one stream, which ends after the last [`FleetEvent::Ended`].
    /// Dropping the stream stops the waits (the jobs go on at their vendors).
    ///
    /// Must be called inside a tokio runtime: each wait is a task of its own.
    pub fn wait_all(&self, jobs: Vec<JobRef>, options: WaitOptions) -> Waits {
        let clients = Arc::new(self.clone());
        let options = Arc::new(options);
        let (events, receiver) = mpsc::unbounded_channel();
        let mut tasks = JoinSet::new();
        let mut seen = HashSet::new();
        for job in jobs {
            if !seen.insert(job.clone()) {
                continue;
            }
            let (clients, options, events) = (clients.clone(), options.clone(), events.clone());
            tasks.spawn(async move {
                let mut on_event = |e: &WaitEvent| {
                    // The receiver is gone only when the caller dropped the stream.
                    let _ = events.send(FleetEvent::Progress(e.clone()));
                };
                let result = clients.wait(&job, &options, &mut on_event).await;
                let _ = events.send(FleetEvent::Ended { job, result });
            });
        }
        Waits {
            receiver,
            _tasks: tasks,
            jobs: seen.len(),
        }
    }

    /// Ends what needs ending after waits (ASTERIA's session); call it once every wait is over.
    pub async fn close(&self) {
        if let Some(asteria) = &self.asteria {
            asteria.logout().await;
        }
    }
}

/// The events of [`Clients::wait_all`], as a [`Stream`].
#[derive(Debug)]
pub struct Waits {
    receiver: mpsc::UnboundedReceiver<FleetEvent>,
    /// Aborted when the stream is dropped.
    _tasks: JoinSet<()>,
    jobs: usize,
}

impl Waits {
    /// How many distinct jobs are waited for.
    pub fn jobs(&self) -> usize {
        self.jobs
    }
}

impl Stream for Waits {
    type Item = FleetEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<FleetEvent>> {
        self.receiver.poll_recv(cx)
    }
}
