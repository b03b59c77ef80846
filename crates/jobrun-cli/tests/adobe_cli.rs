//! `jobrun adobe …` and `jobrun wait adobe:run:…` end to end, against an Adobe simulator (IMS
//! and Query Service) in this process. Runs last tens of milliseconds and the binary polls every
//! few, so the suite stays fast in real time.

mod common;

use std::process::Output;

use common::{ms, text};
use jobrun_sim::adobe::{AdobeConfig, AdobeSim, RunScript, Schedule};
use serde_json::Value;

const CLIENT_ID: &str = "cli-client-0001";
const SECRET: &str = "p8e-cli-secret-1f2e3d";
const ORG: &str = "CLI00001@AdobeOrg";
const OK: &str = "cli_sched_ok";
const FAILS: &str = "cli_sched_fails";
const WAIT_FAST: [&str; 4] = ["--poll-min", "5ms", "--poll-max", "20ms"];

async fn sim() -> AdobeSim {
    let config = AdobeConfig::empty()
        .credentials(CLIENT_ID, SECRET, ORG)
        .registering_for(ms(50))
        .default_run(RunScript::new().lasts(ms(60)))
        .schedule(
            Schedule::new("ok", "SELECT 1")
                .id(OK)
                .max_active_runs(5)
                .runs(RunScript::new().task("prepare", ms(30), "SUCCESS").task(
                    "insert_into",
                    ms(40),
                    "SUCCESS",
                )),
        )
        .schedule(
            Schedule::new("fails", "SELECT x").id(FAILS).runs(
                RunScript::new()
                    .task("insert_into", ms(40), "FAILED")
                    .task_message("relation x does not exist"),
            ),
        );
    AdobeSim::start(config).await.expect("simulator starts")
}

async fn jobrun(sim: &AdobeSim, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    command
        .args(args)
        .env("ADOBE_IMS_URL", sim.base_url())
        .env("ADOBE_PLATFORM_URL", sim.base_url())
        .env("ADOBE_CLIENT_ID", CLIENT_ID)
        .env("ADOBE_CLIENT_SECRET", SECRET)
        .env("ADOBE_ORG_ID", ORG)
        .env("ADOBE_SCOPES", "openid,AdobeID")
        .env_remove("ADOBE_SANDBOX")
        .env_remove("RUST_LOG");
    for (k, v) in extra_env {
        command.env(k, v);
    }
    command.output().await.expect("jobrun runs")
}

