//! How a run's details map to a status: its phase, its tasks as steps.

use adobe_query_api::types;

use super::{RunDetails, RunStateKind};
use crate::{
    outcome::{OutcomeState, Step},
    wait::{Phase, Snapshot},
};

/// How a run's state ends a wait. KILLED and CANCELLED/CANCELED are not in Adobe's run enum
/// but are how a stopped run is likeliest to read (inferred); TIMEOUT, a /queries state, counts
/// as a failure.
pub(crate) fn phase(state: &RunStateKind) -> Phase {
    match state {
        RunStateKind::Success => Phase::Ended(OutcomeState::Succeeded),
        RunStateKind::Failed | RunStateKind::Timeout => Phase::Ended(OutcomeState::Failed),
        RunStateKind::Killed | RunStateKind::Cancelled | RunStateKind::Canceled => {
            Phase::Ended(OutcomeState::Canceled)
        }
        RunStateKind::InProgress | RunStateKind::Unknown(_) => Phase::Running,
    }
}

pub(super) fn snapshot(d: &RunDetails) -> Snapshot {
    let state = d
        .state
        .clone()
        .unwrap_or_else(|| types::RunState::from(String::new()));
    let kind = state.kind();
    let steps: Vec<Step> = d
        .task_status_list
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, t)| Step {
            id: t.task_id.clone(),
            name: t
                .task_id
                .clone()
                .unwrap_or_else(|| format!("task {}", i + 1)),
            status: t.state.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            started_at: t.start_date.clone(),
            finished_at: t.end_date.clone(),
            message: t.message.clone().filter(|m| !m.is_empty()),
            duration: t.duration.as_ref().map(ToString::to_string),
        })
        .collect();
    let phase = phase(&kind);
    let error_message = match phase {
        Phase::Ended(OutcomeState::Failed) => steps.iter().rev().find_map(|s| s.message.clone()),
        _ => None,
    };
    Snapshot {
        created_at: d.created.clone(),
        started_at: steps.iter().find_map(|s| s.started_at.clone()),
        finished_at: match phase {
            Phase::Running => None,
            _ => steps.iter().rev().find_map(|s| s.finished_at.clone()),
        },
        error_message,
        steps,
        ..Snapshot::new(state.to_string(), kind.is_known(), phase)
    }
}
