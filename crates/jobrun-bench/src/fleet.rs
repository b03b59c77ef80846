//! `jobrun-bench fleet`: one fleet of concurrent trigger-and-waits in a fresh process, so that
//! its peak RSS is its own. Prints one [`FleetResult`] line.
//!
//! Each wait is `start_job_and_wait` in its own task on a multi-thread runtime, with one client
//! shared by all of them, as a user watching many jobs from one process would write it.

use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, FixedOffset, Utc};
use jobrun::trocco::{RunJob, TroccoClient};
use jobrun::{Error, Outcome, WaitEvent, WaitOptions};
use serde::{Deserialize, Serialize};

use crate::clients::{Budget, budget_client, fleet_client};
use crate::measure::{self, SocketSampler, percentile};

#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// The simulator's base URL.
    #[arg(long)]
    pub url: String,
    /// The simulator's API key.
    #[arg(long)]
    pub key: String,
    /// How many trigger-and-waits; 0 measures the runtime and client alone.
    #[arg(long)]
    pub waits: u64,
    /// Lowest transfer definition to trigger (definition k runs k × 100 ms).
    #[arg(long, default_value_t = 10)]
    pub min_definition: u64,
    /// Highest transfer definition to trigger.
    #[arg(long, default_value_t = 600)]
    pub max_definition: u64,
    #[arg(long, default_value_t = 1000)]
    pub poll_min_ms: u64,
    #[arg(long, default_value_t = 5000)]
    pub poll_max_ms: u64,
    /// Each wait's deadline.
    #[arg(long, default_value_t = 600)]
    pub timeout_s: u64,
    /// With `--budget-per-ms`: the client-side budget of the budget run.
    #[arg(long, requires = "budget_per_ms")]
    pub budget_requests: Option<u32>,
    #[arg(long, requires = "budget_requests")]
    pub budget_per_ms: Option<u64>,
}

impl Args {
    /// The command line of a `fleet` child with these arguments.
    pub fn to_argv(&self) -> Vec<String> {
        let mut argv = vec![
            "fleet".to_owned(),
            format!("--url={}", self.url),
            format!("--key={}", self.key),
            format!("--waits={}", self.waits),
            format!("--min-definition={}", self.min_definition),
            format!("--max-definition={}", self.max_definition),
            format!("--poll-min-ms={}", self.poll_min_ms),
            format!("--poll-max-ms={}", self.poll_max_ms),
            format!("--timeout-s={}", self.timeout_s),
        ];
        if let (Some(requests), Some(per)) = (self.budget_requests, self.budget_per_ms) {
            argv.push(format!("--budget-requests={requests}"));
            argv.push(format!("--budget-per-ms={per}"));
        }
        argv
    }

    fn budget(&self) -> Option<Budget> {
        Some(Budget {
            requests: self.budget_requests?,
            per: Duration::from_millis(self.budget_per_ms?),
        })
    }
}

/// Detection lag percentiles, in milliseconds.
#[derive(Serialize, Deserialize, Debug, Clone, Copy)]
pub struct Lag {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// What one fleet child measured.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct FleetResult {
    pub waits: u64,
    /// Waits that returned a succeeded outcome (every definition of the catalog succeeds).
    pub detected: u64,
    /// Waits that returned an error or an outcome other than succeeded.
    pub failed: u64,
    /// The first few failures, as the facade worded them.
    pub first_errors: Vec<String>,
    pub peak_rss_kib: u64,
    /// Process CPU, the socket sampler's own excluded.
    pub cpu_s: f64,
    pub sampler_cpu_s: f64,
    pub wall_s: f64,
    pub peak_sockets: u64,
    pub peak_fds: u64,
    /// The soft limit on open descriptors.
    pub fd_limit: u64,
    pub lag_ms: Option<Lag>,
    /// Status reads the detected waits made (`Outcome::polls`).
    pub status_reads: u64,
    /// What polling every poll-max would have sent for the same jobs: per job,
    /// 1 trigger + ceil(duration / poll_max) reads.
    pub fixed_requests: u64,
    /// 429 answers the client saw: retried status reads, and waits that ended in one.
    pub client_429s: u64,
    /// The size of one `start_job_and_wait` future, which every sleeping wait holds.
    pub wait_future_bytes: u64,
    /// The size of one `start_job` future: a trigger on its own, which a wait may hold boxed
    /// while its trigger is queued or in flight.
    pub trigger_future_bytes: u64,
    /// The highest RSS sampled until the last trigger was answered, in KiB: the part of the
    /// peak that the trigger burst accounts for.
    pub rss_when_triggered_kib: u64,
    /// When, from the fleet's start, the last trigger was answered.
    pub triggered_by_s: f64,
}

