//! Turning what the generated clients return into the facade's [`Error`]: the status, the
//! vendor's words, the raw body and when to come back are all kept.

use std::time::{Duration, SystemTime};

use futures::TryStreamExt;
use progenitor_client::{ByteStream, Error as ClientError};
use reqwest::header::HeaderMap;
use tokio::time::Instant;

use crate::{
    Error,
    budget::Budget,
    error::{ApiError, RequestFate, VendorError},
    wait::{Backoff, Deadline, retrying},
};

/// What a generated client method returns.
pub(crate) type Answer<T> = Result<progenitor_client::ResponseValue<T>, ClientError<ByteStream>>;

/// Pauses between retries of single calls (not waits).
const CALL_BACKOFF: Backoff = Backoff {
    min: Duration::from_secs(1),
    max: Duration::from_secs(20),
};

/// What a vendor's error body says, in common terms.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorWords {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) details: Vec<String>,
    pub(crate) kind: Option<VendorError>,
}

/// One call of one vendor operation, with the vendor's conventions.
#[derive(Clone, Copy)]
pub(crate) struct Call {
    pub(crate) vendor: &'static str,
    pub(crate) operation: &'static str,
    /// A header carrying the epoch second at which a rate-limit window resets.
    pub(crate) reset_header: Option<&'static str>,
    /// Reads the vendor's error body; `None` when the body is not in a documented shape.
    pub(crate) words: fn(&[u8]) -> Option<ErrorWords>,
    /// What to check when the vendor refuses the credentials (401/403).
    pub(crate) auth_hint: &'static str,
}

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

/// What every request of one client passes: the account's shared [`Budget`] and the clock
/// that turns the vendor's "come back at" into a pause. Clones share the budget.
#[derive(Clone, Debug)]
pub(crate) struct Gate {
    pub(crate) clock: WallClock,
    pub(crate) budget: std::sync::Arc<Budget>,
}

impl Gate {
    pub(crate) fn new(budget: std::sync::Arc<Budget>) -> Self {
        Self {
            clock: WallClock::new(),
            budget,
        }
    }
}

impl Call {
    /// Sends one request through the gate and maps its answer; no retries (callers retry
    /// within their own deadline).
    ///
    /// The request is built by `send` only once the gate admits it, and lives on the heap
    /// while in flight: a call queued behind thousands of others holds only its place in line.
    pub(crate) async fn finish<T, Fut>(
        self,
        send: impl FnOnce() -> Fut,
        gate: &Gate,
    ) -> Result<T, Error>
    where
        Fut: Future<Output = Answer<T>>,
    {
        let _slot = gate.budget.admit().await;
        let result = match Box::pin(send()).await {
            Ok(answer) => Ok(answer.into_inner()),
            // Boxed: reading an error body is rare, and its machinery is large.
            Err(e) => Err(Box::pin(self.error(e, &gate.clock)).await),
        };
        gate.budget.observe(&result);
        result
    }

    /// Sends with retries for up to `budget`. A request that is not `safe` to repeat (a job
    /// trigger) is retried only after a refused connection, and a lost answer says so.
    pub(crate) async fn send<T, Fut>(
        self,
        safe: bool,
        budget: Duration,
        gate: &Gate,
        send: impl Fn() -> Fut,
    ) -> Result<T, Error>
    where
        Fut: Future<Output = Answer<T>>,
    {
        self.send_read(safe, budget, gate, send, |t| async { Ok(t) })
            .await
    }

    /// [`Call::send`] with a step that reads the answer (an XML body, say) inside the retries,
    /// so that an unreadable answer to a safe request is asked for again.
    pub(crate) async fn send_read<T, U, Fut, ReadFut>(
        self,
        safe: bool,
        budget: Duration,
        gate: &Gate,
        send: impl Fn() -> Fut,
        read: impl Fn(T) -> ReadFut,
    ) -> Result<U, Error>
    where
        Fut: Future<Output = Answer<T>>,
        ReadFut: Future<Output = Result<U, Error>>,
    {
        let deadline = Deadline::after(budget);
        let mut result = retrying(
            &deadline,
            CALL_BACKOFF,
            safe,
            || {
                let (send, read) = (&send, &read);
                async move { read(self.finish(send, gate).await?).await }
            },
            |_, _, _| {},
        )
        .await;
        if let Err(Error::Transport {
            message,
            fate: RequestFate::MaybeSent,
            ..
        }) = &mut result
            && !safe
        {
            message.push_str(&format!(
                "; a job trigger is never repeated automatically: look for the job at {} \
                 before running it again",
                self.vendor
            ));
        }
        result
    }

