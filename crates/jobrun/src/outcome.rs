//! What every vendor's jobs have in common: a printable reference, status events, the outcome.

use std::{collections::BTreeMap, fmt, num::NonZeroU64, str::FromStr, time::Duration};

use jobrun_transport::VendorTime;
use serde::{Serialize, Serializer};

use crate::Error;

/// A job at a vendor, as a value that prints and parses back (`trocco:job:42`), so that a wait
/// can be resumed from another process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum JobRef {
    /// A trocco transfer job (`trocco:job:<id>`).
    TroccoJob(NonZeroU64),
    /// A trocco workflow job (`trocco:pipeline-job:<id>`).
    TroccoPipelineJob(NonZeroU64),
    /// A task of a krewData execution unit (`krewdata:task:<unitId>:<taskId>`).
    KrewdataTask {
        /// The execution unit (実行単位) that runs it.
        unit: crate::krewdata::UnitId,
        /// The taskId the run answered.
        task: crate::krewdata::TaskId,
    },
    /// A run of an Adobe scheduled query (`adobe:run:<scheduleId>:<runId>`).
    AdobeRun {
        /// The scheduled query.
        schedule: crate::adobe::ScheduleId,
        /// The run (Base64, so it may hold `=`, `+` and `/`).
        run: crate::adobe::RunId,
    },
    /// An ASTERIA Warp checkpoint-flow request (`asteria:request:<requestId>:<YYYYMMDD>`).
    AsteriaRequest {
        /// The request id.
        request: crate::asteria::RequestId,
        /// The date the request started, which the API files it under.
        date: crate::asteria::CheckpointDate,
    },
}

impl JobRef {
    /// The error for a reference a vendor's client cannot wait for: `expected` says which
    /// references it takes.
    pub(crate) fn refused(&self, expected: &str) -> Error {
        Error::invalid("job reference", self.to_string(), expected)
    }

    /// The vendor holding the job.
    pub fn vendor(&self) -> &'static str {
        match self {
            Self::TroccoJob(_) | Self::TroccoPipelineJob(_) => "trocco",
            Self::KrewdataTask { .. } => "krewdata",
            Self::AsteriaRequest { .. } => "asteria",
            Self::AdobeRun { .. } => "adobe",
        }
    }
}

impl fmt::Display for JobRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TroccoJob(id) => write!(f, "trocco:job:{id}"),
            Self::TroccoPipelineJob(id) => write!(f, "trocco:pipeline-job:{id}"),
            Self::KrewdataTask { unit, task } => write!(f, "krewdata:task:{unit}:{task}"),
            Self::AsteriaRequest { request, date } => {
                write!(f, "asteria:request:{request}:{date}")
            }
            Self::AdobeRun { schedule, run } => write!(f, "adobe:run:{schedule}:{run}"),
        }
    }
}

impl FromStr for JobRef {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let expected = "trocco:job:<id>, trocco:pipeline-job:<id> (a positive integer id), \
                        krewdata:task:<unitId>:<taskId>, asteria:request:<requestId>:<YYYYMMDD> or \
                        adobe:run:<scheduleId>:<runId>";
        let invalid = || Error::invalid("job reference", s, expected);
        let id = |text: &str| text.parse::<NonZeroU64>().map_err(|_| invalid());
        // A task id is the rest of the reference, so one holding a `:` still parses back.
        let parts: Vec<&str> = s.trim().splitn(4, ':').collect();
        match parts.as_slice() {
            ["trocco", "job", n] => Ok(Self::TroccoJob(id(n)?)),
            ["trocco", "pipeline-job", n] => Ok(Self::TroccoPipelineJob(id(n)?)),
            ["krewdata", "task", unit, task] => Ok(Self::KrewdataTask {
                unit: unit.parse().map_err(|_| invalid())?,
                task: task.parse().map_err(|_| invalid())?,
            }),
            // Run ids are Base64 (no `:`), so the run is the last part.
            ["adobe", "run", first, rest] => {
                let (schedule, run) = format!("{first}:{rest}")
                    .rsplit_once(':')
                    .map(|(s, r)| (s.to_owned(), r.to_owned()))
                    .ok_or_else(invalid)?;
                Ok(Self::AdobeRun {
                    schedule: schedule.parse().map_err(|_| invalid())?,
                    run: run.parse().map_err(|_| invalid())?,
                })
            }
            // The date is the last part, so a request id holding a `:` still parses back.
            ["asteria", "request", first, rest] => {
                let (request, date) = format!("{first}:{rest}")
                    .rsplit_once(':')
                    .map(|(r, d)| (r.to_owned(), d.to_owned()))
                    .ok_or_else(invalid)?;
                Ok(Self::AsteriaRequest {
                    request: request.parse().map_err(|_| invalid())?,
                    date: date.parse().map_err(|_| invalid())?,
                })
            }
            _ => Err(invalid()),
        }
    }
}

impl Serialize for JobRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How a job ended, the same for every vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeState {
    /// It did what it was meant to.
    Succeeded,
    /// It ended in an error.
    Failed,
    /// Someone or something (a timeout at the vendor) stopped it.
    Canceled,
    /// The vendor decided not to run it (e.g. a previous run was still going).
    Skipped,
}

impl OutcomeState {
    /// Only [`OutcomeState::Succeeded`] is a success.
    pub fn is_success(self) -> bool {
        self == Self::Succeeded
    }

    /// The lower-case word used in output (`succeeded`, `failed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Canceled => "canceled",
            Self::Skipped => "skipped",
        }
    }
}

