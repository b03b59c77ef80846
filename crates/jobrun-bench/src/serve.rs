//! `jobrun-bench serve`: the trocco simulator in a process of its own, so that its CPU and
//! memory never mix with the client's.
//!
//! Prints one [`Ready`] line, then answers each `stats` line on stdin with a [`Stats`] line,
//! and exits when stdin closes (the parent is gone or done).

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use jobrun_sim::trocco::{Script, TroccoConfig, TroccoSim};
use serde::{Deserialize, Serialize};

/// Transfer definition `k` (1 ..= this) runs `executing` for `k × STEP`, then succeeds.
pub const DEFINITIONS: u64 = 600;
/// The duration step between two definitions of the catalog.
pub const STEP: Duration = Duration::from_millis(100);

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Authenticated calls allowed per window (default: effectively unlimited).
    #[arg(long, default_value_t = u32::MAX)]
    rate_limit: u32,
    /// The rate-limit window, in milliseconds.
    #[arg(long, default_value_t = 3_600_000)]
    rate_window_ms: u64,
}

impl Args {
    /// The arguments that give a simulator `limit` calls per `window`, or no limit at all.
    pub fn to_argv(limit: Option<(u32, Duration)>) -> Vec<String> {
        match limit {
            None => Vec::new(),
            Some((calls, window)) => vec![
                "--rate-limit".into(),
                calls.to_string(),
                "--rate-window-ms".into(),
                window.as_millis().to_string(),
            ],
        }
    }
}

/// The first line a `serve` child prints.
#[derive(Serialize, Deserialize, Debug)]
pub struct Ready {
    pub base_url: String,
    pub api_key: String,
}

/// A `serve` child's answer to `stats`.
#[derive(Serialize, Deserialize, Debug, Default, Clone)]
pub struct Stats {
    pub received: u64,
    /// Answers by HTTP status.
    pub answers: BTreeMap<u16, u64>,
    /// 429s chosen by the rate limit.
    pub rate_limited: u64,
}

impl Stats {
    pub fn answered(&self, status: u16) -> u64 {
        self.answers.get(&status).copied().unwrap_or(0)
    }
}

/// The bench's catalog: durations 100 ms apart from 100 ms to 60 s, so that a fleet picking
/// definitions uniformly gets job durations spread uniformly.
pub fn catalog() -> TroccoConfig {
    (1..=DEFINITIONS).fold(TroccoConfig::empty(), |config, k| {
        let run = STEP.saturating_mul(u32::try_from(k).unwrap_or(u32::MAX));
        config.transfer_definition(
            i64::try_from(k).unwrap_or(i64::MAX),
            format!("bench-{}ms", run.as_millis()),
            Script::new().step("executing", run).end("succeeded"),
        )
    })
}

pub fn serve(args: &Args) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the simulator's tokio runtime")?;
    let config = catalog()
        // Half a million recorded requests would be the biggest thing in this process.
        .record_requests(false)
        .rate_limit(args.rate_limit, Duration::from_millis(args.rate_window_ms));
    let sim = runtime
        .block_on(TroccoSim::start(config))
        .context("cannot start the trocco simulator")?;
    let mut out = std::io::stdout().lock();
    let ready = Ready {
        base_url: sim.base_url(),
        api_key: sim.api_key(),
    };
    writeln!(out, "{}", serde_json::to_string(&ready)?)?;
    out.flush()?;
    // The server runs on the runtime's worker threads; this thread only answers the parent.
    for line in std::io::stdin().lock().lines() {
        let line = line.context("cannot read a command from stdin")?;
        match line.trim() {
            "stats" => {
                let stats = sim.stats();
                let stats = Stats {
                    received: stats.received,
                    answers: stats.answers,
                    rate_limited: stats.rate_limited,
                };
                writeln!(out, "{}", serde_json::to_string(&stats)?)?;
                out.flush()?;
            }
            "" => {}
            other => bail!("unknown command {other:?} (expected `stats`)"),
        }
    }
    drop(sim);
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_spreads_durations_100ms_apart_up_to_60s() {
        let table = catalog().to_string();
        assert!(table.contains("bench-100ms"), "{table}");
        assert!(table.contains("bench-60000ms"), "{table}");
        assert!(!table.contains("bench-60100ms"), "{table}");
    }

    #[test]
    fn rate_limits_become_arguments() {
        assert!(Args::to_argv(None).is_empty());
        assert_eq!(
            Args::to_argv(Some((3500, Duration::from_secs(30)))),
            ["--rate-limit", "3500", "--rate-window-ms", "30000"]
        );
    }
}