    /// Maps a generated client's error into the facade's.
    pub(crate) async fn error(&self, err: ClientError<ByteStream>, clock: &WallClock) -> Error {
        match err {
            ClientError::ErrorResponse(answer) => {
                let status = answer.status().as_u16();
                let headers = answer.headers().clone();
                match answer.into_inner_stream().try_collect::<Vec<_>>().await {
                    Ok(chunks) => self.api_error(status, &headers, &chunks.concat(), clock),
                    Err(e) => self.transport(&e, RequestFate::MaybeSent),
                }
            }
            ClientError::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) if status.is_client_error() || status.is_server_error() => {
                        self.api_error(status.as_u16(), &headers, &body, clock)
                    }
                    Ok(body) => self.decode(format!("undocumented HTTP {status}"), &body),
                    Err(e) => self.transport(&e, RequestFate::MaybeSent),
                }
            }
            // A vendor that reports errors in the body's own code (krewData answers HTTP 200
            // with `"code": 400`) sends bodies that are not the success shape.
            ClientError::InvalidResponsePayload(body, e) => match (self.words)(&body) {
                Some(words) if words.code.is_some() => self.api_error_with(200, words, &body, None),
                _ => self.decode(e.to_string(), &body),
            },
            ClientError::CommunicationError(e) => {
                // Only a failure to connect proves the request never left this machine.
                let fate = if e.is_connect() {
                    RequestFate::NotSent
                } else {
                    RequestFate::MaybeSent
                };
                self.transport(&e, fate)
            }
            ClientError::ResponseBodyError(e) | ClientError::InvalidUpgrade(e) => {
                self.transport(&e, RequestFate::MaybeSent)
            }
            ClientError::InvalidRequest(message) => Error::Transport {
                vendor: self.vendor,
                operation: self.operation,
                message: format!("the request could not be built: {message}"),
                fate: RequestFate::NotSent,
            },
            ClientError::Custom(message) => Error::Config(message),
        }
    }

    fn api_error(&self, status: u16, headers: &HeaderMap, body: &[u8], clock: &WallClock) -> Error {
        let words = (self.words)(body).unwrap_or_default();
        let retry_after = retry_after(headers, clock.now()).or_else(|| {
            let header = self.reset_header.filter(|_| status == 429)?;
            reset_delay(headers.get(header)?.to_str().ok()?, clock.now())
        });
        let request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match self.api_error_with(status, words, body, retry_after) {
            Error::Api(mut api) => {
                api.request_id = request_id;
                Error::Api(api)
            }
            other => other,
        }
    }

    /// An error answer whose body was already read into `words`.
    pub(crate) fn api_error_with(
        &self,
        status: u16,
        words: ErrorWords,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Error {
        Error::from(ApiError {
            vendor: self.vendor,
            operation: self.operation,
            status,
            code: words.code,
            message: words.message,
            details: words.details,
            body: String::from_utf8_lossy(body).into_owned(),
            retry_after,
            kind: words.kind,
            request_id: None,
            auth_hint: self.auth_hint,
        })
    }

    fn decode(&self, reason: String, body: &[u8]) -> Error {
        Error::Decode {
            vendor: self.vendor,
            operation: self.operation,
            reason,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    fn transport(&self, e: &reqwest::Error, fate: RequestFate) -> Error {
        // reqwest's top-level text is generic ("error sending request"); the cause is below.
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        Error::Transport {
            vendor: self.vendor,
            operation: self.operation,
            message,
            fate,
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let at = SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_secs(u64::try_from(at.timestamp()).ok()?))?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// The wait until an epoch-second reset time, plus a second: the vendor rounds to whole
/// seconds, and arriving a moment early would spend another call on a 429.
fn reset_delay(epoch_seconds: &str, now: SystemTime) -> Option<Duration> {
    // A server's absurd value must not overflow the clock: such a header is ignored.
    let reset = SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_secs(epoch_seconds.trim().parse().ok()?))?;
    Some(reset.duration_since(now).unwrap_or_default() + Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    reqwest::header::HeaderName::from_static(k),
                    v.parse().expect("value"),
                )
            })
            .collect()
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        let date = headers(&[("retry-after", "Tue, 14 Nov 2023 22:13:50 GMT")]);
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(30)));
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
    }

    #[test]
    fn reset_headers_count_from_now_and_never_go_negative() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            reset_delay("1700000042", now),
            Some(Duration::from_secs(43))
        );
        assert_eq!(reset_delay("1600000000", now), Some(Duration::from_secs(1)));
        assert_eq!(reset_delay("x", now), None);
        assert_eq!(reset_delay(&u64::MAX.to_string(), now), None);
    }
}
