//! `jobrun krewdata …` and `jobrun wait krewdata:task:…` end to end, against a krewData
//! simulator in this process. Flows last tens of milliseconds and the binary polls every few,
//! so the suite stays fast in real time. Each test keeps the run guard's state in its own
//! temporary directory (XDG_STATE_HOME), never in the user's.

mod common;

use std::{process::Output, time::Duration};

use common::{lines, ms, text};
use jobrun_sim::krewdata::{KrewdataConfig, KrewdataSim, Unit};
use serde_json::Value;

const SERIAL: &str = "cli000-serial-krewda-ta0000-c0ffee";
const APP_URL: &str = "https://cli-test.cybozu.com/k/55";
const WAIT_FAST: [&str; 4] = ["--poll-min", "5ms", "--poll-max", "20ms"];

async fn sim() -> KrewdataSim {
    let flows = || {
        Unit::new("two flows")
            .calling_app(123)
            .queue(ms(20))
            .flow("集計", ms(60))
            .flow("出力", ms(60))
    };
    let config = KrewdataConfig::empty()
        .serial_number(SERIAL)
        .app_url(APP_URL)
        .unit("succeeds", flows())
        .unit(
            "fails",
            flows().fail_at(0, "33", "データ編集フローの設定が正しくありません。"),
        )
        .unit(
            "slow",
            Unit::new("slow")
                .calling_app(123)
                .flow("slow", Duration::from_secs(3600)),
        );
    KrewdataSim::start(config).await.expect("simulator starts")
}

struct Env {
    sim: KrewdataSim,
    state: tempfile::TempDir,
}

async fn env() -> Env {
    Env {
        sim: sim().await,
        state: tempfile::tempdir().expect("temp dir"),
    }
}

impl Env {
    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
        command
            .args(args)
            .env("KREWDATA_BASE_URL", self.sim.base_url())
            .env("KREWDATA_APP_URL", APP_URL)
            .env("KREWDATA_SERIAL_NUMBER", SERIAL)
            .env("KREWDATA_USER", "cli@example.com")
            // Polls every few milliseconds see every flow's progress only above the default
            // budget's pace of 5 calls per second.
            .env("KREWDATA_RATE_LIMIT", "1000/1s")
            .env("XDG_STATE_HOME", self.state.path())
            .env_remove("RUST_LOG");
        command
    }

    async fn jobrun(&self, args: &[&str]) -> Output {
        self.command(args).output().await.expect("jobrun runs")
    }

    fn tokens(&self, unit: &str) -> usize {
        self.sim.count("POST", &format!("/trigger/v1/{unit}/token"))
    }
}

