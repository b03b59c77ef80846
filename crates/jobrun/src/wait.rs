//! The waiter every vendor shares: the polling loop that turns status reads into one
//! [`Outcome`], reporting each change. A vendor supplies one step, "read the status by this
//! deadline, make a [`Snapshot`]"; the waiter owns the pauses, the retries of failed reads and
//! the deadline, which bounds every read, retry, rate-limit pause and renewal.
//!
//! All time goes through `tokio::time`, so tests run it on a paused clock.

use std::{future::Future, time::Duration};

use jobrun_transport::VendorTime;

use crate::{
    Error,
    outcome::{JobRef, Outcome, OutcomeState, Step, WaitEvent},
    request::{Backoff, Core, Deadline, Secrets, Within, retrying},
};

/// How long to wait and how often to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up (with [`Error::Deadline`]) after this long. The job goes on at the vendor.
    pub timeout: Duration,
    /// Shortest pause between two status reads, and the first backoff step after an error.
    pub poll_min: Duration,
    /// Longest pause between two status reads; the pause doubles from `poll_min` up to this
    /// while the status stays the same, and drops back to `poll_min` when it changes.
    pub poll_max: Duration,
    /// How long to wait before trusting an end state a vendor may still leave (a trocco
    /// workflow moves from `error` to `retry_waiting` when it has retries left).
    pub confirm_after: Duration,
}

impl Default for WaitOptions {
    /// One day at most; reads every 5 s at first, backing off to one a minute. A job that
    /// sits in one state for ten minutes costs fewer than 20 calls (a test holds it to that),
    /// well inside trocco's 3,500 calls per 10 minutes per account (and its 100 on free plans).
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(24 * 3600),
            poll_min: Duration::from_secs(5),
            poll_max: Duration::from_secs(60),
            confirm_after: Duration::from_secs(10),
        }
    }
}

impl WaitOptions {
    /// Checks that the bounds make sense (`0 < poll_min <= poll_max`, a non-zero timeout).
    pub fn validate(&self) -> Result<(), Error> {
        if self.poll_min.is_zero() {
            return Err(Error::invalid(
                "poll interval",
                "0",
                "a minimum above zero, such as 250ms",
            ));
        }
        if self.poll_min > self.poll_max {
            return Err(Error::invalid(
                "poll interval",
                format!("min {:?} > max {:?}", self.poll_min, self.poll_max),
                "poll-min no larger than poll-max",
            ));
        }
        if self.timeout.is_zero() {
            return Err(Error::invalid(
                "timeout",
                "0",
                "a duration above zero, such as 30m",
            ));
        }
        Ok(())
    }

    pub(crate) fn backoff(&self) -> Backoff {
        Backoff {
            min: self.poll_min,
            max: self.poll_max,
        }
    }
}

/// How long past the deadline the read made at the deadline may take to be answered. Well
/// under a second, so that a wait still ends within a second of its deadline whatever the
/// server does.
const LAST_READ_GRACE: Duration = Duration::from_millis(500);

/// Where a job stands after one status read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Not ended (including statuses the docs do not list).
    Running,
    /// Ended for good.
    Ended(OutcomeState),
    /// Ended, unless the vendor moves it on shortly (see [`WaitOptions::confirm_after`]).
    EndedUnlessMoved(OutcomeState),
}

/// One status read, in common terms.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub(crate) status: String,
    pub(crate) known: bool,
    pub(crate) phase: Phase,
    pub(crate) created_at: Option<VendorTime>,
    pub(crate) started_at: Option<VendorTime>,
    pub(crate) finished_at: Option<VendorTime>,
    pub(crate) error_code: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) steps: Vec<Step>,
    pub(crate) details: std::collections::BTreeMap<String, String>,
}

impl Snapshot {
    /// A snapshot with no error words and no steps.
    pub(crate) fn new(status: String, known: bool, phase: Phase) -> Self {
        Self {
            status,
            known,
            phase,
            created_at: None,
            started_at: None,
            finished_at: None,
            error_code: None,
            error_message: None,
            steps: Vec::new(),
            details: Default::default(),
        }
    }
}

impl Snapshot {
    /// The snapshot with every held credential redacted from its vendor text.
    fn scrubbed(mut self, secrets: &Secrets) -> Self {
        let scrub = |text: &mut String| *text = secrets.scrub_text(text);
        scrub(&mut self.status);
        self.error_code.as_mut().map(scrub);
        self.error_message.as_mut().map(scrub);
        for step in &mut self.steps {
            scrub(&mut step.name);
            scrub(&mut step.status);
            step.message.as_mut().map(scrub);
        }
        self.details.values_mut().for_each(scrub);
        self
    }
}

