//! How a task's status answer maps to a status: its phase, its flows as steps.

use super::{ExecutionStatus, StatusAnswer};
use crate::{
    outcome::{OutcomeState, Step},
    wait::{Phase, Snapshot},
};

/// How a task's status ends a wait.
pub(crate) fn phase(status: &ExecutionStatus) -> Phase {
    match status {
        ExecutionStatus::Success => Phase::Ended(OutcomeState::Succeeded),
        ExecutionStatus::Failure => Phase::Ended(OutcomeState::Failed),
        ExecutionStatus::Cancel => Phase::Ended(OutcomeState::Canceled),
        ExecutionStatus::Queuing | ExecutionStatus::Running | ExecutionStatus::Unknown(_) => {
            Phase::Running
        }
    }
}

fn written(t: &Option<jobrun_transport::VendorTime>) -> Option<jobrun_transport::VendorTime> {
    // A running flow's endTime is "" (seed 003): not a time.
    t.clone().filter(|t| !t.as_str().trim().is_empty())
}

pub(super) fn snapshot(a: &StatusAnswer) -> Snapshot {
    let steps: Vec<Step> = a
        .flow_info
        .iter()
        .map(|f| Step {
            id: f.flow_exec_unique_key.clone(),
            name: f.flow_name.clone(),
            status: f.status.to_string(),
            started_at: written(&f.start_time),
            finished_at: written(&f.end_time),
            message: None,
            duration: None,
        })
        .collect();
    let phase = phase(&a.task_status);
    let started_at = steps.iter().find_map(|s| s.started_at.clone());
    let finished_at = match phase {
        Phase::Running => None,
        _ => steps.iter().rev().find_map(|s| s.finished_at.clone()),
    };
    Snapshot {
        started_at,
        finished_at,
        error_code: a.error_code.clone(),
        error_message: a.error_message.clone(),
        steps,
        ..Snapshot::new(a.task_status.to_string(), a.task_status.is_known(), phase)
    }
}
