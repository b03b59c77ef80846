//! The top-level run: starts the simulator and the measuring children one section at a time
//! (so that no two compete for the two cores), then prints the header and the table.
//!
//! Exit status: a child that crashes or answers nonsense is an error in every mode. A quick
//! run also fails when a wait fails or a job goes undetected (it is CI's smoke test); a full
//! run reports those in the table, beside its targets, and does not fail on them.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::header::AUTHORIZATION;
use serde::de::DeserializeOwned;
use trocco_api::types::TransferJob;

use crate::cpu::{self, CpuResult};
use crate::fleet::{self, FleetResult};
use crate::measure::median;
use crate::report::{self, Report};
use crate::serve::{self, Ready, Stats};

/// One fleet of the run.
#[derive(Clone, Copy, Debug)]
pub struct FleetSpec {
    pub waits: u64,
    /// Catalog definitions to pick from (definition k runs k × 100 ms).
    pub definitions: (u64, u64),
    pub poll_min: Duration,
    pub poll_max: Duration,
}

/// The budget run: waits against a simulator enforcing `limit` calls per `per`.
#[derive(Clone, Copy, Debug)]
pub struct BudgetSpec {
    pub fleet: FleetSpec,
    pub limit: u32,
    pub per: Duration,
}

/// The sizes of one run.
#[derive(Clone, Debug)]
pub struct Plan {
    pub quick: bool,
    pub cpu_rounds: u32,
    pub cpu_reads: u32,
    pub fleets: Vec<FleetSpec>,
    pub budget: BudgetSpec,
    pub capacity_for: Duration,
    pub capacity_loops: usize,
    pub decode_rounds: u32,
    pub decodes_per_round: u32,
}

const S: fn(u64) -> Duration = Duration::from_secs;

impl Plan {
    pub fn new(quick: bool) -> Self {
        // Definitions 10..=600 run 1–60 s; 10..=50 run 1–5 s.
        let (long, short) = ((10, 600), (10, 50));
        let fleet = |waits, definitions, poll_min, poll_max| FleetSpec {
            waits,
            definitions,
            poll_min,
            poll_max,
        };
        if quick {
            Self {
                quick,
                cpu_rounds: 5,
                cpu_reads: 200,
                fleets: vec![
                    fleet(200, short, S(1), S(5)),
                    fleet(1_000, short, S(1), S(5)),
                    fleet(2_000, short, S(5), S(60)),
                ],
                // About 4 requests per 1–5 s job ask for 75/s, against 50/s. The window still
                // holds every trigger: a trigger refused with 429 is never repeated, so its
                // wait would fail instead of showing the budget's effect.
                budget: BudgetSpec {
                    fleet: fleet(200, short, S(1), S(5)),
                    limit: 250,
                    per: S(5),
                },
                capacity_for: S(1),
                capacity_loops: 64,
                decode_rounds: 5,
                decodes_per_round: 20_000,
            }
        } else {
            Self {
                quick,
                cpu_rounds: 10,
                cpu_reads: 2_000,
                fleets: vec![
                    fleet(1_000, long, S(1), S(5)),
                    fleet(10_000, long, S(1), S(5)),
                    // poll-min: WaitOptions' default.
                    fleet(100_000, long, S(5), S(60)),
                ],
                // trocco's 3,500 calls per 10 minutes, 20 times faster. Polling 1–5 s, 2,000
                // jobs of 1–60 s ask for about 20,000 calls in a minute: three times the budget.
                budget: BudgetSpec {
                    fleet: fleet(2_000, long, S(1), S(5)),
                    limit: 3_500,
                    per: S(30),
                },
                capacity_for: S(4),
                capacity_loops: 64,
                decode_rounds: 10,
                decodes_per_round: 100_000,
            }
        }
    }
}

