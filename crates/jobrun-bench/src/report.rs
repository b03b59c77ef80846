//! The header line and the markdown table.

use std::process::Command;
use std::time::Duration;

use crate::cpu::CpuResult;
use crate::fleet::FleetResult;
use crate::run::{Capacity, Decode, FleetRun, Plan};

/// Targets from the issue.
const CPU_RATIO_TARGET: f64 = 1.10;
const RSS_10K_TARGET_MIB: f64 = 48.0;
const RSS_100K_TARGET_MIB: f64 = 256.0;
const LAG_SLACK_MS: f64 = 100.0;

/// Everything one run measured.
pub struct Report {
    pub plan: Plan,
    pub cpu: CpuResult,
    pub baseline: FleetResult,
    pub fleets: Vec<FleetRun>,
    pub budget: FleetRun,
    pub capacity: Capacity,
    pub decode: Decode,
    pub elapsed: Duration,
}

/// `12,345`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// `850 ms`, `4.93 s`, `61.2 s`.
fn ms(ms: f64) -> String {
    match ms.abs() {
        m if m < 1000.0 => format!("{ms:.0} ms"),
        m if m < 10_000.0 => format!("{:.2} s", ms / 1000.0),
        _ => format!("{:.1} s", ms / 1000.0),
    }
}

/// `1.23 M/s`, `45.6 k/s`.
fn rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.2} M/s", per_s / 1e6)
    } else if per_s >= 1e3 {
        format!("{:.1} k/s", per_s / 1e3)
    } else {
        format!("{per_s:.0}/s")
    }
}

fn met(ok: bool) -> &'static str {
    if ok { "✅" } else { "❌" }
}

/// The first line: when, on what, which build, which commit.
pub fn header(plan: &Plan) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == "model name").then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|line| {
            let kib: u64 = line
                .strip_prefix("MemTotal:")?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB RAM", kib as f64 / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "RAM unknown".to_owned());
    // Another build or test on the machine skews every figure; the reader should know.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .map_or_else(String::new, |l| format!(" · load {l} at the end"));
    let profile = if cfg!(debug_assertions) {
        "dev profile (debug)"
    } else {
        "release profile"
    };
    let mode = if plan.quick {
        "quick run (smoke sizes, targets not enforced)"
    } else {
        "full run"
    };
    format!(
        "**jobrun-bench** {} · {mode} · {model} · {cores} cores · {memory}{load} · {profile} · commit {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        git_commit()
    )
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn git_commit() -> String {
    match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{commit} (uncommitted changes)")
            } else {
                commit
            }
        }
        None => "unknown (not a git checkout)".to_owned(),
    }
}

/// Table rows: section, measure, jobrun, baseline, ratio or target, met.
struct Table(Vec<[String; 6]>);

impl Table {
    fn row(&mut self, cells: [&str; 6]) {
        self.0.push(cells.map(str::to_owned));
    }

    fn render(&self) -> String {
        let mut out = String::from(
            "| section | measure | jobrun | baseline (same run) | ratio or target | met |\n\
             |---|---|---|---|---|---|\n",
        );
        for row in &self.0 {
            out.push_str("| ");
            out.push_str(&row.join(" | "));
            out.push_str(" |\n");
        }
        out
    }
}

impl Report {
    /// What broke (as opposed to a missed target): failed waits, undetected jobs.
    pub fn broken(&self) -> Vec<String> {
        self.fleets
            .iter()
            .map(|f| ("fleet", f))
            .chain([("budget run", &self.budget)])
            .filter(|(_, f)| f.result.failed > 0 || f.result.detected < f.result.waits)
            .map(|(what, f)| {
                format!(
                    "{what} of {} waits: {} detected, {} failed; first errors: {:?}",
                    group(f.result.waits),
                    group(f.result.detected),
                    group(f.result.failed),
                    f.result.first_errors
                )
            })
            .collect()
    }

