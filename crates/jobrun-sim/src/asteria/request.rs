//! Checkpoint-flow requests: how a test describes one (the builders) and what one shows at a
//! given moment, reruns included.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Tokyo;
use tokio::time::Instant;

use crate::clock::Clock;

/// The owner a [`CheckpointRequest`] has until told otherwise, as in the seed's samples.
pub const DEFAULT_OWNER: &str = "/guest";

/// When a request started, in JST (the simulator's server time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Today, this long before the simulator learns of the request (at start, or at
    /// `AsteriaSim::add_request`), but never before today's 00:00 JST: the request stays in
    /// today's list whatever the hour a test runs at.
    Ago(Duration),
    /// `days` days before today, at a time of day.
    DaysAgo {
        /// Days before today (0 is today).
        days: u32,
        /// The time of day, JST.
        at: NaiveTime,
    },
    /// At this date and time, JST.
    At(NaiveDateTime),
}

impl Start {
    /// `Start::DaysAgo` at `hour:minute:second`, for catalogs; an impossible time is 00:00:00.
    pub fn days_ago(days: u32, hour: u32, minute: u32, second: u32) -> Self {
        Start::DaysAgo {
            days,
            at: NaiveTime::from_hms_opt(hour, minute, second).unwrap_or(NaiveTime::MIN),
        }
    }

    /// The start as a UTC instant, for a request registered at `registered`.
    fn resolve(self, registered: DateTime<Utc>) -> DateTime<Utc> {
        let today = registered.with_timezone(&Tokyo).date_naive();
        match self {
            Start::Ago(ago) => {
                let midnight = jst(today.and_time(NaiveTime::MIN));
                let back = chrono::Duration::from_std(ago)
                    .ok()
                    .and_then(|ago| registered.checked_sub_signed(ago))
                    .unwrap_or(midnight);
                back.max(midnight)
            }
            Start::DaysAgo { days, at } => {
                let day = today
                    .checked_sub_days(Days::new(days.into()))
                    .unwrap_or(NaiveDate::MIN);
                jst(day.and_time(at))
            }
            Start::At(at) => jst(at),
        }
    }
}

impl fmt::Display for Start {
    /// `today, 2h ago`, `1 day ago 01:00:00`, `2012-10-05 18:06:59`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Start::Ago(ago) => write!(f, "today, {} ago", crate::fmt_duration(*ago)),
            Start::DaysAgo { days: 0, at } => write!(f, "today {at}"),
            Start::DaysAgo { days: 1, at } => write!(f, "1 day ago {at}"),
            Start::DaysAgo { days, at } => write!(f, "{days} days ago {at}"),
            Start::At(at) => write!(f, "{}", at.format("%Y-%m-%d %H:%M:%S")),
        }
    }
}

/// A JST wall-clock time as UTC. Tokyo has no daylight saving, so every local time exists
/// once; the fallback only guards against a broken time-zone table.
fn jst(naive: NaiveDateTime) -> DateTime<Utc> {
    Tokyo
        .from_local_datetime(&naive)
        .earliest()
        .map_or_else(|| naive.and_utc(), |at| at.with_timezone(&Utc))
}

/// How a run ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// `success`, with an empty `checkPointStatus`.
    Success,
    /// `error`, stopped at this checkpoint (`checkPointStatus`); a rerun resumes from it.
    Error(String),
}

impl Ending {
    /// [`Ending::Error`] at `checkpoint`.
    pub fn error(checkpoint: impl Into<String>) -> Self {
        Ending::Error(checkpoint.into())
    }
}

impl fmt::Display for Ending {
    /// `success` or `error at CheckPoint2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Success => f.write_str("success"),
            Ending::Error(checkpoint) => write!(f, "error at {checkpoint}"),
        }
    }
}

