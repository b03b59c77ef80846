//! The fault matrix: every vendor's library client against its simulator's fault injection,
//! one cell per (fault, vendor), each on a simulator of its own. The test prints one markdown
//! table of what each cell observed (`cargo test -p jobrun-tests --test fault_matrix --
//! --nocapture`), then fails naming every cell that broke a promise of DESIGN.md ("Promises,
//! kept for every vendor, proven by a fault matrix").
//!
//! Time: tokio's paused clock, as in the facade tests, so that deadlines of seconds, pauses
//! of an hour and job scripts cost no real time. Durations in the table are on that clock.
//! The cells that promise a bound in real time (a deeply nested answer parsed within 2 s) run
//! after the others, one at a time, so that other cells' work is not counted against them.

use std::{future::Future, pin::Pin, time::Duration};

use base64::Engine as _;
use futures::future::join_all;
use jobrun::{
    Error, JobRef, Outcome, OutcomeState, RequestFate, SecretString, WaitEvent, WaitOptions,
    adobe::{AdobeClient, AdobeConfig, ScheduleId},
    asteria::{AsteriaClient, AsteriaConfig, CheckpointDate, RequestId, StartedRerun},
    krewdata::{KrewdataClient, KrewdataConfig, RunGuard, RunUnit, StartedTask, UnitId},
    trocco::{RunJob, TroccoClient, TroccoConfig, TroccoJob},
};
use jobrun_sim::{Elsewhere, Fault, RecordedRequest};
use tokio::time::Instant;

const TROCCO_KEY: &str = "tra_matrix-key-5c0ffee1";
const KREW_SERIAL: &str = "matrix-serial-0042-abcdef-1a2b3c";
const KREW_APP_URL: &str = "https://matrix-test.cybozu.com/k/321";
const KREW_APP: u64 = 123;
const KREW_USER: &str = "krewdata@example.com";
const ASTERIA_USER: &str = "operator";
const ASTERIA_PASSWORD: &str = "matrix-pa55-w0rd-77";
const ASTERIA_DATE: &str = "20121005";
/// Two requests that ended in error, each re-run by its cell.
const ASTERIA_IDS: [&str; 2] = [
    "0a1b2c3d-4e5f-4a6b-8c7d-00000000000a",
    "0a1b2c3d-4e5f-4a6b-8c7d-00000000000b",
];
const ADOBE_CLIENT_ID: &str = "matrix-client-0001";
const ADOBE_SECRET: &str = "p8e-matrix-secret-9e2f";
const ADOBE_ORG: &str = "MATRIX0001@AdobeOrg";
const ADOBE_SCHEDULES: [&str; 2] = ["sched_matrix_a", "sched_matrix_b"];
const KREW_UNITS: [&str; 2] = ["matrixunita", "matrixunitb"];

/// Faults queued "for good": more requests than any cell makes.
const ALWAYS: usize = 10_000;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The options of every wait: pauses from 250 ms backing off to 2 s, so that a wait of 3 s
/// makes several reads (and retries) before its deadline.
fn options(timeout: Duration) -> WaitOptions {
    WaitOptions {
        timeout,
        poll_min: ms(250),
        poll_max: secs(2),
        confirm_after: secs(1),
    }
}

fn fmt_secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vendor {
    Trocco,
    Krewdata,
    Asteria,
    Adobe,
}

const VENDORS: [Vendor; 4] = [
    Vendor::Trocco,
    Vendor::Krewdata,
    Vendor::Asteria,
    Vendor::Adobe,
];

impl Vendor {
    fn name(self) -> &'static str {
        match self {
            Self::Trocco => "trocco",
            Self::Krewdata => "krewData",
            Self::Asteria => "ASTERIA",
            Self::Adobe => "Adobe",
        }
    }
}

/// Where a fault is aimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Point {
    /// The status read.
    Status,
    /// The trigger (trocco runJob, krewData run, ASTERIA rerun, Adobe trigger).
    Trigger,
    /// The credential exchange (krewData token, ASTERIA login, Adobe IMS); trocco has none.
    Auth,
}

/// A status the vendor's docs do not list, shown while the job runs or as its end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Odd {
    #[default]
    None,
    Running,
    Final,
}

/// How a cell's simulator and client are set up.
#[derive(Clone, Copy, Debug)]
struct Setup {
    /// How long each job runs after its trigger (at least 2 s).
    job: Duration,
    odd: Odd,
    /// `HttpSettings::max_answer_bytes`, when not the default.
    cap: Option<usize>,
    /// krewData tokens that expire after 2 s at the simulator.
    short_tokens: bool,
    /// ASTERIA error answers with `code`/`message` elements instead of the documented names.
    renamed_errors: bool,
    /// How long a single call keeps retrying, when not the default (2 minutes).
    retry_budget: Option<Duration>,
}

impl Setup {
    fn job(job: Duration) -> Self {
        Self {
            job,
            odd: Odd::None,
            cap: None,
            short_tokens: false,
            renamed_errors: false,
            retry_budget: None,
        }
    }
}

/// Which of a cell's two jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Job {
    A,
    B,
}

impl Job {
    fn index(self) -> usize {
        match self {
            Self::A => 0,
            Self::B => 1,
        }
    }
}

/// A job a trigger started, as each client hands it to its wait.
enum Started {
    Trocco(JobRef),
    Krewdata(StartedTask),
    Asteria(StartedRerun),
    Adobe(JobRef),
}

/// One simulator and a client of it.
enum Rig {
    Trocco {
        sim: jobrun_sim::trocco::TroccoSim,
        client: TroccoClient,
    },
    Krewdata {
        sim: jobrun_sim::krewdata::KrewdataSim,
        client: KrewdataClient,
        // Keeps the run guard's state directory alive for the cell.
        _state: tempfile::TempDir,
    },
    Asteria {
        sim: jobrun_sim::asteria::AsteriaSim,
        client: AsteriaClient,
    },
    Adobe {
        sim: jobrun_sim::adobe::AdobeSim,
        client: AdobeClient,
    },
}

/// What a wait returned, what it reported, and how long it took (tokio time).
struct Waited {
    result: Result<Outcome, Error>,
    events: Vec<WaitEvent>,
    took: Duration,
}

