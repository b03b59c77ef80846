//! How a test describes what the simulator holds: run scripts (how a run's tasks go) and
//! schedules to preload, with their past runs.

use std::fmt;
use std::time::Duration;

/// How long the one task of a [`RunScript::new`] runs.
pub const DEFAULT_RUN_DURATION: Duration = Duration::from_secs(3);

/// The `message` of a task that ended `SUCCESS` (the simulator's wording; the docs show none).
pub(super) const TASK_SUCCEEDED: &str = "Finished execution.";
/// The `message` of a task that ended `FAILED` without a scripted message: the spec's example.
pub(super) const TASK_FAILED: &str = "Processing Failed";

/// One task of a run, as scripted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TaskScript {
    task_id: String,
    duration: Duration,
    /// The state the task ends in (`SUCCESS`, `FAILED`, or anything else a test wants a
    /// client to cope with).
    state: String,
    message: Option<String>,
}

/// How each run of a schedule goes: its tasks run one after the other, each `IN_PROGRESS`
/// for its duration, and the run is `IN_PROGRESS` until the last one ended; then `FAILED` if
/// any task ended `FAILED`, else `SUCCESS`.
///
/// [`RunScript::new`] is one task of [`DEFAULT_RUN_DURATION`] (3 s) that succeeds; its
/// `taskId` is 10 random letters and digits per run, like the spec's `0tx2JTP56S`.
///
/// ```
/// use std::time::Duration;
/// use jobrun_sim::adobe::RunScript;
///
/// // One task, 5 s, then FAILED with this message.
/// let broken = RunScript::new().lasts(Duration::from_secs(5)).fails("relation does not exist");
/// // Two named tasks; the run succeeds after 3 s.
/// let two = RunScript::new()
///     .task("prepare", Duration::from_secs(1), "SUCCESS")
///     .task("insert_into", Duration::from_secs(2), "SUCCESS");
/// assert_eq!(two.duration(), Duration::from_secs(3));
/// assert_eq!(broken.to_string(), "5s → FAILED (relation does not exist)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunScript {
    lasts: Duration,
    failure: Option<String>,
    tasks: Vec<TaskScript>,
}

impl Default for RunScript {
    fn default() -> Self {
        Self {
            lasts: DEFAULT_RUN_DURATION,
            failure: None,
            tasks: Vec::new(),
        }
    }
}

impl RunScript {
    /// One task of 3 s that ends `SUCCESS`.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long the run's one implicit task takes (used while no [`RunScript::task`] was
    /// added).
    pub fn lasts(mut self, duration: Duration) -> Self {
        self.lasts = duration;
        self
    }

    /// The run ends `SUCCESS` (the default): undoes [`RunScript::fails`].
    pub fn succeeds(mut self) -> Self {
        self.failure = None;
        self
    }

    /// The run ends `FAILED`: its last task ends `FAILED` with this `message`.
    pub fn fails(mut self, message: impl Into<String>) -> Self {
        self.failure = Some(message.into());
        self
    }

    /// Adds a task (replacing the implicit one): it runs for `duration` after the tasks added
    /// before it, then ends in `state` (`SUCCESS`, `FAILED`, or an undocumented value such as
    /// `UP_FOR_RETRY` to test a client's tolerance). `task_id` is shown as `taskId`.
    pub fn task(
        mut self,
        task_id: impl Into<String>,
        duration: Duration,
        state: impl Into<String>,
    ) -> Self {
        self.tasks.push(TaskScript {
            task_id: task_id.into(),
            duration,
            state: state.into(),
            message: None,
        });
        self
    }

    /// Sets the `message` the last added task shows once it ended (by default
    /// `Finished execution.` after `SUCCESS`, `Processing Failed` after `FAILED`, empty
    /// otherwise). Without an added task it does nothing.
    pub fn task_message(mut self, message: impl Into<String>) -> Self {
        if let Some(task) = self.tasks.last_mut() {
            task.message = Some(message.into());
        }
        self
    }

    /// How long a run takes from its creation to its end.
    pub fn duration(&self) -> Duration {
        if self.tasks.is_empty() {
            self.lasts
        } else {
            self.tasks.iter().map(|task| task.duration).sum()
        }
    }