/// What one rerun of a request does.
///
/// After the rerun is accepted, `show` and `list` keep answering the request's previous
/// state for [`Rerun::lag`] (the stale-state race: a client that polls at once sees the old
/// `error` and must not take it for the rerun's outcome; its `restartTime` is the old one);
/// then the request is `running` for [`Rerun::run_for`]; then it ends as scripted, with
/// `endTime` = rerun time + lag + run time.
///
/// `Rerun::new()` (or `default()`): no lag, runs 2 seconds, ends `success`.
///
/// ```
/// use std::time::Duration;
/// use jobrun_sim::asteria::Rerun;
///
/// let rerun = Rerun::new()
///     .lag(Duration::from_secs(1))
///     .run_for(Duration::from_secs(3))
///     .ends_error("CheckPoint3");
/// assert_eq!(rerun.to_string(), "lag 1s, runs 3s -> error at CheckPoint3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rerun {
    pub(crate) lag: Duration,
    pub(crate) run_for: Duration,
    pub(crate) ending: Ending,
}

impl Default for Rerun {
    fn default() -> Self {
        Self {
            lag: Duration::ZERO,
            run_for: Duration::from_secs(2),
            ending: Ending::Success,
        }
    }
}

impl Rerun {
    /// No lag, runs 2 seconds, ends `success`.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long after the rerun `show` and `list` still answer the previous state.
    pub fn lag(mut self, lag: Duration) -> Self {
        self.lag = lag;
        self
    }

    /// How long the request is `running` once the lag is over.
    pub fn run_for(mut self, run_for: Duration) -> Self {
        self.run_for = run_for;
        self
    }

    /// Ends `success`.
    pub fn ends_success(mut self) -> Self {
        self.ending = Ending::Success;
        self
    }

    /// Ends `error`, stopped at `checkpoint` (the next rerun resumes from there).
    pub fn ends_error(mut self, checkpoint: impl Into<String>) -> Self {
        self.ending = Ending::Error(checkpoint.into());
        self
    }

    /// Ends as `ending` says.
    pub fn ends(mut self, ending: Ending) -> Self {
        self.ending = ending;
        self
    }
}

impl fmt::Display for Rerun {
    /// `lag 1s, runs 3s -> success` (`runs 2s -> success` without lag).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.lag.is_zero() {
            write!(f, "lag {}, ", crate::fmt_duration(self.lag))?;
        }
        write!(
            f,
            "runs {} -> {}",
            crate::fmt_duration(self.run_for),
            self.ending
        )
    }
}

/// The state a request is in when the simulator learns of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Initial {
    Ended(Ending),
    /// Running; ends `ending` this long after it was registered (never, if that overflows).
    Running {
        run_for: Duration,
        ending: Ending,
    },
}

/// A checkpoint-flow request (one execution of a flow with checkpoints) as the simulator
/// stores it: what `list` and `show` describe and `rerun` re-executes.
///
/// `CheckpointRequest::new(id, project, flow)` gives a request owned by [`DEFAULT_OWNER`],
/// with an empty `executeUser`, started [`Start::Ago`] one hour, that ended `success`
/// five minutes after it started ([`CheckpointRequest::took`]). Reruns follow the scripts
/// given with [`CheckpointRequest::on_rerun`] in order; once they run out the last one
/// repeats, and with none [`Rerun::new`] applies.
///
/// ```
/// use std::time::Duration;
/// use jobrun_sim::asteria::{CheckpointRequest, Rerun, Start};
///
/// let request = CheckpointRequest::new(
///     "eedd0d83-ac7a-482d-ae95-aa16c1d87d43",
///     "Project1",
///     "Flow2",
/// )
/// .owner("/guest")
/// .started(Start::Ago(Duration::from_secs(3600)))
/// .failed_at("CheckPoint2")
/// .on_rerun(Rerun::new().lag(Duration::from_secs(1)).ends_error("CheckPoint3"))
/// .on_rerun(Rerun::new().ends_success());
/// assert_eq!(request.request_id(), "eedd0d83-ac7a-482d-ae95-aa16c1d87d43");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointRequest {
    pub(crate) request_id: String,
    pub(crate) project: String,
    pub(crate) flow: String,
    pub(crate) owner: String,
    pub(crate) execute_user: String,
    pub(crate) start: Start,
    pub(crate) took: Duration,
    pub(crate) initial: Initial,
    pub(crate) reruns: Vec<Rerun>,
}