/// The steps of `now` whose status differs from the same step (same position and name) in
/// `before`, with that earlier status.
fn changed_steps<'a>(
    before: Option<&Snapshot>,
    now: &'a Snapshot,
) -> impl Iterator<Item = (&'a Step, Option<String>)> {
    now.steps.iter().enumerate().filter_map(move |(i, step)| {
        let previous = before
            .and_then(|b| b.steps.get(i))
            .filter(|p| p.name == step.name)
            .map(|p| p.status.clone());
        (previous.as_deref() != Some(step.status.as_str())).then_some((step, previous))
    })
}

/// What a wait knows when it starts.
#[derive(Clone, Debug)]
pub(crate) enum Start {
    /// Nothing: read at once (a wait resumed by reference).
    Now,
    /// The trigger answered with this status: it is reported, and the first read waits
    /// `poll_min`. (Boxed: every layer of a wait keeps its arguments while it sleeps.)
    Known(Box<Snapshot>),
    /// The trigger answered without a status (krewData's run): the first read waits
    /// `poll_min`, as the vendor's own sample does.
    Later,
}

/// Polls `read` until the job ends or `deadline` passes, reporting each status change through
/// `on_event`. `read` gets the deadline and must keep it (its renewals too).
///
/// Each read waits for its turn in the account's budget (see
/// [`Budget::poll_turn`](crate::budget::Budget::poll_turn)) before `read` is even
/// called, and the reading (retries included) lives on the heap only while it runs: a
/// sleeping or queued wait holds its last snapshot, a timer and a few counters.
pub(crate) async fn poll_until_ended<F, Fut>(
    job: &JobRef,
    options: &WaitOptions,
    deadline: Deadline,
    start: Start,
    core: &Core,
    read: F,
    on_event: &mut (dyn FnMut(&WaitEvent) + Send),
) -> Result<Outcome, Error>
where
    F: Fn(&Deadline) -> Fut,
    Fut: Future<Output = Result<Snapshot, Error>>,
{
    options.validate()?;
    let backoff = options.backoff();
    let mut last: Option<Box<Snapshot>> = None;
    let mut polls = 0u32;
    let mut step = 0u32;
    let (mut pending, mut pause) = match start {
        Start::Known(snapshot) => (Some(snapshot), None),
        Start::Now => (None, None),
        Start::Later => (None, Some(options.poll_min)),
    };
    // Set when a read failed in a way that would pass, but no time is left to try again.
    let mut out_of_time = false;

    loop {
        // The one place a wait sleeps. The last read happens at the deadline itself: a job
        // ending just in time still counts.
        if let Some(pause) = pause.take() {
            tokio::time::sleep(pause.min(deadline.remaining())).await;
        }
        if out_of_time {
            return Err(deadline_error(job, last.as_deref(), &deadline));
        }
        let snapshot = match pending.take() {
            Some(known) => known,
            None => {
                // The read at the deadline itself gets a moment to be answered: otherwise it
                // could never succeed, and a job that ended just in time would be reported
                // as still running.
                let read_by = if deadline.remaining().is_zero() {
                    deadline.extended(LAST_READ_GRACE)
                } else {
                    deadline
                };
                let reading = read_once(job, &read_by, backoff, core, &read, on_event);
                match Box::pin(reading).await {
                    Ok(s) => {
                        polls += 1;
                        // A server that echoes a credential in a status must not get it shown.
                        Box::new(s.scrubbed(core.secrets()))
                    }
                    // A read that would have been retried but ran out of time: the deadline,
                    // not the transient error, is what stopped us.
                    Err(err) if err.retry_delay(true).is_some() => {
                        out_of_time = true;
                        pause = Some(deadline.remaining());
                        continue;
                    }
                    Err(err) => return Err(err),
                }
            }
        };

        let previous = last.as_ref().map(|s| s.status.clone());
        let changed = previous.as_deref() != Some(snapshot.status.as_str());
        if changed {
            step = 0;
            if !snapshot.known {
                tracing::warn!(%job, status = %snapshot.status, "status not in the vendor's docs; treating it as still running");
            }
            tracing::info!(%job, status = %snapshot.status, previous = ?previous, "status");
            on_event(&WaitEvent::Status {
                job: job.clone(),
                status: snapshot.status.clone(),
                previous,
                known: snapshot.known,
                elapsed: deadline.elapsed(),
            });
        }
        for (step, previous) in changed_steps(last.as_deref(), &snapshot) {
            tracing::info!(%job, step = %step.name, status = %step.status, previous = ?previous, "step");
            on_event(&WaitEvent::Step {
                job: job.clone(),
                step: step.clone(),
                previous,
                elapsed: deadline.elapsed(),
            });
        }

        let mut next = backoff.delay(step);
        match snapshot.phase {
            Phase::Ended(state) => return Ok(outcome(job, state, *snapshot, polls, &deadline)),
            // Seen twice in a row, `confirm_after` apart: trust it. At the deadline there is no
            // time to confirm, and the vendor's own word beats "still running".
            Phase::EndedUnlessMoved(state) if !changed || deadline.remaining().is_zero() => {
                return Ok(outcome(job, state, *snapshot, polls, &deadline));
            }
            Phase::EndedUnlessMoved(_) => next = options.confirm_after,
            Phase::Running => {}
        }
        last = Some(snapshot);
        step = step.saturating_add(1);

        if deadline.remaining().is_zero() {
            return Err(deadline_error(job, last.as_deref(), &deadline));
        }
        pause = Some(next);
    }
}

