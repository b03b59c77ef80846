//! The request budget one vendor account shares: every call and every wait of every client of
//! that account in this process draws from one token bucket, and at most a set number of
//! requests are in flight to its host at once.
//!
//! Waits queue for their status reads in arrival order (a fair, first-come queue), so when the
//! budget is tight every job's polling stretches alike and none starves; triggers and other
//! single calls do not queue behind the waits' reads, they only compete with the one read at
//! the head of the queue. After a 429 that says when to come back, nobody sends until then.
//!
//! Where a vendor documents its limit (trocco: 3,500 calls per 10 minutes per account) the
//! bucket is sized so that no window of that length ever holds more calls than the limit.
//! Where none is documented the rate is adaptive, like the AWS SDKs' adaptive retry mode: it
//! starts at a cap, halves on a 429 or a burst of server errors, and climbs back linearly.

use std::{
    cell::Cell,
    collections::HashMap,
    fmt,
    hash::{DefaultHasher, Hash, Hasher},
    num::NonZeroU32,
    str::FromStr,
    sync::{Arc, LazyLock, Mutex, PoisonError, Weak},
    time::Duration,
};

use governor::{
    Quota, RateLimiter,
    clock::Clock,
    middleware::NoOpMiddleware,
    state::{InMemoryState, NotKeyed},
};
use tokio::{
    sync::{Semaphore, SemaphorePermit},
    time::Instant,
};

use crate::Error;

/// How many requests one vendor account may send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimit {
    /// A documented limit: never more than `requests` calls in any window of `per`.
    Fixed {
        /// Calls allowed per window.
        requests: u32,
        /// The window.
        per: Duration,
    },
    /// No documented limit: up to `requests` per `per`, slowing down on 429s and bursts of
    /// server errors and returning to the cap gradually.
    Adaptive {
        /// The cap: calls per `per` when the vendor shows no strain.
        requests: u32,
        /// The period of the cap.
        per: Duration,
    },
    /// No budget (tests, benchmarks, a private server). The in-flight cap still applies.
    Unlimited,
}

impl RateLimit {
    /// Reads `N/DURATION` (`3500/10m`, `20/1s`) as a limit of this kind (fixed or adaptive),
    /// or `unlimited`.
    pub fn parse_like(self, text: &str) -> Result<Self, Error> {
        let expected = "N/DURATION such as 3500/10m or 20/1s, or unlimited";
        let text = text.trim();
        if text.eq_ignore_ascii_case("unlimited") {
            return Ok(Self::Unlimited);
        }
        let (n, per) = text
            .split_once('/')
            .ok_or_else(|| Error::invalid("rate limit", text, expected))?;
        let requests = n
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Error::invalid("rate limit", text, expected))?;
        let per = humantime::parse_duration(per.trim())
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| Error::invalid("rate limit", text, expected))?;
        Ok(match self {
            Self::Adaptive { .. } => Self::Adaptive { requests, per },
            Self::Fixed { .. } | Self::Unlimited => Self::Fixed { requests, per },
        })
    }

    /// The limit in the environment variable `name` (read like [`RateLimit::parse_like`]), or
    /// `self` when it is unset.
    pub(crate) fn or_env(self, name: &str) -> Result<Self, Error> {
        match crate::config::env_var(name) {
            Some(text) => self
                .parse_like(&text)
                .map_err(|e| Error::Config(format!("environment variable {name}: {e}"))),
            None => Ok(self),
        }
    }

    fn validate(self) -> Result<Self, Error> {
        match self {
            Self::Fixed { requests, per } | Self::Adaptive { requests, per }
                if requests == 0 || per.is_zero() =>
            {
                Err(Error::invalid(
                    "rate limit",
                    self.to_string(),
                    "at least one request per non-zero period",
                ))
            }
            _ => Ok(self),
        }
    }
}

impl FromStr for RateLimit {
    type Err = Error;

    /// `N/DURATION` is a fixed limit; `unlimited` is none.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::Unlimited.parse_like(s)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed { requests, per } => {
                write!(f, "{requests}/{}", humantime::format_duration(*per))
            }
            Self::Adaptive { requests, per } => {
                write!(
                    f,
                    "adaptive, up to {requests}/{}",
                    humantime::format_duration(*per)
                )
            }
            Self::Unlimited => f.write_str("unlimited"),
        }
    }
}

