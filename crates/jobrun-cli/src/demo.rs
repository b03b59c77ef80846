//! `jobrun demo`: the whole path (trigger, wait, outcome) against an embedded trocco simulator,
//! for a transfer job that succeeds and a workflow job that fails after an automatic retry.

use std::{num::NonZeroU64, time::Duration};

use jobrun::{
    Outcome, OutcomeState, SecretString, WaitOptions,
    trocco::{RunJob, RunPipeline, TroccoClient, TroccoConfig},
};
use jobrun_sim::trocco::{Script, TroccoConfig as SimConfig, TroccoSim};

use crate::output::{Exit, Watch, describe, say, short};

/// The embedded simulator's API key. Tests search the demo's output for it: it must never be
/// printed, whatever the log level.
pub const DEMO_API_KEY: &str = "demo-key-5e1f0c2a9b";

/// Both demo definitions have id 1 (transfer and workflow ids are separate in trocco).
const DEFINITION: NonZeroU64 = NonZeroU64::MIN;
const TRANSFER: &str = "nightly-orders-transfer";
const WORKFLOW: &str = "daily-mart-refresh";

/// Runs the demo; `scale` multiplies every duration (tests run it fast).
pub async fn run(scale: f64) -> Exit {
    let s = |ms: u64| Duration::from_secs_f64(ms as f64 / 1000.0 * scale);
    let transfer = Script::new()
        .step("queued", s(800))
        .step("setting_up", s(1200))
        .step("executing", s(3000))
        .end("succeeded");
    let workflow = Script::new()
        .step("queued", s(600))
        .step("executing", s(2000))
        .step("error", s(500))
        .step("retry_waiting", s(1500))
        .step("executing", s(2000))
        .end("error");
    let config = SimConfig::empty()
        .api_key(DEMO_API_KEY)
        .transfer_definition(1, TRANSFER, transfer)
        .pipeline_definition(1, WORKFLOW, workflow);
    let sim = match TroccoSim::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("jobrun demo: cannot start the simulator on loopback: {e}");
            return Exit::Failure;
        }
    };
    let client = match TroccoConfig::new(SecretString::from(DEMO_API_KEY))
        .and_then(|c| c.base_url(&sim.base_url(), false))
        .and_then(TroccoClient::new)
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("jobrun demo: {e}");
            return Exit::Failure;
        }
    };
    let options = WaitOptions {
        timeout: s(60_000).max(Duration::from_secs(5)),
        poll_min: s(250),
        poll_max: s(1000),
        // Longer than the workflow's `error` before its retry, so the wait rides over it.
        confirm_after: s(1000),
    };

    say(&format!(
        "jobrun demo: a trocco simulator is serving on {} (no account needed).\n\
         Starting transfer definition {} ({}) and workflow definition {} ({}) together.\n",
        sim.base_url(),
        DEFINITION,
        TRANSFER,
        DEFINITION,
        WORKFLOW
    ));
    let multi = indicatif::MultiProgress::new();
    let mut transfer_watch = Watch::in_multi(&multi, TRANSFER);
    let mut workflow_watch = Watch::in_multi(&multi, WORKFLOW);
    let (run_transfer, run_workflow) = (RunJob::new(DEFINITION), RunPipeline::new(DEFINITION));
    let mut on_transfer = |e: &jobrun::WaitEvent| transfer_watch.on_event(e);
    let mut on_workflow = |e: &jobrun::WaitEvent| workflow_watch.on_event(e);
    let (transfer_result, workflow_result) = tokio::join!(
        client.run_job_and_wait(&run_transfer, &options, &mut on_transfer),
        client.run_pipeline_and_wait(&run_workflow, &options, &mut on_workflow),
    );
    transfer_watch.clear();
    workflow_watch.clear();
    sim.shutdown().await;

    say("\nsummary");
    let rows = [
        ("transfer", &transfer_result, &transfer_watch.history),
        ("workflow", &workflow_result, &workflow_watch.history),
    ];
    for (kind, result, history) in rows {
        match result {
            Ok(o) => say(&format!(
                "  {kind}: {}\n    statuses: {}",
                describe(o),
                history.join(" → ")
            )),
            Err(e) => say(&format!("  {kind}: {e}")),
        }
    }
    let as_scripted = ended(&transfer_result, OutcomeState::Succeeded)
        && ended(&workflow_result, OutcomeState::Failed)
        && workflow_watch.history.iter().any(|s| s == "retry_waiting");
    if as_scripted {
        let took = [&transfer_result, &workflow_result]
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|o| o.waited))
            .max()
            .unwrap_or_default();
        say(&format!(
            "\nThe demo ran as scripted in {}: the transfer succeeded; the workflow failed, was \
             retried by trocco (retry_waiting) and failed again. `jobrun` would exit 0 and 1.",
            short(took)
        ));
        Exit::Success
    } else {
        say("\nThe demo did not run as scripted (see above).");
        Exit::Failure
    }
}

fn ended(result: &Result<Outcome, jobrun::Error>, state: OutcomeState) -> bool {
    result.as_ref().is_ok_and(|o| o.state == state)
}
