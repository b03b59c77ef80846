//! The request core: what every call of every vendor has, written once.
//!
//! A vendor module supplies only what differs: a [`Dialect`] (its name, how its error bodies
//! read, its rate-limit header, its words for a refused credential and for where to look for a
//! job), its auth, its typed inputs and how its answers map to a status. It calls [`Core`] with
//! the operation, whether the request is safe to repeat, the bound it must keep ([`Within`])
//! and a closure that sends one request through its generated client. The core owns:
//!
//! - **admission**: a request is built only once the account's budget admits it (a call queued
//!   behind thousands of others holds only its place in line), and the wait for admission
//!   ends with the deadline, so a pause one job's 429 put on the account never holds another
//!   call past its own deadline;
//! - **the deadline** ([`Deadline`]): every attempt, retry pause and renewal ends by the time
//!   left; one timer bounds each exchange, body included, by the request timeout or the
//!   deadline, whichever is sooner, so a hung or dripping server costs at most that;
//! - **redirects**: the HTTP client follows none (see [`crate::HttpSettings`]); a 3xx answer is
//!   an error naming its `Location`, so credentials and triggers never go to another host;
//! - **retries**: what may be repeated, knowing whether the request may have reached the
//!   server ([`crate::RequestFate`]); a trigger that may have reached it is never repeated, and
//!   its failure says that the job may have started ([`Error::Unconfirmed`]);
//! - **answers** ([`answer`]): the transport caps their size, the core maps every outcome to
//!   one [`Error`] with the status, the vendor's words, the raw body and the rate-limit
//!   signals (`Retry-After`, reset headers, believed up to [`answer::MAX_PAUSE`]);
//! - **secrets** ([`Secrets`]): every credential the client holds is redacted from every
//!   error the core returns, in every form the client sends it.

pub(crate) mod answer;
mod deadline;
mod redact;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, SystemTime},
};

use tokio::time::Instant;

pub(crate) use answer::{Answer, Call, Dialect, ErrorWords, no_kind};
pub(crate) use deadline::{Backoff, Deadline, retrying};
pub(crate) use redact::Secrets;

use crate::{Error, RateLimit, budget::Budget, config::HttpSettings, error::RequestFate};

/// Pauses between retries of single calls (not waits).
const CALL_BACKOFF: Backoff = Backoff {
    min: Duration::from_secs(1),
    max: Duration::from_secs(20),
};

/// The wall clock as seen through tokio's clock: a real `SystemTime` at creation, advanced by
/// tokio time since. Rate-limit reset headers are epoch seconds, and tests run on a paused
/// tokio clock; reading the system clock directly would mix the two.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WallClock {
    system: SystemTime,
    instant: Instant,
}

impl WallClock {
    pub(crate) fn new() -> Self {
        Self {
            system: SystemTime::now(),
            instant: Instant::now(),
        }
    }

    pub(crate) fn now(&self) -> SystemTime {
        self.system + self.instant.elapsed()
    }
}

/// What repeating a request could do, which decides whether it is repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// Nothing: a read (GET, or a status POST). Retried on rate limits, server errors and
    /// broken connections.
    Safe,
    /// Spend something (a krewData token counts toward the unit's five a minute; a login):
    /// retried only when it provably never left this machine.
    Once,
    /// Start a job: as [`Repeat::Once`], and a failure after it may have reached the vendor is
    /// [`Error::Unconfirmed`].
    Trigger,
}

/// The bound one call keeps: the deadline it ends by, whatever happens, and until when it
/// may start another attempt (a single call retries; a status read inside a wait does not,
/// because the wait retries and reports it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Within {
    pub(crate) deadline: Deadline,
    retry_until: Option<Deadline>,
}

impl Within {
    /// One attempt (renewals included) by `deadline`: a wait's status read.
    pub(crate) fn read(deadline: &Deadline) -> Self {
        Self {
            deadline: *deadline,
            retry_until: None,
        }
    }

    /// Attempts until `deadline`.
    pub(crate) fn until(deadline: &Deadline) -> Self {
        Self {
            deadline: *deadline,
            retry_until: Some(*deadline),
        }
    }

    /// The same, ending by `deadline` at the latest (a trigger inside a start-and-wait).
    pub(crate) fn within(self, deadline: &Deadline) -> Self {
        Self {
            deadline: self.deadline.min(deadline),
            retry_until: self.retry_until.map(|r| r.min(deadline)),
        }
    }
}

/// One client's way to its vendor account: the account's shared budget, the clock for the
/// vendor's "come back at", the credentials to redact, and the bounds of single calls.
/// Clones share the budget and the secrets.
#[derive(Clone, Debug)]
pub(crate) struct Core {
    dialect: &'static Dialect,
    clock: WallClock,
    budget: Arc<Budget>,
    secrets: Secrets,
    request_timeout: Duration,
    retry_budget: Duration,
}