fn asteria_date() -> CheckpointDate {
    ASTERIA_DATE.parse().expect("valid date")
}

fn trocco_definition(job: Job) -> std::num::NonZeroU64 {
    std::num::NonZeroU64::new(job.index() as u64 + 1).expect("non-zero")
}

fn krew_unit(job: Job) -> UnitId {
    KREW_UNITS[job.index()].parse().expect("valid unit id")
}

fn asteria_request(job: Job) -> RequestId {
    ASTERIA_IDS[job.index()].parse().expect("valid request id")
}

fn adobe_schedule(job: Job) -> ScheduleId {
    ADOBE_SCHEDULES[job.index()]
        .parse()
        .expect("valid schedule id")
}

impl Rig {
    async fn start(vendor: Vendor, setup: Setup) -> Rig {
        let running = setup.job.saturating_sub(secs(1));
        match vendor {
            Vendor::Trocco => {
                use jobrun_sim::trocco::{Script, TroccoConfig as Sim, TroccoSim};
                let shown = if setup.odd == Odd::Running {
                    "paused_by_admin"
                } else {
                    "executing"
                };
                let end = if setup.odd == Odd::Final {
                    "finished_oddly"
                } else {
                    "succeeded"
                };
                let script = || {
                    Script::new()
                        .step("queued", secs(1))
                        .step(shown, running)
                        .end(end)
                };
                let config = Sim::empty()
                    .api_key(TROCCO_KEY)
                    .transfer_definition(1, "matrix-a", script())
                    .transfer_definition(2, "matrix-b", script());
                let sim = TroccoSim::start(config).await.expect("simulator starts");
                let mut config = TroccoConfig::new(SecretString::from(TROCCO_KEY))
                    .and_then(|c| c.base_url(&sim.base_url(), false))
                    .expect("valid config");
                if let Some(cap) = setup.cap {
                    config.http.max_answer_bytes = cap;
                }
                if let Some(budget) = setup.retry_budget {
                    config.http.retry_budget = budget;
                }
                let client = TroccoClient::new(config).expect("client");
                Rig::Trocco { sim, client }
            }
            Vendor::Krewdata => {
                use jobrun_sim::krewdata::{KrewdataConfig as Sim, KrewdataSim, Unit};
                let unit = |name: &str| {
                    Unit::new(name)
                        .calling_app(KREW_APP)
                        .queue(secs(1))
                        .flow("matrix-flow", running)
                };
                let mut config = Sim::empty()
                    .serial_number(KREW_SERIAL)
                    .app_url(KREW_APP_URL)
                    .unit(KREW_UNITS[0], unit("matrix-a"))
                    .unit(KREW_UNITS[1], unit("matrix-b"));
                config = match setup.odd {
                    Odd::None => config,
                    Odd::Running => config.task_status_reads("Running", "Suspended"),
                    Odd::Final => config.task_status_reads("Success", "Completed"),
                };
                if setup.short_tokens {
                    config = config.token_ttl(secs(2));
                }
                let sim = KrewdataSim::start(config).await.expect("simulator starts");
                let state = tempfile::tempdir().expect("temp dir");
                let mut config = KrewdataConfig::new(
                    KREW_APP_URL.parse().expect("app URL"),
                    SecretString::from(KREW_SERIAL),
                )
                .and_then(|c| c.base_url(&sim.base_url(), false))
                .expect("valid config")
                .user(KREW_USER)
                .run_guard(RunGuard::in_dir(state.path()));
                if let Some(cap) = setup.cap {
                    config.http.max_answer_bytes = cap;
                }
                if let Some(budget) = setup.retry_budget {
                    config.http.retry_budget = budget;
                }
                let client = KrewdataClient::new(config).expect("client");
                Rig::Krewdata {
                    sim,
                    client,
                    _state: state,
                }
            }
            Vendor::Asteria => {
                use jobrun_sim::asteria::{
                    AsteriaConfig as Sim, AsteriaSim, CheckpointRequest, Rerun, Start,
                };
                let at = chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
                    .and_then(|d| d.and_hms_opt(18, 7, 4))
                    .expect("a real time");
                let request = |id: &str| {
                    CheckpointRequest::new(id, "Matrix", "Flow1")
                        .started(Start::At(at))
                        .failed_at("CheckPoint1")
                        .on_rerun(Rerun::new().run_for(running).ends_success())
                };
                let mut config = Sim::empty()
                    .user(ASTERIA_USER, ASTERIA_PASSWORD)
                    .request(request(ASTERIA_IDS[0]))
                    .request(request(ASTERIA_IDS[1]));
                config = match setup.odd {
                    Odd::None => config,
                    Odd::Running => config.status_reads("running", "suspended"),
                    Odd::Final => config.status_reads("success", "completed"),
                };
                if setup.renamed_errors {
                    config = config.error_elements("code", "message");
                }
                let sim = AsteriaSim::start(config).await.expect("simulator starts");
                let mut config = AsteriaConfig::new(
                    &sim.base_url(),
                    false,
                    ASTERIA_USER,
                    SecretString::from(ASTERIA_PASSWORD),
                )
                .expect("valid config");
                if let Some(cap) = setup.cap {
                    config.http.max_answer_bytes = cap;
                }
                if let Some(budget) = setup.retry_budget {
                    config.http.retry_budget = budget;
                }
                let client = AsteriaClient::new(config).expect("client");
                Rig::Asteria { sim, client }
            }
            Vendor::Adobe => {
                use jobrun_sim::adobe::{AdobeConfig as Sim, AdobeSim, RunScript, Schedule};
                let schedule = |id: &str| {
                    Schedule::new(id, "SELECT 1")
                        .id(id)
                        .runs(RunScript::new().lasts(setup.job))
                };
                let mut config = Sim::empty()
                    .credentials(ADOBE_CLIENT_ID, ADOBE_SECRET, ADOBE_ORG)
                    .schedule(schedule(ADOBE_SCHEDULES[0]))
                    .schedule(schedule(ADOBE_SCHEDULES[1]));
                config = match setup.odd {
                    Odd::None => config,
                    Odd::Running => config.run_state_reads("IN_PROGRESS", "PAUSED"),
                    Odd::Final => config.run_state_reads("SUCCESS", "UP_FOR_RETRY"),
                };
                let sim = AdobeSim::start(config).await.expect("simulator starts");
                let mut config = AdobeConfig::new(
                    ADOBE_CLIENT_ID,
                    SecretString::from(ADOBE_SECRET),
                    ADOBE_ORG,
                    "openid,AdobeID",
                )
                .and_then(|c| c.urls(&sim.base_url(), &sim.base_url(), false))
                .expect("valid config");
                if let Some(cap) = setup.cap {
                    config.http.max_answer_bytes = cap;
                }
                if let Some(budget) = setup.retry_budget {
                    config.http.retry_budget = budget;
                }
                let client = AdobeClient::new(config).expect("client");
                Rig::Adobe { sim, client }
            }
        }
    }

