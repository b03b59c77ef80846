//! How a request's XML maps to a status: its phase, its times, the snapshot a wait keeps.

use std::collections::BTreeMap;

use jobrun_transport::VendorTime;

use super::{Request, RequestStatus};
use crate::{
    outcome::OutcomeState,
    wait::{Phase, Snapshot},
};

/// How a request's status ends a wait.
pub(crate) fn phase(status: &RequestStatus) -> Phase {
    match status {
        RequestStatus::Success => Phase::Ended(OutcomeState::Succeeded),
        RequestStatus::Error => Phase::Ended(OutcomeState::Failed),
        RequestStatus::Running | RequestStatus::Unknown(_) => Phase::Running,
    }
}

fn time(text: &Option<String>) -> Option<VendorTime> {
    let text = text.as_deref().filter(|t| !t.trim().is_empty())?;
    let t: VendorTime = text.parse().unwrap_or_else(|never| match never {});
    if t.parse().is_none() {
        tracing::warn!(
            time = text,
            "a time jobrun cannot place on the clock; kept as written"
        );
    }
    Some(t)
}

pub(super) fn snapshot(r: &Request) -> Snapshot {
    let status = r.status();
    let details: BTreeMap<String, String> = [
        ("check_point_status", &r.check_point_status),
        ("check_point_restart_status", &r.check_point_restart_status),
        ("restart_time", &r.restart_time),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_owned(), v.clone().filter(|v| !v.is_empty())?)))
    .collect();
    Snapshot {
        started_at: time(&r.start_time),
        finished_at: match phase(&status) {
            Phase::Running => None,
            _ => time(&r.end_time),
        },
        details,
        ..Snapshot::new(status.to_string(), status.is_known(), phase(&status))
    }
}