    /// The state a run ends in: `FAILED` or `SUCCESS`.
    pub fn outcome(&self) -> &'static str {
        let failed_task = self
            .tasks
            .iter()
            .any(|task| task.state.eq_ignore_ascii_case("FAILED"));
        if self.failure.is_some() || failed_task {
            "FAILED"
        } else {
            "SUCCESS"
        }
    }

    /// The tasks one run executes; `implicit_id` names the implicit task.
    pub(super) fn plan(&self, implicit_id: impl FnOnce() -> String) -> Vec<PlannedTask> {
        let mut planned: Vec<PlannedTask> = if self.tasks.is_empty() {
            vec![PlannedTask {
                task_id: implicit_id(),
                duration_ms: millis(self.lasts),
                state: "SUCCESS".to_owned(),
                message: TASK_SUCCEEDED.to_owned(),
            }]
        } else {
            self.tasks
                .iter()
                .map(|task| PlannedTask {
                    task_id: task.task_id.clone(),
                    duration_ms: millis(task.duration),
                    state: task.state.clone(),
                    message: task
                        .message
                        .clone()
                        .unwrap_or_else(|| default_message(&task.state).to_owned()),
                })
                .collect()
        };
        if let (Some(message), Some(last)) = (&self.failure, planned.last_mut()) {
            last.state = "FAILED".to_owned();
            last.message.clone_from(message);
        }
        planned
    }
}

fn default_message(state: &str) -> &'static str {
    if state.eq_ignore_ascii_case("SUCCESS") {
        TASK_SUCCEEDED
    } else if state.eq_ignore_ascii_case("FAILED") {
        TASK_FAILED
    } else {
        ""
    }
}

/// Milliseconds, saturating: durations beyond ~292 million years are not a concern.
pub(super) fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl fmt::Display for RunScript {
    /// `3s → SUCCESS`, `2 tasks, 3s → SUCCESS`, `5s → FAILED (message)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tasks.len() > 1 {
            write!(f, "{} tasks, ", self.tasks.len())?;
        }
        write!(
            f,
            "{} → {}",
            crate::fmt_duration(self.duration()),
            self.outcome()
        )?;
        if let Some(message) = &self.failure {
            write!(f, " ({message})")?;
        }
        Ok(())
    }
}

/// A task of one run, fixed when the run is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PlannedTask {
    pub(super) task_id: String,
    pub(super) duration_ms: i64,
    /// The state it ends in.
    pub(super) state: String,
    /// The message it shows once ended.
    pub(super) message: String,
}

/// A run that happened (or started) before the simulator did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PastRun {
    pub(super) ago: Duration,
    pub(super) external: bool,
    pub(super) script: RunScript,
}

/// A scheduled query to preload with [`crate::adobe::AdobeConfig::schedule`].
///
/// Preloaded schedules are `ENABLED` (or `DISABLED`) from the start, never `REGISTERING`.
/// Unless told otherwise a schedule belongs to the configured sandbox, was created by the
/// configured technical account, has `dbName` `prod:all`, cron `30 * * * *`, `startDate`
/// `2020-01-08T12:30:00.000Z`, `maxActiveRuns` 1, an id generated like Adobe's
/// (`{org}_{uuid}_{name}{random}_{random}`), and runs the configuration's default run
/// script when triggered.
///
/// ```
/// use std::time::Duration;
/// use jobrun_sim::adobe::{RunScript, Schedule};
///
/// let schedule = Schedule::new("Nightly load", "SELECT 1;")
///     .cron("@daily")
///     .runs(RunScript::new().fails("Processing Failed"))
///     // A scheduled run that failed an hour before the simulator started.
///     .past_run(Duration::from_secs(3600), RunScript::new().fails("Processing Failed"));
/// # let _ = schedule;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub(super) id: Option<String>,
    pub(super) name: String,
    pub(super) sql: String,
    pub(super) db_name: String,
    pub(super) description: Option<String>,
    pub(super) template_id: Option<String>,
    pub(super) cron: String,
    pub(super) start_date: String,
    pub(super) max_active_runs: u32,
    pub(super) user_id: Option<String>,
    pub(super) sandbox: Option<String>,
    pub(super) created_ago: Duration,
    pub(super) disabled: bool,
    pub(super) run: Option<RunScript>,
    pub(super) past_runs: Vec<PastRun>,
}

impl Schedule {
    /// A schedule named `name` running `sql`, created a day before the simulator started.
    pub fn new(name: impl Into<String>, sql: impl Into<String>) -> Self {
        Self {
            id: None,
            name: name.into(),
            sql: sql.into(),
            db_name: "prod:all".to_owned(),
            description: None,
            template_id: None,
            cron: "30 * * * *".to_owned(),
            start_date: "2020-01-08T12:30:00.000Z".to_owned(),
            max_active_runs: 1,
            user_id: None,
            sandbox: None,
            created_ago: Duration::from_secs(24 * 3600),
            disabled: false,
            run: None,
            past_runs: Vec::new(),
        }
    }

