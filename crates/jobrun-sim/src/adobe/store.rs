//! Schedules and runs as the simulator keeps them, and what each shows at a given moment.
//!
//! Every time here is UNIX epoch milliseconds on the simulator's clock (tokio time shifted
//! onto the wall clock), so paused tests move runs along by advancing tokio's clock, and
//! runs that started before the simulator did need no instant before its start.

use super::input::QueryDef;
use super::script::{PlannedTask, RunScript};

/// A schedule's `state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ScheduleState {
    Registering,
    Enabled,
    Disabled,
}

impl ScheduleState {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            ScheduleState::Registering => "REGISTERING",
            ScheduleState::Enabled => "ENABLED",
            ScheduleState::Disabled => "DISABLED",
        }
    }
}

/// One scheduled query.
#[derive(Debug, Clone)]
pub(super) struct StoredSchedule {
    pub(super) id: String,
    pub(super) sandbox: String,
    pub(super) query: QueryDef,
    pub(super) cron: String,
    pub(super) start_date: String,
    pub(super) end_date: Option<String>,
    pub(super) max_active_runs: u32,
    pub(super) user_id: String,
    pub(super) updated_user_id: String,
    pub(super) created_ms: i64,
    pub(super) updated_ms: i64,
    /// `REGISTERING` before this moment.
    pub(super) registering_until_ms: i64,
    /// Whether it is `ENABLED` (after registering) or `DISABLED`.
    pub(super) enabled: bool,
    /// What its triggered runs do.
    pub(super) script: RunScript,
    /// In creation order.
    pub(super) runs: Vec<StoredRun>,
}

impl StoredSchedule {
    pub(super) fn state(&self, now_ms: i64) -> ScheduleState {
        if now_ms < self.registering_until_ms {
            ScheduleState::Registering
        } else if self.enabled {
            ScheduleState::Enabled
        } else {
            ScheduleState::Disabled
        }
    }

    /// Runs still `IN_PROGRESS` at `now_ms`.
    pub(super) fn active_runs(&self, now_ms: i64) -> usize {
        self.runs.iter().filter(|run| run.active(now_ms)).count()
    }

    pub(super) fn run(&self, run_id: &str) -> Option<&StoredRun> {
        self.runs.iter().find(|run| run.id == run_id)
    }
}

/// One run of a schedule.
#[derive(Debug, Clone)]
pub(super) struct StoredRun {
    /// Base64 of `manual__…` or `scheduled__…`.
    pub(super) id: String,
    pub(super) created_ms: i64,
    /// Triggered through `POST …/runs` (or as if it had been).
    pub(super) external: bool,
    pub(super) tasks: Vec<PlannedTask>,
    /// When a cancel was accepted.
    pub(super) cancelled_ms: Option<i64>,
}

/// A task as shown at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TaskView {
    pub(super) task_id: String,
    pub(super) state: String,
    /// Only once the task ended.
    pub(super) message: Option<String>,
    pub(super) start_ms: Option<i64>,
    pub(super) end_ms: Option<i64>,
}

/// A run as shown at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RunView {
    /// `IN_PROGRESS`, `SUCCESS`, `FAILED`, or the configured cancel state.
    pub(super) state: String,
    /// When it last changed state: its creation, end or cancellation.
    pub(super) updated_ms: i64,
    pub(super) tasks: Vec<TaskView>,
}

/// The `message` of a task stopped by a cancel (the simulator's wording).
const TASK_CANCELLED: &str = "Run cancelled by request.";

impl StoredRun {
    /// When the last task ends, cancellation aside.
    fn scripted_end_ms(&self) -> i64 {
        self.tasks.iter().fold(self.created_ms, |at, task| {
            at.saturating_add(task.duration_ms)
        })
    }

    /// `IN_PROGRESS` at `now_ms`: not cancelled and not past its last task.
    pub(super) fn active(&self, now_ms: i64) -> bool {
        self.cancelled_ms.is_none() && now_ms < self.scripted_end_ms()
    }

