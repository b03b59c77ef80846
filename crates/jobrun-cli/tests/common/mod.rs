//! Helpers shared by the binary's end-to-end tests (each test file uses some of them).
#![allow(dead_code)]

pub mod vendors;

use std::{process::Output, time::Duration};

use serde_json::Value;

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Exit code, stdout and stderr, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every stdout line as JSON; a line that is not JSON fails the test.
pub fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("stdout line {l:?} is not JSON: {e}"))
        })
        .collect()
}

/// Sends SIGINT (Ctrl-C) to `child` and returns its exit code with the rest of its stdout
/// (what `stdout` had not read yet) and all of its stderr.
pub async fn interrupt(
    child: &mut tokio::process::Child,
    stdout: &mut tokio::io::BufReader<tokio::process::ChildStdout>,
) -> (Option<i32>, String, String) {
    use tokio::io::AsyncReadExt;
    let pid = child.id().expect("running").to_string();
    let sent = tokio::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .await
        .expect("kill runs");
    assert!(sent.success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("stops in time")
        .expect("exit status");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.expect("reads");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .await
        .expect("reads");
    (status.code(), rest, stderr)
}
