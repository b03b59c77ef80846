//! A local simulator of trocco's job API.
//!
//! Serves, on 127.0.0.1, the five job endpoints of trocco's REST API as its docs describe
//! them:
//!
//! | method and path | answer |
//! |---|---|
//! | `POST /api/jobs?job_definition_id=N` | the new transfer job |
//! | `GET /api/jobs/{id}` | a transfer job and its current status |
//! | `GET /api/job_definitions/{id}/jobs` | `{"items": [...], "next_cursor": ...}`, newest first |
//! | `POST /api/pipeline_jobs?pipeline_definition_id=N` | the new workflow job |
//! | `GET /api/pipeline_jobs/{id}` | a workflow job and its current status |
//!
//! Every call needs `Authorization: Token <key>`. Trigger bodies are JSON (`context_time`,
//! `time_zone`, and for transfer jobs `custom_variables`), empty, or the form encoding of the
//! 2022 docs. Job ids count from 1, separately for transfer and workflow jobs. Timestamps are
//! JST with milliseconds, e.g. `2023-05-19T19:15:00.000+09:00`.
//!
//! Error answers use the shapes trocco is known to send:
//!
//! | status | body |
//! |---|---|
//! | 400, invalid values | `{"message": "Bad request. Please check your request payload", "errors": [{"attribute": "context_time", "message": "..."}]}` |
//! | 400, unreadable body | `{"error": "The request body is not valid JSON: ..."}` |
//! | 401 | `{"error": "Not authenticated"}` |
//! | 404 | `{"message": "Not found"}` |
//! | 413 | `{"error": "The request body is too large"}` (over 1 MiB) |
//! | 429 | `{"message": "Rate limit exceeded: ..."}` |
//!
//! Every answer carries `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and
//! `X-Rate-Limit-Reset` (UNIX seconds, rounded up). Authenticated calls spend the budget,
//! whatever their outcome; unauthenticated ones and injected status faults do not.

mod http;
mod input;
mod script;

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

pub use crate::fault::Fault;
pub use crate::record::RecordedRequest;
pub use script::Script;

use crate::clock::Clock;
use crate::fault::FaultQueue;
use crate::ratelimit::RateLimiter;
use crate::server::Server;

/// The API key a default configuration accepts.
pub const DEFAULT_API_KEY: &str = "sim-trocco-key";
/// trocco's documented budget: 3,500 calls per 10 minutes.
pub const DEFAULT_RATE_LIMIT: u32 = 3500;
/// The window of [`DEFAULT_RATE_LIMIT`].
pub const DEFAULT_RATE_WINDOW: Duration = Duration::from_secs(600);

/// The endpoint a fault is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Every request, including ones to unknown paths.
    Any,
    /// `POST /api/jobs`.
    RunJob,
    /// `GET /api/jobs/{id}`.
    GetJob,
    /// `GET /api/job_definitions/{id}/jobs`.
    ListJobs,
    /// `POST /api/pipeline_jobs`.
    RunPipelineJob,
    /// `GET /api/pipeline_jobs/{id}`.
    GetPipelineJob,
}

impl Target {
    fn applies_to(self, endpoint: Option<Target>) -> bool {
        self == Target::Any || Some(self) == endpoint
    }
}

/// A transfer or workflow definition: what a trigger names by id.
#[derive(Debug, Clone)]
struct Definition {
    name: String,
    script: Arc<Script>,
}

impl Definition {
    fn new(name: impl Into<String>, script: Script) -> Self {
        Self {
            name: name.into(),
            script: Arc::new(script),
        }
    }
}