impl Core {
    /// The core of one client of the account named by `account` (vendor, host, credential
    /// identity; hashed, never kept).
    pub(crate) fn new(
        dialect: &'static Dialect,
        http: &HttpSettings,
        account: &[&str],
        limit: RateLimit,
        secrets: Secrets,
    ) -> Result<Self, Error> {
        Ok(Self {
            dialect,
            clock: WallClock::new(),
            budget: Budget::shared(account, limit, http.max_in_flight)?,
            secrets,
            request_timeout: http.request_timeout,
            retry_budget: http.retry_budget,
        })
    }

    /// A core over `budget` alone, for tests of what sits on top of it.
    #[cfg(test)]
    pub(crate) fn with_budget(budget: Arc<Budget>) -> Self {
        static TEST: Dialect = Dialect {
            vendor: "test",
            reset_header: None,
            words: |_| None,
            auth_hint: "",
            check: "",
            status_kind: no_kind,
        };
        Self {
            dialect: &TEST,
            clock: WallClock::new(),
            budget,
            secrets: Secrets::default(),
            request_timeout: Duration::from_secs(30),
            retry_budget: Duration::from_secs(120),
        }
    }

    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// The wall clock, on tokio's time.
    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }

    pub(crate) fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// The operation `operation` in this vendor's dialect.
    pub(crate) fn op(&self, operation: &'static str) -> Call {
        Call {
            dialect: self.dialect,
            operation,
        }
    }

    /// The bound of a call made on its own (not inside a wait): attempts start for up to the
    /// client's retry budget, and the last one may take its request timeout; so a single call
    /// ends within `retry_budget + request_timeout` (150 s by default), whatever the server
    /// does.
    pub(crate) fn single(&self) -> Within {
        let retry_until = Deadline::after(self.retry_budget);
        Within {
            deadline: Deadline::after(self.retry_budget.saturating_add(self.request_timeout)),
            retry_until: Some(retry_until),
        }
    }

    /// One attempt: admitted by the budget, then sent, answered and read (`read`), all by the
    /// deadline. One timer (the request timeout or the deadline, whichever is sooner) bounds
    /// the exchange from sending to the last byte of the body, whoever reads it: the generated
    /// client (JSON), the error mapping (error bodies) or `read` (a body handed over as a
    /// stream, such as ASTERIA's XML). Otherwise a body dripping a byte at a time would hold
    /// a call until the deadline of a wait (a day by default), or past it.
    async fn attempt<T, U, Fut, ReadFut>(
        &self,
        call: Call,
        deadline: &Deadline,
        send: impl FnOnce() -> Fut,
        read: impl FnOnce(T) -> ReadFut,
    ) -> Result<U, Error>
    where
        Fut: Future<Output = Answer<T>>,
        ReadFut: Future<Output = Result<U, Error>>,
    {
        let sent = AtomicBool::new(false);
        let exchange = async {
            let _slot = self.budget.admit().await;
            // Admitted (or prepaid) only as the deadline passed: sending now could only end
            // in "may have been sent", for a request that never left.
            if deadline.remaining().is_zero() {
                return Err(self.not_admitted(call.operation));
            }
            sent.store(true, Ordering::Relaxed);
            let limit = deadline.within(self.request_timeout);
            let answered = tokio::time::timeout_at(limit.end(), async {
                match Box::pin(send()).await {
                    Ok(answer) => Ok(answer.into_inner()),
                    // Boxed: reading an error body is rare, and its machinery is large.
                    Err(e) => Err(Box::pin(call.error(e, &self.clock)).await),
                }
            })
            .await;
            let result = answered.unwrap_or_else(|_| Err(self.no_answer(call, deadline)));
            self.budget.observe(&result);
            match tokio::time::timeout_at(limit.end(), read(result?)).await {
                Ok(read) => read,
                Err(_) => Err(self.no_answer(call, deadline)),
            }
        };
        match tokio::time::timeout_at(deadline.end(), exchange).await {
            Ok(result) => result.map_err(|e| self.secrets.scrub(e)),
            Err(_) if sent.load(Ordering::Relaxed) => Err(self.no_answer(call, deadline)),
            Err(_) => Err(self.not_admitted(call.operation)),
        }
    }

    /// `operation` was not sent: the account's budget had no room for it before its deadline.
    pub(crate) fn not_admitted(&self, operation: &'static str) -> Error {
        Error::Transport {
            vendor: self.dialect.vendor,
            operation,
            message: "not sent: the account's request budget (paused after the vendor's rate \
                      limit, or busy) had no room before the deadline"
                .into(),
            fate: RequestFate::NotSent,
        }
    }

    fn no_answer(&self, call: Call, deadline: &Deadline) -> Error {
        let message = if deadline.remaining().is_zero() {
            "no complete answer before the deadline".to_owned()
        } else {
            format!(
                "no complete answer within the request timeout of {} (HttpSettings::request_timeout)",
                humantime::format_duration(self.request_timeout)
            )
        };
        Error::Transport {
            vendor: call.vendor(),
            operation: call.operation,
            message,
            fate: RequestFate::MaybeSent,
        }
    }

    /// Sends `operation` within `within`, repeating it as `repeat` allows.
    pub(crate) async fn send<T, Fut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        within: Within,
        send: impl Fn() -> Fut,
    ) -> Result<T, Error>
    where
        Fut: Future<Output = Answer<T>>,
    {
        self.send_read(operation, repeat, within, send, |t| async { Ok(t) })
            .await
    }

    /// [`Core::send`] with a step that reads the answer (an XML body, say) inside the
    /// retries, so that an unreadable answer to a safe request is asked for again.
    pub(crate) async fn send_read<T, U, Fut, ReadFut>(
        &self,
        operation: &'static str,
        repeat: Repeat,
        within: Within,
        send: impl Fn() -> Fut,
        read: impl Fn(T) -> ReadFut,
    ) -> Result<U, Error>
    where
        Fut: Future<Output = Answer<T>>,
        ReadFut: Future<Output = Result<U, Error>>,
    {
        let call = self.op(operation);
        let deadline = &within.deadline;
        let once = || {
            let (send, read) = (&send, &read);
            async move { self.attempt(call, deadline, send, read).await }
        };
        let safe = repeat == Repeat::Safe;
        let result = if let Some(retry_until) = &within.retry_until {
            retrying(retry_until, CALL_BACKOFF, safe, once, |_, _, _| {}).await
        } else {
            once().await
        };
        match result {
            Err(e) if repeat == Repeat::Trigger => Err(self.unconfirmed(call, e)),
            other => other,
        }
    }

    /// [`Core::unconfirmed`] for `operation`: a trigger's answer arrived, but reading it
    /// failed.
    pub(crate) fn unconfirmed_as(&self, operation: &'static str, err: Error) -> Error {
        self.unconfirmed(self.op(operation), err)
    }

    /// What a failed trigger means: unchanged when the vendor provably did not carry it out
    /// (it refused it, or it never left), else [`Error::Unconfirmed`].
    pub(crate) fn unconfirmed(&self, call: Call, err: Error) -> Error {
        let maybe = match &err {
            Error::Transport { fate, .. } => *fate == RequestFate::MaybeSent,
            Error::Api(api) => api.status == 408 || api.status >= 500,
            Error::Decode { .. } => true,
            // An id in the answer that is not an id: the vendor did answer.
            Error::InvalidInput { what, value, .. } => {
                return self.unconfirmed(
                    call,
                    Error::Decode {
                        vendor: call.vendor(),
                        operation: call.operation,
                        reason: format!("the answer's {what} {value:?} is not usable"),
                        body: String::new(),
                    },
                );
            }
            _ => false,
        };
        if !maybe {
            return err;
        }
        Error::Unconfirmed {
            vendor: call.vendor(),
            operation: call.operation,
            check: self.dialect.check,
            cause: Box::new(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    /// A request admitted only as its deadline passed (it queued behind the account's other
    /// calls) is not sent, and says so: a trigger reported as "may have started" when it never
    /// left would send a user looking for a job that does not exist.
    #[tokio::test(start_paused = true)]
    async fn a_request_admitted_after_its_deadline_is_not_sent() {
        let limit = RateLimit::Fixed {
            requests: 1,
            per: Duration::from_secs(3600),
        };
        let budget = Arc::new(Budget::new(limit, 4).expect("valid"));
        let core = Core::with_budget(budget.clone());
        let deadline = Deadline::after(Duration::from_secs(5));
        let slot = budget.reserve().await;
        // The next call's budget comes back in about an hour, long after the deadline.
        tokio::time::sleep(Duration::from_secs(6)).await;
        let sends = AtomicUsize::new(0);
        let result: Result<(), Error> = budget
            .prepaid(
                core.send("runJob", Repeat::Trigger, Within::read(&deadline), || {
                    sends.fetch_add(1, Ordering::Relaxed);
                    async { unreachable!("nothing is sent after the deadline") }
                }),
            )
            .await;
        drop(slot);
        assert_eq!(sends.load(Ordering::Relaxed), 0);
        match result {
            Err(Error::Transport { fate, .. }) => assert_eq!(fate, RequestFate::NotSent),
            other => panic!("expected a transport error that was not sent, got {other:?}"),
        }
    }
}
