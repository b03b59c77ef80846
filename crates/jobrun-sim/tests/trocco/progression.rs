use std::time::Duration;

use jobrun_sim::trocco::{Script, TroccoConfig};
use serde_json::Value;
use tokio::time::{Instant, sleep_until};

use crate::common::{Api, between};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[tokio::test(start_paused = true)]
async fn transfer_job_follows_its_script_including_an_unknown_status() {
    let script = Script::new()
        .step("queued", ms(200))
        .step("setting_up", ms(200))
        .step("executing", ms(1000))
        .step("paused_by_admin", ms(500))
        .step("executing", ms(300))
        .end("succeeded");
    let api = Api::start(TroccoConfig::empty().transfer_definition(10, "scripted", script)).await;
    let start = Instant::now();
    let created = api.run_job(10).await;
    assert_eq!(created["status"], "queued");

    let expectations = [
        (100, "queued", false),
        (250, "setting_up", false),
        (450, "executing", true),
        (1500, "paused_by_admin", true),
        (2000, "executing", true),
    ];
    for (at, status, started) in expectations {
        sleep_until(start + ms(at)).await;
        let job = api.job(1).await;
        assert_eq!(job["status"], status, "at {at}ms");
        assert_eq!(job.get("started_at").is_some(), started, "at {at}ms: {job}");
        assert!(job.get("finished_at").is_none(), "at {at}ms: {job}");
        if started {
            assert_eq!(between(&job["created_at"], &job["started_at"]), ms(400));
        }
    }

    sleep_until(start + ms(2200)).await;
    let done = api.job(1).await;
    assert_eq!(done["status"], "succeeded");
    assert_eq!(between(&done["created_at"], &done["finished_at"]), ms(2200));
    assert_eq!(between(&done["created_at"], &done["started_at"]), ms(400));
}

#[tokio::test(start_paused = true)]
async fn workflow_goes_through_retry_waiting_before_recovering() {
    let api = Api::default().await;
    let start = Instant::now();
    api.run_pipeline_job(3).await;
    // sim-workflow-recovers: queued 1s, executing 1.5s, error 1s, retry_waiting 1.5s,
    // executing 1.5s, succeeded.
    let expectations = [
        (500, "queued"),
        (1500, "executing"),
        (3000, "error"),
        (4000, "retry_waiting"),
        (5500, "executing"),
        (6500, "succeeded"),
    ];
    let mut seen = Vec::new();
    for (at, status) in expectations {
        sleep_until(start + ms(at)).await;
        let job = api.pipeline_job(1).await;
        assert_eq!(job["status"], status, "at {at}ms");
        // An intermediate error is not the end: only the final status sets finished_at.
        assert_eq!(job["finished_at"].is_null(), status != "succeeded", "{job}");
        assert_eq!(job["started_at"].is_null(), status == "queued", "{job}");
        seen.push(job);
    }
    let done = seen.last().unwrap();
    assert_eq!(between(&done["created_at"], &done["started_at"]), ms(1000));
    assert_eq!(between(&done["created_at"], &done["finished_at"]), ms(6500));
}

#[tokio::test(start_paused = true)]
async fn workflow_that_fails_after_its_retry_ends_in_error() {
    let api = Api::default().await;
    let start = Instant::now();
    api.run_pipeline_job(2).await;
    sleep_until(start + ms(4000)).await;
    assert_eq!(api.pipeline_job(1).await["status"], "retry_waiting");
    sleep_until(start + ms(6500)).await;
    let job = api.pipeline_job(1).await;
    assert_eq!(job["status"], "error");
    assert!(job["finished_at"].is_string());
}

#[tokio::test(start_paused = true)]
async fn canceled_and_skipped_transfers() {
    let api = Api::default().await;
    let start = Instant::now();
    api.run_job(3).await;
    api.run_job(4).await;
    sleep_until(start + ms(4000)).await;
    let canceling = api.job(1).await;
    assert_eq!(canceling["status"], "interrupting");
    assert!(canceling.get("finished_at").is_none());
    assert_eq!(api.job(2).await["status"], "skipped");

    sleep_until(start + ms(4500)).await;
    let canceled = api.job(1).await;
    assert_eq!(canceled["status"], "canceled");
    assert_eq!(
        between(&canceled["created_at"], &canceled["started_at"]),
        ms(2000)
    );
    // A skipped job never ran, so it has an end but no start.
    let skipped = api.job(2).await;
    assert!(skipped.get("started_at").is_none(), "{skipped}");
    assert_eq!(
        between(&skipped["created_at"], &skipped["finished_at"]),
        ms(3000)
    );
}

#[tokio::test(start_paused = true)]
async fn replacing_a_definition_affects_only_new_jobs() {
    let api = Api::default().await;
    api.run_job(1).await;
    api.sim.set_transfer_definition(
        1,
        "renamed",
        Script::new().step("queued", ms(100)).end("error"),
    );
    api.sim
        .set_transfer_definition(50, "added-at-runtime", Script::new().end("succeeded"));
    api.sim
        .set_pipeline_definition(50, "added-workflow", Script::new().end("paused_by_admin"));
    let second = api.run_job(1).await;
    assert_eq!(second["job_definition_name"], "renamed");
    let instant = api.run_job(50).await;
    assert_eq!(instant["status"], "succeeded");
    assert_eq!(instant["finished_at"], instant["created_at"]);
    let workflow = api.run_pipeline_job(50).await;
    assert_eq!(workflow["status"], "paused_by_admin");
    assert_eq!(workflow["name"], "added-workflow");

    tokio::time::sleep(Duration::from_secs(10)).await;
    let first = api.job(1).await;
    assert_eq!(first["job_definition_name"], "sim-transfer-succeeds");
    assert_eq!(first["status"], "succeeded");
    assert_eq!(api.job(2).await["status"], Value::from("error"));
}
