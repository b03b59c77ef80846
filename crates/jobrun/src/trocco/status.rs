//! How trocco's answers map to a status: the two kinds of job, their phases, snapshots.

use std::num::NonZeroU64;

use jobrun_transport::VendorTime;

use super::{JobStatus, PipelineJob, TransferJob};
use crate::{
    Error,
    outcome::{JobRef, OutcomeState},
    wait::{Phase, Snapshot},
};

/// A job as trocco answers it: a [`TransferJob`] or a [`PipelineJob`].
///
/// Lets code handle both kinds alike (print them, wait for them); implemented for those two
/// types only.
pub trait TroccoJob: sealed::Sealed {
    /// The job's printable reference (`trocco:job:<id>` or `trocco:pipeline-job:<id>`).
    fn job_ref(&self) -> Result<JobRef, Error>;
    /// The job's status.
    fn status(&self) -> &JobStatus;
    /// The id of the definition it runs, if trocco said.
    fn definition_id(&self) -> Option<i64>;
    /// The name of the definition it runs, if trocco said.
    fn definition_name(&self) -> Option<&str>;
    /// When trocco created, started and finished it, as trocco wrote them.
    fn times(&self) -> [(&'static str, Option<&VendorTime>); 3];
    /// Workflow jobs may leave `error` for `retry_waiting` (see [`WaitOptions::confirm_after`](crate::WaitOptions::confirm_after)).
    fn is_workflow(&self) -> bool;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::TransferJob {}
    impl Sealed for super::PipelineJob {}
}

impl TroccoJob for TransferJob {
    fn job_ref(&self) -> Result<JobRef, Error> {
        answered_id(self.id, "runJob").map(JobRef::TroccoJob)
    }
    fn status(&self) -> &JobStatus {
        &self.status
    }
    fn definition_id(&self) -> Option<i64> {
        self.job_definition_id
    }
    fn definition_name(&self) -> Option<&str> {
        self.job_definition_name.as_deref()
    }
    fn times(&self) -> [(&'static str, Option<&VendorTime>); 3] {
        [
            ("created", self.created_at.as_ref()),
            ("started", self.started_at.as_ref()),
            ("finished", self.finished_at.as_ref()),
        ]
    }
    fn is_workflow(&self) -> bool {
        false
    }
}

impl TroccoJob for PipelineJob {
    fn job_ref(&self) -> Result<JobRef, Error> {
        answered_id(self.id, "runPipelineJob").map(JobRef::TroccoPipelineJob)
    }
    fn status(&self) -> &JobStatus {
        &self.status
    }
    fn definition_id(&self) -> Option<i64> {
        self.pipeline_definition_id
    }
    fn definition_name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn times(&self) -> [(&'static str, Option<&VendorTime>); 3] {
        [
            ("created", self.created_at.as_ref()),
            ("started", self.started_at.as_ref()),
            ("finished", self.finished_at.as_ref()),
        ]
    }
    fn is_workflow(&self) -> bool {
        true
    }
}

pub(super) fn answered_id(id: i64, operation: &'static str) -> Result<NonZeroU64, Error> {
    u64::try_from(id)
        .ok()
        .and_then(NonZeroU64::new)
        .ok_or_else(|| Error::Decode {
            vendor: "trocco",
            operation,
            reason: format!("the job id {id} is not a positive integer"),
            body: String::new(),
        })
}

/// How a trocco status ends a job. `workflow` jobs may leave `error` for `retry_waiting` when
/// their definition has retries left (seed 001), so their `error` is confirmed before it is
/// trusted.
pub(crate) fn phase(status: &JobStatus, workflow: bool) -> Phase {
    match status {
        JobStatus::Succeeded => Phase::Ended(OutcomeState::Succeeded),
        JobStatus::Error if workflow => Phase::EndedUnlessMoved(OutcomeState::Failed),
        JobStatus::Error => Phase::Ended(OutcomeState::Failed),
        JobStatus::Canceled => Phase::Ended(OutcomeState::Canceled),
        JobStatus::Skipped => Phase::Ended(OutcomeState::Skipped),
        JobStatus::Queued
        | JobStatus::SettingUp
        | JobStatus::Executing
        | JobStatus::Interrupting
        | JobStatus::RetryWaiting
        | JobStatus::Unknown(_) => Phase::Running,
    }
}

/// What a wait needs of a job a trigger answered with; the answer itself is not kept.
pub(super) fn snapshot(job: &impl TroccoJob) -> Snapshot {
    let [created, started, finished] = job.times().map(|(_, t)| t.cloned());
    Snapshot {
        created_at: created,
        started_at: started,
        finished_at: finished,
        ..Snapshot::new(
            job.status().to_string(),
            job.status().is_known(),
            phase(job.status(), job.is_workflow()),
        )
    }
}