impl CheckpointRequest {
    /// A request `request_id` (a lowercase UUID on a real server, though any text works) of
    /// `flow` in `project`, in the default state described above.
    pub fn new(
        request_id: impl Into<String>,
        project: impl Into<String>,
        flow: impl Into<String>,
    ) -> Self {
        Self {
            request_id: request_id.into(),
            project: project.into(),
            flow: flow.into(),
            owner: DEFAULT_OWNER.to_owned(),
            execute_user: String::new(),
            start: Start::Ago(Duration::from_secs(3600)),
            took: Duration::from_secs(300),
            initial: Initial::Ended(Ending::Success),
            reruns: Vec::new(),
        }
    }

    /// The project owner, `/user` or `/domain/user` (`list` filters on both parts).
    pub fn owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = owner.into();
        self
    }

    /// The `executeUser` of `show` (empty unless set, as in the seed's sample).
    pub fn execute_user(mut self, execute_user: impl Into<String>) -> Self {
        self.execute_user = execute_user.into();
        self
    }

    /// When the request started; its start date (JST) is the `date` that `list`, `show` and
    /// `rerun` look it up by.
    pub fn started(mut self, start: Start) -> Self {
        self.start = start;
        self
    }

    /// For a request that has already ended: how long its run took, so `endTime` is
    /// `startTime` plus this, but never later than when the simulator learns of it.
    pub fn took(mut self, took: Duration) -> Self {
        self.took = took;
        self
    }

    /// Ended `error`, stopped at `checkpoint` (its `checkPointStatus`), so it can be rerun.
    pub fn failed_at(mut self, checkpoint: impl Into<String>) -> Self {
        self.initial = Initial::Ended(Ending::Error(checkpoint.into()));
        self
    }

    /// Ended `success` (the default).
    pub fn succeeded(mut self) -> Self {
        self.initial = Initial::Ended(Ending::Success);
        self
    }

    /// Still `running`, with an empty `endTime`, until `run_for` after the simulator learns
    /// of it; then it ends as `ending` says. `Duration::MAX` runs for ever.
    pub fn running(mut self, run_for: Duration, ending: Ending) -> Self {
        self.initial = Initial::Running { run_for, ending };
        self
    }

    /// Appends the script of the next rerun.
    pub fn on_rerun(mut self, rerun: Rerun) -> Self {
        self.reruns.push(rerun);
        self
    }

    /// The request id.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The script the rerun number `index` (from 0) follows.
    fn script(&self, index: usize) -> Rerun {
        self.reruns
            .get(index)
            .or(self.reruns.last())
            .cloned()
            .unwrap_or_default()
    }

    /// `error at CheckPoint2`, `success`, `running 10m -> success`: the state column of the
    /// catalog table.
    pub(crate) fn describe_state(&self) -> String {
        match &self.initial {
            Initial::Ended(ending) => ending.to_string(),
            Initial::Running { run_for, .. } if *run_for == Duration::MAX => "running".to_owned(),
            Initial::Running { run_for, ending } => {
                format!("running {} -> {ending}", crate::fmt_duration(*run_for))
            }
        }
    }

    /// `lag 1s, runs 3s -> success; then runs 2s -> success`: the rerun column.
    pub(crate) fn describe_reruns(&self) -> String {
        if self.reruns.is_empty() {
            return Rerun::new().to_string();
        }
        let scripts: Vec<String> = self.reruns.iter().map(ToString::to_string).collect();
        scripts.join("; then ")
    }
}