impl fmt::Display for OutcomeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The end of a job: its state in common terms and in the vendor's own words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The job.
    pub job: JobRef,
    /// How it ended.
    pub state: OutcomeState,
    /// The vendor's final status, verbatim (e.g. trocco's `error`).
    pub vendor_status: String,
    /// When the vendor created the job, as it wrote it.
    pub created_at: Option<VendorTime>,
    /// When the job started running, as the vendor wrote it.
    pub started_at: Option<VendorTime>,
    /// When the job ended, as the vendor wrote it.
    pub finished_at: Option<VendorTime>,
    /// How long jobrun waited.
    #[serde(serialize_with = "millis", rename = "waited_ms")]
    pub waited: Duration,
    /// How many status reads the wait took.
    pub polls: u32,
    /// The vendor's error code for a failed job (krewData's `errorCode`), if it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The vendor's error message for a failed job (krewData's `errorMessage`), if it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The parts of the job as they ended, in order (krewData's data-editing flows); empty for
    /// vendors whose jobs report no parts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Other facts the vendor gave about the end, by name (ASTERIA Warp: `check_point_status`,
    /// where the request stopped, and `check_point_restart_status`, where it resumed).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub details: BTreeMap<String, String>,
}

/// One part of a job that a vendor reports on its own (a krewData data-editing flow).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The vendor's key for this run of the part (krewData's `flowExecUniqueKey`).
    pub id: Option<String>,
    /// Its name (krewData's `flowName`).
    pub name: String,
    /// Its status in the vendor's words (`Running`, `Success`, `Cancel`, …).
    pub status: String,
    /// When it started, as the vendor wrote it.
    pub started_at: Option<VendorTime>,
    /// When it ended, as the vendor wrote it.
    pub finished_at: Option<VendorTime>,
    /// What the vendor said about it (an Adobe task's `message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How long it took, as the vendor wrote it (an Adobe task's `duration`, in seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

pub(crate) fn millis<S: Serializer>(d: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// What a wait reports while it goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WaitEvent {
    /// The job's status changed (or was read for the first time).
    Status {
        /// The job.
        job: JobRef,
        /// The new status, in the vendor's words.
        status: String,
        /// The status before, if one was seen.
        previous: Option<String>,
        /// False for a status the vendor's docs do not list; it is treated as "still running".
        known: bool,
        /// Time since the wait started.
        #[serde(serialize_with = "millis", rename = "elapsed_ms")]
        elapsed: Duration,
    },
    /// One part of the job (a [`Step`]) changed status, or was seen for the first time.
    Step {
        /// The job.
        job: JobRef,
        /// The part, as it stands now.
        step: Step,
        /// Its status before, if one was seen.
        previous: Option<String>,
        /// Time since the wait started.
        #[serde(serialize_with = "millis", rename = "elapsed_ms")]
        elapsed: Duration,
    },
    /// A status read failed in a way that may pass; jobrun tries again after `delay`.
    Retrying {
        /// The job.
        job: JobRef,
        /// Which retry this is, from 1.
        attempt: u32,
        /// How long jobrun waits before trying again.
        #[serde(serialize_with = "millis", rename = "delay_ms")]
        delay: Duration,
        /// What went wrong.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_refs_print_and_parse_back() {
        for (text, vendor) in [
            ("trocco:job:42", "trocco"),
            ("trocco:pipeline-job:7", "trocco"),
            ("krewdata:task:abcdefghijklmn:hijklmn8901234", "krewdata"),
            ("krewdata:task:unit_1-a:a:b=c", "krewdata"),
            (
                "asteria:request:eedd0d83-ac7a-482d-ae95-aa16c1d87d432:20121005",
                "asteria",
            ),
            ("asteria:request:odd:id:20240229", "asteria"),
            (
                "adobe:run:e95186d6_sample:bWFudWFsX18yMDI0LTAxLTAxVDAwOjAwOjAw+/==",
                "adobe",
            ),
        ] {
            let r: JobRef = text.parse().expect("valid");
            assert_eq!(r.to_string(), text);
            assert_eq!(r.vendor(), vendor);
        }
    }

    #[test]
    fn bad_job_refs_name_the_value() {
        for bad in [
            "trocco:job:0",
            "trocco:job:-1",
            "trocco:job:x",
            "trocco:42",
            "adobe:run:1",
            "adobe:run:s:",
            "adobe:run:a/b:r1",
            "krewdata:task:unit",
            "krewdata:task::t1",
            "krewdata:task:unit/x:t1",
            "krewdata:task:unit:",
            "krewdata:task:unit:has space",
            "asteria:request:r1",
            "asteria:request:r1:20120230",
            "asteria:request::20121005",
            "",
        ] {
            let err = bad.parse::<JobRef>().expect_err(bad).to_string();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
            assert!(err.contains("trocco:job:<id>"), "{err}");
        }
    }

    #[test]
    fn outcome_serializes_for_ndjson() {
        let outcome = Outcome {
            job: "trocco:job:1".parse().expect("valid"),
            state: OutcomeState::Failed,
            vendor_status: "error".into(),
            created_at: None,
            started_at: Some("2024-01-01T09:00:00.000+09:00".parse().expect("infallible")),
            finished_at: None,
            waited: Duration::from_millis(1500),
            polls: 3,
            error_code: None,
            error_message: None,
            steps: Vec::new(),
            details: BTreeMap::new(),
        };
        let json = serde_json::to_value(&outcome).expect("serializes");
        assert_eq!(json["job"], "trocco:job:1");
        assert_eq!(json["state"], "failed");
        assert_eq!(json["vendor_status"], "error");
        assert_eq!(json["started_at"], "2024-01-01T09:00:00.000+09:00");
        assert_eq!(json["waited_ms"], 1500);
        // Vendors without error codes or steps add no empty keys.
        assert!(json.get("steps").is_none() && json.get("error_code").is_none());
    }
}
