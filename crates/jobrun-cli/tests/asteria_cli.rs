//! `jobrun asteria checkpoints …` and `jobrun wait asteria:request:…` end to end, against an
//! ASTERIA Warp simulator in this process. Reruns last tens of milliseconds and the binary
//! polls every few, so the suite stays fast in real time.

mod common;

use std::process::Output;

use common::{ms, text};
use jobrun_sim::asteria::{AsteriaConfig, AsteriaSim, CheckpointRequest, Rerun, Start};
use serde_json::Value;

const USER: &str = "cli-operator";
const PASSWORD: &str = "cli-pa55word-5e3d";
const DATE: &str = "20121005";
const RECOVERS: &str = "aaaa0000-0000-4000-8000-000000000001";
const FAILS_AGAIN: &str = "aaaa0000-0000-4000-8000-000000000002";
const SUCCEEDED: &str = "aaaa0000-0000-4000-8000-000000000003";
const WAIT_FAST: [&str; 4] = ["--poll-min", "5ms", "--poll-max", "20ms"];

fn at(hour: u32) -> Start {
    Start::At(
        chrono::NaiveDate::from_ymd_opt(2012, 10, 5)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .expect("a real time"),
    )
}

async fn sim() -> AsteriaSim {
    let mut config = AsteriaConfig::empty()
        .user(USER, PASSWORD)
        .request(
            CheckpointRequest::new(RECOVERS, "Project1", "Flow1")
                .started(at(18))
                .failed_at("CheckPoint2")
                .on_rerun(Rerun::new().lag(ms(20)).run_for(ms(60)).ends_success()),
        )
        .request(
            CheckpointRequest::new(FAILS_AGAIN, "Project1", "Flow2")
                .started(at(17))
                .failed_at("CheckPoint1")
                .on_rerun(Rerun::new().run_for(ms(60)).ends_error("CheckPoint3")),
        )
        .request(
            CheckpointRequest::new(SUCCEEDED, "Project1", "Flow3")
                .started(at(16))
                .succeeded(),
        );
    for n in 0..5 {
        config = config.request(
            CheckpointRequest::new(format!("paged-{n}"), "Paged", "Load")
                .started(at(n + 1))
                .succeeded(),
        );
    }
    AsteriaSim::start(config).await.expect("simulator starts")
}

async fn jobrun(sim: &AsteriaSim, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    command
        .args(args)
        .env("ASTERIA_BASE_URL", sim.base_url())
        .env("ASTERIA_USER", USER)
        .env("ASTERIA_PASSWORD", PASSWORD)
        .env_remove("RUST_LOG");
    for (k, v) in extra_env {
        command.env(k, v);
    }
    command.output().await.expect("jobrun runs")
}

fn rerun_args<'a>(id: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["asteria", "checkpoints", "rerun", id, "--date", DATE];
    args.extend_from_slice(extra);
    args
}

