//! `jobrun demo`: the whole path (trigger, wait, outcome) against embedded simulators, for a
//! trocco transfer job that succeeds, a trocco workflow job that fails after an automatic
//! retry, a krewData execution unit whose two data-editing flows run in turn, an ASTERIA
//! Warp checkpoint flow re-run from the checkpoint where it failed, and a run of an Adobe
//! scheduled query (IMS token, trigger, run discovery, wait).

use std::{num::NonZeroU64, time::Duration};

use jobrun::{
    Outcome, OutcomeState, SecretString, WaitOptions,
    adobe::{AdobeClient, AdobeConfig},
    asteria::{AsteriaClient, AsteriaConfig},
    krewdata::{KrewdataClient, KrewdataConfig, RunGuard, RunUnit},
    trocco::{RunJob, RunPipeline, TroccoClient, TroccoConfig},
};
use jobrun_sim::adobe::{
    AdobeConfig as AdobeSimConfig, AdobeSim, RunScript, Schedule as SimSchedule,
};
use jobrun_sim::asteria::{
    AsteriaConfig as AsteriaSimConfig, AsteriaSim, CheckpointRequest, Rerun, Start,
};
use jobrun_sim::krewdata::{KrewdataConfig as KrewSimConfig, KrewdataSim, Unit};
use jobrun_sim::trocco::{Script, TroccoConfig as SimConfig, TroccoSim};

use crate::output::{Exit, Watch, describe, say, say_err, short};

/// The embedded simulator's API key. Tests search the demo's output for it: it must never be
/// printed, whatever the log level.
pub const DEMO_API_KEY: &str = "demo-key-5e1f0c2a9b";

/// The embedded krewData simulator's serial number; never printed either.
pub const DEMO_SERIAL: &str = "demo00-serial-krewda-ta0000-5e1f0c";