    fn vendor(&self) -> Vendor {
        match self {
            Self::Trocco { .. } => Vendor::Trocco,
            Self::Krewdata { .. } => Vendor::Krewdata,
            Self::Asteria { .. } => Vendor::Asteria,
            Self::Adobe { .. } => Vendor::Adobe,
        }
    }

    /// Queues `fault` at `point`; `false` where the vendor has no such point.
    fn inject(&self, point: Point, fault: Fault, times: usize) -> bool {
        match self {
            Self::Trocco { sim, .. } => {
                use jobrun_sim::trocco::Target;
                let target = match point {
                    Point::Status => Target::GetJob,
                    Point::Trigger => Target::RunJob,
                    Point::Auth => return false,
                };
                sim.inject(target, fault, times);
            }
            Self::Krewdata { sim, .. } => {
                use jobrun_sim::krewdata::Target;
                let target = match point {
                    Point::Status => Target::Status,
                    Point::Trigger => Target::Run,
                    Point::Auth => Target::Token,
                };
                sim.inject(target, fault, times);
            }
            Self::Asteria { sim, .. } => {
                use jobrun_sim::asteria::Target;
                let target = match point {
                    Point::Status => Target::Show,
                    Point::Trigger => Target::Rerun,
                    Point::Auth => Target::Login,
                };
                sim.inject(target, fault, times);
            }
            Self::Adobe { sim, .. } => {
                use jobrun_sim::adobe::Target;
                let target = match point {
                    Point::Status => Target::GetRun,
                    Point::Trigger => Target::TriggerRun,
                    Point::Auth => Target::Token,
                };
                sim.inject(target, fault, times);
            }
        }
        true
    }

    fn requests(&self) -> Vec<RecordedRequest> {
        match self {
            Self::Trocco { sim, .. } => sim.requests(),
            Self::Krewdata { sim, .. } => sim.requests(),
            Self::Asteria { sim, .. } => sim.requests(),
            Self::Adobe { sim, .. } => sim.requests(),
        }
    }

    /// Trigger requests that reached the simulator, faulted ones included.
    fn triggers(&self) -> usize {
        let vendor = self.vendor();
        self.requests()
            .iter()
            .filter(|r| match vendor {
                Vendor::Trocco => r.method == "POST" && r.path == "/api/jobs",
                Vendor::Krewdata => r.path.ends_with("/run"),
                Vendor::Asteria => r.path == "/api/checkpoint/rerun",
                Vendor::Adobe => r.method == "POST" && r.path.ends_with("/runs"),
            })
            .count()
    }

    /// Status reads that reached the simulator, faulted ones included.
    fn status_reads(&self) -> usize {
        let vendor = self.vendor();
        self.requests()
            .iter()
            .filter(|r| match vendor {
                Vendor::Trocco => r.method == "GET" && r.path.starts_with("/api/jobs/"),
                Vendor::Krewdata => r.path.ends_with("/status"),
                Vendor::Asteria => r.path == "/api/checkpoint/show",
                Vendor::Adobe => r.method == "GET" && r.path.contains("/runs/"),
            })
            .count()
    }

    /// Credential exchanges that reached the simulator (tokens, logins).
    fn credential_requests(&self) -> usize {
        let vendor = self.vendor();
        self.requests()
            .iter()
            .filter(|r| match vendor {
                Vendor::Trocco => false,
                Vendor::Krewdata => r.path.ends_with("/token"),
                Vendor::Asteria => r.path == "/api/auth/login",
                Vendor::Adobe => r.path == "/ims/token/v3",
            })
            .count()
    }

    /// Ends the client's token or session at the simulator (krewData's end by time: see
    /// [`Setup::short_tokens`]).
    fn expire(&self) {
        match self {
            Self::Asteria { sim, .. } => sim.expire_sessions(),
            Self::Adobe { sim, .. } => sim.expire_tokens(),
            Self::Trocco { .. } | Self::Krewdata { .. } => {}
        }
    }

    /// Every credential the client holds, as (what, value): the configured ones, and the
    /// tokens and sessions the simulator's records show it sent. Each is kept only if some
    /// record carries it, or (for a configured one that travels only in another form, the
    /// krewData serial) kept anyway: a credential never sent must not be shown either.
    fn credentials(&self) -> Vec<(String, String)> {
        let records = self.requests();
        let mut found: Vec<(String, String)> = Vec::new();
        let mut add = |what: &str, value: String| {
            if !value.is_empty() && !found.iter().any(|(_, v)| *v == value) {
                found.push((what.to_owned(), value));
            }
        };
        match self {
            Self::Trocco { .. } => add("API key", TROCCO_KEY.to_owned()),
            Self::Krewdata { .. } => {
                add("serial number", KREW_SERIAL.to_owned());
                add(
                    "serial number (Base64)",
                    base64::engine::general_purpose::STANDARD.encode(KREW_SERIAL),
                );
                for r in &records {
                    let token = serde_json::from_slice::<serde_json::Value>(&r.body)
                        .ok()
                        .and_then(|v| v["accessToken"].as_str().map(str::to_owned));
                    if let Some(token) = token {
                        add("access token", token);
                    }
                }
            }
            Self::Asteria { .. } => {
                add("password", ASTERIA_PASSWORD.to_owned());
                for r in &records {
                    if let Some(id) = r.header("x-fs-sessionid") {
                        add("session id", id.to_owned());
                    }
                }
            }
            Self::Adobe { .. } => {
                add("client secret", ADOBE_SECRET.to_owned());
                for r in &records {
                    if let Some(token) = r.header("authorization")
                        && let Some(token) = token.strip_prefix("Bearer ")
                    {
                        add("bearer token", token.to_owned());
                    }
                }
            }
        }
        let sent = |value: &str| records.iter().any(|r| r.carries(value));
        found
            .into_iter()
            .map(|(what, value)| {
                let what = if sent(&value) {
                    what
                } else {
                    format!("{what} (not sent)")
                };
                (what, value)
            })
            .collect()
    }

