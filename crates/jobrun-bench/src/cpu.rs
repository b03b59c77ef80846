//! `jobrun-bench cpu`: client CPU per status read, `TroccoClient::job` against bare reqwest +
//! serde, in a child process on a current-thread runtime so that the process's CPU is the
//! client's alone. Prints one [`CpuResult`] line.
//!
//! Rounds alternate A (facade), B (bare), A, B, … so that drift (CPU frequency, the
//! simulator's growing state) touches both alike; each round reads sequentially on one
//! kept-alive connection.

use std::num::NonZeroU64;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::header::AUTHORIZATION;
use serde::{Deserialize, Serialize};
use trocco_api::types::TransferJob;

use crate::clients::fleet_client;
use crate::measure::{median, process_cpu};

#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    #[arg(long)]
    pub url: String,
    #[arg(long)]
    pub key: String,
    /// The transfer job to read.
    #[arg(long)]
    pub job: u64,
    /// Rounds per client (at least 5).
    #[arg(long, default_value_t = 10)]
    pub rounds: u32,
    /// Status reads per round.
    #[arg(long, default_value_t = 2000)]
    pub reads: u32,
}

impl Args {
    pub fn to_argv(&self) -> Vec<String> {
        vec![
            "cpu".to_owned(),
            format!("--url={}", self.url),
            format!("--key={}", self.key),
            format!("--job={}", self.job),
            format!("--rounds={}", self.rounds),
            format!("--reads={}", self.reads),
        ]
    }
}

/// What the CPU comparison measured.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct CpuResult {
    pub rounds: u32,
    pub reads_per_round: u32,
    /// Mean CPU per read over all rounds, in microseconds.
    pub facade_us: f64,
    pub bare_us: f64,
    /// The median of the per-round ratios facade / bare.
    pub median_ratio: f64,
    pub ratios: Vec<f64>,
}

pub fn cpu(args: &Args) -> Result<()> {
    if args.rounds < 5 || args.reads == 0 {
        bail!("need at least 5 rounds of at least 1 read");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start a current-thread tokio runtime")?;
    let result = runtime.block_on(compare(args))?;
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

async fn compare(args: &Args) -> Result<CpuResult> {
    let id = NonZeroU64::new(args.job).context("job id 0 does not exist")?;
    let facade = fleet_client(&args.url, &args.key)?;
    let bare = reqwest::Client::new();
    let url = format!("{}/api/jobs/{id}", args.url.trim_end_matches('/'));
    let auth = format!("Token {}", args.key);

    let facade_read = || async {
        facade
            .job(id)
            .await
            .map(drop)
            .context("the facade's status read failed")
    };
    let bare_read = || async {
        let answer = bare
            .get(&url)
            .header(AUTHORIZATION, &auth)
            .send()
            .await
            .context("the bare status read failed")?;
        if !answer.status().is_success() {
            bail!("the bare status read answered HTTP {}", answer.status());
        }
        let body = answer.bytes().await.context("the bare read's body")?;
        let job: TransferJob =
            serde_json::from_slice(&body).context("the bare read's body is not a TransferJob")?;
        drop(job);
        Ok(())
    };

    // Warm-up: opens each client's connection and fills allocator caches.
    for _ in 0..50 {
        facade_read().await?;
        bare_read().await?;
    }
    let (mut facade_cpu, mut bare_cpu) = (Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::new();
    for _ in 0..args.rounds {
        let a = timed(args.reads, facade_read).await?;
        let b = timed(args.reads, bare_read).await?;
        facade_cpu += a;
        bare_cpu += b;
        if !b.is_zero() {
            ratios.push(a.as_secs_f64() / b.as_secs_f64());
        }
    }
    let reads = f64::from(args.rounds) * f64::from(args.reads);
    Ok(CpuResult {
        rounds: args.rounds,
        reads_per_round: args.reads,
        facade_us: facade_cpu.as_secs_f64() * 1e6 / reads,
        bare_us: bare_cpu.as_secs_f64() * 1e6 / reads,
        median_ratio: median(&ratios).context("no round measured any CPU")?,
        ratios,
    })
}

/// The process CPU `reads` sequential calls of `read` took.
async fn timed<F, Fut>(reads: u32, read: F) -> Result<Duration>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let before = process_cpu();
    for _ in 0..reads {
        read().await?;
    }
    Ok(process_cpu().saturating_sub(before))
}