/// What a [`TroccoSim`] starts with: API key, port, rate limit and the definitions a
/// trigger may name.
///
/// [`TroccoConfig::new`] (or `default()`) holds the demo catalog below, API key
/// `sim-trocco-key`, an ephemeral port and 3,500 calls per 10 minutes. Its `Display` prints
/// the catalog as a table.
///
/// | kind | id | name | progression |
/// |---|---|---|---|
/// | transfer | 1 | `sim-transfer-succeeds` | queued 1s → setting_up 1s → executing 2s → succeeded |
/// | transfer | 2 | `sim-transfer-fails` | queued 1s → setting_up 1s → executing 2s → error |
/// | transfer | 3 | `sim-transfer-canceled` | queued 1s → setting_up 1s → executing 1.5s → interrupting 1s → canceled |
/// | transfer | 4 | `sim-transfer-skipped` | queued 3s → skipped |
/// | workflow | 1 | `sim-workflow-succeeds` | queued 1s → executing 3s → succeeded |
/// | workflow | 2 | `sim-workflow-fails-after-retry` | queued 1s → executing 1.5s → error 1s → retry_waiting 1.5s → executing 1.5s → error |
/// | workflow | 3 | `sim-workflow-recovers` | queued 1s → executing 1.5s → error 1s → retry_waiting 1.5s → executing 1.5s → succeeded |
/// | workflow | 4 | `sim-workflow-canceled` | queued 1s → executing 2s → interrupting 1s → canceled |
#[derive(Debug, Clone)]
pub struct TroccoConfig {
    api_key: String,
    port: u16,
    rate_limit: u32,
    rate_window: Duration,
    record_requests: bool,
    transfers: BTreeMap<i64, Definition>,
    pipelines: BTreeMap<i64, Definition>,
}

impl Default for TroccoConfig {
    fn default() -> Self {
        let s = Duration::from_secs;
        let ms = Duration::from_millis;
        let prepared = || Script::new().step("queued", s(1)).step("setting_up", s(1));
        let retried = || {
            Script::new()
                .step("queued", s(1))
                .step("executing", ms(1500))
                .step("error", s(1))
                .step("retry_waiting", ms(1500))
                .step("executing", ms(1500))
        };
        Self::empty()
            .transfer_definition(
                1,
                "sim-transfer-succeeds",
                prepared().step("executing", s(2)).end("succeeded"),
            )
            .transfer_definition(
                2,
                "sim-transfer-fails",
                prepared().step("executing", s(2)).end("error"),
            )
            .transfer_definition(
                3,
                "sim-transfer-canceled",
                prepared()
                    .step("executing", ms(1500))
                    .step("interrupting", s(1))
                    .end("canceled"),
            )
            .transfer_definition(
                4,
                "sim-transfer-skipped",
                Script::new().step("queued", s(3)).end("skipped"),
            )
            .pipeline_definition(
                1,
                "sim-workflow-succeeds",
                Script::new()
                    .step("queued", s(1))
                    .step("executing", s(3))
                    .end("succeeded"),
            )
            .pipeline_definition(2, "sim-workflow-fails-after-retry", retried().end("error"))
            .pipeline_definition(3, "sim-workflow-recovers", retried().end("succeeded"))
            .pipeline_definition(
                4,
                "sim-workflow-canceled",
                Script::new()
                    .step("queued", s(1))
                    .step("executing", s(2))
                    .step("interrupting", s(1))
                    .end("canceled"),
            )
    }
}

impl TroccoConfig {
    /// The default configuration, demo catalog included.
    pub fn new() -> Self {
        Self::default()
    }

    /// Like [`TroccoConfig::new`] but with no definitions at all.
    pub fn empty() -> Self {
        Self {
            api_key: DEFAULT_API_KEY.to_owned(),
            port: 0,
            rate_limit: DEFAULT_RATE_LIMIT,
            rate_window: DEFAULT_RATE_WINDOW,
            record_requests: true,
            transfers: BTreeMap::new(),
            pipelines: BTreeMap::new(),
        }
    }

