//! Reading the process's own resource use: CPU time and peak RSS from `getrusage`, open
//! sockets from `/proc/self/fd`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `getrusage(who)`; `None` only if the kernel refuses, which it does not for these targets.
fn rusage(who: libc::c_int) -> Option<libc::rusage> {
    // SAFETY: getrusage writes one `rusage` into the zeroed struct we own and reads nothing
    // else; a zeroed `rusage` (plain integers) is a valid value.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(who, &mut usage) == 0).then_some(usage)
    }
}

fn timeval(t: libc::timeval) -> Duration {
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let micros = u64::try_from(t.tv_usec).unwrap_or(0);
    Duration::from_secs(secs) + Duration::from_micros(micros)
}

fn cpu_of(usage: Option<libc::rusage>) -> Duration {
    usage.map_or(Duration::ZERO, |u| {
        timeval(u.ru_utime) + timeval(u.ru_stime)
    })
}

/// User + system CPU of the whole process so far.
pub fn process_cpu() -> Duration {
    cpu_of(rusage(libc::RUSAGE_SELF))
}

/// User + system CPU of the calling thread so far.
pub fn thread_cpu() -> Duration {
    cpu_of(rusage(libc::RUSAGE_THREAD))
}

/// The soft limit on open descriptors (`RLIMIT_NOFILE`), which caps sockets too.
pub fn fd_limit() -> u64 {
    // SAFETY: getrlimit writes one `rlimit` (two integers) into the struct we own.
    unsafe {
        let mut limit: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur
        } else {
            0
        }
    }
}

/// The process's peak resident set size so far, in KiB (Linux reports `ru_maxrss` in KiB).
pub fn peak_rss_kib() -> u64 {
    rusage(libc::RUSAGE_SELF).map_or(0, |u| u64::try_from(u.ru_maxrss).unwrap_or(0))
}

/// The resident set size right now, in KiB (`/proc/self/statm`), or 0 if unreadable.
pub fn current_rss_kib() -> u64 {
    // SAFETY: sysconf only reads a constant of the system.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * page / 1024)
}

/// What the sampler saw.
#[derive(Clone, Debug, Default)]
pub struct FdPeaks {
    pub sockets: u64,
    pub fds: u64,
    /// The resident set size at each sample, in KiB, to tell which phase costs memory
    /// (a couple of thousand samples for a two-minute fleet).
    pub rss: Vec<(Instant, u64)>,
    /// The sampler thread's own CPU, to be taken out of the process's.
    pub sampler_cpu: Duration,
}

/// Samples the process's descriptors and resident set size every `every` on a thread of its own, keeping the peaks.
///
/// Counting descriptors is cheap (the size of `/proc/self/fd`); reading each link to tell
/// sockets from other files is not (a syscall per descriptor: tens of thousands every 50 ms
/// would take a core from the fleet it measures). So sockets are counted, link by link, only
/// when the number of descriptors reaches a new peak: the other descriptors of a fleet
/// (stdio, epoll, wakers) are a handful that does not change, so the socket peak comes with a
/// descriptor peak. Descriptors creeping up one by one at a plateau would start a pass each
/// time, so a new pass waits for 1% more descriptors or a second since the last one.
pub struct SocketSampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<FdPeaks>,
}

impl SocketSampler {
    pub fn start(every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut peaks = FdPeaks::default();
            let mut last_pass: Option<(u64, Instant)> = None;
            loop {
                peaks.rss.push((Instant::now(), current_rss_kib()));
                let fds = count_fds();
                if fds > peaks.fds {
                    peaks.fds = fds;
                    let due = last_pass.is_none_or(|(counted, at)| {
                        fds > counted + counted / 100 || at.elapsed() >= Duration::from_secs(1)
                    });
                    if due {
                        peaks.sockets = peaks.sockets.max(count_sockets());
                        last_pass = Some((fds, Instant::now()));
                    }
                }
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                std::thread::sleep(every);
            }
            peaks.sampler_cpu = thread_cpu();
            peaks
        });
        Self { stop, thread }
    }

    /// Takes a last sample and returns the peaks.
    pub fn finish(self) -> FdPeaks {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}

/// Descriptors open right now: since Linux 6.2 the size of `/proc/self/fd` says it without
/// listing; older kernels report 0 there, and are listed.
fn count_fds() -> u64 {
    match std::fs::metadata("/proc/self/fd") {
        Ok(meta) if meta.len() > 0 => meta.len(),
        _ => std::fs::read_dir("/proc/self/fd").map_or(0, |entries| entries.count() as u64),
    }
}

/// Sockets open right now.
fn count_sockets() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let mut sockets = 0;
    for entry in entries.flatten() {
        // A descriptor closed between listing and reading is simply not counted.
        if let Ok(target) = std::fs::read_link(entry.path())
            && target
                .as_os_str()
                .as_encoded_bytes()
                .starts_with(b"socket:")
        {
            sockets += 1;
        }
    }
    sockets
}

/// The `p`-th percentile (0–100) of `sorted` by the nearest-rank method; `None` when empty.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// The median of `values` (any order); `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => sorted.get(n / 2).copied(),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(50.0));
        assert_eq!(percentile(&v, 99.0), Some(99.0));
        assert_eq!(percentile(&v, 100.0), Some(100.0));
        assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn this_process_has_a_footprint() {
        assert!(peak_rss_kib() > 0);
        assert!(current_rss_kib() > 0);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        assert!(count_sockets() >= 1);
        assert!(count_fds() >= count_sockets());
        drop(listener);
    }
}