    pub fn table(&self) -> String {
        let mut t = Table(Vec::new());
        let quick = self.plan.quick;

        let cpu = &self.cpu;
        t.row([
            "1 client CPU",
            "CPU per status read",
            &format!("{:.1} µs (`TroccoClient::job`)", cpu.facade_us),
            &format!("{:.1} µs (bare reqwest + serde)", cpu.bare_us),
            &format!(
                "{:.2}× median of {} rounds × {} reads (target ≤ {CPU_RATIO_TARGET:.2}×)",
                cpu.median_ratio, cpu.rounds, cpu.reads_per_round
            ),
            met(cpu.median_ratio <= CPU_RATIO_TARGET),
        ]);

        let base_kib = self.baseline.peak_rss_kib;
        for fleet in &self.fleets {
            let r = &fleet.result;
            let n = r.waits.max(1);
            let section = format!("2 fleet {}", group(r.waits));
            let section = section.as_str();
            let per_wait_kib = r.peak_rss_kib.saturating_sub(base_kib) as f64 / n as f64;
            let (rss_target, rss_met) = match (quick, r.waits) {
                (false, 10_000) => (
                    format!("≤ {RSS_10K_TARGET_MIB:.0} MiB"),
                    met(mib(r.peak_rss_kib) <= RSS_10K_TARGET_MIB),
                ),
                (false, 100_000) => (
                    format!("all complete, < {RSS_100K_TARGET_MIB:.0} MiB"),
                    met(mib(r.peak_rss_kib) < RSS_100K_TARGET_MIB && r.detected == r.waits),
                ),
                _ => ("—".to_owned(), ""),
            };
            let peak_at = if r.waits > 0 {
                format!(
                    "; {:.1} MiB when the last trigger was answered, at {:.1} s",
                    mib(r.rss_when_triggered_kib),
                    r.triggered_by_s
                )
            } else {
                String::new()
            };
            t.row([
                section,
                "peak RSS²",
                &format!(
                    "{:.1} MiB ({per_wait_kib:.2} KiB/wait{peak_at})",
                    mib(r.peak_rss_kib)
                ),
                &format!("{:.1} MiB (0 waits)", mib(base_kib)),
                &rss_target,
                rss_met,
            ]);
            t.row([
                section,
                "CPU · wall",
                &format!(
                    "{:.1} s ({:.2} ms/job) · {:.0} s",
                    r.cpu_s,
                    r.cpu_s * 1000.0 / n as f64,
                    r.wall_s
                ),
                &format!("{:.2} s (0 waits)", self.baseline.cpu_s),
                "",
                "",
            ]);
            let sent = fleet.sim.received as f64 / n as f64;
            let fixed = r.fixed_requests as f64 / r.detected.max(1) as f64;
            t.row([
                section,
                "requests per job¹",
                &format!("{sent:.2}"),
                &format!(
                    "{fixed:.2} (fixed polling every {} s)",
                    fleet.spec.poll_max.as_secs()
                ),
                &format!("{:.2}×", sent / fixed.max(f64::MIN_POSITIVE)),
                "",
            ]);
            let lag_target = fleet.spec.poll_max.as_secs_f64() * 1000.0 + LAG_SLACK_MS;
            let (lag, lag_met) = match r.lag_ms {
                Some(lag) => (
                    format!("{} / {}", ms(lag.p50), ms(lag.p99)),
                    met(lag.p99 <= lag_target),
                ),
                None => ("—".to_owned(), met(false)),
            };
            t.row([
                section,
                "detection lag³ p50 / p99",
                &lag,
                "",
                &format!("p99 ≤ {}", ms(lag_target)),
                lag_met,
            ]);
            t.row([
                section,
                "peak open sockets",
                &format!(
                    "{} (descriptor limit {})",
                    group(r.peak_sockets),
                    group(r.fd_limit)
                ),
                &group(self.baseline.peak_sockets),
                "",
                "",
            ]);
            t.row([
                section,
                "jobs detected / failed",
                &format!("{} / {}", group(r.detected), group(r.failed)),
                "",
                &format!("all {}", group(r.waits)),
                met(r.detected == r.waits && r.failed == 0),
            ]);
        }

        let b = &self.budget;
        let budget = &self.plan.budget;
        let section = format!(
            "3 budget {} / {} s",
            group(u64::from(budget.limit)),
            budget.per.as_secs()
        );
        let section = section.as_str();
        let sim_429s = b.sim.answered(429);
        t.row([
            section,
            "429s at simulator / client⁴",
            &format!("{} / {}", group(sim_429s), group(b.result.client_429s)),
            "",
            "0",
            met(sim_429s == 0 && b.result.client_429s == 0),
        ]);
        let allowed = f64::from(budget.limit) / budget.per.as_secs_f64();
        let sent = b.sim.received as f64 / b.result.wall_s.max(1e-9);
        // What the same waits ask for with nobody refusing: the unthrottled fleet with the
        // same durations and polling, scaled to the budget run's size.
        let twin = self.fleets.iter().find(|f| {
            let (s, o) = (&f.spec, &budget.fleet);
            (s.definitions, s.poll_min, s.poll_max) == (o.definitions, o.poll_min, o.poll_max)
        });
        let demand = twin.map(|f| {
            f.sim.received as f64 / f.result.wall_s.max(1e-9) * budget.fleet.waits as f64
                / f.spec.waits.max(1) as f64
        });
        t.row([
            section,
            "requests per second",
            &format!(
                "{sent:.0}/s ({} in {:.0} s)",
                group(b.sim.received),
                b.result.wall_s
            ),
            &match (demand, twin) {
                (Some(demand), Some(twin)) => format!(
                    "budget {allowed:.0}/s; unthrottled demand {demand:.0}/s (fleet {} scaled)",
                    group(twin.spec.waits)
                ),
                _ => format!("budget {allowed:.0}/s"),
            },
            &demand.map_or(String::new(), |d| {
                format!("demand {:.1}× the budget", d / allowed)
            }),
            "",
        ]);
        t.row([
            section,
            "jobs detected / failed",
            &format!("{} / {}", group(b.result.detected), group(b.result.failed)),
            "",
            &format!("all {}", group(b.result.waits)),
            met(b.result.detected == b.result.waits && b.result.failed == 0),
        ]);
        t.row([
            section,
            "detection lag³ p50 / p99",
            &b.result.lag_ms.map_or("—".to_owned(), |l| {
                format!("{} / {}", ms(l.p50), ms(l.p99))
            }),
            "",
            "",
            "",
        ]);

        let c = &self.capacity;
        t.row([
            "4 simulator",
            "status reads per second⁵",
            &rate(c.reads as f64 / c.seconds.max(1e-9)),
            "",
            &format!(
                "{} loops, {:.0} s, {} errors",
                c.loops,
                c.seconds,
                group(c.errors)
            ),
            "",
        ]);

        let d = &self.decode;
        t.row([
            "5 decoding",
            "status documents per second",
            &format!("{} (`TransferJob`)", rate(d.typed_per_s)),
            &format!("{} (`serde_json::Value`)", rate(d.value_per_s)),
            &format!(
                "{:.2}× (median of {} rounds, {}-byte document)",
                d.median_ratio, self.plan.decode_rounds, d.document_bytes
            ),
            "",
        ]);

        let mut out = t.render();
        out.push_str(&self.footnotes());
        out
    }