fn run_args<'a>(unit: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["krewdata", "run", unit, "--app-id", "123"];
    args.extend_from_slice(extra);
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn run_wait_exits_0_with_per_flow_progress_and_1_when_a_flow_fails() {
    let env = env().await;
    let ok = env
        .jobrun(&run_args(
            "succeeds",
            &[&["--wait"][..], &WAIT_FAST].concat(),
        ))
        .await;
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let stderr = String::from_utf8_lossy(&ok.stderr);
    for progress in [
        "集計: Running",
        "集計: Success",
        "出力: Running",
        "出力: Success",
    ] {
        assert!(stderr.contains(progress), "{progress}: {}", text(&ok));
    }
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        stdout.contains("succeeded (status Success)"),
        "{}",
        text(&ok)
    );

    let failed = env
        .jobrun(&run_args("fails", &[&["--wait"][..], &WAIT_FAST].concat()))
        .await;
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let stdout = String::from_utf8_lossy(&failed.stdout);
    for expected in [
        "failed (status Failure)",
        "error 33: データ編集フローの設定が正しくありません。",
        "集計: Failure",
        "出力: Cancel",
    ] {
        assert!(stdout.contains(expected), "{expected}: {}", text(&failed));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_lines_all_parse_and_the_last_holds_the_outcome_with_its_flows() {
    let env = env().await;
    let out = env
        .jobrun(&run_args(
            "fails",
            &[&["--wait", "--json"][..], &WAIT_FAST].concat(),
        ))
        .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let objects = lines(&out);
    let (last, events) = objects.split_last().expect("some output");
    assert_eq!(last["event"], "outcome", "{}", text(&out));
    assert_eq!(last["state"], "failed");
    assert_eq!(last["error_code"], "33");
    let flows: Vec<(&str, &str)> = last["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default(),
                s["status"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(flows, [("集計", "Failure"), ("出力", "Cancel")]);
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "step" && e["step"]["status"] == "Running"),
        "{}",
        text(&out)
    );
    let job = last["job"].as_str().expect("job");
    assert!(job.starts_with("krewdata:task:fails:"), "{job}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_started_task_is_shown_and_waited_for_from_other_processes() {
    let env = env().await;
    let started = env.jobrun(&run_args("succeeds", &[])).await;
    assert_eq!(started.status.code(), Some(0), "{}", text(&started));
    let job = String::from_utf8_lossy(&started.stdout).trim().to_owned();
    let task = job
        .strip_prefix("krewdata:task:succeeds:")
        .unwrap_or_else(|| panic!("stdout is the reference only: {}", text(&started)));

    let status = env.jobrun(&["krewdata", "status", "succeeds", task]).await;
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(
        String::from_utf8_lossy(&status.stdout).starts_with(&job),
        "{}",
        text(&status)
    );
    let waited = env
        .jobrun(&[&["wait", job.as_str()][..], &WAIT_FAST].concat())
        .await;
    assert_eq!(waited.status.code(), Some(0), "{}", text(&waited));
    // One token for the run, one for `status`, one for the resumed wait.
    assert_eq!(env.tokens("succeeds"), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sixth_run_within_a_minute_is_refused_across_processes() {
    let env = env().await;
    for _ in 0..5 {
        let out = env.jobrun(&run_args("slow", &[])).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    let refused = env.jobrun(&run_args("slow", &["--json"])).await;
    assert_eq!(refused.status.code(), Some(4), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("next is allowed in") && stderr.contains("--no-run-guard"),
        "{}",
        text(&refused)
    );
    let last = lines(&refused).pop().expect("an error object");
    assert_eq!(last["kind"], "run_guard");
    assert!(last["retry_in_ms"].as_u64().is_some_and(|ms| ms > 0));
    // Refused before sending: krewData saw five token requests, not six.
    assert_eq!(env.tokens("slow"), 5);
    assert!(!env.sim.is_unit_disabled("slow"));
    assert!(
        env.state
            .path()
            .join("jobrun/krewdata-token-requests.json")
            .is_file()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_exits_2_and_sends_nothing() {
    let env = env().await;
    let cases: Vec<Vec<&str>> = vec![
        vec!["krewdata", "run", "bad/unit", "--app-id", "123"],
        vec!["krewdata", "run", "succeeds", "--app-id", "0"],
        vec!["krewdata", "run", "succeeds"],
        run_args("succeeds", &["--field", "no-type"]),
        run_args("succeeds", &["--field", "日付=date:2020-01-01"]),
        run_args("succeeds", &["--record", "/nonexistent/record.json"]),
        run_args("succeeds", &["--record", "r.json", "--field", "a=DATE:x"]),
        run_args("succeeds", &["--timeout", "5m"]),
        vec!["krewdata", "status", "succeeds", "has space"],
        vec!["wait", "krewdata:task:succeeds"],
    ];
    for args in &cases {
        let out = env.jobrun(args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    let bad_url = env
        .command(&run_args("succeeds", &[]))
        .env("KREWDATA_APP_URL", "https://cli-test.cybozu.com/app/55")
        .output()
        .await
        .expect("runs");
    assert_eq!(bad_url.status.code(), Some(2), "{}", text(&bad_url));
    assert!(
        String::from_utf8_lossy(&bad_url.stderr).contains("/k/<app id>"),
        "{}",
        text(&bad_url)
    );
    let no_serial = env
        .command(&run_args("succeeds", &[]))
        .env_remove("KREWDATA_SERIAL_NUMBER")
        .output()
        .await
        .expect("runs");
    assert_eq!(no_serial.status.code(), Some(2), "{}", text(&no_serial));
    assert!(env.sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_serial_exits_4_and_no_secret_is_printed_even_at_trace_level() {
    let env = env().await;
    let wrong = "wrong0-serial-number-000000-000000";
    let refused = env
        .command(&run_args("succeeds", &[]))
        .env("KREWDATA_SERIAL_NUMBER", wrong)
        .output()
        .await
        .expect("runs");
    assert_eq!(refused.status.code(), Some(4), "{}", text(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("Illegal License."),
        "{}",
        text(&refused)
    );
    assert!(!text(&refused).contains(wrong));

    let out = env
        .command(&run_args(
            "succeeds",
            &[&["--wait"][..], &WAIT_FAST].concat(),
        ))
        .env("RUST_LOG", "trace")
        .output()
        .await
        .expect("runs");
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    // The search means something only if request bodies were on their way at trace level.
    assert!(all.contains("TRACE") && all.contains("hyper"), "{all}");
    let mut secrets = vec![SERIAL.to_owned(), "Y2xpMDAw".to_owned()];
    for request in env.sim.requests() {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        for key in ["serialNumber", "accessToken"] {
            if let Some(secret) = body[key].as_str() {
                secrets.push(secret.to_owned());
            }
        }
    }
    assert!(secrets.len() > 3, "tokens were recorded: {secrets:?}");
    for secret in &secrets {
        assert!(!all.contains(secret.as_str()), "{secret} leaked:\n{all}");
    }
}
