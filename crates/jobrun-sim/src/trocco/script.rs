//! Scripted status progressions of simulated jobs.

use std::fmt;
use std::time::Duration;

/// How a job's status evolves after it is created: a list of `(status, duration)` steps,
/// then a final status the job keeps forever.
///
/// Any string is accepted as a status, so a test can script values the vendor has not
/// documented (e.g. `paused_by_admin`). The status is computed from the time elapsed since
/// the job was created each time it is asked for; nothing runs in the background.
///
/// * `started_at` is the start of the first step whose status is neither `queued`,
///   `setting_up`, `skipped` nor `canceled`; if no step qualifies, the moment the final
///   status is reached, unless that status is `skipped` or `canceled` (a job skipped or
///   canceled before it ran never started).
/// * `finished_at` is the moment the final status is reached.
///
/// A script without [`Script::end`] ends in `succeeded`.
///
/// ```
/// use std::time::Duration;
/// use jobrun_sim::trocco::Script;
///
/// let retried = Script::new()
///     .step("queued", Duration::from_millis(200))
///     .step("executing", Duration::from_secs(1))
///     .step("error", Duration::from_millis(500))
///     .step("retry_waiting", Duration::from_secs(1))
///     .step("executing", Duration::from_secs(1))
///     .end("succeeded");
/// assert_eq!(retried.total(), Duration::from_millis(3700));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    steps: Vec<(String, Duration)>,
    end: String,
}

impl Default for Script {
    fn default() -> Self {
        Self::new()
    }
}

/// A job's status at one moment, with the offsets (from creation) of its start and end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Observation<'a> {
    pub(crate) status: &'a str,
    pub(crate) started: Option<Duration>,
    pub(crate) finished: Option<Duration>,
}

/// Statuses in which the job has not (or never) run its work.
fn counts_as_started(status: &str) -> bool {
    !matches!(status, "queued" | "setting_up" | "skipped" | "canceled")
}

impl Script {
    /// An empty script: the job is `succeeded` from the moment it is created.
    pub fn new() -> Self {
        Self {
            steps: Vec::new(),
            end: "succeeded".to_owned(),
        }
    }

    /// Appends a step: the job shows `status` for `duration`.
    pub fn step(mut self, status: impl Into<String>, duration: Duration) -> Self {
        self.steps.push((status.into(), duration));
        self
    }

    /// Sets the status the job ends in (default `succeeded`).
    pub fn end(mut self, final_status: impl Into<String>) -> Self {
        self.end = final_status.into();
        self
    }

    /// The intermediate steps, in order.
    pub fn steps(&self) -> &[(String, Duration)] {
        &self.steps
    }

    /// The status the job ends in.
    pub fn final_status(&self) -> &str {
        &self.end
    }

    /// How long after creation the job reaches its final status.
    pub fn total(&self) -> Duration {
        self.steps
            .iter()
            .fold(Duration::ZERO, |sum, (_, d)| sum.saturating_add(*d))
    }

    /// The job's state `elapsed` after its creation.
    pub(crate) fn observe(&self, elapsed: Duration) -> Observation<'_> {
        let mut offset = Duration::ZERO;
        let mut started = None;
        for (status, duration) in &self.steps {
            if started.is_none() && counts_as_started(status) {
                started = Some(offset);
            }
            let step_end = offset.saturating_add(*duration);
            if elapsed < step_end {
                return Observation {
                    status,
                    started,
                    finished: None,
                };
            }
            offset = step_end;
        }
        if started.is_none() && counts_as_started(&self.end) {
            started = Some(offset);
        }
        Observation {
            status: &self.end,
            started,
            finished: Some(offset),
        }
    }
}

impl fmt::Display for Script {
    /// `queued 1s -> executing 2s -> succeeded`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (status, duration) in &self.steps {
            write!(f, "{status} {} -> ", crate::fmt_duration(*duration))?;
        }
        f.write_str(&self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn walks_steps_and_stamps_start_and_finish() {
        let script = Script::new()
            .step("queued", MS(100))
            .step("setting_up", MS(100))
            .step("executing", MS(300))
            .end("error");
        let at = |ms| script.observe(MS(ms));
        assert_eq!(at(0).status, "queued");
        assert_eq!(at(0).started, None);
        assert_eq!(at(150).status, "setting_up");
        assert_eq!(at(200).status, "executing");
        assert_eq!(at(200).started, Some(MS(200)));
        assert_eq!(at(499).finished, None);
        assert_eq!(at(500).status, "error");
        assert_eq!(at(500).finished, Some(MS(500)));
        assert_eq!(at(10_000).started, Some(MS(200)));
    }

    #[test]
    fn skipped_and_early_cancel_never_start() {
        let skipped = Script::new().step("queued", MS(100)).end("skipped");
        assert_eq!(skipped.observe(MS(100)).started, None);
        assert_eq!(skipped.observe(MS(100)).finished, Some(MS(100)));
        let canceled = Script::new().step("queued", MS(100)).end("canceled");
        assert_eq!(canceled.observe(MS(100)).started, None);
        let error = Script::new().step("queued", MS(100)).end("error");
        assert_eq!(error.observe(MS(100)).started, Some(MS(100)));
    }

    #[test]
    fn empty_script_is_done_at_once() {
        let script = Script::new();
        let obs = script.observe(Duration::ZERO);
        assert_eq!(obs.status, "succeeded");
        assert_eq!(obs.started, Some(Duration::ZERO));
        assert_eq!(obs.finished, Some(Duration::ZERO));
    }

    #[test]
    fn display() {
        let script = Script::new()
            .step("queued", MS(200))
            .step("executing", MS(1500))
            .end("succeeded");
        assert_eq!(
            script.to_string(),
            "queued 200ms -> executing 1.5s -> succeeded"
        );
    }
}
