//! The `jobrun` binary end to end, against a simulator in this process. Scripts last tens of
//! milliseconds and the binary polls every few, so the suite stays fast in real time.

mod common;

use std::{process::Output, time::Duration};

use common::{lines, ms, text};
use jobrun_sim::trocco::{Script, TroccoConfig, TroccoSim};
use serde_json::Value;

const KEY: &str = "tra_cli-test-key-c0ffee";
const WAIT_FAST: [&str; 6] = [
    "--poll-min",
    "5ms",
    "--poll-max",
    "20ms",
    "--confirm-after",
    "40ms",
];

async fn sim() -> TroccoSim {
    let quick = |end: &str| {
        Script::new()
            .step("queued", ms(30))
            .step("executing", ms(60))
            .end(end)
    };
    let retried = Script::new()
        .step("executing", ms(40))
        .step("error", ms(20))
        .step("retry_waiting", ms(60))
        .step("executing", ms(40))
        .end("error");
    let config = TroccoConfig::empty()
        .api_key(KEY)
        .transfer_definition(1, "ok", quick("succeeded"))
        .transfer_definition(2, "fails", quick("error"))
        .transfer_definition(
            3,
            "slow",
            Script::new()
                .step("executing", Duration::from_secs(3600))
                .end("succeeded"),
        )
        .pipeline_definition(1, "retried", retried);
    TroccoSim::start(config).await.expect("simulator starts")
}

