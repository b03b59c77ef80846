//! Helpers shared by the binary's end-to-end tests (each test file uses some of them).
#![allow(dead_code)]

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
