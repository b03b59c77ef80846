//! SIGINT, SIGTERM and SIGHUP end every wait within a second, with the resume command and
//! 128 + the signal's number (130, 143, 129): the one-job and many-job `jobrun wait` and the
//! `--wait` of every vendor's trigger, against simulators in this process whose jobs run for
//! an hour. Also: `jobrun sim` stops cleanly on SIGTERM, and ASTERIA's closing logout never
//! holds the exit back (2 s at most, nothing worth noticing after a signal).

mod common;

use std::{
    process::Stdio,
    time::{Duration, Instant},
};

use common::vendors::{DATE, LONG_RERUN, QUICK_RERUN, SCHEDULE, SLOW, Vendors};
use jobrun_sim::{Fault, asteria::Target as AsteriaTarget};
use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const HOUR: Duration = Duration::from_secs(3600);
/// The promise: a signal ends the wait, and the process, within a second.
const WITHIN: Duration = Duration::from_secs(1);

/// What a stopped process left.
struct Stopped {
    code: Option<i32>,
    /// From the signal to the process's end.
    took: Duration,
    /// The job named by the first status change.
    job: String,
    /// Everything after the first status change (NDJSON mode) or all of it (text mode).
    stdout: String,
    stderr: String,
}

impl Stopped {
    /// The NDJSON objects on stdout after the first status change.
    fn objects(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}\n{self}")))
            .collect()
    }
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?} {:?} after the signal (job {})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.took, self.job, self.stdout, self.stderr
        )
    }
}

/// Sends `signal` to a process.
fn kill(pid: u32, signal: i32) {
    let pid = libc::pid_t::try_from(pid).expect("a pid");
    // SAFETY: kill(2) only reads its two integer arguments; the pid is our own child's, which
    // has not been reaped yet (its exit status is read after this call), so it names no other
    // process.
    let sent = unsafe { libc::kill(pid, signal) };
    assert_eq!(sent, 0, "kill: {}", std::io::Error::last_os_error());
}

/// Reads `reader` until a line that says the wait has begun and returns it: a `status` (or
/// `step`) object in NDJSON mode, the first line in text mode.
async fn first_status(reader: &mut (impl AsyncBufRead + Unpin), json: bool) -> String {
    loop {
        let mut line = String::new();
        tokio::time::timeout(Duration::from_secs(30), reader.read_line(&mut line))
            .await
            .expect("the wait begins in time")
            .expect("reads");
        assert!(!line.is_empty(), "the output ended before the wait began");
        if !json || line.contains(r#""event":"status""#) {
            return line;
        }
    }
}

/// Spawns `command` (with `stdin` on its standard input), waits until its wait has begun,
/// sends `signal` and returns what it left.
async fn stop(
    mut command: tokio::process::Command,
    stdin: Option<&str>,
    signal: i32,
    json: bool,
) -> Stopped {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("jobrun starts");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("piped");
        pipe.write_all(text.as_bytes()).await.expect("writes");
        // Dropped: stdin ends, and the references are read.
    }
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut stderr = BufReader::new(child.stderr.take().expect("piped"));
    let first = if json {
        first_status(&mut stdout, true).await
    } else {
        first_status(&mut stderr, false).await
    };
    let job = if json {
        let object: Value = serde_json::from_str(&first).expect("JSON");
        object["job"].as_str().expect("a job").to_owned()
    } else {
        first
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let sent = Instant::now();
    kill(child.id().expect("running"), signal);
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("ends in time")
        .expect("an exit status");
    let took = sent.elapsed();
    let (mut out, mut err) = (String::new(), first.clone());
    if json {
        err.clear();
    }
    stdout.read_to_string(&mut out).await.expect("reads");
    stderr.read_to_string(&mut err).await.expect("reads");
    Stopped {
        code: status.code(),
        took,
        job,
        stdout: out,
        stderr: err,
    }
}