async fn jobrun(sim: &TroccoSim, key: &str, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(args)
        .env("TROCCO_BASE_URL", sim.base_url())
        .env("TROCCO_API_KEY", key)
        .env_remove("RUST_LOG")
        .output()
        .await
        .expect("jobrun runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn run_job_wait_exits_0_on_success_and_1_on_failure() {
    let sim = sim().await;
    let ok = jobrun(
        &sim,
        KEY,
        &[&["trocco", "run-job", "1", "--wait"][..], &WAIT_FAST].concat(),
    )
    .await;
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("trocco:job:1 succeeded"),
        "{}",
        text(&ok)
    );

    let failed = jobrun(
        &sim,
        KEY,
        &[&["trocco", "run-job", "2", "--wait"][..], &WAIT_FAST].concat(),
    )
    .await;
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    assert!(
        String::from_utf8_lossy(&failed.stdout).contains("failed (status error)"),
        "{}",
        text(&failed)
    );
    assert_eq!(sim.count("POST", "/api/jobs"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn json_mode_prints_only_ndjson_status_changes_then_the_outcome() {
    let sim = sim().await;
    let out = jobrun(
        &sim,
        KEY,
        &[
            &["trocco", "run-job", "2", "--wait", "--json"][..],
            &WAIT_FAST,
        ]
        .concat(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let objects = lines(&out);
    let (last, changes) = objects.split_last().expect("some output");
    assert_eq!(last["event"], "outcome", "{}", text(&out));
    assert_eq!(last["job"], "trocco:job:1");
    assert_eq!(last["state"], "failed");
    assert_eq!(last["vendor_status"], "error");
    assert!(!changes.is_empty());
    for change in changes {
        assert_eq!(change["event"], "status", "{change}");
        assert_eq!(change["job"], "trocco:job:1");
    }
    let statuses: Vec<&str> = changes
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    assert_eq!(statuses.first(), Some(&"queued"));
    assert_eq!(statuses.last(), Some(&"error"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workflow_that_fails_after_its_retry_exits_1() {
    let sim = sim().await;
    let out = jobrun(
        &sim,
        KEY,
        &[
            &["trocco", "run-pipeline", "1", "--wait", "--json"][..],
            &WAIT_FAST,
        ]
        .concat(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let objects = lines(&out);
    assert!(
        objects.iter().any(|o| o["status"] == "retry_waiting"),
        "{}",
        text(&out)
    );
    assert_eq!(
        objects.last().map(|o| o["state"].clone()),
        Some(Value::from("failed"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_started_job_can_be_waited_for_from_another_process() {
    let sim = sim().await;
    let started = jobrun(&sim, KEY, &["trocco", "run-job", "1"]).await;
    assert_eq!(started.status.code(), Some(0), "{}", text(&started));
    let job_ref = String::from_utf8_lossy(&started.stdout).trim().to_owned();
    assert_eq!(job_ref, "trocco:job:1", "stdout carries only the reference");
    let waited = jobrun(
        &sim,
        KEY,
        &[&["wait", job_ref.as_str()][..], &WAIT_FAST].concat(),
    )
    .await;
    assert_eq!(waited.status.code(), Some(0), "{}", text(&waited));

    let shown = jobrun(&sim, KEY, &["trocco", "job", "1", "--json"]).await;
    assert_eq!(lines(&shown)[0]["status"], "succeeded", "{}", text(&shown));
    let listed = jobrun(&sim, KEY, &["trocco", "jobs", "1", "--json"]).await;
    assert_eq!(lines(&listed).len(), 1, "{}", text(&listed));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_passed_deadline_exits_3_naming_the_job() {
    let sim = sim().await;
    let out = jobrun(
        &sim,
        KEY,
        &[
            &[
                "trocco",
                "run-job",
                "3",
                "--wait",
                "--json",
                "--timeout",
                "150ms",
            ][..],
            &WAIT_FAST,
        ]
        .concat(),
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let last = lines(&out).pop().expect("a final object");
    assert_eq!(last["event"], "error");
    assert_eq!(last["kind"], "deadline");
    assert_eq!(last["job"], "trocco:job:1");
    assert_eq!(last["last_status"], "executing");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_exits_2_and_sends_nothing() {
    let sim = sim().await;
    let cases: &[&[&str]] = &[
        &["trocco", "run-job", "0"],
        &["trocco", "run-job", "abc"],
        &[
            "trocco",
            "run-job",
            "1",
            "--context-time",
            "2024-02-30 00:00:00",
        ],
        &["trocco", "run-job", "1", "--time-zone", "JST"],
        &["trocco", "run-job", "1", "--var", "$=A0000"],
        &["trocco", "run-job", "1", "--wait", "--timeout", "5 parsecs"],
        &[
            "trocco",
            "run-job",
            "1",
            "--wait",
            "--poll-min",
            "2s",
            "--poll-max",
            "1s",
        ],
        &["trocco", "jobs", "1", "--page-size", "101"],
        &["trocco", "run-job", "1", "--timeout", "5m"],
        &["wait", "trocco:job:zero"],
        &["trocco", "frobnicate"],
    ];
    for args in cases {
        let out = jobrun(&sim, KEY, args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}\n{}", text(&out));
        assert!(!out.stderr.is_empty(), "{args:?}: says why");
    }
    let unset = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(["trocco", "job", "1"])
        .env_remove("TROCCO_API_KEY")
        .env("TROCCO_BASE_URL", sim.base_url())
        .output()
        .await
        .expect("runs");
    assert_eq!(unset.status.code(), Some(2), "{}", text(&unset));
    assert!(
        String::from_utf8_lossy(&unset.stderr).contains("TROCCO_API_KEY"),
        "{}",
        text(&unset)
    );
    let insecure = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(["trocco", "job", "1"])
        .env("TROCCO_API_KEY", KEY)
        .env("TROCCO_BASE_URL", "http://trocco.example.com")
        .env_remove("JOBRUN_ALLOW_HTTP")
        .output()
        .await
        .expect("runs");
    assert_eq!(insecure.status.code(), Some(2), "{}", text(&insecure));
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_exits_4_without_printing_it() {
    let sim = sim().await;
    let wrong = "tra_wrong-cli-key-1234";
    let out = jobrun(&sim, wrong, &["trocco", "run-job", "1", "--wait", "--json"]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let last = lines(&out).pop().expect("a final object");
    assert_eq!(
        (last["kind"].as_str(), last["status"].as_u64()),
        (Some("api"), Some(401))
    );
    assert!(!text(&out).contains(wrong));
}

/// The demo at the most verbose log level: every byte it prints is searched for its key.
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_runs_as_scripted_and_never_prints_its_key() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(["demo", "--time-scale", "0.05"])
        .env("RUST_LOG", "trace")
        .output()
        .await
        .expect("demo runs");
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("ran as scripted"), "{all}");
    assert!(all.contains("retry_waiting"), "{all}");
    // The search means something only if the HTTP stack really logged at trace level.
    assert!(
        all.contains("TRACE") && all.contains("hyper"),
        "trace logs missing:\n{all}"
    );
    assert!(
        all.contains(r#""authorization": Sensitive"#),
        "the authorization header never reached the logs, so the search below proves little:\n{all}"
    );
    assert!(
        !all.contains(jobrun_cli::demo::DEMO_API_KEY),
        "the key leaked:\n{all}"
    );
    // The krewData unit's serial travels in request bodies, plain in config and Base64 on the
    // wire ("ZGVtbzAw" starts the Base64 of "demo00…").
    assert!(all.contains("受注データ集計: Success"), "{all}");
    assert!(all.contains("resumed from CheckPoint2"), "{all}");
    for secret in [
        jobrun_cli::demo::DEMO_SERIAL,
        "ZGVtbzAw",
        jobrun_cli::demo::DEMO_PASSWORD,
        jobrun_cli::demo::DEMO_CLIENT_SECRET,
    ] {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sim_prints_urls_and_exports_that_work() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(["sim", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("sim starts");
    let stdout = child.stdout.take().expect("piped");
    let mut reader = BufReader::new(stdout).lines();
    let mut exports = std::collections::BTreeMap::new();
    while exports.len() < 15 {
        let line = tokio::time::timeout(Duration::from_secs(30), reader.next_line())
            .await
            .expect("prints in time")
            .expect("reads")
            .expect("more output");
        if let Some((name, value)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) {
            exports.insert(name.to_owned(), value.to_owned());
        }
    }
    let url = &exports["TROCCO_BASE_URL"];
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(
            [
                &["trocco", "run-job", "1", "--wait", "--json"][..],
                &WAIT_FAST,
            ]
            .concat(),
        )
        .env("TROCCO_BASE_URL", url)
        .env("TROCCO_API_KEY", &exports["TROCCO_API_KEY"])
        .output()
        .await
        .expect("runs");
    // The default catalog's transfer definition 1 succeeds within seconds.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let state = tempfile::tempdir().expect("temp dir");
    let mut krewdata = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    krewdata
        .args(
            [
                &[
                    "krewdata",
                    "run",
                    "simunitsucceeds",
                    "--app-id",
                    "123",
                    "--wait",
                ][..],
                &WAIT_FAST[..4],
            ]
            .concat(),
        )
        .env("XDG_STATE_HOME", state.path());
    for name in [
        "KREWDATA_BASE_URL",
        "KREWDATA_APP_URL",
        "KREWDATA_SERIAL_NUMBER",
        "KREWDATA_USER",
    ] {
        krewdata.env(name, &exports[name]);
    }
    let out = krewdata.output().await.expect("runs");
    // The default catalog's two-flow unit succeeds within seconds.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut asteria = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    asteria.args(["asteria", "checkpoints", "list", "--json"]);
    for name in ["ASTERIA_BASE_URL", "ASTERIA_USER", "ASTERIA_PASSWORD"] {
        asteria.env(name, &exports[name]);
    }
    let out = asteria.output().await.expect("runs");
    // Today's catalog requests are listed.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!out.stdout.is_empty(), "{}", text(&out));
    let mut adobe = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    adobe.args(["adobe", "schedules", "list", "--json"]);
    for name in [
        "ADOBE_IMS_URL",
        "ADOBE_PLATFORM_URL",
        "ADOBE_CLIENT_ID",
        "ADOBE_CLIENT_SECRET",
        "ADOBE_ORG_ID",
        "ADOBE_SCOPES",
    ] {
        adobe.env(name, &exports[name]);
    }
    let out = adobe.output().await.expect("runs");
    // The catalog's scheduled queries are listed.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!out.stdout.is_empty(), "{}", text(&out));
    child.kill().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_waiting_leaves_the_job_running_and_says_how_to_resume() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let sim = sim().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(
            [
                &["trocco", "run-job", "3", "--wait", "--json"][..],
                &WAIT_FAST,
            ]
            .concat(),
        )
        .env("TROCCO_BASE_URL", sim.base_url())
        .env("TROCCO_API_KEY", KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut first = String::new();
    tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut first))
        .await
        .expect("a first status in time")
        .expect("reads");
    assert!(first.contains(r#""event":"status""#), "{first}");
    let (code, rest, stderr) = common::interrupt(&mut child, &mut stdout).await;
    assert_eq!(code, Some(130), "{rest}\n{stderr}");
    let last: Value =
        serde_json::from_str(rest.lines().last().expect("a final object")).expect("JSON");
    assert_eq!(
        (last["kind"].as_str(), last["job"].as_str()),
        (Some("interrupted"), Some("trocco:job:1"))
    );
    assert!(stderr.contains("jobrun wait trocco:job:1"), "{stderr}");
}