/// governor's clock on tokio's time, so that tests on a paused clock pace as real runs do.
#[derive(Clone, Copy, Debug)]
struct TokioClock {
    origin: Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// Adaptive rates never fall below one call per this long.
const SLOWEST: Duration = Duration::from_secs(10);
/// Server errors within [`BURST_WINDOW`] that count as a burst.
const BURST: u32 = 3;
const BURST_WINDOW: Duration = Duration::from_secs(1);
/// A rate is halved at most once per this long: many answers in flight report one strain.
const DECREASE_SPACING: Duration = Duration::from_secs(1);
/// After a decrease the rate climbs back by a twentieth of the cap per second.
const RECOVERY_STEPS_PER_CAP: f64 = 20.0;

/// Where the pacing stands.
#[derive(Debug)]
struct Pace {
    limiter: Option<Arc<Limiter>>,
    /// The rate (calls per second) the limiter was built for.
    limiter_rate: f64,
    /// The adaptive rate right after the last decrease, and when that was.
    decreased: Option<(f64, Instant)>,
    server_errors: (u32, Instant),
    paused_until: Option<Instant>,
}

/// One account's shared budget and in-flight cap. See the module docs.
pub(crate) struct Budget {
    limit: RateLimit,
    clock: TokioClock,
    pace: Mutex<Pace>,
    /// Waits take turns for reads here (tokio's mutex is first come, first served).
    turn: tokio::sync::Mutex<()>,
    in_flight: Semaphore,
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Budget")
            .field("limit", &self.limit)
            .field("in_flight_free", &self.in_flight.available_permits())
            .finish()
    }
}

tokio::task_local! {
    /// Set while prepaid calls run: they already hold an in-flight slot of the budget at this
    /// address and paid one call, which their first request uses.
    static POLL: (usize, Cell<bool>);
}

/// Budgets by account, so that separate clients of one account share one.
static SHARED: LazyLock<Mutex<HashMap<u64, Weak<Budget>>>> = LazyLock::new(Default::default);

impl Budget {
    /// A budget of its own (not shared with other clients).
    pub(crate) fn new(limit: RateLimit, max_in_flight: usize) -> Result<Self, Error> {
        let limit = limit.validate()?;
        if max_in_flight == 0 {
            return Err(Error::invalid(
                "in-flight request cap",
                "0",
                "at least 1 request in flight per host",
            ));
        }
        let clock = TokioClock {
            origin: Instant::now(),
        };
        let (limiter, limiter_rate) = match limit {
            RateLimit::Unlimited => (None, f64::INFINITY),
            RateLimit::Fixed { requests, per } => {
                (Some(Arc::new(fixed_limiter(requests, per, clock)?)), 0.0)
            }
            RateLimit::Adaptive { requests, per } => {
                let cap = f64::from(requests) / per.as_secs_f64();
                (Some(Arc::new(paced_limiter(cap, clock)?)), cap)
            }
        };
        Ok(Self {
            limit,
            clock,
            pace: Mutex::new(Pace {
                limiter,
                limiter_rate,
                decreased: None,
                server_errors: (0, Instant::now()),
                paused_until: None,
            }),
            turn: tokio::sync::Mutex::new(()),
            in_flight: Semaphore::new(max_in_flight.min(Semaphore::MAX_PERMITS)),
        })
    }