    /// Starts `job` without faults (the cell's faults are queued afterwards).
    async fn start_job(&self, job: Job) -> Started {
        match self {
            Self::Trocco { client, .. } => {
                let answer = client
                    .start_job(&RunJob::new(trocco_definition(job)))
                    .await
                    .expect("trigger");
                Started::Trocco(answer.job_ref().expect("a job id"))
            }
            Self::Krewdata { client, .. } => {
                let run = RunUnit::new(
                    krew_unit(job),
                    std::num::NonZeroU64::new(KREW_APP).expect("app"),
                );
                Started::Krewdata(client.start(&run).await.expect("run"))
            }
            Self::Asteria { client, .. } => Started::Asteria(
                client
                    .start(&asteria_request(job), asteria_date())
                    .await
                    .expect("rerun"),
            ),
            Self::Adobe { client, .. } => Started::Adobe(
                client
                    .start(&adobe_schedule(job))
                    .await
                    .expect("trigger")
                    .job,
            ),
        }
    }

    /// One trigger call on its own.
    async fn trigger(&self, job: Job) -> Result<(), Error> {
        match self {
            Self::Trocco { client, .. } => client
                .start_job(&RunJob::new(trocco_definition(job)))
                .await
                .map(drop),
            Self::Krewdata { client, .. } => {
                let run = RunUnit::new(
                    krew_unit(job),
                    std::num::NonZeroU64::new(KREW_APP).expect("app"),
                );
                client.start(&run).await.map(drop)
            }
            Self::Asteria { client, .. } => client
                .start(&asteria_request(job), asteria_date())
                .await
                .map(drop),
            Self::Adobe { client, .. } => client.start(&adobe_schedule(job)).await.map(drop),
        }
    }

    /// Start and wait in one call.
    async fn start_and_wait(&self, job: Job, options: &WaitOptions) -> Result<Outcome, Error> {
        let ignore = &mut |_: &WaitEvent| {};
        match self {
            Self::Trocco { client, .. } => {
                client
                    .start_job_and_wait(&RunJob::new(trocco_definition(job)), options, ignore)
                    .await
            }
            Self::Krewdata { client, .. } => {
                let run = RunUnit::new(
                    krew_unit(job),
                    std::num::NonZeroU64::new(KREW_APP).expect("app"),
                );
                client.start_and_wait(&run, options, ignore).await
            }
            Self::Asteria { client, .. } => {
                client
                    .start_and_wait(&asteria_request(job), asteria_date(), options, ignore)
                    .await
            }
            Self::Adobe { client, .. } => {
                client
                    .start_and_wait(&adobe_schedule(job), options, ignore)
                    .await
            }
        }
    }

    /// One status call on its own (with the client's own retries).
    async fn status_once(&self, started: &Started) -> Result<(), Error> {
        match (self, started) {
            (Self::Trocco { client, .. }, Started::Trocco(JobRef::TroccoJob(id))) => {
                client.job(*id).await.map(drop)
            }
            (Self::Krewdata { client, .. }, Started::Krewdata(task)) => {
                client.status(&task.unit, &task.task).await.map(drop)
            }
            (Self::Asteria { client, .. }, Started::Asteria(rerun)) => {
                let JobRef::AsteriaRequest { request, date } = &rerun.job else {
                    panic!("not an ASTERIA reference: {}", rerun.job)
                };
                client.show(request, Some(*date)).await.map(drop)
            }
            (Self::Adobe { client, .. }, Started::Adobe(JobRef::AdobeRun { schedule, run })) => {
                client.run(schedule, run).await.map(drop)
            }
            _ => panic!("a job of another vendor"),
        }
    }

    /// Waits for a started job as a caller would: by reference (trocco, Adobe) or with what
    /// the trigger answered (krewData's token, ASTERIA's state before the rerun).
    async fn wait(&self, started: &Started, options: &WaitOptions) -> Waited {
        let mut events = Vec::new();
        let on_event = &mut |e: &WaitEvent| events.push(e.clone());
        let begin = Instant::now();
        let result = match (self, started) {
            (Self::Trocco { client, .. }, Started::Trocco(job)) => {
                client.wait(job, options, on_event).await
            }
            (Self::Krewdata { client, .. }, Started::Krewdata(task)) => {
                client.wait_started(task, options, on_event).await
            }
            (Self::Asteria { client, .. }, Started::Asteria(rerun)) => {
                client.wait_started(rerun, options, on_event).await
            }
            (Self::Adobe { client, .. }, Started::Adobe(job)) => {
                client.wait(job, options, on_event).await
            }
            _ => panic!("a job of another vendor"),
        };
        Waited {
            result,
            events,
            took: begin.elapsed(),
        }
    }
}

/// What one cell observed, and the promises it found broken.
#[derive(Debug, Default)]
struct Obs {
    text: String,
    broken: Vec<String>,
}

impl Obs {
    fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            broken: Vec::new(),
        }
    }

    fn na(why: &str) -> Self {
        Self::new(format!("n/a: {why}"))
    }

    fn check(&mut self, ok: bool, why: impl FnOnce() -> String) {
        if !ok {
            self.broken.push(why());
        }
    }
}