    /// The key clients must send as `Authorization: Token <key>`.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// The port to listen on (on 127.0.0.1 only); 0 picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// At most `limit` authenticated calls per `window`; the window opens with the first
    /// call after the previous one ended.
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.rate_limit = limit;
        self.rate_window = window;
        self
    }

    /// Whether to keep every request for [`TroccoSim::requests`] and [`TroccoSim::count`]
    /// (the default). Turn it off for load tests: each record holds the request's headers and
    /// body, so half a million requests would hold hundreds of megabytes. Without records,
    /// `requests()` is empty and `count()` is 0; [`TroccoSim::stats`] counts either way.
    pub fn record_requests(mut self, record: bool) -> Self {
        self.record_requests = record;
        self
    }

    /// Adds, or replaces, the transfer definition `id` (triggered by `POST /api/jobs`).
    pub fn transfer_definition(mut self, id: i64, name: impl Into<String>, script: Script) -> Self {
        self.transfers.insert(id, Definition::new(name, script));
        self
    }

    /// Adds, or replaces, the workflow definition `id` (triggered by
    /// `POST /api/pipeline_jobs`).
    pub fn pipeline_definition(mut self, id: i64, name: impl Into<String>, script: Script) -> Self {
        self.pipelines.insert(id, Definition::new(name, script));
        self
    }
}

impl fmt::Display for TroccoConfig {
    /// A table of the catalog for people starting the simulator by hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "trocco simulator: rate limit {} calls per {}",
            self.rate_limit,
            crate::fmt_duration(self.rate_window)
        )?;
        let sections = [
            (
                "transfer definitions (POST /api/jobs?job_definition_id=ID)",
                &self.transfers,
            ),
            (
                "workflow definitions (POST /api/pipeline_jobs?pipeline_definition_id=ID)",
                &self.pipelines,
            ),
        ];
        for (title, definitions) in sections {
            writeln!(f, "{title}:")?;
            if definitions.is_empty() {
                writeln!(f, "  (none)")?;
                continue;
            }
            let id_width = definitions
                .keys()
                .map(|id| id.to_string().len())
                .chain([2])
                .max()
                .unwrap_or(2);
            let name_width = definitions
                .values()
                .map(|d| d.name.chars().count())
                .chain([4])
                .max()
                .unwrap_or(4);
            writeln!(
                f,
                "  {:>id_width$}  {:<name_width$}  progression",
                "id", "name"
            )?;
            for (id, definition) in definitions {
                writeln!(
                    f,
                    "  {id:>id_width$}  {:<name_width$}  {} (done after {})",
                    definition.name,
                    definition.script,
                    crate::fmt_duration(definition.script.total())
                )?;
            }
        }
        Ok(())
    }
}

/// A transfer job: its definition at trigger time and when it was created.
#[derive(Debug)]
struct TransferJob {
    id: i64,
    definition_id: i64,
    definition_name: String,
    script: Arc<Script>,
    created: Instant,
}

/// A workflow job.
#[derive(Debug)]
struct PipelineJob {
    id: i64,
    definition_id: i64,
    name: String,
    script: Arc<Script>,
    created: Instant,
    context_time: DateTime<Utc>,
}

/// Everything a request can change.
#[derive(Debug)]
struct State {
    transfers: BTreeMap<i64, Definition>,
    pipelines: BTreeMap<i64, Definition>,
    transfer_jobs: Vec<TransferJob>,
    pipeline_jobs: Vec<PipelineJob>,
    limiter: RateLimiter,
    faults: FaultQueue<Target>,
    requests: Vec<RecordedRequest>,
}

/// What a [`TroccoSim`] has answered so far: cheap counters kept whether or not requests are
/// recorded (see [`TroccoConfig::record_requests`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TroccoStats {
    /// Requests received, whatever became of them (faulted and unrouted ones included).
    pub received: u64,
    /// Answers sent, by HTTP status. A connection dropped as an injected fault answers
    /// nothing, so it is counted in `received` only.
    pub answers: BTreeMap<u16, u64>,
    /// Requests the rate limit refused with 429. An injected 429 fault is not one of them
    /// (it shows in `answers` only).
    pub rate_limited: u64,
}

/// Counters updated by every request without taking the state lock.
#[derive(Debug)]
struct Counters {
    received: AtomicU64,
    rate_limited: AtomicU64,
    /// One slot per status code 0..=999 (the range `http::StatusCode` can hold).
    answers: Box<[AtomicU64]>,
}