    /// The budget of the account named by `account` (vendor, host and credential identity,
    /// hashed here so no credential is kept), created with `limit` and `max_in_flight` if no
    /// client of that account is alive.
    pub(crate) fn shared(
        account: &[&str],
        limit: RateLimit,
        max_in_flight: usize,
    ) -> Result<Arc<Self>, Error> {
        let mut hasher = DefaultHasher::new();
        account.hash(&mut hasher);
        let key = hasher.finish();
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        shared.retain(|_, weak| weak.strong_count() > 0);
        if let Some(budget) = shared.get(&key).and_then(Weak::upgrade) {
            if budget.limit != limit {
                tracing::warn!(
                    kept = %budget.limit,
                    asked = %limit,
                    "another client of this account is alive; its rate limit applies"
                );
            }
            return Ok(budget);
        }
        let budget = Arc::new(Self::new(limit, max_in_flight)?);
        shared.insert(key, Arc::downgrade(&budget));
        Ok(budget)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.pace.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn id(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// Waits for one call's worth of budget.
    async fn take(&self) {
        loop {
            let (pause, limiter) = {
                let mut pace = self.lock();
                let now = Instant::now();
                let pause = pace.paused_until.filter(|until| *until > now);
                self.adapt(&mut pace, now);
                (pause, pace.limiter.clone())
            };
            if let Some(until) = pause {
                tokio::time::sleep_until(until).await;
                continue;
            }
            let Some(limiter) = limiter else { return };
            match limiter.check() {
                Ok(()) => return,
                Err(not_until) => {
                    tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
                }
            }
        }
    }

    /// Rebuilds an adaptive limiter whose rate has moved on by more than a tenth.
    fn adapt(&self, pace: &mut Pace, now: Instant) {
        let RateLimit::Adaptive { requests, per } = self.limit else {
            return;
        };
        let Some((low, at)) = pace.decreased else {
            return;
        };
        let cap = f64::from(requests) / per.as_secs_f64();
        let rate =
            (low + cap / RECOVERY_STEPS_PER_CAP * now.duration_since(at).as_secs_f64()).min(cap);
        if rate >= cap {
            pace.decreased = None;
        }
        if ((rate - pace.limiter_rate).abs() > pace.limiter_rate / 10.0 || rate >= cap)
            && let Ok(limiter) = paced_limiter(rate, self.clock)
        {
            pace.limiter = Some(Arc::new(limiter));
            pace.limiter_rate = rate;
        }
    }

    /// A wait's turn for one status read: in arrival order, then an in-flight slot, then one
    /// call's budget. The slot is held while the read runs.
    pub(crate) async fn poll_turn(&self) -> Option<SemaphorePermit<'_>> {
        let turn = self.turn.lock().await;
        let slot = self.reserve().await;
        drop(turn);
        slot
    }

    /// An in-flight slot and one call's budget, taken before the request that uses them is
    /// even built (see [`Budget::prepaid`]), so that a call queued here is small.
    pub(crate) async fn reserve(&self) -> Option<SemaphorePermit<'_>> {
        let slot = self.in_flight.acquire().await.ok();
        self.take().await;
        slot
    }

    /// Runs `calls` after [`Budget::reserve`] or [`Budget::poll_turn`]: their first request is
    /// paid for, and none of them takes another in-flight slot.
    pub(crate) async fn prepaid<T>(&self, calls: impl Future<Output = T>) -> T {
        POLL.scope((self.id(), Cell::new(true)), calls).await
    }

    /// Admits one request: an in-flight slot (held until the returned permit drops) and one
    /// call's budget, unless prepaid calls already hold them.
    pub(crate) async fn admit(&self) -> Option<SemaphorePermit<'_>> {
        let id = self.id();
        match POLL.try_with(|(owner, paid)| (*owner == id).then(|| paid.replace(false))) {
            Ok(Some(true)) => None,
            Ok(Some(false)) => {
                self.take().await;
                None
            }
            Ok(None) | Err(_) => {
                let slot = self.in_flight.acquire().await.ok();
                self.take().await;
                slot
            }
        }
    }

    /// Whether a 429 paused every call of the account until a time still to come.
    pub(crate) fn is_paused(&self) -> bool {
        self.lock()
            .paused_until
            .is_some_and(|until| until > Instant::now())
    }

    /// Learns from one answer: a 429 pauses everyone for as long as the vendor asked and slows
    /// an adaptive rate; so does a burst of server errors.
    pub(crate) fn observe<T>(&self, result: &Result<T, Error>) {
        let Err(Error::Api(api)) = result else {
            return;
        };
        let now = Instant::now();
        let mut pace = self.lock();
        match api.status {
            429 => {
                if let Some(until) = api.retry_after.and_then(|d| now.checked_add(d))
                    && pace.paused_until.is_none_or(|p| p < until)
                {
                    tracing::warn!(
                        vendor = api.vendor,
                        pause_ms = u64::try_from(until.duration_since(now).as_millis())
                            .unwrap_or(u64::MAX),
                        "rate limited: every call of this account waits"
                    );
                    pace.paused_until = Some(until);
                }
                self.slow_down(&mut pace, now);
            }
            500..=599 => {
                let (count, since) = pace.server_errors;
                let count = if now.duration_since(since) > BURST_WINDOW {
                    pace.server_errors.1 = now;
                    1
                } else {
                    count + 1
                };
                pace.server_errors.0 = count;
                if count >= BURST {
                    pace.server_errors = (0, now);
                    self.slow_down(&mut pace, now);
                }
            }
            _ => {}
        }
    }

    /// Halves an adaptive rate (at most once per [`DECREASE_SPACING`]).
    fn slow_down(&self, pace: &mut Pace, now: Instant) {
        let RateLimit::Adaptive { .. } = self.limit else {
            return;
        };
        if pace
            .decreased
            .is_some_and(|(_, at)| now.duration_since(at) < DECREASE_SPACING)
        {
            return;
        }
        self.adapt(pace, now);
        let slowest = 1.0 / SLOWEST.as_secs_f64();
        let rate = (pace.limiter_rate / 2.0).max(slowest);
        tracing::info!(
            rate_per_s = rate,
            "the vendor shows strain: slowing down this account's calls"
        );
        if let Ok(limiter) = paced_limiter(rate, self.clock) {
            pace.limiter = Some(Arc::new(limiter));
            pace.limiter_rate = rate;
            pace.decreased = Some((rate, now));
        }
    }

    /// The current adaptive rate in calls per second (the cap when none was lowered).
    #[cfg(test)]
    fn rate(&self) -> f64 {
        let mut pace = self.lock();
        self.adapt(&mut pace, Instant::now());
        pace.limiter_rate
    }
}