/// `status` of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Running,
    Success,
    Error,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Success => "success",
            Status::Error => "error",
        }
    }

    /// The documented values of `list`'s `status` parameter, exactly.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "running" => Some(Status::Running),
            "success" => Some(Status::Success),
            "error" => Some(Status::Error),
            _ => None,
        }
    }
}

/// A request at one moment: the fields `list` and `show` answer besides its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct View {
    pub(crate) status: Status,
    pub(crate) checkpoint: String,
    pub(crate) end: Option<DateTime<Utc>>,
    pub(crate) restart: Option<DateTime<Utc>>,
    pub(crate) restart_checkpoint: String,
}

impl View {
    fn ended(ending: &Ending, at: DateTime<Utc>) -> Self {
        let (status, checkpoint) = match ending {
            Ending::Success => (Status::Success, String::new()),
            Ending::Error(checkpoint) => (Status::Error, checkpoint.clone()),
        };
        Self {
            status,
            checkpoint,
            end: Some(at),
            restart: None,
            restart_checkpoint: String::new(),
        }
    }

    fn running() -> Self {
        Self {
            status: Status::Running,
            checkpoint: String::new(),
            end: None,
            restart: None,
            restart_checkpoint: String::new(),
        }
    }
}

/// The first run, as fixed when the request was registered.
#[derive(Debug, Clone)]
enum FirstRun {
    Ended {
        at: DateTime<Utc>,
        ending: Ending,
    },
    Running {
        until: Option<Instant>,
        ending: Ending,
    },
}

/// One accepted rerun.
#[derive(Debug, Clone)]
struct Restart {
    at: Instant,
    /// The checkpoint it resumed from: `checkPointRestartStatus`.
    from: String,
    script: Rerun,
}

/// A request as the running simulator holds it.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) spec: CheckpointRequest,
    /// Registration order, to break ties between equal start times.
    pub(crate) seq: u64,
    pub(crate) start: DateTime<Utc>,
    /// The start date in JST: the request's `date`.
    pub(crate) date: NaiveDate,
    first: FirstRun,
    restarts: Vec<Restart>,
}

/// Why a rerun was refused: the request's true status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotInError(pub(crate) Status);

impl Stored {
    /// `spec` registered at `now`.
    pub(crate) fn new(spec: CheckpointRequest, seq: u64, now: Instant, clock: &Clock) -> Self {
        let registered = clock.utc_at(now);
        let start = spec.start.resolve(registered);
        let first = match &spec.initial {
            Initial::Ended(ending) => {
                let took = chrono::Duration::from_std(spec.took).unwrap_or(chrono::Duration::MAX);
                let at = start
                    .checked_add_signed(took)
                    .unwrap_or(registered)
                    .min(registered)
                    .max(start);
                FirstRun::Ended {
                    at,
                    ending: ending.clone(),
                }
            }
            Initial::Running { run_for, ending } => FirstRun::Running {
                until: now.checked_add(*run_for),
                ending: ending.clone(),
            },
        };
        Self {
            date: start.with_timezone(&Tokyo).date_naive(),
            spec,
            seq,
            start,
            first,
            restarts: Vec::new(),
        }
    }

    /// What the request is at `now`. `honest` ignores the lag of a rerun (the server's own
    /// knowledge, which decides whether a rerun is allowed); otherwise the answer is what
    /// `list` and `show` report.
    pub(crate) fn view(&self, now: Instant, clock: &Clock, honest: bool) -> View {
        let mut view = match &self.first {
            FirstRun::Ended { at, ending } => View::ended(ending, *at),
            FirstRun::Running { until, ending } => match until {
                Some(until) if now >= *until => View::ended(ending, clock.utc_at(*until)),
                _ => View::running(),
            },
        };
        for restart in &self.restarts {
            let lag = if honest {
                Duration::ZERO
            } else {
                restart.script.lag
            };
            let visible = restart.at.checked_add(lag);
            if visible.is_none_or(|visible| now < visible) {
                break;
            }
            view = View::running();
            view.restart = Some(clock.utc_at(restart.at));
            view.restart_checkpoint = restart.from.clone();
            let end = restart
                .at
                .checked_add(restart.script.lag)
                .and_then(|at| at.checked_add(restart.script.run_for));
            if let Some(end) = end.filter(|end| now >= *end) {
                view = View {
                    restart: view.restart,
                    restart_checkpoint: view.restart_checkpoint,
                    ..View::ended(&restart.script.ending, clock.utc_at(end))
                };
            }
        }
        view
    }