    fn footnotes(&self) -> String {
        let (future, trigger) = self.fleets.first().map_or((0, 0), |f| {
            (f.result.wait_future_bytes, f.result.trigger_future_bytes)
        });
        let sampler: f64 = self.fleets.iter().map(|f| f.result.sampler_cpu_s).sum();
        let spreads: Vec<String> = self
            .fleets
            .iter()
            .map(|f| {
                format!(
                    "{}: durations {}–{} s, poll {}–{} s",
                    group(f.spec.waits),
                    f.spec.definitions.0 as f64 / 10.0,
                    f.spec.definitions.1 as f64 / 10.0,
                    f.spec.poll_min.as_secs(),
                    f.spec.poll_max.as_secs()
                )
            })
            .collect();
        format!(
            "\n¹ jobrun: every request the simulator received during the fleet (triggers, reads, \
             retries) / jobs. Fixed polling, from the same jobs' durations d = finished_at − \
             created_at: Σ (1 trigger + ⌈d / poll_max⌉ reads) / jobs.\n\
             ² Each fleet in a fresh child process (multi-thread tokio runtime, one shared \
             client, one task per wait); baseline: the same child with 0 waits (runtime + \
             client). RSS per wait = (peak − baseline) / N. One `start_job_and_wait` \
             future, what a sleeping wait holds, is {future} bytes; a `start_job` future (a \
             trigger on its own) is {trigger} bytes. Fleets ({}) pick definitions uniformly. /proc/self/fd is listed \
             every 50 ms and its links are read at each new peak to count sockets (the \
             sampler's {sampler:.1} s of CPU is left out of CPU).\n\
             ³ lag = wall clock when the wait returned − the job's `finished_at` (ms precision).\n\
             ⁴ simulator: 429 answers; client: 429s reported as `WaitEvent::Retrying` plus waits \
             that ended in a 429 (the facade does not report a trigger's 429). {}\n\
             ⁵ bare reqwest client, keep-alive loops running on the same cores as the simulator.\n\
             \nRun took {:.0} s.\n",
            spreads.join("; "),
            budget_note(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// How the client side of the budget run is configured (see `clients::budget_client`).
fn budget_note() -> &'static str {
    "The client's shared budget is the simulator's limit (`RateLimit::Fixed`); the fleets and \
     the CPU comparison run `RateLimit::Unlimited` with the default in-flight cap."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(100_000), "100,000");
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(ms(850.4), "850 ms");
        assert_eq!(ms(4930.0), "4.93 s");
        assert_eq!(ms(61_234.0), "61.2 s");
        assert_eq!(rate(1_234_567.0), "1.23 M/s");
        assert_eq!(rate(45_600.0), "45.6 k/s");
        assert_eq!(rate(12.0), "12/s");
    }
}
