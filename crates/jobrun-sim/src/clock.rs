//! The one source of time for every simulator.
//!
//! Everything is measured on `tokio::time::Instant`, so a test running with
//! `#[tokio::test(start_paused = true)]` moves job progressions, rate-limit windows and slow
//! answers forward by advancing tokio's clock. Wall-clock values (timestamps in bodies, epoch
//! seconds in headers) are derived from one `SystemTime` reading taken at start, shifted by
//! the tokio time elapsed since, so they move in lockstep with the virtual clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use tokio::time::Instant;

/// A wall-clock anchor paired with the tokio instant at which it was read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    wall: SystemTime,
    mono: Instant,
}

impl Clock {
    /// Anchors the clock now; the only place the simulators read the system clock.
    pub(crate) fn start() -> Self {
        Self {
            wall: SystemTime::now(),
            mono: Instant::now(),
        }
    }

    /// The current (possibly virtual) instant.
    pub(crate) fn now(&self) -> Instant {
        Instant::now()
    }

    /// The wall-clock time corresponding to `at`.
    pub(crate) fn wall_at(&self, at: Instant) -> SystemTime {
        // Saturate instead of panicking: a far-future instant only arises from absurd script
        // durations, and the anchor is the best answer we have then.
        match at.checked_duration_since(self.mono) {
            Some(ahead) => self.wall.checked_add(ahead).unwrap_or(self.wall),
            None => self
                .wall
                .checked_sub(self.mono.saturating_duration_since(at))
                .unwrap_or(self.wall),
        }
    }

    /// `wall_at` as a UTC date-time, the form the vendors' timestamp formats start from.
    pub(crate) fn utc_at(&self, at: Instant) -> DateTime<Utc> {
        DateTime::<Utc>::from(self.wall_at(at))
    }

    /// UNIX epoch seconds of `at`, rounded up so that a client sleeping until that second
    /// never wakes before the instant itself.
    pub(crate) fn epoch_secs_ceil(&self, at: Instant) -> u64 {
        let since = self
            .wall_at(at)
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        since.as_secs() + u64::from(since.subsec_nanos() > 0)
    }
}