/// A short name of what an error is.
fn kind(err: &Error) -> String {
    match err {
        Error::InvalidInput { .. } => "InvalidInput".into(),
        Error::Config(_) => "Config".into(),
        Error::Api(api) => format!("Api {}", api.status),
        Error::Transport { fate, .. } => match fate {
            RequestFate::NotSent => "Transport (not sent)".into(),
            RequestFate::MaybeSent => "Transport".into(),
        },
        Error::Unconfirmed { cause, .. } => format!("Unconfirmed ({})", kind(cause)),
        Error::Decode { .. } => "Decode".into(),
        Error::RunGuard { .. } => "RunGuard".into(),
        Error::Discovery { .. } => "Discovery".into(),
        Error::Deadline { .. } => "Deadline".into(),
    }
}

fn result_kind<T>(result: &Result<T, Error>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(e) => kind(e),
    }
}

fn retries(events: &[WaitEvent]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, WaitEvent::Retrying { .. }))
        .count()
}

/// Every text an error carries: Display, Debug (plain and pretty), each source's Display and
/// Debug, and every string field, nested causes included.
fn error_texts(err: &Error) -> Vec<String> {
    fn fields(err: &Error, out: &mut Vec<String>) {
        match err {
            Error::InvalidInput {
                value, expected, ..
            } => out.extend([value.clone(), expected.clone()]),
            Error::Config(message) => out.push(message.clone()),
            Error::Api(api) => {
                out.push(api.body.clone());
                out.extend(api.code.clone());
                out.extend(api.message.clone());
                out.extend(api.details.clone());
                out.extend(api.request_id.clone());
                out.push(api.to_string());
            }
            Error::Transport { message, .. } | Error::Discovery { message, .. } => {
                out.push(message.clone());
            }
            Error::Unconfirmed { cause, .. } => fields(cause, out),
            Error::Decode { reason, body, .. } => out.extend([reason.clone(), body.clone()]),
            Error::Deadline { last_status, .. } => out.extend(last_status.clone()),
            Error::RunGuard { .. } => {}
        }
    }
    let mut out = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        out.push(cause.to_string());
        out.push(format!("{cause:?}"));
        source = cause.source();
    }
    fields(err, &mut out);
    out
}

/// The forms a credential may travel in: as is, and in Base64.
fn forms(secret: &str) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    vec![
        secret.to_owned(),
        STANDARD.encode(secret),
        STANDARD_NO_PAD.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ]
}

/// One cell's observation, under way.
type CellFuture = Pin<Box<dyn Future<Output = Obs>>>;

/// A fault made afresh for each cell (a `Fault` is consumed by `inject`).
type MakeFault = fn() -> Fault;

/// Every cell of the matrix, as rows of one fault each.
struct Row {
    label: String,
    /// Runs after the concurrent cells, one cell at a time (a bound in real time).
    alone: bool,
    cell: Box<dyn Fn(Vendor) -> CellFuture>,
}

fn row<F, Fut>(label: impl Into<String>, cell: F) -> Row
where
    F: Fn(Vendor) -> Fut + 'static,
    Fut: Future<Output = Obs> + 'static,
{
    Row {
        label: label.into(),
        alone: false,
        cell: Box::new(move |v| Box::pin(cell(v))),
    }
}

fn alone(mut r: Row) -> Row {
    r.alone = true;
    r
}

// ---- The cells ----------------------------------------------------------------------------

/// A fault on the first `times` status reads of a job of 5 s: the wait rides it out and ends
/// with the job's outcome.
async fn read_rides_out(vendor: Vendor, fault: Fault, times: usize) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(5))).await;
    let job = rig.start_job(Job::A).await;
    rig.inject(Point::Status, fault, times);
    let w = rig.wait(&job, &options(secs(60))).await;
    match &w.result {
        Ok(outcome) => {
            let mut obs = Obs::new(format!(
                "ok, {} retries, {}",
                retries(&w.events),
                fmt_secs(w.took)
            ));
            obs.check(outcome.state == OutcomeState::Succeeded, || {
                format!("the job succeeded but the wait says {}", outcome.state)
            });
            obs
        }
        Err(e) => {
            let mut obs = Obs::new(format!("{} {}", kind(e), fmt_secs(w.took)));
            obs.check(false, || {
                format!("the wait did not ride the fault out: {e}")
            });
            obs
        }
    }
}

/// A fault on every status read of two jobs of one account, waited for at once with timeouts
/// of 3 s and 4 s: each ends by its timeout + 1 s, with the outcome or `Error::Deadline`.
async fn reads_bounded_with_neighbour(vendor: Vendor, fault: Fault) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(60))).await;
    let a = rig.start_job(Job::A).await;
    let b = rig.start_job(Job::B).await;
    rig.inject(Point::Status, fault, ALWAYS);
    let (short, long) = (options(secs(3)), options(secs(4)));
    let (wa, wb) = futures::join!(rig.wait(&a, &short), rig.wait(&b, &long));
    let mut obs = Obs::new(format!(
        "{} {} · other {} {}",
        result_kind(&wa.result),
        fmt_secs(wa.took),
        result_kind(&wb.result),
        fmt_secs(wb.took)
    ));
    for (which, w, timeout) in [
        ("the wait", &wa, secs(3)),
        ("the other job's wait", &wb, secs(4)),
    ] {
        obs.check(w.took <= timeout + secs(1), || {
            format!(
                "{which} (timeout {}) took {}",
                fmt_secs(timeout),
                fmt_secs(w.took)
            )
        });
        obs.check(
            matches!(&w.result, Ok(_) | Err(Error::Deadline { .. })),
            || format!("{which} ended with {}", result_kind(&w.result)),
        );
    }
    obs
}

/// A fault on every status read of a job of 60 s, waited for 3 s: `Error::Deadline` within 4 s.
async fn reads_end_by_deadline(vendor: Vendor, fault: Fault) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(60))).await;
    let job = rig.start_job(Job::A).await;
    rig.inject(Point::Status, fault, ALWAYS);
    let w = rig.wait(&job, &options(secs(3))).await;
    let mut obs = Obs::new(format!("{} {}", result_kind(&w.result), fmt_secs(w.took)));
    obs.check(w.took <= secs(4), || {
        format!("the wait (timeout 3s) took {}", fmt_secs(w.took))
    });
    obs.check(matches!(w.result, Err(Error::Deadline { .. })), || {
        format!(
            "the wait ended with {} instead of Error::Deadline",
            result_kind(&w.result)
        )
    });
    obs
}

