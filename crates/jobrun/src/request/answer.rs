//! Reading answers: one mapping from what a generated client returns to [`Error`], keeping
//! the status, the vendor's code and words, the raw body and the cause; redirects, which the
//! HTTP client never follows, named by their `Location`; answers past the size cap; and the
//! vendor's rate-limit signals (`Retry-After`, epoch-second reset headers).

use std::time::{Duration, SystemTime};

use futures::TryStreamExt;
use progenitor_client::{ByteStream, Error as ClientError};
use reqwest::header::HeaderMap;

use super::WallClock;
use crate::error::{ApiError, Error, RequestFate, VendorError};

/// What a generated client method returns.
pub(crate) type Answer<T> = Result<progenitor_client::ResponseValue<T>, ClientError<ByteStream>>;

/// The longest pause a vendor's `Retry-After` or reset header is believed for: a server that
/// asks for hours (or a date in year 9999) is answered by the caller's deadline, not obeyed.
pub(crate) const MAX_PAUSE: Duration = Duration::from_secs(3600);

/// How the reason of an [`Error::Decode`] starts when the answer's status is not one the
/// vendor documents for the operation (a 200 where a 202 is documented, say).
const UNDOCUMENTED: &str = "undocumented HTTP";

/// Whether `err` (or the cause of an [`Error::Unconfirmed`]) is an empty body under a status
/// the vendor documents: an empty 202 is still an acceptance. An empty body under an
/// undocumented status (a proxy's bare 200) is not: nothing says the vendor took the request.
pub(crate) fn empty_documented_answer(err: &Error) -> bool {
    match err {
        Error::Decode { reason, body, .. } => {
            body.trim().is_empty() && !reason.starts_with(UNDOCUMENTED)
        }
        Error::Unconfirmed { cause, .. } => empty_documented_answer(cause),
        _ => false,
    }
}

/// What a vendor's error body says, in common terms.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ErrorWords {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) details: Vec<String>,
    pub(crate) kind: Option<VendorError>,
}

/// How one vendor's answers read: the only part of reading an answer that differs by vendor.
#[derive(Debug)]
pub(crate) struct Dialect {
    pub(crate) vendor: &'static str,
    /// A header carrying the epoch second at which a rate-limit window resets.
    pub(crate) reset_header: Option<&'static str>,
    /// Reads the vendor's error body; `None` when the body is not in a documented shape.
    pub(crate) words: fn(&[u8]) -> Option<ErrorWords>,
    /// What to check when the vendor refuses the credentials (401/403).
    pub(crate) auth_hint: &'static str,
    /// Where to look for a job whose trigger may have been carried out, in the vendor's terms.
    pub(crate) check: &'static str,
    /// What an error status means when the body does not say (a vendor that documents one
    /// status per error code).
    pub(crate) status_kind: fn(u16) -> Option<VendorError>,
}

/// [`Dialect::status_kind`] of a vendor whose statuses say nothing beyond HTTP.
pub(crate) fn no_kind(_: u16) -> Option<VendorError> {
    None
}

/// One operation of one vendor.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call {
    pub(crate) dialect: &'static Dialect,
    pub(crate) operation: &'static str,
}