    pub(super) fn view(&self, now_ms: i64, cancel_state: &str) -> RunView {
        // A cancel freezes the run where it was: tasks that ended keep their ending, the one
        // running ends now in the cancel state, later ones never start.
        let horizon = self.cancelled_ms.map_or(now_ms, |at| at.min(now_ms));
        let mut tasks = Vec::with_capacity(self.tasks.len());
        let mut start = self.created_ms;
        let mut failed = false;
        for task in &self.tasks {
            let end = start.saturating_add(task.duration_ms);
            let view = if end <= horizon {
                failed |= task.state.eq_ignore_ascii_case("FAILED");
                TaskView {
                    task_id: task.task_id.clone(),
                    state: task.state.clone(),
                    message: Some(task.message.clone()),
                    start_ms: Some(start),
                    end_ms: Some(end),
                }
            } else if let Some(cancelled) = self.cancelled_ms {
                let started = start <= cancelled;
                TaskView {
                    task_id: task.task_id.clone(),
                    state: cancel_state.to_owned(),
                    message: Some(TASK_CANCELLED.to_owned()),
                    start_ms: started.then_some(start),
                    end_ms: started.then_some(cancelled),
                }
            } else if start <= horizon {
                TaskView {
                    task_id: task.task_id.clone(),
                    state: "IN_PROGRESS".to_owned(),
                    message: None,
                    start_ms: Some(start),
                    end_ms: None,
                }
            } else {
                TaskView {
                    task_id: task.task_id.clone(),
                    state: "QUEUED".to_owned(),
                    message: None,
                    start_ms: None,
                    end_ms: None,
                }
            };
            tasks.push(view);
            start = end;
        }
        let end = self.scripted_end_ms();
        let (state, updated_ms) = match self.cancelled_ms {
            Some(cancelled) => (cancel_state.to_owned(), cancelled),
            None if now_ms < end => ("IN_PROGRESS".to_owned(), self.created_ms),
            None if failed => ("FAILED".to_owned(), end),
            None => ("SUCCESS".to_owned(), end),
        };
        RunView {
            state,
            updated_ms,
            tasks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(durations: &[(i64, &str)]) -> StoredRun {
        StoredRun {
            id: "r".into(),
            created_ms: 1000,
            external: true,
            tasks: durations
                .iter()
                .enumerate()
                .map(|(n, (ms, state))| PlannedTask {
                    task_id: format!("t{n}"),
                    duration_ms: *ms,
                    state: (*state).to_owned(),
                    message: "m".into(),
                })
                .collect(),
            cancelled_ms: None,
        }
    }

    #[test]
    fn tasks_run_one_after_the_other() {
        let run = run(&[(1000, "SUCCESS"), (2000, "FAILED")]);
        let early = run.view(1500, "CANCELLED");
        assert_eq!(early.state, "IN_PROGRESS");
        assert_eq!(early.tasks[0].state, "IN_PROGRESS");
        assert_eq!(early.tasks[1].state, "QUEUED");
        let later = run.view(2000, "CANCELLED");
        assert_eq!(later.tasks[0].state, "SUCCESS");
        assert_eq!(later.tasks[1].state, "IN_PROGRESS");
        assert!(run.active(3999));
        let done = run.view(4000, "CANCELLED");
        assert!(!run.active(4000));
        assert_eq!(done.state, "FAILED");
        assert_eq!(done.updated_ms, 4000);
        assert_eq!(done.tasks[1].end_ms, Some(4000));
    }

    #[test]
    fn cancel_freezes_the_run() {
        let mut run = run(&[(1000, "SUCCESS"), (2000, "SUCCESS"), (1000, "SUCCESS")]);
        run.cancelled_ms = Some(2500);
        assert!(!run.active(2600));
        let view = run.view(9000, "KILLED");
        assert_eq!(view.state, "KILLED");
        assert_eq!(view.updated_ms, 2500);
        assert_eq!(view.tasks[0].state, "SUCCESS");
        assert_eq!(view.tasks[1].state, "KILLED");
        assert_eq!(view.tasks[1].end_ms, Some(2500));
        assert_eq!(view.tasks[2].state, "KILLED");
        assert_eq!(view.tasks[2].start_ms, None);
    }
}
