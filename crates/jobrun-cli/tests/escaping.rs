//! Vendor text reaches a terminal with its control characters escaped: statuses, definition,
//! flow, task and checkpoint names, error bodies and messages, retry reasons and outcome
//! details that hold ESC, BEL, line breaks or C1 controls are printed as visible escapes
//! (`\u{1b}`), so a vendor cannot clear the screen, retitle the window or print a line of its
//! own. NDJSON keeps the text, escaped as JSON strings. Against simulators in this process.

mod common;

use std::{process::Output, time::Duration};

use common::{ms, text};
use jobrun_sim::{
    Fault,
    adobe::{AdobeConfig, AdobeSim, RunScript, Schedule},
    asteria::{AsteriaConfig, AsteriaSim, CheckpointRequest, Rerun, Start},
    krewdata::{KrewdataConfig, KrewdataSim, Unit},
    trocco::{Script, Target as TroccoTarget, TroccoConfig, TroccoSim},
};
use serde_json::Value;

/// Clears the screen and homes the cursor, rings the bell, retitles the window (OSC 0), and
/// starts a line of its own; then a C1 CSI (U+009B) for the terminals that take it.
const NASTY: &str = "\u{1b}[2J\u{1b}[H\u{7}\u{1b}]0;pwned\u{7}\nfake: line\u{9b}31m";
const FAST: [&str; 6] = [
    "--poll-min",
    "5ms",
    "--poll-max",
    "20ms",
    "--confirm-after",
    "40ms",
];
const KEY: &str = "tra_escaping-key-e5c";
const SERIAL: &str = "escape-serial-0000-0000-0000-000001";
const APP_URL: &str = "https://escape.cybozu.com/k/3";
const ASTERIA_USER: &str = "escape-operator";
const ASTERIA_PASSWORD: &str = "escape-pa55-1b1b";
const REQUEST: &str = "dddd0000-0000-4000-8000-000000000001";
const DATE: &str = "20121005";
const ADOBE_CLIENT: &str = "escape-client";
const ADOBE_SECRET: &str = "p8e-escape-secret";
const ADOBE_ORG: &str = "ESCAPE@AdobeOrg";
const SCHEDULE: &str = "escape_sched";

/// `text` with NASTY in it.
fn nasty(text: &str) -> String {
    format!("{text}{NASTY}")
}

/// Asserts that `out` holds no control character but the line breaks between lines, and that
/// the vendor's text is there, its line break visibly escaped (ASTERIA's XML cannot carry an
/// ESC at all, so that is the one mark every vendor keeps).
fn assert_escaped(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let shown = String::from_utf8_lossy(bytes);
        if let Some(c) = shown.chars().find(|c| *c != '\n' && c.is_control()) {
            panic!(
                "{what}: {stream} holds {:?} raw:\n{}",
                c.escape_unicode().to_string(),
                text(out)
            );
        }
        assert!(
            !shown.lines().any(|l| l.starts_with("fake: line")),
            "{what}: a vendor line of its own on {stream}:\n{}",
            text(out)
        );
    }
    assert!(
        text(out).contains(r"\nfake: line"),
        "{what}: the vendor's text is not shown:\n{}",
        text(out)
    );
}