impl Default for Counters {
    fn default() -> Self {
        Self {
            received: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            answers: (0..1000).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl Counters {
    fn received(&self) {
        // Relaxed: these are statistics; nothing is ordered by them.
        self.received.fetch_add(1, Ordering::Relaxed);
    }

    fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    fn answered(&self, status: u16) {
        if let Some(slot) = self.answers.get(usize::from(status)) {
            slot.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn snapshot(&self) -> TroccoStats {
        let answers = self
            .answers
            .iter()
            .enumerate()
            .filter_map(|(status, count)| {
                let count = count.load(Ordering::Relaxed);
                let status = u16::try_from(status).ok()?;
                (count > 0).then_some((status, count))
            })
            .collect();
        TroccoStats {
            received: self.received.load(Ordering::Relaxed),
            answers,
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
        }
    }
}

/// Shared by the handle and every request.
#[derive(Debug)]
struct Shared {
    clock: Clock,
    api_key: String,
    record_requests: bool,
    counters: Counters,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data updated in single steps, so it is consistent even if a
        // holder panicked; refusing all later requests would help no one.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running trocco simulator. Dropping it stops the server and closes its connections.
///
/// ```
/// use jobrun_sim::trocco::{Fault, Target, TroccoConfig, TroccoSim};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let sim = TroccoSim::start(TroccoConfig::new()).await?;
/// // The next status poll gets a gateway error.
/// sim.inject(
///     Target::GetJob,
///     Fault::Status { status: 502, content_type: "text/html".into(), body: "<h1>Bad Gateway</h1>".into() },
///     1,
/// );
/// assert!(sim.base_url().starts_with("http://127.0.0.1:"));
/// sim.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct TroccoSim {
    shared: Arc<Shared>,
    server: Server,
}

impl TroccoSim {
    /// Binds 127.0.0.1 on the configured port and starts serving.
    ///
    /// Must be called inside a tokio runtime; the server runs on it as spawned tasks.
    pub async fn start(config: TroccoConfig) -> std::io::Result<TroccoSim> {
        let shared = Arc::new(Shared {
            clock: Clock::start(),
            api_key: config.api_key,
            record_requests: config.record_requests,
            counters: Counters::default(),
            state: Mutex::new(State {
                transfers: config.transfers,
                pipelines: config.pipelines,
                transfer_jobs: Vec::new(),
                pipeline_jobs: Vec::new(),
                limiter: RateLimiter::new(config.rate_limit, config.rate_window),
                faults: FaultQueue::default(),
                requests: Vec::new(),
            }),
        });
        let server = Server::start(config.port, http::router(Arc::clone(&shared))).await?;
        Ok(TroccoSim { shared, server })
    }

    /// `http://127.0.0.1:PORT`, the base URL to point a client at (paths start `/api/`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The API key the simulator accepts.
    pub fn api_key(&self) -> String {
        self.shared.api_key.clone()
    }

    /// Queues `fault` for the next `times` requests to `target`. Faults are consumed in the
    /// order they were queued; each request takes at most one, from the oldest entry whose
    /// target matches it.
    pub fn inject(&self, target: Target, fault: Fault, times: usize) {
        self.shared.lock().faults.push(target, fault, times);
    }

    /// Counts of what was received and answered so far; cheap, and kept even when
    /// [`TroccoConfig::record_requests`] is off.
    pub fn stats(&self) -> TroccoStats {
        self.shared.counters.snapshot()
    }

    /// Every request received so far, in arrival order, faulted ones included (none when
    /// [`TroccoConfig::record_requests`] is off).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many requests had this method (case-insensitive) and exactly this path; the query
    /// string is ignored. Reads the records, so it is 0 when [`TroccoConfig::record_requests`]
    /// is off.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    /// Adds or replaces a transfer definition while running. Jobs already created keep the
    /// script they started with.
    pub fn set_transfer_definition(&self, id: i64, name: &str, script: Script) {
        let definition = Definition::new(name, script);
        self.shared.lock().transfers.insert(id, definition);
    }

    /// Adds or replaces a workflow definition while running. Jobs already created keep the
    /// script they started with.
    pub fn set_pipeline_definition(&self, id: i64, name: &str, script: Script) {
        let definition = Definition::new(name, script);
        self.shared.lock().pipelines.insert(id, definition);
    }

    /// Stops the server and waits until its connections are closed.
    pub async fn shutdown(mut self) {
        self.server.shutdown().await;
    }
}
