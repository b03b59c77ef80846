//! Call budgets: a fixed window, the scheme behind trocco's `X-Rate-Limit-*` headers, and a
//! sliding one for limits stated as "N times per minute" with nothing to say when a minute
//! starts (krewData).

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

/// Where the budget stands after (or without) spending one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quota {
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    pub(crate) reset_at: Instant,
}

/// `limit` calls per `window`. A window opens with the first call after the previous one
/// ended, so an idle simulator always starts a client on a full budget.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    used: u32,
    window_end: Option<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            used: 0,
            window_end: None,
        }
    }

    fn roll(&mut self, now: Instant) -> Instant {
        match self.window_end {
            Some(end) if now < end => end,
            _ => {
                let end = now + self.window;
                self.used = 0;
                self.window_end = Some(end);
                end
            }
        }
    }

    /// Spends one call: `Ok` with the quota left, or `Err` once the window's budget is gone.
    pub(crate) fn acquire(&mut self, now: Instant) -> Result<Quota, Quota> {
        let reset_at = self.roll(now);
        let allowed = self.used < self.limit;
        if allowed {
            self.used += 1;
        }
        let quota = Quota {
            limit: self.limit,
            remaining: self.limit - self.used,
            reset_at,
        };
        if allowed { Ok(quota) } else { Err(quota) }
    }

    /// The quota as it stands, for answers that do not spend a call.
    pub(crate) fn peek(&self, now: Instant) -> Quota {
        match self.window_end {
            Some(end) if now < end => Quota {
                limit: self.limit,
                remaining: self.limit - self.used,
                reset_at: end,
            },
            _ => Quota {
                limit: self.limit,
                remaining: self.limit,
                reset_at: now + self.window,
            },
        }
    }
}

/// At most `limit` admitted events within any span of `window`. Refused events are not
/// remembered, so refusals never push the next admission further out.
#[derive(Debug)]
pub(crate) struct SlidingWindow {
    limit: u32,
    window: Duration,
    admitted: VecDeque<Instant>,
}

impl SlidingWindow {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            admitted: VecDeque::new(),
        }
    }

    /// Admits one event at `now`, or refuses it when `limit` were admitted in the `window`
    /// before it.
    pub(crate) fn admit(&mut self, now: Instant) -> bool {
        while let Some(&oldest) = self.admitted.front() {
            if now.saturating_duration_since(oldest) >= self.window {
                self.admitted.pop_front();
            } else {
                break;
            }
        }
        let room = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if self.admitted.len() < room {
            self.admitted.push_back(now);
            true
        } else {
            false
        }
    }

    /// Forgets every admission: the next `limit` events are admitted whenever they come.
    pub(crate) fn clear(&mut self) {
        self.admitted.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn sliding_window_counts_the_last_window_only() {
        let mut window = SlidingWindow::new(2, Duration::from_secs(60));
        let start = Instant::now();
        let at = |secs| start + Duration::from_secs(secs);
        assert!(window.admit(at(0)));
        assert!(window.admit(at(30)));
        assert!(!window.admit(at(59)));
        // The first admission leaves the window at 60s; the second one still counts.
        assert!(window.admit(at(60)));
        assert!(!window.admit(at(89)));
        assert!(window.admit(at(90)));
        window.clear();
        assert!(window.admit(at(91)));
        assert!(!SlidingWindow::new(0, Duration::from_secs(1)).admit(at(0)));
    }

    #[tokio::test(start_paused = true)]
    async fn budget_is_spent_then_restored_by_a_new_window() {
        let mut limiter = RateLimiter::new(2, Duration::from_secs(10));
        let start = Instant::now();
        assert_eq!(limiter.acquire(start).map(|q| q.remaining), Ok(1));
        assert_eq!(limiter.acquire(start).map(|q| q.remaining), Ok(0));
        let denied = limiter.acquire(start + Duration::from_secs(9));
        assert_eq!(
            denied,
            Err(Quota {
                limit: 2,
                remaining: 0,
                reset_at: start + Duration::from_secs(10)
            })
        );
        let later = start + Duration::from_secs(10);
        assert_eq!(limiter.peek(later).remaining, 2);
        let fresh = limiter.acquire(later);
        assert_eq!(
            fresh.map(|q| (q.remaining, q.reset_at)),
            Ok((1, later + Duration::from_secs(10)))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn zero_budget_refuses_everything() {
        let mut limiter = RateLimiter::new(0, Duration::from_secs(1));
        assert!(limiter.acquire(Instant::now()).is_err());
    }
}