/// Both demo definitions have id 1 (transfer and workflow ids are separate in trocco).
const DEFINITION: NonZeroU64 = NonZeroU64::MIN;
const TRANSFER: &str = "nightly-orders-transfer";
const WORKFLOW: &str = "daily-mart-refresh";
const UNIT: &str = "demomergeunit";
const UNIT_NAME: &str = "merge-orders-into-kintone";
const APP_URL: &str = "https://demo.cybozu.com/k/42";
/// The embedded ASTERIA simulator's password; never printed either.
pub const DEMO_PASSWORD: &str = "demo-pass-7c1d";
/// The embedded Adobe simulator's client secret; never printed either.
pub const DEMO_CLIENT_SECRET: &str = "p8e-demo-secret-41c9e2";
const SCHEDULE: &str = "demo_daily_revenue_rollup";
const SCHEDULE_NAME: &str = "daily-revenue-rollup";
const REQUEST: &str = "3f2a9c1e-5b7d-4e8a-9c6b-2d1e0f4a7b93";
const REQUEST_DATE: &str = "20121005";
const FLOW: &str = "Nightly/LoadOrders";
/// The unit's calling kintone app.
const CALLING_APP: NonZeroU64 = NonZeroU64::new(7).expect("non-zero");

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
    let unit = Unit::new(UNIT_NAME)
        .calling_app(CALLING_APP.get())
        .queue(s(700))
        .flow("受注データ集計", s(2500))
        .flow("在庫アプリへ出力", s(2000));
    let krew_config = KrewSimConfig::empty()
        .serial_number(DEMO_SERIAL)
        .app_url(APP_URL)
        .unit(UNIT, unit);
    let started = chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
        .and_then(|d| d.and_hms_opt(18, 6, 59))
        .unwrap_or_default();
    let request = CheckpointRequest::new(REQUEST, "Nightly", "LoadOrders")
        .started(Start::At(started))
        .failed_at("CheckPoint2")
        .on_rerun(Rerun::new().lag(s(600)).run_for(s(3500)).ends_success());
    let asteria_config = AsteriaSimConfig::empty()
        .user("demo", DEMO_PASSWORD)
        .request(request);
    let adobe_config = AdobeSimConfig::empty()
        .credentials("demo-client", DEMO_CLIENT_SECRET, "DEMO0000@AdobeOrg")
        .schedule(
            SimSchedule::new(SCHEDULE_NAME, "INSERT INTO revenue SELECT …")
                .id(SCHEDULE)
                .runs(RunScript::new().task("prepare", s(1200), "SUCCESS").task(
                    "insert_into",
                    s(2500),
                    "SUCCESS",
                )),
        );
    let (trocco_sim, krew_sim, asteria_sim, adobe_sim) = match tokio::join!(
        TroccoSim::start(config),
        KrewdataSim::start(krew_config),
        AsteriaSim::start(asteria_config),
        AdobeSim::start(adobe_config)
    ) {
        (Ok(t), Ok(k), Ok(a), Ok(d)) => (t, k, a, d),
        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
            say_err(&format!(
                "jobrun demo: cannot start the simulators on loopback: {e}"
            ));
            return Exit::Failure;
        }
    };
    let clients = TroccoConfig::new(SecretString::from(DEMO_API_KEY))
        .and_then(|c| c.base_url(&trocco_sim.base_url(), false))
        .and_then(TroccoClient::new)
        .and_then(|trocco| {
            // The embedded simulator is the demo's own: its runs need no guard file of the
            // user's.
            let config = KrewdataConfig::new(APP_URL.parse()?, SecretString::from(DEMO_SERIAL))?
                .base_url(&krew_sim.base_url(), false)?
                .user("demo@example.com")
                .run_guard(RunGuard::disabled());
            let asteria = AsteriaConfig::new(
                &asteria_sim.base_url(),
                false,
                "demo",
                SecretString::from(DEMO_PASSWORD),
            )?;
            let adobe = AdobeConfig::new(
                "demo-client",
                SecretString::from(DEMO_CLIENT_SECRET),
                "DEMO0000@AdobeOrg",
                "openid,AdobeID",
            )?
            .urls(&adobe_sim.base_url(), &adobe_sim.base_url(), false)?;
            Ok((
                trocco,
                KrewdataClient::new(config)?,
                AsteriaClient::new(asteria)?,
                AdobeClient::new(adobe)?,
            ))
        });
    let (client, krewdata, asteria, adobe) = match clients {
        Ok(c) => c,
        Err(e) => {
            say_err(&format!("jobrun demo: {e}"));
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
        "jobrun demo: simulators of trocco ({}), krewData ({}), ASTERIA Warp ({}) and Adobe \
         ({}) are serving on loopback (no account needed).",
        trocco_sim.base_url(),
        krew_sim.base_url(),
        asteria_sim.base_url(),
        adobe_sim.base_url(),
    ));
    say(&format!(
        "Starting trocco transfer definition {DEFINITION} ({TRANSFER}), workflow definition \
         {DEFINITION} ({WORKFLOW}), krewData unit {UNIT} ({UNIT_NAME}, two flows), a rerun of \
         ASTERIA request {REQUEST} ({FLOW}, failed at CheckPoint2) and a run of Adobe \
         scheduled query {SCHEDULE_NAME} together."
    ));
    say("");
    let multi = indicatif::MultiProgress::new();
    let mut transfer_watch = Watch::in_multi(&multi, TRANSFER);
    let mut workflow_watch = Watch::in_multi(&multi, WORKFLOW);
    let mut unit_watch = Watch::in_multi(&multi, UNIT_NAME);
    let mut rerun_watch = Watch::in_multi(&multi, FLOW);
    let mut adobe_watch = Watch::in_multi(&multi, SCHEDULE_NAME);
    let (run_transfer, run_workflow) = (RunJob::new(DEFINITION), RunPipeline::new(DEFINITION));
    let parsed = UNIT.parse().and_then(|unit| {
        Ok((
            RunUnit::new(unit, CALLING_APP),
            REQUEST.parse()?,
            REQUEST_DATE.parse()?,
            SCHEDULE.parse()?,
        ))
    });
    let (run_unit, request_id, request_date, schedule) = match parsed {
        Ok(p) => p,
        Err(e) => {
            say_err(&format!("jobrun demo: {e}"));
            return Exit::Failure;
        }
    };
    let mut on_transfer = |e: &jobrun::WaitEvent| transfer_watch.on_event(e);
    let mut on_workflow = |e: &jobrun::WaitEvent| workflow_watch.on_event(e);
    let mut on_unit = |e: &jobrun::WaitEvent| unit_watch.on_event(e);
    let mut on_rerun = |e: &jobrun::WaitEvent| rerun_watch.on_event(e);
    let mut on_adobe = |e: &jobrun::WaitEvent| adobe_watch.on_event(e);
    let (transfer_result, workflow_result, unit_result, rerun_result, adobe_result) = tokio::join!(
        client.start_job_and_wait(&run_transfer, &options, &mut on_transfer),
        client.start_pipeline_and_wait(&run_workflow, &options, &mut on_workflow),
        krewdata.start_and_wait(&run_unit, &options, &mut on_unit),
        asteria.start_and_wait(&request_id, request_date, &options, &mut on_rerun),
        adobe.start_and_wait(&schedule, &options, &mut on_adobe),
    );
    asteria.logout().await;
    for watch in [
        &mut transfer_watch,
        &mut workflow_watch,
        &mut unit_watch,
        &mut rerun_watch,
        &mut adobe_watch,
    ] {
        watch.clear();
    }
    trocco_sim.shutdown().await;
    krew_sim.shutdown().await;
    asteria_sim.shutdown().await;
    adobe_sim.shutdown().await;

    say("");
    say("summary");
    let rows = [
        ("trocco transfer", &transfer_result, &transfer_watch.history),
        ("trocco workflow", &workflow_result, &workflow_watch.history),
        ("krewData unit", &unit_result, &unit_watch.history),
        ("ASTERIA rerun", &rerun_result, &rerun_watch.history),
        ("Adobe scheduled query", &adobe_result, &adobe_watch.history),
    ];
    for (kind, result, history) in rows {
        match result {
            Ok(o) => {
                for (n, line) in describe(o).iter().enumerate() {
                    if n == 0 {
                        say(&format!("  {kind}: {line}"));
                    } else {
                        say(&format!("  {line}"));
                    }
                }
                say(&format!("    statuses: {}", history.join(" → ")));
            }
            Err(e) => say(&format!("  {kind}: {e}")),
        }
    }
    let flows_ok = unit_result
        .as_ref()
        .is_ok_and(|o| o.steps.len() == 2 && o.steps.iter().all(|f| f.status == "Success"));
    let as_scripted = ended(&transfer_result, OutcomeState::Succeeded)
        && ended(&workflow_result, OutcomeState::Failed)
        && workflow_watch.history.iter().any(|s| s == "retry_waiting")
        && ended(&unit_result, OutcomeState::Succeeded)
        && flows_ok
        && ended(&rerun_result, OutcomeState::Succeeded)
        && ended(&adobe_result, OutcomeState::Succeeded);
    if as_scripted {
        let took = [
            &transfer_result,
            &workflow_result,
            &unit_result,
            &rerun_result,
        ]
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|o| o.waited))
        .max()
        .unwrap_or_default();
        say("");
        say(&format!(
            "The demo ran as scripted in {}: the transfer succeeded; the workflow failed, was \
             retried by trocco (retry_waiting) and failed again; the krewData unit ran its two \
             flows in turn and succeeded; the ASTERIA request resumed from CheckPoint2 and \
             succeeded; the Adobe run was found after its trigger and its two tasks succeeded. \
             `jobrun` would exit 0, 1, 0, 0 and 0.",
            short(took)
        ));
        Exit::Success
    } else {
        say("");
        say("The demo did not run as scripted (see above).");
        Exit::Failure
    }
}

fn ended(result: &Result<Outcome, jobrun::Error>, state: OutcomeState) -> bool {
    result.as_ref().is_ok_and(|o| o.state == state)
}