/// A fault on a single trigger: `Error::Unconfirmed` saying the job may have started (or,
/// with `not_sent_ok`, a not-sent error), and exactly one trigger at the simulator. The fault
/// is queued once: a client that sent the trigger again would see it succeed, and the second
/// request would be counted.
async fn trigger_unconfirmed(vendor: Vendor, fault: Fault, not_sent_ok: bool) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(5))).await;
    rig.inject(Point::Trigger, fault, 1);
    let result = rig.trigger(Job::A).await;
    let triggers = rig.triggers();
    let mut obs = Obs::new(format!(
        "{}, {triggers} trigger{}",
        result_kind(&result),
        if triggers == 1 { "" } else { "s" }
    ));
    obs.check(triggers == 1, || {
        format!("{triggers} triggers reached the simulator, not exactly one")
    });
    match &result {
        Err(e @ Error::Unconfirmed { .. }) => {
            let text = e.to_string();
            obs.check(text.contains("may have started"), || {
                format!("Unconfirmed does not say the job may have started: {text}")
            });
        }
        Err(Error::Transport {
            fate: RequestFate::NotSent,
            ..
        }) if not_sent_ok => {}
        Err(e) => obs.check(false, || format!("not Error::Unconfirmed: {e}")),
        Ok(()) => obs.check(false, || "the trigger reported success".to_owned()),
    }
    obs
}

/// A hang on the trigger of a start-and-wait with timeout 3 s: `Error::Unconfirmed` within
/// 4 s, one trigger.
async fn trigger_hang_in_start_and_wait(vendor: Vendor) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(5))).await;
    rig.inject(Point::Trigger, Fault::Hang, 1);
    let begin = Instant::now();
    let result = rig.start_and_wait(Job::A, &options(secs(3))).await;
    let took = begin.elapsed();
    let triggers = rig.triggers();
    let mut obs = Obs::new(format!(
        "{} {}, {triggers} trigger{}",
        result_kind(&result),
        fmt_secs(took),
        if triggers == 1 { "" } else { "s" }
    ));
    obs.check(took <= secs(4), || {
        format!("start-and-wait (timeout 3s) took {}", fmt_secs(took))
    });
    obs.check(triggers == 1, || {
        format!("{triggers} triggers reached the simulator, not exactly one")
    });
    obs.check(matches!(result, Err(Error::Unconfirmed { .. })), || {
        format!("ended with {} instead of Unconfirmed", result_kind(&result))
    });
    obs
}

/// The setup of the cells that read one answer per attempt until the call gives up: a retry
/// budget of 10 s still retries (1 s, 2 s, 4 s apart), but the real time measured is that of
/// a few answers, not of the ten a 2-minute budget allows.
fn few_retries(cap: Option<usize>) -> Setup {
    Setup {
        cap,
        retry_budget: Some(secs(10)),
        ..Setup::job(secs(60))
    }
}

/// A huge answer on a single status call, the cap at 1 MiB: an error naming the cap.
async fn huge_status(vendor: Vendor) -> Obs {
    let cap = 1 << 20;
    let rig = Rig::start(vendor, few_retries(Some(cap))).await;
    let job = rig.start_job(Job::A).await;
    let before = rig.status_reads();
    rig.inject(Point::Status, Fault::Huge { bytes: 20 << 20 }, ALWAYS);
    let real = std::time::Instant::now();
    let result = rig.status_once(&job).await;
    let real = real.elapsed();
    let reads = rig.status_reads() - before;
    let mut obs = Obs::new(format!(
        "{} after {reads} reads, {} real",
        result_kind(&result),
        fmt_secs(real)
    ));
    match &result {
        Err(e) => {
            let text = e.to_string();
            obs.check(
                text.contains(&cap.to_string()) || text.contains("max_answer_bytes"),
                || format!("the error does not name the cap: {text}"),
            );
        }
        Ok(()) => obs.check(false, || "a 20 MiB answer was read whole".to_owned()),
    }
    obs
}

/// A deeply nested answer on a single status call: an answer (error or not) within 2 s of
/// real time.
async fn nested_status(vendor: Vendor) -> Obs {
    let rig = Rig::start(vendor, few_retries(None)).await;
    let job = rig.start_job(Job::A).await;
    let before = rig.status_reads();
    rig.inject(Point::Status, Fault::Nested { depth: 100_000 }, ALWAYS);
    let real = std::time::Instant::now();
    let result = rig.status_once(&job).await;
    let real = real.elapsed();
    let reads = rig.status_reads() - before;
    let mut obs = Obs::new(format!(
        "{} after {reads} read{}, {} real",
        result_kind(&result),
        if reads == 1 { "" } else { "s" },
        fmt_secs(real)
    ));
    obs.check(real <= secs(2), || {
        format!("the call took {} of real time", fmt_secs(real))
    });
    obs
}

/// A status the docs do not list while the job runs (5 s): reported with `known: false`, and
/// the wait goes on to the job's end.
async fn unknown_running_status(vendor: Vendor) -> Obs {
    let rig = Rig::start(
        vendor,
        Setup {
            odd: Odd::Running,
            ..Setup::job(secs(5))
        },
    )
    .await;
    let job = rig.start_job(Job::A).await;
    let w = rig.wait(&job, &options(secs(60))).await;
    let unknown: Vec<&str> = w
        .events
        .iter()
        .filter_map(|e| match e {
            WaitEvent::Status {
                status,
                known: false,
                ..
            } => Some(status.as_str()),
            _ => None,
        })
        .collect();
    let mut obs = Obs::new(format!(
        "{} {}, {:?} known=false",
        result_kind(&w.result),
        fmt_secs(w.took),
        unknown.first().copied().unwrap_or("none")
    ));
    obs.check(!unknown.is_empty(), || {
        "no status was reported with known=false".to_owned()
    });
    match &w.result {
        Ok(outcome) => obs.check(outcome.state == OutcomeState::Succeeded, || {
            format!("ended {} ({})", outcome.state, outcome.vendor_status)
        }),
        Err(e) => obs.check(false, || format!("the wait failed: {e}")),
    }
    obs
}