    /// Reruns the request at `now` from the checkpoint it stopped at, if it is in `error`.
    pub(crate) fn rerun(&mut self, now: Instant, clock: &Clock) -> Result<(), NotInError> {
        let view = self.view(now, clock, true);
        if view.status != Status::Error {
            return Err(NotInError(view.status));
        }
        let script = self.spec.script(self.restarts.len());
        self.restarts.push(Restart {
            at: now,
            from: view.checkpoint,
            script,
        });
        Ok(())
    }

    /// How many reruns were accepted.
    pub(crate) fn reruns(&self) -> usize {
        self.restarts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    fn jst_text(at: DateTime<Utc>) -> String {
        at.with_timezone(&Tokyo)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }

    fn naive(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn starts_resolve_in_jst() {
        // 2012-10-05 00:30 JST.
        let registered = jst(naive("2012-10-05 00:30:00"));
        let resolve = |start: Start| jst_text(start.resolve(registered));
        assert_eq!(resolve(Start::Ago(S(600))), "2012-10-05 00:20:00");
        // Clamped to today's midnight, so the request stays in today's list.
        assert_eq!(resolve(Start::Ago(S(7200))), "2012-10-05 00:00:00");
        assert_eq!(resolve(Start::Ago(Duration::MAX)), "2012-10-05 00:00:00");
        assert_eq!(
            resolve(Start::days_ago(1, 18, 6, 59)),
            "2012-10-04 18:06:59"
        );
        assert_eq!(resolve(Start::days_ago(0, 9, 0, 0)), "2012-10-05 09:00:00");
        assert_eq!(
            resolve(Start::At(naive("2012-10-01 18:07:04"))),
            "2012-10-01 18:07:04"
        );
        assert_eq!(Start::days_ago(1, 25, 0, 0), Start::days_ago(1, 0, 0, 0));
    }

    #[test]
    fn labels() {
        assert_eq!(Start::Ago(S(7200)).to_string(), "today, 2h ago");
        assert_eq!(
            Start::days_ago(1, 1, 0, 0).to_string(),
            "1 day ago 01:00:00"
        );
        assert_eq!(
            Start::days_ago(3, 1, 0, 0).to_string(),
            "3 days ago 01:00:00"
        );
        assert_eq!(Start::days_ago(0, 1, 0, 0).to_string(), "today 01:00:00");
        assert_eq!(Rerun::new().to_string(), "runs 2s -> success");
        let request = CheckpointRequest::new("r", "p", "f")
            .running(S(600), Ending::error("CP"))
            .on_rerun(Rerun::new().lag(S(1)))
            .on_rerun(Rerun::new().ends_error("X"));
        assert_eq!(request.describe_state(), "running 10m -> error at CP");
        assert_eq!(
            request.describe_reruns(),
            "lag 1s, runs 2s -> success; then runs 2s -> error at X"
        );
        let forever = CheckpointRequest::new("r", "p", "f").running(Duration::MAX, Ending::Success);
        assert_eq!(forever.describe_state(), "running");
    }

    #[tokio::test(start_paused = true)]
    async fn reruns_follow_their_scripts_behind_the_lag() {
        let clock = Clock::start();
        let t0 = Instant::now();
        let spec = CheckpointRequest::new("r", "p", "f")
            .started(Start::At(naive("2012-10-05 18:06:59")))
            .took(S(600))
            .failed_at("CheckPoint1")
            .on_rerun(
                Rerun::new()
                    .lag(S(1))
                    .run_for(S(2))
                    .ends_error("CheckPoint2"),
            )
            .on_rerun(Rerun::new().run_for(S(1)));
        let mut stored = Stored::new(spec, 0, t0, &clock);
        let at = |secs| t0 + S(secs);
        let first = stored.view(t0, &clock, false);
        assert_eq!(first.status, Status::Error);
        assert_eq!(first.checkpoint, "CheckPoint1");
        assert_eq!(
            first.end,
            Some(stored.start + chrono::Duration::seconds(600))
        );

        stored.rerun(at(10), &clock).unwrap();
        // During the lag the answer is the old one, though the truth is `running`.
        assert_eq!(stored.view(at(10), &clock, false), first);
        assert_eq!(stored.view(at(10), &clock, true).status, Status::Running);
        assert_eq!(
            stored.rerun(at(10), &clock),
            Err(NotInError(Status::Running))
        );
        let running = stored.view(at(11), &clock, false);
        assert_eq!(running.status, Status::Running);
        assert_eq!(running.checkpoint, "");
        assert_eq!(running.end, None);
        assert_eq!(running.restart, Some(clock.utc_at(at(10))));
        assert_eq!(running.restart_checkpoint, "CheckPoint1");
        let failed = stored.view(at(13), &clock, false);
        assert_eq!(failed.status, Status::Error);
        assert_eq!(failed.checkpoint, "CheckPoint2");
        assert_eq!(failed.end, Some(clock.utc_at(at(13))));
        assert_eq!(failed.restart, Some(clock.utc_at(at(10))));

        stored.rerun(at(20), &clock).unwrap();
        let done = stored.view(at(21), &clock, false);
        assert_eq!(done.status, Status::Success);
        assert_eq!(done.checkpoint, "");
        assert_eq!(done.restart_checkpoint, "CheckPoint2");
        assert_eq!(
            stored.rerun(at(30), &clock),
            Err(NotInError(Status::Success))
        );
        assert_eq!(stored.reruns(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn running_requests_end_on_time_and_last_script_repeats() {
        let clock = Clock::start();
        let t0 = Instant::now();
        let spec = CheckpointRequest::new("r", "p", "f")
            .running(S(5), Ending::error("A"))
            .on_rerun(Rerun::new().run_for(S(1)).ends_error("B"));
        let mut stored = Stored::new(spec, 0, t0, &clock);
        assert_eq!(
            stored.view(t0 + S(4), &clock, false).status,
            Status::Running
        );
        assert_eq!(
            stored.rerun(t0 + S(4), &clock),
            Err(NotInError(Status::Running))
        );
        let ended = stored.view(t0 + S(5), &clock, false);
        assert_eq!(
            (ended.status, ended.checkpoint.as_str()),
            (Status::Error, "A")
        );
        stored.rerun(t0 + S(5), &clock).unwrap();
        stored.rerun(t0 + S(6), &clock).unwrap();
        let again = stored.view(t0 + S(7), &clock, false);
        assert_eq!(again.checkpoint, "B");
        assert_eq!(again.restart_checkpoint, "B");

        let forever = CheckpointRequest::new("r", "p", "f").running(Duration::MAX, Ending::Success);
        let forever = Stored::new(forever, 1, t0, &clock);
        assert_eq!(
            forever.view(t0 + S(1_000_000), &clock, false).status,
            Status::Running
        );
    }

    #[tokio::test(start_paused = true)]
    async fn end_is_never_after_registration() {
        let clock = Clock::start();
        let t0 = Instant::now();
        let spec = CheckpointRequest::new("r", "p", "f")
            .started(Start::Ago(S(60)))
            .took(S(3600));
        let stored = Stored::new(spec, 0, t0, &clock);
        assert_eq!(stored.view(t0, &clock, false).end, Some(clock.utc_at(t0)));
    }
}
