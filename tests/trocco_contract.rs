//! Contract tests: every sample in specs/examples/trocco decodes into the generated types of
//! `trocco-api` and re-encodes without losing a field.

use std::fs;

use jobrun_tests::{without_empty, workspace_root};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use trocco_api::types;

fn samples() -> Vec<(String, Value)> {
    jobrun_tests::samples("trocco")
}

/// Decodes `value` as `T`, re-encodes it and compares: a field the type does not know would be
/// dropped by the round trip and fail here.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str, value: &Value) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let encoded = serde_json::to_value(&decoded).expect("generated types encode");
    assert_eq!(
        without_empty(&encoded),
        without_empty(value),
        "{name} lost or changed a field in the round trip"
    );
    decoded
}

fn check_status(name: &str, sample: &Value, status: &types::JobStatus) {
    let text = sample["status"].as_str().expect("samples carry a status");
    assert_eq!(status.as_str(), text, "{name}");
    assert_eq!(
        status.is_known(),
        types::JobStatus::KNOWN.contains(&text),
        "{name}: {status:?}"
    );
}

#[test]
fn every_sample_decodes_and_round_trips() {
    let samples = samples();
    assert!(samples.len() >= 20, "only {} samples found", samples.len());
    for (name, value) in &samples {
        let parts: Vec<&str> = name.split('.').collect();
        match parts.as_slice() {
            ["runJob", "request", ..] => {
                round_trip::<types::RunJobRequest>(name, value);
            }
            ["runPipelineJob", "request", ..] => {
                round_trip::<types::RunPipelineJobRequest>(name, value);
            }
            ["runJob" | "getJob", "response", ..] => {
                let job = round_trip::<types::TransferJob>(name, value);
                check_status(name, value, &job.status);
            }
            ["runPipelineJob" | "getPipelineJob", "response", ..] => {
                let job = round_trip::<types::PipelineJob>(name, value);
                check_status(name, value, &job.status);
            }
            ["listJobs", "response", ..] => {
                let page = round_trip::<types::TransferJobPage>(name, value);
                for (job, sample) in page
                    .items
                    .iter()
                    .zip(value["items"].as_array().into_iter().flatten())
                {
                    check_status(name, sample, &job.status);
                }
            }
            ["error", status, ..] if status.parse::<u16>().is_ok_and(|s| s >= 400) => {
                let body = round_trip::<types::ErrorBody>(name, value);
                assert!(
                    body.error.is_some() || body.message.is_some(),
                    "{name}: an error sample says what went wrong"
                );
            }
            _ => panic!(
                "{name}: the name maps to no generated type (see specs/examples/trocco/README.md)"
            ),
        }
    }
}

#[test]
fn an_unknown_status_is_kept_not_coerced() {
    let job: types::TransferJob = serde_json::from_value(serde_json::json!({
        "id": 1, "status": "paused_by_admin"
    }))
    .expect("an unknown status still decodes");
    assert_eq!(
        job.status,
        types::JobStatus::Unknown("paused_by_admin".into())
    );
    assert!(!job.status.is_terminal());
    assert_eq!(
        serde_json::to_value(&job).expect("encodes")["status"],
        "paused_by_admin"
    );
}

#[test]
fn terminal_statuses_are_the_documented_four() {
    let terminal: Vec<&str> = types::JobStatus::KNOWN
        .iter()
        .copied()
        .filter(|s| s.parse::<types::JobStatus>().is_ok_and(|s| s.is_terminal()))
        .collect();
    assert_eq!(terminal, ["succeeded", "error", "canceled", "skipped"]);
    assert!(!types::JobStatus::RetryWaiting.is_terminal());
}

#[test]
fn seed_timestamps_keep_their_offset() {
    let job: types::PipelineJob = serde_json::from_str(
        &fs::read_to_string(
            workspace_root().join("specs/examples/trocco/runPipelineJob.response.seed001.json"),
        )
        .expect("sample"),
    )
    .expect("decodes");
    let started = job
        .started_at
        .expect("seed 001 has started_at")
        .parse()
        .expect("RFC 3339");
    assert_eq!(started.offset().local_minus_utc(), 9 * 3600);
    assert_eq!(started.to_rfc3339(), "2023-05-19T19:15:00+09:00");
}