/// A final status the docs do not list: the wait keeps waiting until its deadline (3 s).
async fn unknown_final_status(vendor: Vendor) -> Obs {
    let rig = Rig::start(
        vendor,
        Setup {
            odd: Odd::Final,
            ..Setup::job(secs(2))
        },
    )
    .await;
    let job = rig.start_job(Job::A).await;
    let w = rig.wait(&job, &options(secs(3))).await;
    let unknown = w
        .events
        .iter()
        .any(|e| matches!(e, WaitEvent::Status { known: false, .. }));
    let last = match &w.result {
        Err(Error::Deadline { last_status, .. }) => last_status.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let mut obs = Obs::new(format!(
        "{} {}, last {last:?}",
        result_kind(&w.result),
        fmt_secs(w.took)
    ));
    obs.check(unknown, || {
        "no status was reported with known=false".to_owned()
    });
    obs.check(w.took <= secs(4), || {
        format!("the wait (timeout 3s) took {}", fmt_secs(w.took))
    });
    obs.check(matches!(w.result, Err(Error::Deadline { .. })), || {
        format!(
            "an unknown final status ended the wait with {}",
            result_kind(&w.result)
        )
    });
    obs
}

/// An expired token or session: the next call renews it once and succeeds.
async fn expired_credential(vendor: Vendor, renamed_errors: bool) -> Obs {
    if vendor == Vendor::Trocco {
        return Obs::na("no tokens");
    }
    if renamed_errors && vendor != Vendor::Asteria {
        return Obs::na("no XML error elements");
    }
    let setup = Setup {
        short_tokens: true,
        renamed_errors,
        ..Setup::job(secs(2))
    };
    let rig = Rig::start(vendor, setup).await;
    let job = rig.start_job(Job::A).await;
    let before = rig.credential_requests();
    let (result, what) = if vendor == Vendor::Krewdata {
        // krewData's client reuses a run's token for 9 minutes; the simulator's expire after
        // 2 s, so the wait's first read carries an expired token.
        tokio::time::sleep(secs(3)).await;
        let w = rig.wait(&job, &options(secs(60))).await;
        (w.result.map(drop), "wait")
    } else {
        rig.expire();
        (rig.status_once(&job).await, "status call")
    };
    let renewals = rig.credential_requests() - before;
    let mut obs = Obs::new(format!(
        "{} {what}, {renewals} renewal{}",
        result_kind(&result),
        if renewals == 1 { "" } else { "s" }
    ));
    obs.check(renewals == 1, || {
        format!("{renewals} renewals instead of exactly one")
    });
    if let Err(e) = &result {
        obs.check(false, || format!("the {what} failed: {e}"));
    }
    obs
}

/// A redirect to another origin: an error naming the Location, nothing at the other origin,
/// and (for a trigger) exactly one trigger.
async fn redirect(vendor: Vendor, point: Point, status: u16) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(60))).await;
    let elsewhere = Elsewhere::start().await.expect("other origin starts");
    let location = format!("{}/landing", elsewhere.base_url());
    let fault = Fault::Redirect {
        status,
        location: location.clone(),
    };
    let result = match point {
        Point::Status => {
            let job = rig.start_job(Job::A).await;
            rig.inject(point, fault, 1);
            rig.status_once(&job).await
        }
        Point::Trigger | Point::Auth => {
            rig.inject(point, fault, 1);
            rig.trigger(Job::A).await
        }
    };
    let seen = elsewhere.requests().len();
    let triggers = rig.triggers();
    let mut obs = Obs::new(match point {
        Point::Trigger => format!(
            "{}, {seen} elsewhere, {triggers} trigger{}",
            result_kind(&result),
            if triggers == 1 { "" } else { "s" }
        ),
        _ => format!("{}, {seen} elsewhere", result_kind(&result)),
    });
    obs.check(seen == 0, || {
        format!("{seen} requests reached the other origin")
    });
    if point == Point::Trigger {
        obs.check(triggers == 1, || {
            format!("{triggers} triggers reached the simulator, not exactly one")
        });
    }
    match &result {
        Err(e) => {
            let text = e.to_string();
            obs.check(text.contains(&location), || {
                format!("the error does not name the Location {location}: {text}")
            });
        }
        Ok(()) => obs.check(false, || "the call succeeded".to_owned()),
    }
    elsewhere.shutdown().await;
    obs
}

/// An answer that repeats the whole request (credentials included): the error shows none of
/// the client's credentials in any form.
async fn echo(vendor: Vendor, point: Point, status: u16) -> Obs {
    let rig = Rig::start(vendor, Setup::job(secs(60))).await;
    let result = match point {
        Point::Status => {
            let job = rig.start_job(Job::A).await;
            rig.inject(point, Fault::Echo { status }, ALWAYS);
            rig.status_once(&job).await
        }
        Point::Trigger => {
            rig.inject(point, Fault::Echo { status }, 1);
            rig.trigger(Job::A).await
        }
        Point::Auth => {
            if vendor == Vendor::Trocco {
                return Obs::na("no credential exchange");
            }
            let job = rig.start_job(Job::A).await;
            rig.inject(point, Fault::Echo { status }, ALWAYS);
            // krewData asks for a token on every single status call; the others renew after
            // their token or session ends.
            rig.expire();
            rig.status_once(&job).await
        }
    };
    let secrets = rig.credentials();
    let Err(err) = &result else {
        let mut obs = Obs::new("ok");
        obs.check(false, || "the echo did not end the call".to_owned());
        return obs;
    };
    let texts = error_texts(err);
    let shown: Vec<&str> = secrets
        .iter()
        .filter(|(_, secret)| {
            forms(secret)
                .iter()
                .any(|form| texts.iter().any(|t| t.contains(form.as_str())))
        })
        .map(|(what, _)| what.as_str())
        .collect();
    if std::env::var("MATRIX_DEBUG").is_ok() && !shown.is_empty() {
        eprintln!("{:#?}", texts);
    }
    let redacted = texts.iter().any(|t| t.contains("[redacted]"));
    let mut obs = Obs::new(format!(
        "{}, {}/{} secrets shown{}",
        kind(err),
        shown.len(),
        secrets.len(),
        if redacted { ", redacted" } else { "" }
    ));
    obs.check(shown.is_empty(), || {
        format!("the error shows: {}", shown.join(", "))
    });
    obs
}

