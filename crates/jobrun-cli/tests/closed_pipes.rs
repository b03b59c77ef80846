//! Writing to a closed stdout or stderr (`| head -1`, `2>&1 | head -1`, a terminal that hung
//! up) never panics, and the exit code stays the job's. The read end of each pipe is closed
//! before the binary starts, so its very first write fails, against a trocco simulator in
//! this process whose jobs last tens of milliseconds.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Output, Stdio},
    time::Duration,
};

use common::{ms, text};
use jobrun_sim::trocco::{Script, TroccoConfig, TroccoSim};

const KEY: &str = "tra_closed-pipes-key-a11c";
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
            .step("queued", ms(20))
            .step("executing", ms(40))
            .end(end)
    };
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
        );
    TroccoSim::start(config).await.expect("simulator starts")
}

/// A pipe whose read end is already closed: every write to it fails with EPIPE.
fn closed() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Stdio::from(writer)
}

fn command(sim: &TroccoSim, args: &[&str]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"));
    command
        .args(args)
        .env("TROCCO_BASE_URL", sim.base_url())
        .env("TROCCO_API_KEY", KEY)
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

fn wait_args<'a>(args: &[&'a str]) -> Vec<&'a str> {
    [args, &WAIT_FAST[..]].concat()
}

/// Runs `args` with stdout and stderr as given (`None`: captured).
async fn run(
    sim: &TroccoSim,
    args: &[&str],
    stdout: Option<Stdio>,
    stderr: Option<Stdio>,
) -> Output {
    let mut command = command(sim, args);
    command
        .stdout(stdout.unwrap_or_else(Stdio::piped))
        .stderr(stderr.unwrap_or_else(Stdio::piped));
    // Not `output()`: it would pipe stdout and stderr whatever was set.
    let child = command.spawn().expect("jobrun starts");
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("ends in time")
        .expect("jobrun runs");
    assert!(
        !text(&out).contains("panicked"),
        "{args:?} panicked: {}",
        text(&out)
    );
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn two_and_one_piped_through_head_keeps_the_jobs_exit_code() {
    // `jobrun trocco run-job 1 --wait 2>&1 | head -1`: one pipe for both, read for one line.
    let sim = sim().await;
    let (reader, writer) = std::io::pipe().expect("a pipe");
    let mut command = command(&sim, &wait_args(&["trocco", "run-job", "1", "--wait"]));
    command
        .stdout(writer.try_clone().expect("a second writer"))
        .stderr(writer);
    let mut child = command.spawn().expect("jobrun starts");
    // The command holds our writers: only the child's remain once it runs.
    drop(command);
    let head = tokio::task::spawn_blocking(move || {
        let mut first = String::new();
        BufReader::new(reader).read_line(&mut first).expect("reads");
        first
    })
    .await
    .expect("head");
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("ends in time")
        .expect("an exit status");
    assert!(head.starts_with("trocco:job:1 "), "{head:?}");
    assert_eq!(status.code(), Some(0), "{status:?} after {head:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stderr_changes_neither_the_exit_code_nor_stdout() {
    let sim = sim().await;
    let ok = run(
        &sim,
        &wait_args(&["trocco", "run-job", "1", "--wait"]),
        None,
        Some(closed()),
    )
    .await;
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("trocco:job:1 succeeded"),
        "{}",
        text(&ok)
    );
    let failed = run(
        &sim,
        &wait_args(&["trocco", "run-job", "2", "--wait"]),
        None,
        Some(closed()),
    )
    .await;
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    // Errors, usage errors and trigger notes are written to stderr only.
    let cases: [(&[&str], i32); 4] = [
        (&["trocco", "run-job", "1"], 0),
        (&["trocco", "jobs", "1"], 0),
        (&["wait", "trocco:job:zero"], 2),
        (&["trocco", "job", "999"], 4),
    ];
    for (args, code) in cases {
        let out = run(&sim, args, None, Some(closed())).await;
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_stdout_changes_neither_the_exit_code_nor_stderr() {
    let sim = sim().await;
    for (args, code) in [
        (wait_args(&["trocco", "run-job", "1", "--wait"]), 0),
        (
            wait_args(&["trocco", "run-job", "2", "--wait", "--json"]),
            1,
        ),
        (wait_args(&["wait", "trocco:job:1", "trocco:job:2"]), 1),
        (vec!["trocco", "jobs", "1"], 0),
    ] {
        let out = run(&sim, &args, Some(closed()), None).await;
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(&out));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn both_closed_and_a_signal_still_exit_with_the_right_code() {
    let sim = sim().await;
    for (args, code) in [
        (wait_args(&["trocco", "run-job", "1", "--wait"]), 0),
        (wait_args(&["trocco", "run-job", "2", "--wait"]), 1),
        (wait_args(&["wait", "trocco:job:1", "trocco:job:2"]), 1),
        (vec!["wait", "trocco:job:zero"], 2),
        (vec!["trocco", "frobnicate"], 2),
        (vec!["--help"], 0),
    ] {
        let out = run(&sim, &args, Some(closed()), Some(closed())).await;
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }

    // Logs too: at trace level every request is logged to the closed stderr.
    let mut logged = command(&sim, &wait_args(&["trocco", "run-job", "1", "--wait"]));
    logged
        .env("RUST_LOG", "trace")
        .stdout(closed())
        .stderr(closed());
    let status = tokio::time::timeout(Duration::from_secs(60), logged.status())
        .await
        .expect("ends in time")
        .expect("jobrun runs");
    assert_eq!(status.code(), Some(0), "{status:?}");

    // A terminal that hung up: SIGHUP, then every write fails. The wait begins (the first
    // status on stdout), stderr is already gone.
    use tokio::io::AsyncBufReadExt;
    let mut child = command(
        &sim,
        &wait_args(&["trocco", "run-job", "3", "--wait", "--json"]),
    )
    .stdout(Stdio::piped())
    .stderr(closed())
    .spawn()
    .expect("jobrun starts");
    let mut stdout = tokio::io::BufReader::new(child.stdout.take().expect("piped"));
    let mut first = String::new();
    tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut first))
        .await
        .expect("a first status in time")
        .expect("reads");
    assert!(first.contains(r#""event":"status""#), "{first}");
    // Gone as well: the interruption's NDJSON object meets a closed pipe too.
    drop(stdout);
    let pid = libc::pid_t::try_from(child.id().expect("running")).expect("a pid");
    // SAFETY: kill(2) reads two integers; the pid is our unreaped child's.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("ends in time")
        .expect("an exit status");
    assert_eq!(status.code(), Some(129), "{status:?}");
}