fn jobrun(args: &[&str], env: &[(&str, String)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    command.args(args).env_remove("RUST_LOG");
    if args.contains(&"--wait") || args.first() == Some(&"wait") {
        command.args(FAST);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

async fn output(mut command: tokio::process::Command) -> Output {
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("ends in time")
        .expect("jobrun runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn trocco_statuses_names_retry_reasons_and_error_bodies_are_escaped() {
    let script = Script::new()
        .step(nasty("queued"), ms(20))
        .step("executing", ms(40))
        .end("error");
    let sim = TroccoSim::start(
        TroccoConfig::empty()
            .api_key(KEY)
            .transfer_definition(1, nasty("definition"), script.clone())
            .transfer_definition(
                2,
                "plain",
                Script::new().step("executing", ms(40)).end("error"),
            ),
    )
    .await
    .expect("simulator starts");
    let env = [
        ("TROCCO_BASE_URL", sim.base_url()),
        ("TROCCO_API_KEY", KEY.to_owned()),
    ];
    // An HTML gateway page on the first status read: retried, its text in the retry reason.
    sim.inject(
        TroccoTarget::GetJob,
        Fault::Status {
            status: 503,
            content_type: "text/html".to_owned(),
            body: nasty("<h1>down</h1>"),
        },
        1,
    );
    let out = output(jobrun(&["trocco", "run-job", "1", "--wait"], &env)).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_escaped("run-job --wait", &out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("retry 1"),
        "the retry is reported: {}",
        text(&out)
    );

    // The started note names the definition; `job` and `jobs` show the status and name.
    for args in [
        &["trocco", "run-job", "1"][..],
        &["trocco", "job", "1"],
        &["trocco", "jobs", "1"],
    ] {
        let out = output(jobrun(args, &env)).await;
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
        assert_escaped(&format!("{args:?}"), &out);
    }

    // An error whose message is the vendor's: `jobrun: …` on stderr, escaped; the NDJSON
    // error object keeps the text as a JSON string.
    for json in [false, true] {
        sim.inject(
            TroccoTarget::GetJob,
            Fault::Status {
                status: 404,
                content_type: "application/json".to_owned(),
                body: serde_json::json!({ "message": nasty("gone") }).to_string(),
            },
            1,
        );
        let mut args = vec!["trocco", "run-job", "2", "--wait"];
        if json {
            args.push("--json");
        }
        let out = output(jobrun(&args, &env)).await;
        assert_eq!(out.status.code(), Some(4), "{}", text(&out));
        assert_escaped(&format!("{args:?}"), &out);
        if json {
            let last: Value = common::lines(&out).pop().expect("an error object");
            assert_eq!(last["kind"], "api", "{last}");
            assert!(
                last["vendor_message"]
                    .as_str()
                    .is_some_and(|m| m.contains(NASTY)),
                "{last}"
            );
        }
    }

    // Many jobs at once: the board's line and the end of a job whose wait met the error.
    sim.inject(
        TroccoTarget::GetJob,
        Fault::Status {
            status: 404,
            content_type: "application/json".to_owned(),
            body: serde_json::json!({ "message": nasty("gone") }).to_string(),
        },
        1,
    );
    let out = output(jobrun(&["wait", "trocco:job:1", "trocco:job:2"], &env)).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert_escaped("wait A B", &out);
}

#[tokio::test(flavor = "multi_thread")]
async fn krewdata_flow_names_and_error_messages_are_escaped() {
    let unit = Unit::new("escape")
        .calling_app(123)
        .queue(ms(10))
        .flow(nasty("集計"), ms(40))
        .fail_at(0, "33", nasty("flow failed"));
    let sim = KrewdataSim::start(
        KrewdataConfig::empty()
            .serial_number(SERIAL)
            .app_url(APP_URL)
            .unit("escapeunit", unit),
    )
    .await
    .expect("simulator starts");
    let state = tempfile::tempdir().expect("temp dir");
    let env = [
        ("KREWDATA_BASE_URL", sim.base_url()),
        ("KREWDATA_APP_URL", APP_URL.to_owned()),
        ("KREWDATA_SERIAL_NUMBER", SERIAL.to_owned()),
        ("KREWDATA_USER", "cli@example.com".to_owned()),
        ("XDG_STATE_HOME", state.path().display().to_string()),
    ];
    let args = [
        "krewdata",
        "run",
        "escapeunit",
        "--app-id",
        "123",
        "--no-run-guard",
        "--wait",
    ];
    let out = output(jobrun(&args, &env)).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_escaped("krewdata run --wait", &out);
    let task = sim.task_ids("escapeunit").pop().expect("a task");
    let out = output(jobrun(
        &["krewdata", "status", "escapeunit", &task, "--no-run-guard"],
        &env,
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_escaped("krewdata status", &out);
}

#[tokio::test(flavor = "multi_thread")]
async fn asteria_names_and_checkpoints_are_escaped() {
    let started = chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
        .and_then(|d| d.and_hms_opt(18, 0, 0))
        .expect("a real time");
    let sim = AsteriaSim::start(
        AsteriaConfig::empty()
            .user(ASTERIA_USER, ASTERIA_PASSWORD)
            .request(
                CheckpointRequest::new(REQUEST, nasty("Project"), nasty("Flow"))
                    .started(Start::At(started))
                    .failed_at(nasty("CheckPoint2"))
                    .on_rerun(Rerun::new().run_for(ms(40)).ends_success()),
            ),
    )
    .await
    .expect("simulator starts");
    let env = [
        ("ASTERIA_BASE_URL", sim.base_url()),
        ("ASTERIA_USER", ASTERIA_USER.to_owned()),
        ("ASTERIA_PASSWORD", ASTERIA_PASSWORD.to_owned()),
    ];
    for (args, code) in [
        (&["asteria", "checkpoints", "list", "--date", DATE][..], 0),
        (
            &[
                "asteria",
                "checkpoints",
                "rerun",
                REQUEST,
                "--date",
                DATE,
                "--wait",
            ],
            0,
        ),
        (
            &["asteria", "checkpoints", "show", REQUEST, "--date", DATE],
            0,
        ),
    ] {
        let out = output(jobrun(args, &env)).await;
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(&out));
        assert_escaped(&format!("{args:?}"), &out);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn adobe_task_names_and_messages_are_escaped() {
    let sim = AdobeSim::start(
        AdobeConfig::empty()
            .credentials(ADOBE_CLIENT, ADOBE_SECRET, ADOBE_ORG)
            .schedule(
                Schedule::new(nasty("query"), "SELECT 1").id(SCHEDULE).runs(
                    RunScript::new()
                        .task(nasty("insert_into"), ms(40), "SUCCESS")
                        .task_message(nasty("done")),
                ),
            ),
    )
    .await
    .expect("simulator starts");
    let env = [
        ("ADOBE_IMS_URL", sim.base_url()),
        ("ADOBE_PLATFORM_URL", sim.base_url()),
        ("ADOBE_CLIENT_ID", ADOBE_CLIENT.to_owned()),
        ("ADOBE_CLIENT_SECRET", ADOBE_SECRET.to_owned()),
        ("ADOBE_ORG_ID", ADOBE_ORG.to_owned()),
        ("ADOBE_SCOPES", "openid,AdobeID".to_owned()),
    ];
    let out = output(jobrun(
        &["adobe", "runs", "trigger", SCHEDULE, "--wait"],
        &env,
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_escaped("adobe runs trigger --wait", &out);
    let out = output(jobrun(&["adobe", "schedules", "list"], &env)).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_escaped("adobe schedules list", &out);
}