/// A child process speaking JSON lines on its stdin/stdout; its stderr is ours.
struct ChildProc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl ChildProc {
    fn spawn(name: &str, args: &[String]) -> Result<Self> {
        let exe = std::env::current_exe().context("cannot find this program's own path")?;
        let mut child = Command::new(&exe)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start the {name} child ({})", exe.display()))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .with_context(|| format!("the {name} child has no stdout pipe"))?;
        Ok(Self {
            name: name.to_owned(),
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    fn read<T: DeserializeOwned>(&mut self) -> Result<T> {
        let mut line = String::new();
        let read = self
            .stdout
            .read_line(&mut line)
            .with_context(|| format!("cannot read from the {} child", self.name))?;
        if read == 0 {
            let status = self.child.wait().map(|s| s.to_string());
            bail!(
                "the {} child ended ({}) without printing its result; its stderr is above",
                self.name,
                status.unwrap_or_else(|e| format!("status unknown: {e}"))
            );
        }
        serde_json::from_str(line.trim()).with_context(|| {
            format!(
                "the {} child printed something unexpected: {line:?}",
                self.name
            )
        })
    }

    fn send(&mut self, command: &str) -> Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .with_context(|| format!("the {} child's stdin is closed", self.name))?;
        writeln!(stdin, "{command}")
            .and_then(|()| stdin.flush())
            .with_context(|| format!("cannot send {command:?} to the {} child", self.name))
    }

    /// Closes its stdin and waits for it; a failure exit is an error.
    fn finish(mut self) -> Result<()> {
        drop(self.stdin.take());
        let status = self
            .child
            .wait()
            .with_context(|| format!("cannot wait for the {} child", self.name))?;
        if !status.success() {
            bail!("the {} child failed ({status})", self.name);
        }
        Ok(())
    }
}

/// A `serve` child: the trocco simulator in its own process.
struct Sim {
    proc: ChildProc,
    ready: Ready,
}

impl Sim {
    fn start(limit: Option<(u32, Duration)>) -> Result<Self> {
        let mut args = vec!["serve".to_owned()];
        args.extend(serve::Args::to_argv(limit));
        let mut proc = ChildProc::spawn("simulator", &args)?;
        let ready = proc.read()?;
        Ok(Self { proc, ready })
    }

    fn stats(&mut self) -> Result<Stats> {
        self.proc.send("stats")?;
        self.proc.read()
    }

    fn stop(self) -> Result<()> {
        self.proc.finish()
    }
}

/// A fleet's result with what the simulator counted during it.
#[derive(Debug, Clone)]
pub struct FleetRun {
    pub spec: FleetSpec,
    pub result: FleetResult,
    pub sim: Stats,
}

/// The simulator's ceiling.
#[derive(Debug, Clone, Copy)]
pub struct Capacity {
    pub reads: u64,
    pub errors: u64,
    pub seconds: f64,
    pub loops: usize,
}

/// Decoding throughput, documents per second.
#[derive(Debug, Clone)]
pub struct Decode {
    pub typed_per_s: f64,
    pub value_per_s: f64,
    pub median_ratio: f64,
    pub document_bytes: usize,
}

pub fn run(quick: bool) -> Result<bool> {
    let started = Instant::now();
    let plan = Plan::new(quick);
    let mode = if quick { "quick" } else { "full" };
    eprintln!("jobrun-bench: {mode} run; the table follows when every section is done");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;

    eprintln!("[1/5] client CPU per status read; [4/5] simulator capacity; [5/5] decoding");
    let mut sim = Sim::start(None)?;
    let http = reqwest::Client::new();
    let (job, document) = runtime.block_on(finished_job(&http, &sim.ready))?;
    let mut cpu_child = ChildProc::spawn(
        "cpu",
        &cpu::Args {
            url: sim.ready.base_url.clone(),
            key: sim.ready.api_key.clone(),
            job,
            rounds: plan.cpu_rounds,
            reads: plan.cpu_reads,
        }
        .to_argv(),
    )?;
    let cpu: CpuResult = cpu_child.read()?;
    cpu_child.finish()?;
    let capacity = runtime.block_on(capacity(&http, &sim.ready, job, &plan))?;
    sim.stats()?;
    sim.stop()?;
    drop(http);
    drop(runtime);
    let decode = decode(&document, &plan)?;

    eprintln!("[2/5] fleets: baseline (0 waits)");
    let baseline = run_fleet(
        FleetSpec {
            waits: 0,
            ..plan.fleets[0]
        },
        None,
    )?
    .result;
    let mut fleets = Vec::new();
    for spec in &plan.fleets {
        eprintln!("[2/5] fleet of {} waits", report::group(spec.waits));
        fleets.push(run_fleet(*spec, None)?);
    }

    eprintln!(
        "[3/5] budget: {} waits, simulator limit {} calls per {} s",
        report::group(plan.budget.fleet.waits),
        report::group(u64::from(plan.budget.limit)),
        plan.budget.per.as_secs()
    );
    let budget = run_fleet(
        plan.budget.fleet,
        Some((plan.budget.limit, plan.budget.per)),
    )?;

    let report = Report {
        plan: plan.clone(),
        cpu,
        baseline,
        fleets,
        budget,
        capacity,
        decode,
        elapsed: started.elapsed(),
    };
    println!("{}", report::header(&plan));
    println!();
    println!("{}", report.table());
    let broken = report.broken();
    for problem in &broken {
        eprintln!("jobrun-bench: {problem}");
    }
    Ok(!quick || broken.is_empty())
}

/// Runs one fleet child against a fresh simulator (so its counters are the fleet's alone).
fn run_fleet(spec: FleetSpec, limit: Option<(u32, Duration)>) -> Result<FleetRun> {
    let mut sim = Sim::start(limit)?;
    let args = fleet::Args {
        url: sim.ready.base_url.clone(),
        key: sim.ready.api_key.clone(),
        waits: spec.waits,
        min_definition: spec.definitions.0,
        max_definition: spec.definitions.1,
        poll_min_ms: millis(spec.poll_min),
        poll_max_ms: millis(spec.poll_max),
        // Beyond any job (60 s) plus its slowest read (60 s) plus a trigger's retries (120 s):
        // a wait still going then is stuck, and counts as failed.
        timeout_s: 300,
        budget_requests: limit.map(|(requests, _)| requests),
        budget_per_ms: limit.map(|(_, per)| millis(per)),
    };
    let mut child = ChildProc::spawn("fleet", &args.to_argv())?;
    let result: FleetResult = child.read()?;
    child.finish()?;
    let stats = sim.stats()?;
    sim.stop()?;
    Ok(FleetRun {
        spec,
        result,
        sim: stats,
    })
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Triggers definition 1 (100 ms) and returns its id and its finished status document, the
/// fullest one the simulator sends (every timestamp set).
async fn finished_job(http: &reqwest::Client, sim: &Ready) -> Result<(u64, Vec<u8>)> {
    let auth = format!("Token {}", sim.api_key);
    let created: TransferJob = http
        .post(format!("{}/api/jobs?job_definition_id=1", sim.base_url))
        .header(AUTHORIZATION, &auth)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .context("the simulator refused a trigger")?
        .json()
        .await
        .context("the simulator's trigger answer is not a TransferJob")?;
    let id = u64::try_from(created.id).context("the simulator answered a negative job id")?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let body = http
        .get(format!("{}/api/jobs/{id}", sim.base_url))
        .header(AUTHORIZATION, &auth)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .context("the simulator refused a status read")?
        .bytes()
        .await
        .context("cannot read a status document")?;
    let job: TransferJob =
        serde_json::from_slice(&body).context("the status document is not a TransferJob")?;
    if job.finished_at.is_none() {
        bail!("job {id} of definition 1 (100 ms) has not finished after 300 ms");
    }
    Ok((id, body.to_vec()))
}

/// Status reads per second from `plan.capacity_loops` concurrent keep-alive loops.
async fn capacity(http: &reqwest::Client, sim: &Ready, job: u64, plan: &Plan) -> Result<Capacity> {
    let url = format!("{}/api/jobs/{job}", sim.base_url);
    let auth = format!("Token {}", sim.api_key);
    let started = Instant::now();
    let until = tokio::time::Instant::now() + plan.capacity_for;
    let loops: Vec<_> = (0..plan.capacity_loops)
        .map(|_| {
            let (http, url, auth) = (http.clone(), url.clone(), auth.clone());
            tokio::spawn(async move {
                let (mut reads, mut errors) = (0u64, 0u64);
                while tokio::time::Instant::now() < until {
                    let answer = http.get(&url).header(AUTHORIZATION, &auth).send().await;
                    let ok = match answer {
                        Ok(answer) if answer.status().is_success() => answer.bytes().await.is_ok(),
                        _ => false,
                    };
                    if ok {
                        reads += 1;
                    } else {
                        errors += 1;
                    }
                }
                (reads, errors)
            })
        })
        .collect();
    let (mut reads, mut errors) = (0, 0);
    for handle in loops {
        let (r, e) = handle.await.context("a capacity loop died")?;
        reads += r;
        errors += e;
    }
    Ok(Capacity {
        reads,
        errors,
        seconds: started.elapsed().as_secs_f64(),
        loops: plan.capacity_loops,
    })
}

/// Documents per second into `TransferJob` and into `serde_json::Value`, interleaved rounds.
fn decode(document: &[u8], plan: &Plan) -> Result<Decode> {
    // Fails here, with the reason, rather than inside the timed loop.
    serde_json::from_slice::<TransferJob>(document).context("the document is not a TransferJob")?;
    serde_json::from_slice::<serde_json::Value>(document).context("the document is not JSON")?;
    let n = plan.decodes_per_round;
    let rate = |decode: &dyn Fn(&[u8]) -> bool| -> f64 {
        let started = Instant::now();
        let mut ok = 0u32;
        for _ in 0..n {
            ok += u32::from(decode(std::hint::black_box(document)));
        }
        f64::from(ok) / started.elapsed().as_secs_f64().max(1e-9)
    };
    let typed = |d: &[u8]| {
        std::hint::black_box(serde_json::from_slice::<TransferJob>(d))
            .map(drop)
            .is_ok()
    };
    let value = |d: &[u8]| {
        std::hint::black_box(serde_json::from_slice::<serde_json::Value>(d))
            .map(drop)
            .is_ok()
    };
    let (mut typed_rates, mut value_rates, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..plan.decode_rounds {
        let a = rate(&typed);
        let b = rate(&value);
        typed_rates.push(a);
        value_rates.push(b);
        ratios.push(a / b.max(1e-9));
    }
    Ok(Decode {
        typed_per_s: median(&typed_rates).context("no decode round")?,
        value_per_s: median(&value_rates).context("no decode round")?,
        median_ratio: median(&ratios).context("no decode round")?,
        document_bytes: document.len(),
    })
}