fn empty_200() -> Fault {
    Fault::Reply {
        status: 200,
        headers: Vec::new(),
        content_type: None,
        body: String::new(),
    }
}

fn rows() -> Vec<Row> {
    let mut rows = vec![row("1 · status: 429 Retry-After: 2", |v| {
        read_rides_out(v, Fault::retry_after("2"), 2)
    })];
    for value in [
        "-1",
        "99999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "soon",
    ] {
        rows.push(row(
            format!("2 · status: 429 Retry-After: {value} (+ other job)"),
            move |v| reads_bounded_with_neighbour(v, Fault::retry_after(value)),
        ));
    }
    // trocco's reset header in epoch seconds, of the same kinds: negative, huge, the year
    // 9999, 1970, not a number. (A plain 429 with odd headers to the other vendors.)
    for value in ["-1", "99999999999", "253402300799", "0", "soon"] {
        rows.push(row(
            format!("2 · status: 429 X-Rate-Limit-Reset: {value} (+ other job)"),
            move |v| reads_bounded_with_neighbour(v, Fault::rate_limit_reset(value)),
        ));
    }
    rows.push(row("3 · status: 503 storm", |v| {
        reads_end_by_deadline(v, Fault::html(503))
    }));
    rows.push(row("4 · status: reset before read", |v| {
        read_rides_out(v, Fault::ResetBeforeRead, 2)
    }));
    rows.push(row("4 · status: drop after processing", |v| {
        read_rides_out(v, Fault::Drop, 2)
    }));
    rows.push(row("4 · trigger: reset before read", |v| {
        trigger_unconfirmed(v, Fault::ResetBeforeRead, true)
    }));
    rows.push(row("4 · trigger: drop after processing", |v| {
        trigger_unconfirmed(v, Fault::Drop, false)
    }));
    rows.push(row("5 · status: hang", |v| {
        reads_end_by_deadline(v, Fault::Hang)
    }));
    rows.push(row("5 · status: drip 1 B/s", |v| {
        reads_end_by_deadline(
            v,
            Fault::Drip {
                chunk: 1,
                every: secs(1),
            },
        )
    }));
    rows.push(row(
        "5 · trigger: hang (start-and-wait)",
        trigger_hang_in_start_and_wait,
    ));
    let unreadable: [(&str, MakeFault); 4] = [
        ("garbage", || Fault::Garbage),
        ("200 empty body", empty_200),
        ("200 HTML", || Fault::html(200)),
        ("truncated body", || Fault::MalformedBody),
    ];
    for (name, fault) in unreadable {
        rows.push(row(format!("6 · status: {name}"), move |v| {
            read_rides_out(v, fault(), 2)
        }));
    }
    for (name, fault) in unreadable {
        rows.push(row(format!("6 · trigger: {name}"), move |v| {
            trigger_unconfirmed(v, fault(), false)
        }));
    }
    rows.push(alone(row(
        "7 · status: huge 20 MiB (cap 1 MiB)",
        huge_status,
    )));
    rows.push(alone(row("7 · status: nested 100 000 deep", nested_status)));
    // trocco's statuses are any string of its script; the others have a knob that shows an
    // undocumented value in place of a documented one.
    rows.push(row(
        "8 · unknown status while running",
        unknown_running_status,
    ));
    rows.push(row(
        "8 · unknown final status (timeout 3 s)",
        unknown_final_status,
    ));
    rows.push(row("9 · expired token/session", |v| {
        expired_credential(v, false)
    }));
    rows.push(row("9 · session expiry, renamed error elements", |v| {
        expired_credential(v, true)
    }));
    rows.push(row("10 · status: 302 to another origin", |v| {
        redirect(v, Point::Status, 302)
    }));
    rows.push(row("10 · trigger: 307 to another origin", |v| {
        redirect(v, Point::Trigger, 307)
    }));
    for (point, name) in [
        (Point::Status, "status"),
        (Point::Trigger, "trigger"),
        (Point::Auth, "token/login"),
    ] {
        for status in [400, 500] {
            rows.push(row(format!("11 · {name}: echo {status}"), move |v| {
                echo(v, point, status)
            }));
        }
    }
    rows
}

#[tokio::test(start_paused = true)]
async fn every_cell_keeps_its_promise() {
    let rows = rows();
    let mut cells: Vec<Vec<Option<Obs>>> =
        rows.iter().map(|_| vec![None, None, None, None]).collect();

    // Every cell on its own simulator, all at once.
    let mut running = Vec::new();
    for (r, row) in rows.iter().enumerate().filter(|(_, row)| !row.alone) {
        for (c, vendor) in VENDORS.iter().enumerate() {
            let cell = (row.cell)(*vendor);
            running.push(async move { (r, c, cell.await) });
        }
    }
    for (r, c, obs) in join_all(running).await {
        cells[r][c] = Some(obs);
    }
    // One cell at a time: these cells read megabytes and time the call in real time, which
    // other cells' work on this one thread would eat into.
    for (r, row) in rows.iter().enumerate().filter(|(_, row)| row.alone) {
        for (c, vendor) in VENDORS.iter().enumerate() {
            cells[r][c] = Some((row.cell)(*vendor).await);
        }
    }

    let mut table = String::from("| fault |");
    for vendor in VENDORS {
        table.push_str(&format!(" {} |", vendor.name()));
    }
    table.push_str("\n|---|---|---|---|---|\n");
    let mut broken = Vec::new();
    for (row, results) in rows.iter().zip(&cells) {
        table.push_str(&format!("| {} |", row.label));
        for (vendor, obs) in VENDORS.iter().zip(results) {
            let obs = obs.as_ref().expect("every cell ran");
            let mark = if obs.broken.is_empty() { "" } else { " ✗" };
            table.push_str(&format!(" {}{mark} |", obs.text.replace('|', "/")));
            for why in &obs.broken {
                broken.push(format!("{} × {}: {why}", row.label, vendor.name()));
            }
        }
        table.push('\n');
    }
    println!("{table}");
    assert!(
        broken.is_empty(),
        "{} cells broke a promise:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