/// One detected job.
struct Detected {
    lag_ms: f64,
    duration: Duration,
    polls: u32,
}

pub fn fleet(args: &Args) -> Result<()> {
    if args.min_definition == 0 || args.min_definition > args.max_definition {
        bail!(
            "definitions {}..={} are not a range of positive ids",
            args.min_definition,
            args.max_definition
        );
    }
    let sampler = SocketSampler::start(Duration::from_millis(50));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the fleet's tokio runtime")?;
    let client = match args.budget() {
        Some(budget) => budget_client(&args.url, &args.key, budget)?,
        None => fleet_client(&args.url, &args.key)?,
    };
    // Leaked: every task borrows them for the life of the process.
    let client: &'static TroccoClient = Box::leak(Box::new(client));
    let options: &'static WaitOptions = Box::leak(Box::new(WaitOptions {
        timeout: Duration::from_secs(args.timeout_s),
        poll_min: Duration::from_millis(args.poll_min_ms),
        poll_max: Duration::from_millis(args.poll_max_ms),
        ..WaitOptions::default()
    }));
    let counters: &'static Counters = Box::leak(Box::new(Counters {
        client_429s: AtomicU64::new(0),
        triggered_by_ms: AtomicU64::new(0),
        started: Instant::now(),
    }));
    let started = counters.started;
    let (detected, errors, (wait_future_bytes, trigger_future_bytes)) =
        runtime.block_on(run_fleet(args, client, options, counters));
    let wall = started.elapsed();
    drop(runtime);
    let peaks = sampler.finish();

    let mut lags: Vec<f64> = detected.iter().map(|d| d.lag_ms).collect();
    lags.sort_by(f64::total_cmp);
    let lag_ms = match (
        percentile(&lags, 50.0),
        percentile(&lags, 99.0),
        lags.last(),
    ) {
        (Some(p50), Some(p99), Some(&max)) => Some(Lag { p50, p99, max }),
        _ => None,
    };
    let poll_max = Duration::from_millis(args.poll_max_ms.max(1));
    let result = FleetResult {
        waits: args.waits,
        detected: detected.len() as u64,
        failed: errors.0,
        first_errors: errors.1,
        peak_rss_kib: measure::peak_rss_kib(),
        cpu_s: measure::process_cpu()
            .saturating_sub(peaks.sampler_cpu)
            .as_secs_f64(),
        sampler_cpu_s: peaks.sampler_cpu.as_secs_f64(),
        wall_s: wall.as_secs_f64(),
        peak_sockets: peaks.sockets,
        peak_fds: peaks.fds,
        fd_limit: measure::fd_limit(),
        lag_ms,
        status_reads: detected.iter().map(|d| u64::from(d.polls)).sum(),
        fixed_requests: detected
            .iter()
            .map(|d| 1 + d.duration.as_nanos().div_ceil(poll_max.as_nanos()) as u64)
            .sum(),
        client_429s: counters.client_429s.load(Ordering::Relaxed),
        wait_future_bytes,
        trigger_future_bytes,
        rss_when_triggered_kib: peaks
            .rss
            .iter()
            .filter(|(at, _)| {
                at.saturating_duration_since(started).as_millis()
                    <= u128::from(counters.triggered_by_ms.load(Ordering::Relaxed)) + 100
            })
            .map(|&(_, kib)| kib)
            .max()
            .unwrap_or(0),
        triggered_by_s: counters.triggered_by_ms.load(Ordering::Relaxed) as f64 / 1000.0,
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

/// What the waits of a fleet count together.
struct Counters {
    client_429s: AtomicU64,
    /// Milliseconds from `started` to the latest first status (the trigger's answer).
    triggered_by_ms: AtomicU64,
    started: Instant,
}

/// (failure count, the first few failure messages)
type Failures = (u64, Vec<String>);

async fn run_fleet(
    args: &Args,
    client: &'static TroccoClient,
    options: &'static WaitOptions,
    counters: &'static Counters,
) -> (Vec<Detected>, Failures, (u64, u64)) {
    let probe_run = RunJob::new(NonZeroU64::MIN);
    let mut ignore = |_: &WaitEvent| {};
    // Never polled, so nothing is sent.
    let probe = client.start_job_and_wait(&probe_run, options, &mut ignore);
    let trigger = client.start_job(&probe_run);
    let sizes = (
        std::mem::size_of_val(&probe) as u64,
        std::mem::size_of_val(&trigger) as u64,
    );
    drop((probe, trigger));

    if args.waits == 0 {
        // Let the worker threads start, as they have in a fleet.
        tokio::time::sleep(Duration::from_millis(200)).await;
        return (Vec::new(), (0, Vec::new()), sizes);
    }
    // A fixed seed: the same fleet gets the same durations every run.
    let mut rng = fastrand::Rng::with_seed(0x6a6f_6272_756e);
    let handles: Vec<_> = (0..args.waits)
        .map(|_| {
            let definition = rng.u64(args.min_definition..=args.max_definition);
            tokio::spawn(one_wait(client, definition, options, counters))
        })
        .collect();

    let mut detected = Vec::with_capacity(handles.len());
    let mut failures: Failures = (0, Vec::new());
    for handle in handles {
        let failure = match handle.await {
            Ok(Ok(done)) => {
                detected.push(done);
                continue;
            }
            Ok(Err(message)) => message,
            Err(join) => format!("the wait's task died: {join}"),
        };
        failures.0 += 1;
        if failures.1.len() < 3 {
            failures.1.push(failure);
        }
    }
    (detected, failures, sizes)
}

async fn one_wait(
    client: &'static TroccoClient,
    definition: u64,
    options: &'static WaitOptions,
    counters: &'static Counters,
) -> Result<Detected, String> {
    let definition = NonZeroU64::new(definition).ok_or("definition 0 does not exist")?;
    let mut on_event = |event: &WaitEvent| match event {
        WaitEvent::Retrying { reason, .. } if reason.contains("answered HTTP 429") => {
            counters.client_429s.fetch_add(1, Ordering::Relaxed);
        }
        // The first status comes from the trigger's answer.
        WaitEvent::Status { previous: None, .. } => {
            let at = counters.started.elapsed().as_millis();
            let at = u64::try_from(at).unwrap_or(u64::MAX);
            counters.triggered_by_ms.fetch_max(at, Ordering::Relaxed);
        }
        _ => {}
    };
    let outcome = client
        .start_job_and_wait(&RunJob::new(definition), options, &mut on_event)
        .await;
    let returned = Utc::now();
    match outcome {
        Ok(outcome) => detected(&outcome, returned),
        Err(error) => {
            if let Error::Api(api) = &error
                && api.status == 429
            {
                counters.client_429s.fetch_add(1, Ordering::Relaxed);
            }
            Err(error.to_string())
        }
    }
}

fn detected(outcome: &Outcome, returned: DateTime<Utc>) -> Result<Detected, String> {
    if !outcome.state.is_success() {
        return Err(format!(
            "{} ended {} ({}), but every bench definition succeeds",
            outcome.job, outcome.state, outcome.vendor_status
        ));
    }
    let time =
        |name: &str, t: Option<&jobrun::VendorTime>| -> Result<DateTime<FixedOffset>, String> {
            t.and_then(jobrun::VendorTime::parse)
                .ok_or_else(|| format!("{} has no readable {name}: {t:?}", outcome.job))
        };
    let finished = time("finished_at", outcome.finished_at.as_ref())?;
    let created = time("created_at", outcome.created_at.as_ref())?;
    let lag = returned.signed_duration_since(finished);
    let duration = finished.signed_duration_since(created);
    Ok(Detected {
        lag_ms: lag.num_microseconds().unwrap_or(i64::MAX) as f64 / 1000.0,
        duration: duration.to_std().unwrap_or_default(),
        polls: outcome.polls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn arguments_survive_the_trip_to_the_child() {
        let args = Args {
            url: "http://127.0.0.1:1".into(),
            key: "k".into(),
            waits: 7,
            min_definition: 10,
            max_definition: 50,
            poll_min_ms: 1000,
            poll_max_ms: 5000,
            timeout_s: 60,
            budget_requests: Some(350),
            budget_per_ms: Some(3000),
        };
        let argv = args.to_argv();
        let parsed = Wrap::try_parse_from(argv.iter().map(String::as_str)).expect("parses");
        assert_eq!(parsed.args.to_argv(), argv);
        assert_eq!(
            parsed.args.budget(),
            Some(Budget {
                requests: 350,
                per: Duration::from_secs(3)
            })
        );
    }
}