    /// The schedule id, instead of a generated one. A schedule with the same id replaces an
    /// earlier one in a configuration.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// `query.dbName` (default `prod:all`).
    pub fn db_name(mut self, db_name: impl Into<String>) -> Self {
        self.db_name = db_name.into();
        self
    }

    /// `query.description` (default none).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// `query.templateId` (default none), for `property=templateId==…`.
    pub fn template_id(mut self, template_id: impl Into<String>) -> Self {
        self.template_id = Some(template_id.into());
        self
    }

    /// `schedule.schedule`, the cron expression (default `30 * * * *`). Not validated here.
    pub fn cron(mut self, cron: impl Into<String>) -> Self {
        self.cron = cron.into();
        self
    }

    /// `schedule.startDate` (default `2020-01-08T12:30:00.000Z`, the docs' sample).
    pub fn start_date(mut self, start_date: impl Into<String>) -> Self {
        self.start_date = start_date.into();
        self
    }

    /// `schedule.maxActiveRuns` (default 1; 0 counts as 1).
    pub fn max_active_runs(mut self, max_active_runs: u32) -> Self {
        self.max_active_runs = max_active_runs.max(1);
        self
    }

    /// `userId` and `updatedUserId` (default the technical account of the configuration).
    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    /// The sandbox the schedule lives in (default the configuration's sandbox).
    pub fn sandbox(mut self, sandbox: impl Into<String>) -> Self {
        self.sandbox = Some(sandbox.into());
        self
    }

    /// How long before the simulator started the schedule was created (default one day).
    pub fn created_ago(mut self, ago: Duration) -> Self {
        self.created_ago = ago;
        self
    }

    /// The schedule starts `DISABLED` (it can be deleted, not triggered).
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }

    /// The script of every run triggered on this schedule (default: the configuration's
    /// [`crate::adobe::AdobeConfig::default_run`]).
    pub fn runs(mut self, script: RunScript) -> Self {
        self.run = Some(script);
        self
    }

    /// A scheduled run (`externalTrigger` false, id `scheduled__…`) created `ago` before the
    /// simulator started, going as `script` says from then: ended if `ago` exceeds the
    /// script's duration, else still `IN_PROGRESS`.
    pub fn past_run(mut self, ago: Duration, script: RunScript) -> Self {
        self.past_runs.push(PastRun {
            ago,
            external: false,
            script,
        });
        self
    }

    /// Like [`Schedule::past_run`] but a triggered run (`externalTrigger` true, id
    /// `manual__…`).
    pub fn past_triggered_run(mut self, ago: Duration, script: RunScript) -> Self {
        self.past_runs.push(PastRun {
            ago,
            external: true,
            script,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implicit_task_and_failure() {
        let plan = RunScript::new().plan(|| "abc".to_owned());
        assert_eq!(
            plan,
            vec![PlannedTask {
                task_id: "abc".into(),
                duration_ms: 3000,
                state: "SUCCESS".into(),
                message: TASK_SUCCEEDED.into(),
            }]
        );
        let failing = RunScript::new()
            .task("a", Duration::from_millis(500), "SUCCESS")
            .task("b", Duration::from_secs(1), "SUCCESS")
            .fails("boom");
        assert_eq!(failing.outcome(), "FAILED");
        assert_eq!(failing.duration(), Duration::from_millis(1500));
        let plan = failing.plan(|| unreachable!());
        assert_eq!(plan[0].state, "SUCCESS");
        assert_eq!(plan[1].state, "FAILED");
        assert_eq!(plan[1].message, "boom");
        assert_eq!(failing.clone().succeeds().outcome(), "SUCCESS");
    }

    #[test]
    fn explicit_states_and_messages() {
        let script = RunScript::new()
            .task("a", Duration::from_secs(1), "FAILED")
            .task("b", Duration::from_secs(1), "UP_FOR_RETRY")
            .task_message("later");
        assert_eq!(script.outcome(), "FAILED");
        let plan = script.plan(|| unreachable!());
        assert_eq!(plan[0].message, TASK_FAILED);
        assert_eq!(plan[1].message, "later");
        assert_eq!(script.to_string(), "2 tasks, 2s → FAILED");
    }
}