/// A bucket of `burst` calls refilled one call at a time so that no window of `per` holds
/// more than `requests`: `burst + per/interval ≤ requests`, with a thousandth of slack against
/// clocks and network delays.
fn fixed_limiter(requests: u32, per: Duration, clock: TokioClock) -> Result<Limiter, Error> {
    let burst = (requests / 10).max(1);
    let refills = (requests - burst).max(1);
    let interval = per.mul_f64(1.001) / refills;
    quota(interval, burst).map(|q| Limiter::direct_with_clock(q, clock))
}

/// Pacing at `rate` calls per second, with a burst of one second's worth (a trigger and its
/// first reads go out at once; only a sustained pace is held to the rate).
fn paced_limiter(rate: f64, clock: TokioClock) -> Result<Limiter, Error> {
    let interval = Duration::try_from_secs_f64(1.0 / rate).unwrap_or(SLOWEST);
    // Truncation is meant: a rate below 2 per second bursts 1.
    let burst = rate.clamp(1.0, f64::from(u32::MAX)) as u32;
    quota(interval.min(SLOWEST), burst).map(|q| Limiter::direct_with_clock(q, clock))
}

fn quota(interval: Duration, burst: u32) -> Result<Quota, Error> {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(interval.max(Duration::from_nanos(1)))
        .map(|q| q.allow_burst(burst))
        .ok_or_else(|| Error::Config(format!("no rate limiter for one call per {interval:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_and_print() {
        let fixed = RateLimit::Fixed {
            requests: 1,
            per: Duration::from_secs(1),
        };
        let adaptive = RateLimit::Adaptive {
            requests: 1,
            per: Duration::from_secs(1),
        };
        assert_eq!(
            fixed.parse_like("3500/10m").expect("valid"),
            RateLimit::Fixed {
                requests: 3500,
                per: Duration::from_secs(600)
            }
        );
        assert_eq!(
            adaptive.parse_like(" 20 / 1s ").expect("valid"),
            RateLimit::Adaptive {
                requests: 20,
                per: Duration::from_secs(1)
            }
        );
        assert_eq!(
            "UNLIMITED".parse::<RateLimit>().expect("valid"),
            RateLimit::Unlimited
        );
        for bad in [
            "",
            "3500",
            "0/10m",
            "10/0s",
            "ten/1m",
            "10/fortnight",
            "-1/1s",
        ] {
            let err = bad.parse::<RateLimit>().expect_err(bad).to_string();
            assert!(err.contains("3500/10m"), "{err}");
        }
        assert_eq!(
            "3500/10m".parse::<RateLimit>().expect("valid").to_string(),
            "3500/10m"
        );
    }

    #[test]
    fn zero_limits_and_caps_are_refused() {
        let zero = RateLimit::Fixed {
            requests: 0,
            per: Duration::from_secs(1),
        };
        assert!(Budget::new(zero, 4).is_err());
        assert!(Budget::new(RateLimit::Unlimited, 0).is_err());
    }

    /// The largest number of instants within any window of `per` (closed at both ends).
    fn busiest_window(times: &[Instant], per: Duration) -> usize {
        let mut most = 0;
        let mut first = 0;
        for (last, t) in times.iter().enumerate() {
            while t.duration_since(times[first]) > per {
                first += 1;
            }
            most = most.max(last - first + 1);
        }
        most
    }

    #[tokio::test(start_paused = true)]
    async fn a_fixed_limit_is_never_exceeded_in_any_window() {
        for (requests, per) in [(3500, 600), (100, 600), (1, 5), (7, 1)] {
            let per = Duration::from_secs(per);
            let budget = Budget::new(RateLimit::Fixed { requests, per }, 8).expect("valid");
            let mut times = Vec::new();
            for _ in 0..requests * 3 {
                let _slot = budget.admit().await;
                times.push(Instant::now());
            }
            let most = busiest_window(&times, per);
            assert!(most <= requests as usize, "{most} > {requests} per {per:?}");
            // Not needlessly slow either: three windows' worth takes about three windows.
            assert!(times[times.len() - 1].duration_since(times[0]) < per * 4);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_with_a_reset_pauses_every_caller() {
        let budget = Budget::new(RateLimit::Unlimited, 8).expect("valid");
        let err: Result<(), Error> = Err(Error::from(crate::ApiError {
            vendor: "trocco",
            operation: "getJob",
            status: 429,
            code: None,
            message: None,
            details: Vec::new(),
            body: String::new(),
            retry_after: Some(Duration::from_secs(30)),
            kind: None,
            request_id: None,
            auth_hint: "",
        }));
        let start = Instant::now();
        budget.observe(&err);
        let _slot = budget.admit().await;
        assert!(Instant::now().duration_since(start) >= Duration::from_secs(30));
    }

    fn strain(status: u16) -> Result<(), Error> {
        Err(Error::from(crate::ApiError {
            vendor: "adobe",
            operation: "getRun",
            status,
            code: None,
            message: None,
            details: Vec::new(),
            body: String::new(),
            retry_after: None,
            kind: None,
            request_id: None,
            auth_hint: "",
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn an_adaptive_rate_halves_on_strain_and_climbs_back() {
        let limit = RateLimit::Adaptive {
            requests: 10,
            per: Duration::from_secs(1),
        };
        let budget = Budget::new(limit, 8).expect("valid");
        assert_eq!(budget.rate(), 10.0);
        budget.observe(&strain(429));
        assert_eq!(budget.rate(), 5.0);
        // Answers already in flight report the same strain: one halving per second.
        budget.observe(&strain(429));
        assert_eq!(budget.rate(), 5.0);
        tokio::time::advance(Duration::from_secs(2)).await;
        budget.observe(&strain(429));
        let after_two = budget.rate();
        assert!((2.9..3.1).contains(&after_two), "{after_two}");
        // Single server errors are noise; a burst is strain.
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(budget.rate(), 10.0, "back at the cap");
        budget.observe(&strain(503));
        budget.observe(&strain(502));
        assert_eq!(budget.rate(), 10.0);
        budget.observe(&strain(504));
        assert_eq!(budget.rate(), 5.0);
        // Climbs back a twentieth of the cap per second.
        tokio::time::advance(Duration::from_secs(4)).await;
        let climbing = budget.rate();
        assert!((6.9..7.1).contains(&climbing), "{climbing}");
        // Never below one call per 10 s.
        for _ in 0..20 {
            tokio::time::advance(Duration::from_secs(1)).await;
            budget.observe(&strain(429));
        }
        assert!(budget.rate() >= 0.1);
    }

    #[tokio::test(start_paused = true)]
    async fn clients_of_one_account_share_one_budget() {
        let limit = RateLimit::Unlimited;
        let a = Budget::shared(&["trocco", "h", "key-a"], limit, 4).expect("valid");
        let b = Budget::shared(&["trocco", "h", "key-a"], limit, 4).expect("valid");
        let c = Budget::shared(&["trocco", "h", "key-b"], limit, 4).expect("valid");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(!format!("{a:?}").contains("key-a"));
    }

    #[tokio::test(start_paused = true)]
    async fn in_flight_requests_are_capped_and_reads_do_not_take_a_second_slot() {
        let budget = Budget::new(RateLimit::Unlimited, 2).expect("valid");
        let first = budget.admit().await;
        let second = budget.admit().await;
        assert!(first.is_some() && second.is_some());
        assert_eq!(budget.in_flight.available_permits(), 0);
        drop(first);
        let slot = budget.poll_turn().await;
        // Inside the read: the first request is paid for, a second pays but takes no slot.
        let inner = budget
            .prepaid(async {
                let a = budget.admit().await.is_none();
                let b = budget.admit().await.is_none();
                a && b
            })
            .await;
        assert!(inner && slot.is_some());
    }
}