/// Every kind of wait, stopped by `signal`: each exits `code` within a second, and prints the
/// command that resumes its jobs (and, in NDJSON, `interrupted` objects naming the signal).
async fn every_wait_ends_on(signal: i32, name: &str, code: i32) {
    let vendors = Vendors::start(HOUR).await;
    let triggers: [&[&str]; 5] = [
        &["trocco", "run-job", SLOW, "--wait"],
        &["trocco", "run-pipeline", SLOW, "--wait"],
        &[
            "krewdata",
            "run",
            "slowunit",
            "--app-id",
            "123",
            "--no-run-guard",
            "--wait",
        ],
        &[
            "asteria",
            "checkpoints",
            "rerun",
            LONG_RERUN,
            "--date",
            DATE,
            "--wait",
        ],
        &["adobe", "runs", "trigger", SCHEDULE, "--wait"],
    ];
    for args in triggers {
        let json = [args, &["--json"]].concat();
        let stopped = stop(vendors.command(&json), None, signal, true).await;
        assert_eq!(stopped.code, Some(code), "{args:?}: {stopped}");
        assert!(stopped.took < WITHIN, "{args:?}: {stopped}");
        let resume = format!("jobrun wait {}", stopped.job);
        assert!(stopped.stderr.contains(&resume), "{args:?}: {stopped}");
        let last = stopped.objects().pop().expect("a last object");
        assert_eq!(
            (&last["kind"], &last["job"], &last["signal"]),
            (
                &Value::from("interrupted"),
                &Value::from(stopped.job.as_str()),
                &Value::from(name)
            ),
            "{args:?}: {stopped}"
        );
    }

    // Text mode: the resume command on stderr all the same.
    let stopped = stop(
        vendors.command(&["trocco", "run-job", SLOW, "--wait"]),
        None,
        signal,
        false,
    )
    .await;
    assert_eq!(stopped.code, Some(code), "{stopped}");
    assert!(stopped.took < WITHIN, "{stopped}");
    assert!(
        stopped
            .stderr
            .contains(&format!("jobrun wait {}", stopped.job)),
        "{stopped}"
    );

    // `jobrun wait REF`, `jobrun wait A B` and `jobrun wait -`.
    let one = vendors.started_job().await;
    let stopped = stop(
        vendors.command(&["wait", &one, "--json"]),
        None,
        signal,
        true,
    )
    .await;
    assert_eq!(stopped.code, Some(code), "{stopped}");
    assert!(stopped.took < WITHIN, "{stopped}");
    assert!(
        stopped.stderr.contains(&format!("jobrun wait {one}")),
        "{stopped}"
    );
    assert_eq!(stopped.objects().pop().expect("last")["signal"], name);

    let (a, b) = (vendors.started_job().await, vendors.started_job().await);
    for (args, stdin) in [
        (vec!["wait", a.as_str(), b.as_str(), "--json"], None),
        (vec!["wait", "-", "--json"], Some(format!("{a}\n{b}\n"))),
    ] {
        let stopped = stop(vendors.command(&args), stdin.as_deref(), signal, true).await;
        assert_eq!(stopped.code, Some(code), "{args:?}: {stopped}");
        assert!(stopped.took < WITHIN, "{args:?}: {stopped}");
        assert!(
            stopped.stderr.contains(&format!("jobrun wait {a} {b}")),
            "{args:?}: {stopped}"
        );
        let objects = stopped.objects();
        let signals: Vec<&Value> = objects
            .iter()
            .filter(|o| o["kind"] == "interrupted")
            .map(|o| &o["signal"])
            .collect();
        assert_eq!(signals, [name, name], "{args:?}: {stopped}");
        let summary = objects.last().expect("a summary");
        assert_eq!(
            (&summary["event"], &summary["exit_code"]),
            (&Value::from("summary"), &Value::from(code)),
            "{args:?}: {stopped}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_ends_every_wait_within_a_second_with_143_and_the_resume_command() {
    every_wait_ends_on(libc::SIGTERM, "SIGTERM", 143).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_ends_every_wait_within_a_second_with_129_and_the_resume_command() {
    every_wait_ends_on(libc::SIGHUP, "SIGHUP", 129).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_ends_every_wait_within_a_second_with_130_and_the_resume_command() {
    every_wait_ends_on(libc::SIGINT, "SIGINT", 130).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sim_stops_cleanly_on_sigterm() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_jobrun"))
        .args(["sim", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("sim starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    // The last export line: every simulator listens.
    loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("prints in time")
            .expect("reads")
            .expect("more output");
        if line.starts_with("export ADOBE_SCOPES=") {
            break;
        }
    }
    kill(child.id().expect("running"), libc::SIGTERM);
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("stops in time")
        .expect("an exit status");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .await
        .expect("reads");
    assert_eq!(status.code(), Some(0), "{status:?}\n{stderr}");
    assert!(stderr.contains("SIGTERM"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_logout_holds_the_exit_back_two_seconds_at_most() {
    let vendors = Vendors::start(HOUR).await;
    vendors
        .asteria
        .inject(AsteriaTarget::Logout, Fault::Delay(HOUR), 1);
    let mut command = vendors.command(&[
        "asteria",
        "checkpoints",
        "rerun",
        QUICK_RERUN,
        "--date",
        DATE,
        "--wait",
    ]);
    let started = Instant::now();
    let out = command.output().await.expect("jobrun runs");
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("succeeded"),
        "the outcome is printed: {}",
        common::text(&out)
    );
    // 2 s for the logout, plus the rerun's 40 ms and the process's own time.
    assert!(
        took < Duration::from_millis(3500),
        "{took:?}: {}",
        common::text(&out)
    );
    assert_eq!(vendors.asteria.count("POST", "/api/auth/logout"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_signal_a_hanging_logout_does_not_hold_the_exit_back() {
    let vendors = Vendors::start(HOUR).await;
    // The trigger's own wait, then `jobrun wait` on the same request (its fleet logs out too).
    vendors
        .asteria
        .inject(AsteriaTarget::Logout, Fault::Delay(HOUR), 2);
    let args = [
        "asteria",
        "checkpoints",
        "rerun",
        LONG_RERUN,
        "--date",
        DATE,
        "--wait",
        "--json",
    ];
    let stopped = stop(vendors.command(&args), None, libc::SIGTERM, true).await;
    assert_eq!(stopped.code, Some(143), "{stopped}");
    assert!(stopped.took < WITHIN, "{stopped}");
    let stopped = stop(
        vendors.command(&["wait", &stopped.job, "--json"]),
        None,
        libc::SIGHUP,
        true,
    )
    .await;
    assert_eq!(stopped.code, Some(129), "{stopped}");
    assert!(stopped.took < WITHIN, "{stopped}");
    assert!(
        stopped
            .stderr
            .contains(&format!("jobrun wait {}", stopped.job)),
        "{stopped}"
    );
}