/// A vendor client's part in waiting: what one wait keeps between its reads, and one read.
/// Everything else (the deadline, pauses, retries, turns in the budget, events, the outcome)
/// is the waiter's, the same for every vendor.
pub(crate) trait Vendor: Sync {
    /// What a wait keeps between reads: the job's ids in the vendor's terms, and whatever
    /// the reads share (krewData's token, ASTERIA's state from before a rerun).
    type Watch: Send + Sync;

    /// How a wait by reference watches `job`; a reference of another vendor (or kind) is
    /// refused with what was expected.
    fn watch(&self, job: &JobRef) -> Result<Self::Watch, Error>;

    /// One status read of the watched job, which keeps `within`.
    fn read(
        &self,
        watch: &Self::Watch,
        within: Within,
    ) -> impl Future<Output = Result<Snapshot, Error>> + Send;
}

/// Waits for a job by its reference (printed by another process, say).
pub(crate) async fn wait_for<V: Vendor>(
    vendor: &V,
    core: &Core,
    job: &JobRef,
    options: &WaitOptions,
    on_event: &mut (dyn FnMut(&WaitEvent) + Send),
) -> Result<Outcome, Error> {
    let watch = vendor.watch(job)?;
    let read = |deadline: &Deadline| vendor.read(&watch, Within::read(deadline));
    let deadline = Deadline::after(options.timeout);
    poll_until_ended(job, options, deadline, Start::Now, core, read, on_event).await
}