impl Call {
    pub(crate) fn vendor(&self) -> &'static str {
        self.dialect.vendor
    }

    /// Maps a generated client's error into the facade's.
    pub(crate) async fn error(&self, err: ClientError<ByteStream>, clock: &WallClock) -> Error {
        match err {
            ClientError::ErrorResponse(answer) => {
                let status = answer.status().as_u16();
                let headers = answer.headers().clone();
                match answer.into_inner_stream().try_collect::<Vec<_>>().await {
                    Ok(chunks) => self.api_error(status, &headers, &chunks.concat(), clock),
                    Err(e) => self.body_error(&e),
                }
            }
            ClientError::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                if status.is_redirection() {
                    return self.redirect(status.as_u16(), &headers);
                }
                match response.bytes().await {
                    Ok(body) if status.is_client_error() || status.is_server_error() => {
                        self.api_error(status.as_u16(), &headers, &body, clock)
                    }
                    Ok(body) => self.decode(format!("{UNDOCUMENTED} {status}"), &body),
                    Err(e) => self.body_error(&e),
                }
            }
            // A vendor that reports errors in the body's own code (krewData answers HTTP 200
            // with `"code": 400`) sends bodies that are not the success shape.
            ClientError::InvalidResponsePayload(body, e) => match (self.dialect.words)(&body) {
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
                self.body_error(&e)
            }
            ClientError::InvalidRequest(message) => Error::Transport {
                vendor: self.vendor(),
                operation: self.operation,
                message: format!("the request could not be built: {message}"),
                fate: RequestFate::NotSent,
            },
            ClientError::Custom(message) => Error::Config(message),
        }
    }

    /// A body that broke off, or grew past the transport's cap.
    pub(crate) fn body_error(&self, e: &reqwest::Error) -> Error {
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            if let Some(big) = cause.downcast_ref::<jobrun_transport::AnswerTooLarge>() {
                return Error::Decode {
                    vendor: self.vendor(),
                    operation: self.operation,
                    reason: format!(
                        "{big}; reading stopped there (HttpSettings::max_answer_bytes)"
                    ),
                    body: String::new(),
                };
            }
            source = cause.source();
        }
        self.transport(e, RequestFate::MaybeSent)
    }

    /// A redirect: never followed, because the credentials of this call must stay with its
    /// host and a trigger must not be sent a second time.
    fn redirect(&self, status: u16, headers: &HeaderMap) -> Error {
        let location = headers
            .get(reqwest::header::LOCATION)
            .map(|l| String::from_utf8_lossy(l.as_bytes()).into_owned());
        let message = match &location {
            Some(to) => format!(
                "redirected to {to}; jobrun follows no redirects, so that credentials stay with \
                 their host: point the base URL at the address that answers"
            ),
            None => "redirected without a Location; jobrun follows no redirects".to_owned(),
        };
        Error::from(ApiError {
            vendor: self.vendor(),
            operation: self.operation,
            status,
            code: None,
            message: Some(message),
            details: Vec::new(),
            body: String::new(),
            retry_after: None,
            kind: None,
            request_id: None,
            auth_hint: self.dialect.auth_hint,
        })
    }

    fn api_error(&self, status: u16, headers: &HeaderMap, body: &[u8], clock: &WallClock) -> Error {
        let mut words = (self.dialect.words)(body).unwrap_or_default();
        if words.kind.is_none() {
            words.kind = (self.dialect.status_kind)(status);
        }
        let retry_after = retry_after(headers, clock.now()).or_else(|| {
            let header = self.dialect.reset_header.filter(|_| status == 429)?;
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
            vendor: self.vendor(),
            operation: self.operation,
            status,
            code: words.code,
            message: words.message,
            details: words.details,
            body: String::from_utf8_lossy(body).into_owned(),
            retry_after: retry_after.map(|d| d.min(MAX_PAUSE)),
            kind: words.kind,
            request_id: None,
            auth_hint: self.dialect.auth_hint,
        })
    }

    pub(crate) fn decode(&self, reason: impl Into<String>, body: &[u8]) -> Error {
        Error::Decode {
            vendor: self.vendor(),
            operation: self.operation,
            reason: reason.into(),
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
            vendor: self.vendor(),
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
        assert_eq!(retry_after(&headers(&[("retry-after", "-5")]), now), None);
    }

    #[test]
    fn only_an_empty_body_under_a_documented_status_is_an_empty_answer() {
        let decode = |reason: &str, body: &str| Error::Decode {
            vendor: "adobe",
            operation: "triggerScheduleRun",
            reason: reason.to_owned(),
            body: body.to_owned(),
        };
        assert!(empty_documented_answer(&decode(
            "EOF while parsing a value",
            " "
        )));
        assert!(!empty_documented_answer(&decode(
            "expected value",
            "<html>"
        )));
        let bare_200 = decode(&format!("{UNDOCUMENTED} 200 OK"), "");
        assert!(!empty_documented_answer(&bare_200));
        let wrapped = Error::Unconfirmed {
            vendor: "adobe",
            operation: "triggerScheduleRun",
            check: "",
            cause: Box::new(decode("EOF while parsing a value", "")),
        };
        assert!(empty_documented_answer(&wrapped));
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