#[tokio::test(flavor = "multi_thread")]
async fn rerun_wait_exits_0_when_it_recovers_and_1_when_it_fails_again() {
    let sim = sim().await;
    let ok = jobrun(
        &sim,
        &rerun_args(RECOVERS, &[&["--wait"][..], &WAIT_FAST].concat()),
        &[],
    )
    .await;
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        stdout.contains("succeeded (status success)"),
        "{}",
        text(&ok)
    );
    assert!(
        stdout.contains("check point restart status: CheckPoint2"),
        "{}",
        text(&ok)
    );

    let failed = jobrun(
        &sim,
        &rerun_args(
            FAILS_AGAIN,
            &[&["--wait", "--json"][..], &WAIT_FAST].concat(),
        ),
        &[],
    )
    .await;
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let lines: Vec<Value> = String::from_utf8_lossy(&failed.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    let last = lines.last().expect("an outcome");
    assert_eq!(last["event"], "outcome", "{}", text(&failed));
    assert_eq!(last["state"], "failed");
    assert_eq!(last["details"]["check_point_status"], "CheckPoint3");
    assert_eq!(last["details"]["check_point_restart_status"], "CheckPoint1");
    // Every command logs out when it ends.
    assert_eq!(sim.count("POST", "/api/auth/logout"), 2);
    assert_eq!(sim.session_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn list_walks_every_page_and_show_and_wait_work_by_reference() {
    let sim = sim().await;
    let out = jobrun(
        &sim,
        &[
            "asteria",
            "checkpoints",
            "list",
            "--date",
            DATE,
            "--project",
            "Paged",
            "--size",
            "2",
            "--json",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSON");
            v["requestId"].as_str().expect("id").to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 5, "{}", text(&out));
    assert_eq!(sim.count("GET", "/api/checkpoint/list"), 3);

    let show = jobrun(&sim, &["asteria", "checkpoints", "show", SUCCEEDED], &[]).await;
    assert_eq!(show.status.code(), Some(0), "{}", text(&show));
    assert!(
        String::from_utf8_lossy(&show.stdout).starts_with(&format!("{SUCCEEDED} success")),
        "{}",
        text(&show)
    );

    let started = jobrun(&sim, &rerun_args(RECOVERS, &[]), &[]).await;
    assert_eq!(started.status.code(), Some(0), "{}", text(&started));
    let job = String::from_utf8_lossy(&started.stdout).trim().to_owned();
    assert_eq!(job, format!("asteria:request:{RECOVERS}:{DATE}"));
    // Resumed after show reflects the rerun (its lag is 20 ms).
    tokio::time::sleep(ms(100)).await;
    let waited = jobrun(
        &sim,
        &[&["wait", job.as_str()][..], &WAIT_FAST].concat(),
        &[],
    )
    .await;
    assert_eq!(waited.status.code(), Some(0), "{}", text(&waited));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_usage_exits_2_and_sends_nothing() {
    let sim = sim().await;
    let cases: Vec<Vec<&str>> = vec![
        vec!["asteria", "checkpoints", "rerun", RECOVERS],
        vec![
            "asteria",
            "checkpoints",
            "rerun",
            RECOVERS,
            "--date",
            "20121399",
        ],
        vec![
            "asteria",
            "checkpoints",
            "rerun",
            RECOVERS,
            "--date",
            "2012-10-05",
        ],
        vec!["asteria", "checkpoints", "show", "has space"],
        vec!["asteria", "checkpoints", "list", "--status", "failed"],
        vec!["asteria", "checkpoints", "list", "--page", "0"],
        rerun_args(RECOVERS, &["--timeout", "5m"]),
        vec!["wait", "asteria:request:r1:2012"],
    ];
    for args in &cases {
        let out = jobrun(&sim, args, &[]).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    let plain_http = jobrun(
        &sim,
        &["asteria", "checkpoints", "show", SUCCEEDED],
        &[("ASTERIA_BASE_URL", "http://warp.example.invalid")],
    )
    .await;
    assert_eq!(plain_http.status.code(), Some(2), "{}", text(&plain_http));
    assert!(
        String::from_utf8_lossy(&plain_http.stderr).contains("JOBRUN_ALLOW_HTTP"),
        "{}",
        text(&plain_http)
    );
    assert!(sim.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_login_exits_4_and_no_password_or_session_is_printed_at_trace_level() {
    let sim = sim().await;
    let wrong = "not-the-password-9d";
    let refused = jobrun(
        &sim,
        &["asteria", "checkpoints", "show", SUCCEEDED],
        &[("ASTERIA_PASSWORD", wrong)],
    )
    .await;
    assert_eq!(refused.status.code(), Some(4), "{}", text(&refused));
    assert!(!text(&refused).contains(wrong));

    let out = jobrun(
        &sim,
        &rerun_args(RECOVERS, &[&["--wait"][..], &WAIT_FAST].concat()),
        &[("RUST_LOG", "trace")],
    )
    .await;
    let all = text(&out);
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(
        all.contains(r#""x-fs-sessionid": Sensitive"#),
        "the session header never reached the logs, so the search below proves little:\n{all}"
    );
    let mut secrets = vec![PASSWORD.to_owned(), "cli-pa55word".to_owned()];
    for request in sim.requests() {
        if let Some(session) = request.header("x-fs-sessionid") {
            secrets.push(session.to_owned());
        }
    }
    for secret in &secrets {
        assert!(!all.contains(secret.as_str()), "{secret} leaked:\n{all}");
    }
}
