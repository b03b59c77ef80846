//! Time: the deadline every attempt, pause and renewal keeps, the jittered backoff between
//! attempts, and the retry loop. All of it runs on tokio's clock, so tests pause it.

use std::{future::Future, time::Duration};

use tokio::time::Instant;

use crate::Error;

/// A point in (tokio) time after which no more waiting is done.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline {
    start: Instant,
    end: Instant,
}

impl Deadline {
    pub(crate) fn after(d: Duration) -> Self {
        let start = Instant::now();
        // A timeout beyond what the clock can hold (`--timeout 100000y`) means "no deadline";
        // a century stands in for it rather than an overflow.
        let end = start
            .checked_add(d)
            .or_else(|| start.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
            .unwrap_or(start);
        Self { start, end }
    }

    /// The earlier of this deadline and one `d` from now.
    pub(crate) fn within(&self, d: Duration) -> Self {
        let other = Self::after(d);
        Self {
            start: self.start,
            end: self.end.min(other.end),
        }
    }

    /// The same deadline, moved `d` later.
    pub(crate) fn extended(&self, d: Duration) -> Self {
        Self {
            start: self.start,
            end: self.end.checked_add(d).unwrap_or(self.end),
        }
    }

    /// The earlier of the two deadlines.
    pub(crate) fn min(&self, other: &Self) -> Self {
        Self {
            start: self.start,
            end: self.end.min(other.end),
        }
    }

    pub(crate) fn end(&self) -> Instant {
        self.end
    }

    pub(crate) fn remaining(&self) -> Duration {
        self.end.saturating_duration_since(Instant::now())
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

/// Exponential backoff between `min` and `max`, with jitter so that many waiters started
/// together do not poll in lockstep.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Backoff {
    pub(crate) min: Duration,
    pub(crate) max: Duration,
}

impl Backoff {
    /// The pause before step `n` (from 0): uniformly in `[base/2, base]` with
    /// `base = min·2ⁿ` capped at `max`, never below `min`.
    pub(crate) fn delay(&self, n: u32) -> Duration {
        let base = self
            .min
            .saturating_mul(2u32.saturating_pow(n.min(30)))
            .min(self.max);
        let half = base / 2;
        let jitter = Duration::from_nanos(fastrand::u64(
            0..=u64::try_from(half.as_nanos()).unwrap_or(u64::MAX),
        ));
        (half + jitter).clamp(self.min, self.max)
    }
}

/// Runs `call` until it succeeds, retrying what may pass (rate limits, server errors, dropped
/// connections) within the deadline. A request that is not `safe` to repeat is retried only
/// when it provably never left this machine.
///
/// Returns the last error when a retry would not help or no time is left for one.
pub(crate) async fn retrying<T, F, Fut>(
    deadline: &Deadline,
    backoff: Backoff,
    safe: bool,
    mut call: F,
    mut on_retry: impl FnMut(u32, Duration, &Error),
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut attempt = 0;
    loop {
        let err = match call().await {
            Ok(value) => return Ok(value),
            Err(err) => err,
        };
        let Some(hint) = err.retry_delay(safe) else {
            return Err(err);
        };
        // A vendor's "come back at" wins over our own schedule, but never below it: a reset
        // header in the past must not turn into a busy loop.
        let delay = hint.map_or_else(|| backoff.delay(attempt), |h| h.max(backoff.min));
        if delay > deadline.remaining() {
            return Err(err);
        }
        attempt += 1;
        tracing::warn!(attempt, delay_ms = delay.as_millis() as u64, error = %err, "retrying");
        on_retry(attempt, delay, &err);
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_between_min_and_max() {
        let b = Backoff {
            min: Duration::from_secs(1),
            max: Duration::from_secs(30),
        };
        for _ in 0..200 {
            assert_eq!(b.delay(0), Duration::from_secs(1));
            let d1 = b.delay(1);
            assert!(
                d1 >= Duration::from_secs(1) && d1 <= Duration::from_secs(2),
                "{d1:?}"
            );
            let d3 = b.delay(3);
            assert!(
                d3 >= Duration::from_secs(4) && d3 <= Duration::from_secs(8),
                "{d3:?}"
            );
            let d = b.delay(60);
            assert!(
                d >= Duration::from_secs(15) && d <= Duration::from_secs(30),
                "{d:?}"
            );
        }
        let spread: std::collections::BTreeSet<Duration> = (0..50).map(|_| b.delay(4)).collect();
        assert!(spread.len() > 10, "jitter spreads the delays");
    }

    #[tokio::test]
    async fn a_deadline_beyond_the_clock_does_not_overflow() {
        let far = Deadline::after(Duration::MAX);
        assert!(far.remaining() > Duration::from_secs(365 * 24 * 3600));
    }

    #[tokio::test(start_paused = true)]
    async fn within_keeps_the_earlier_end() {
        let long = Deadline::after(Duration::from_secs(60));
        assert_eq!(
            long.within(Duration::from_secs(5)).remaining(),
            Duration::from_secs(5)
        );
        let short = Deadline::after(Duration::from_secs(2));
        assert_eq!(
            short.within(Duration::from_secs(5)).remaining(),
            Duration::from_secs(2)
        );
    }
}