/// Runs a command that must succeed.
async fn ok(sim: &AdobeSim, args: &[&str]) -> Output {
    let out = jobrun(sim, args, &[]).await;
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn trigger_wait_exits_0_on_success_and_1_on_failure_with_tasks_in_the_ndjson() {
    let sim = sim().await;
    let trigger = |schedule: &'static str, json: bool| {
        let mut args = vec!["adobe", "runs", "trigger", schedule, "--wait"];
        if json {
            args.push("--json");
        }
        args.extend_from_slice(&WAIT_FAST);
        args
    };
    let ok = jobrun(&sim, &trigger(OK, false), &[]).await;
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(
        stdout(&ok).contains("succeeded (status SUCCESS)"),
        "{}",
        text(&ok)
    );

    let failed = jobrun(&sim, &trigger(FAILS, true), &[]).await;
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let lines: Vec<Value> = stdout(&failed)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    let last = lines.last().expect("an outcome");
    assert_eq!(last["event"], "outcome", "{}", text(&failed));
    assert_eq!(last["state"], "failed");
    assert_eq!(last["steps"][0]["name"], "insert_into");
    assert_eq!(last["steps"][0]["status"], "FAILED");
    assert_eq!(last["steps"][0]["message"], "relation x does not exist");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_schedule_and_run_command_works() {
    let sim = sim().await;
    let created = ok(
        &sim,
        &[
            "adobe",
            "schedules",
            "create",
            "--name",
            "made-by-cli",
            "--sql",
            "SELECT 9",
            "--db-name",
            "prod:all",
            "--cron",
            "45 * * * *",
            "--start",
            "2024-01-01T00:00:00Z",
            "--max-active-runs",
            "2",
        ],
    )
    .await;
    let id = stdout(&created);
    let id = id.as_str();
    assert!(!id.is_empty() && !id.contains(' '), "{}", text(&created));
    // REGISTERING for 50 ms, then ENABLED.
    tokio::time::sleep(ms(200)).await;
    let listed = ok(
        &sim,
        &["adobe", "schedules", "list", "--limit", "1", "--json"],
    )
    .await;
    assert_eq!(stdout(&listed).lines().count(), 3, "{}", text(&listed));
    let got = ok(&sim, &["adobe", "schedules", "get", id]).await;
    assert!(stdout(&got).contains("ENABLED"), "{}", text(&got));
    ok(&sim, &["adobe", "schedules", "set-cron", id, "@daily"]).await;

    let triggered = ok(&sim, &["adobe", "runs", "trigger", id]).await;
    let job = stdout(&triggered);
    let prefix = format!("adobe:run:{id}:");
    let run_id = job
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{}", text(&triggered)));
    ok(&sim, &[&["wait", job.as_str()][..], &WAIT_FAST].concat()).await;
    let filter = [
        "adobe",
        "runs",
        "list",
        id,
        "--property",
        "externalTrigger==true",
    ];
    let listed = ok(&sim, &filter).await;
    assert!(stdout(&listed).contains(run_id), "{}", text(&listed));
    let details = ok(&sim, &["adobe", "runs", "get", id, run_id, "--json"]).await;
    let details: Value = serde_json::from_str(&stdout(&details)).expect("JSON");
    assert_eq!(details["state"], "SUCCESS");

    let long = stdout(&ok(&sim, &["adobe", "runs", "trigger", OK]).await);
    let long_run = long.rsplit(':').next().unwrap_or_default();
    // The run may already have ended (70 ms): a cancel is then refused (exit 4) by the
    // service; either answer is the service's, not a usage error.
    let cancel = jobrun(&sim, &["adobe", "runs", "cancel", OK, long_run], &[]).await;
    assert!(
        matches!(cancel.status.code(), Some(0 | 4)),
        "{}",
        text(&cancel)
    );

    for command in ["disable", "enable", "disable", "delete"] {
        ok(&sim, &["adobe", "schedules", command, id]).await;
    }
    let gone = jobrun(&sim, &["adobe", "schedules", "get", id], &[]).await;
    assert_eq!(gone.status.code(), Some(4), "{}", text(&gone));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_exits_2_and_sends_nothing() {
    let sim = sim().await;
    let cases: Vec<Vec<&str>> = vec![
        vec!["adobe", "schedules", "get", "a/b"],
        vec!["adobe", "schedules", "list", "--limit", "0"],
        vec!["adobe", "schedules", "list", "--orderby", "-name"],
        vec!["adobe", "schedules", "list", "--property", "state==SUCCESS"],
        vec!["adobe", "runs", "list", OK, "--property", "userId==me"],
        vec!["adobe", "runs", "list", OK, "--property", "bogus"],
        vec!["adobe", "schedules", "set-cron", OK, "61 * * * *"],
        vec![
            "adobe",
            "schedules",
            "create",
            "--name",
            "n",
            "--sql",
            "s",
            "--db-name",
            "d",
            "--cron",
            "@daily",
            "--start",
            "2024-02-30T00:00:00Z",
        ],
        vec!["adobe", "runs", "trigger", OK, "--timeout", "5m"],
        vec!["wait", "adobe:run:only-one-part"],
    ];
    for args in &cases {
        let out = jobrun(&sim, args, &[]).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    let plain = jobrun(
        &sim,
        &["adobe", "schedules", "get", OK],
        &[("ADOBE_IMS_URL", "http://ims.example.invalid")],
    )
    .await;
    assert_eq!(plain.status.code(), Some(2), "{}", text(&plain));
    assert!(sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_exits_4_and_no_secret_or_token_is_printed_at_trace_level() {
    let sim = sim().await;
    let wrong = "p8e-not-the-secret-00";
    let refused = jobrun(
        &sim,
        &["adobe", "schedules", "get", OK],
        &[("ADOBE_CLIENT_SECRET", wrong)],
    )
    .await;
    assert_eq!(refused.status.code(), Some(4), "{}", text(&refused));
    assert!(
        text(&refused).contains("invalid_client"),
        "{}",
        text(&refused)
    );
    assert!(!text(&refused).contains(wrong));

    let mut args = vec!["adobe", "runs", "trigger", OK, "--wait"];
    args.extend_from_slice(&WAIT_FAST);
    let out = jobrun(&sim, &args, &[("RUST_LOG", "trace")]).await;
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(
        all.contains(r#""authorization": Sensitive"#),
        "the authorization header never reached the logs, so the search below proves little:\n{all}"
    );
    let mut secrets = vec![SECRET.to_owned()];
    for request in sim.requests() {
        if let Some(token) = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
        {
            secrets.push(token.to_owned());
        }
    }
    assert!(secrets.len() > 1, "tokens were recorded");
    for secret in &secrets {
        assert!(!all.contains(secret.as_str()), "{secret} leaked:\n{all}");
    }
}
