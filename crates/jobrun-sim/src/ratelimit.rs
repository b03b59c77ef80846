//! A fixed-window call budget, the scheme behind trocco's `X-Rate-Limit-*` headers.

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

#[cfg(test)]
mod tests {
    use super::*;

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