/// The waits every vendor client offers, written once: `start_and_wait` (optional: trocco's
/// two kinds of job have their own), `wait` (by reference) and `wait_started` (a job this
/// client's trigger answered with). They rest on what each vendor module has by convention:
/// a `core` field, `start_within(inputs…, Within)` and `begun(&Started)`, which turns what a
/// trigger answered into a wait. Each client gives the docs, in its own terms.
macro_rules! methods {
    (
        $(#[$start:meta])*
        fn start_and_wait($($arg:ident: $ty:ty),+);
        $($rest:tt)*
    ) => {
        $(#[$start])*
        pub async fn start_and_wait(
            &self,
            $($arg: $ty,)+
            options: &$crate::WaitOptions,
            on_event: &mut (dyn FnMut(&$crate::WaitEvent) + Send),
        ) -> Result<$crate::Outcome, $crate::Error> {
            let start = |deadline| async move {
                let within = self.core.single().within(&deadline);
                let started = self.start_within($($arg,)+ within).await?;
                begun(&started)
            };
            $crate::wait::start_and_wait(self, &self.core, start, options, on_event).await
        }

        $crate::wait::methods! { $($rest)* }
    };
    (
        $(#[$wait:meta])*
        fn wait;
        $(#[$started_doc:meta])*
        fn wait_started(&$started:ty);
    ) => {
        $(#[$wait])*
        pub async fn wait(
            &self,
            job: &$crate::JobRef,
            options: &$crate::WaitOptions,
            on_event: &mut (dyn FnMut(&$crate::WaitEvent) + Send),
        ) -> Result<$crate::Outcome, $crate::Error> {
            $crate::wait::wait_for(self, &self.core, job, options, on_event).await
        }

        $(#[$started_doc])*
        pub async fn wait_started(
            &self,
            started: &$started,
            options: &$crate::WaitOptions,
            on_event: &mut (dyn FnMut(&$crate::WaitEvent) + Send),
        ) -> Result<$crate::Outcome, $crate::Error> {
            let begun = begun(started)?;
            $crate::wait::wait_begun(self, &self.core, begun, options, on_event).await
        }
    };
}
pub(crate) use methods;

/// Asserts that `phase` ends a wait exactly at the statuses the spec marks terminal (the
/// generated `$status::KNOWN` and `is_terminal`), and that `undocumented` (a value the docs
/// never list) keeps it going.
#[cfg(test)]
macro_rules! assert_phases_agree {
    ($status:ty, $undocumented:expr, $phase:expr) => {
        for text in <$status>::KNOWN.iter().copied().chain([$undocumented]) {
            let status: $status = text.parse().unwrap_or_else(|never| match never {});
            let ended = !matches!($phase(&status), $crate::wait::Phase::Running);
            assert_eq!(ended, status.is_known() && status.is_terminal(), "{text}");
        }
    };
}
#[cfg(test)]
pub(crate) use assert_phases_agree;

/// What a trigger hands to the wait that follows it.
pub(crate) struct Begun<W> {
    pub(crate) job: JobRef,
    pub(crate) watch: W,
    pub(crate) start: Start,
}

/// Starts a job with `start` and waits until it ends; `options.timeout` bounds both. `start`
/// gets the wait's deadline and must keep it.
pub(crate) async fn start_and_wait<V, Fut>(
    vendor: &V,
    core: &Core,
    start: impl FnOnce(Deadline) -> Fut,
    options: &WaitOptions,
    on_event: &mut (dyn FnMut(&WaitEvent) + Send),
) -> Result<Outcome, Error>
where
    V: Vendor,
    Fut: Future<Output = Result<Begun<V::Watch>, Error>>,
{
    options.validate()?;
    let deadline = Deadline::after(options.timeout);
    // Boxed: the trigger's request machinery must not stay inside the long-sleeping wait.
    let Begun { job, watch, start } = Box::pin(start(deadline)).await?;
    let read = |deadline: &Deadline| vendor.read(&watch, Within::read(deadline));
    poll_until_ended(&job, options, deadline, start, core, read, on_event).await
}

/// Waits for a job a trigger of this process started, with what the trigger knew.
pub(crate) async fn wait_begun<V: Vendor>(
    vendor: &V,
    core: &Core,
    begun: Begun<V::Watch>,
    options: &WaitOptions,
    on_event: &mut (dyn FnMut(&WaitEvent) + Send),
) -> Result<Outcome, Error> {
    let Begun { job, watch, start } = begun;
    let read = |deadline: &Deadline| vendor.read(&watch, Within::read(deadline));
    let deadline = Deadline::after(options.timeout);
    poll_until_ended(&job, options, deadline, start, core, read, on_event).await
}

/// One status read with its retries, each attempt after its turn in the budget.
async fn read_once<F, Fut>(
    job: &JobRef,
    deadline: &Deadline,
    backoff: Backoff,
    core: &Core,
    read: &F,
    on_event: &mut (dyn FnMut(&WaitEvent) + Send),
) -> Result<Snapshot, Error>
where
    F: Fn(&Deadline) -> Fut,
    Fut: Future<Output = Result<Snapshot, Error>>,
{
    let attempt = || async {
        // Another job's rate-limit pause on the account must not hold this one past its own
        // deadline: the turn ends with it.
        let budget = core.budget();
        let Ok(_slot) = tokio::time::timeout_at(deadline.end(), budget.poll_turn()).await else {
            return Err(core.not_admitted("status"));
        };
        // The request's own machinery is the largest part of a read: it is boxed too, so
        // a read queued for its turn is small.
        Box::pin(budget.prepaid(read(deadline))).await
    };
    retrying(deadline, backoff, true, attempt, |attempt, delay, err| {
        on_event(&WaitEvent::Retrying {
            job: job.clone(),
            attempt,
            delay,
            reason: err.to_string(),
        });
    })
    .await
}

fn outcome(
    job: &JobRef,
    state: OutcomeState,
    s: Snapshot,
    polls: u32,
    deadline: &Deadline,
) -> Outcome {
    Outcome {
        job: job.clone(),
        state,
        vendor_status: s.status,
        created_at: s.created_at,
        started_at: s.started_at,
        finished_at: s.finished_at,
        waited: deadline.elapsed(),
        polls,
        error_code: s.error_code,
        error_message: s.error_message,
        steps: s.steps,
        details: s.details,
    }
}

fn deadline_error(job: &JobRef, last: Option<&Snapshot>, deadline: &Deadline) -> Error {
    Error::Deadline {
        job: job.clone(),
        last_status: last.map(|s| s.status.clone()),
        waited: deadline.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use tokio::time::Instant;

    use super::*;

    #[test]
    fn options_are_validated() {
        let ok = WaitOptions::default();
        assert!(ok.validate().is_ok());
        let bad = WaitOptions {
            poll_min: Duration::from_secs(10),
            poll_max: Duration::from_secs(1),
            ..ok.clone()
        };
        assert!(
            bad.validate()
                .expect_err("min > max")
                .to_string()
                .contains("poll-min")
        );
        let zero = WaitOptions {
            poll_min: Duration::ZERO,
            ..ok
        };
        assert!(zero.validate().is_err());
    }

    /// 10,000 waits on one account of trocco's size (3,500 calls per 10 minutes), on a
    /// paused clock: no window of 10 minutes ever holds more reads than the limit, every job
    /// is detected, no job waits for a read much longer than one turn of every other job, and
    /// triggers sent meanwhile pass within a few token intervals instead of queuing behind
    /// the reads.
    #[tokio::test(start_paused = true)]
    async fn ten_thousand_waits_share_one_budget_fairly() {
        use std::sync::{Arc, Mutex};

        const JOBS: u64 = 10_000;
        const LIMIT: u32 = 3500;
        let window = Duration::from_secs(600);
        let limit = crate::RateLimit::Fixed {
            requests: LIMIT,
            per: window,
        };
        let budget = Arc::new(crate::budget::Budget::new(limit, 32).expect("valid"));
        let options = WaitOptions {
            timeout: Duration::from_secs(24 * 3600),
            poll_min: Duration::from_secs(1),
            poll_max: Duration::from_secs(60),
            confirm_after: Duration::from_secs(10),
        };
        let reads = Arc::new(Mutex::new(Vec::new()));
        let begin = Instant::now();
        let mut waits = tokio::task::JoinSet::new();
        for n in 0..JOBS {
            let (core, options, reads) = (
                Core::with_budget(budget.clone()),
                options.clone(),
                reads.clone(),
            );
            let ends = begin + Duration::from_secs(1 + n % 60);
            waits.spawn(async move {
                let deadline = Deadline::after(options.timeout);
                let job = JobRef::TroccoJob(std::num::NonZeroU64::new(n + 1).expect("n+1"));
                let read = |_: &Deadline| {
                    let reads = reads.clone();
                    async move {
                        let now = Instant::now();
                        reads.lock().expect("lock").push((n, now));
                        let (status, phase) = if now >= ends {
                            ("succeeded", Phase::Ended(OutcomeState::Succeeded))
                        } else {
                            ("executing", Phase::Running)
                        };
                        Ok(Snapshot::new(status.to_owned(), true, phase))
                    }
                };
                let outcome = poll_until_ended(
                    &job,
                    &options,
                    deadline,
                    Start::Now,
                    &core,
                    read,
                    &mut |_| {},
                )
                .await;
                (outcome, ends)
            });
        }
        let mut triggers = tokio::task::JoinSet::new();
        for k in 1..=20u64 {
            let budget = budget.clone();
            triggers.spawn(async move {
                tokio::time::sleep(Duration::from_secs(60 * k)).await;
                let asked = Instant::now();
                let _slot = budget.admit().await;
                asked.elapsed()
            });
        }

        let mut detected = 0;
        while let Some(joined) = waits.join_next().await {
            let (outcome, ends) = joined.expect("task");
            let outcome = outcome.expect("every wait ends with an outcome");
            assert_eq!(outcome.state, OutcomeState::Succeeded);
            assert!(Instant::now() >= ends);
            detected += 1;
        }
        assert_eq!(detected, JOBS);

        let interval = window / (LIMIT - LIMIT / 10);
        while let Some(joined) = triggers.join_next().await {
            let waited = joined.expect("task");
            assert!(waited <= interval * 3, "a trigger waited {waited:?}");
        }

        let mut reads = reads.lock().expect("lock").clone();
        reads.sort_by_key(|(_, at)| *at);
        let mut first = 0;
        for last in 0..reads.len() {
            while reads[last].1.duration_since(reads[first].1) > window {
                first += 1;
            }
            assert!(
                last - first < LIMIT as usize,
                "more than {LIMIT} reads in {window:?}"
            );
        }
        // Fair turns: between two reads of one job, at most one read of every other job (and
        // the triggers) passes, plus the job's own pause.
        let mut by_job: std::collections::HashMap<u64, Vec<Instant>> = Default::default();
        for (n, at) in &reads {
            by_job.entry(*n).or_default().push(*at);
        }
        let fair = options.poll_max + interval * (JOBS as u32 + 20);
        for times in by_job.values() {
            for pair in times.windows(2) {
                assert!(pair[1].duration_since(pair[0]) <= fair);
            }
        }
    }
}
