//! The one error type of the facade.

use std::{fmt, time::Duration};

use crate::outcome::JobRef;

/// Everything that can go wrong between "run this job" and "it ended".
///
/// Messages name the offending value and what was expected; they never contain credentials.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value given by the caller is malformed. Nothing was sent.
    #[error("invalid {what} {value:?}: expected {expected}")]
    InvalidInput {
        /// What the value is (e.g. "context time").
        what: &'static str,
        /// The value as given.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
    /// The configuration is incomplete or unsafe (missing key, non-HTTPS URL, …). Nothing was sent.
    #[error("configuration: {0}")]
    Config(String),
    /// The vendor answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// No usable answer arrived: connection refused or dropped, timeout, TLS failure.
    #[error("{vendor} {operation}: {message}{}", fate.advice())]
    Transport {
        /// The vendor asked.
        vendor: &'static str,
        /// The operation (the spec's operationId).
        operation: &'static str,
        /// What the HTTP stack reported.
        message: String,
        /// Whether the request may have reached the vendor.
        fate: RequestFate,
    },
    /// A job trigger may have reached the vendor, but what became of it is not known: its
    /// answer was lost, could not be read, or was a server error. The job may have started;
    /// look for it before triggering again (a trigger is never repeated automatically).
    #[error(
        "{vendor} {operation}: the job may have started ({cause}); check before running it \
         again: {check}"
    )]
    Unconfirmed {
        /// The vendor asked.
        vendor: &'static str,
        /// The trigger operation (the spec's operationId).
        operation: &'static str,
        /// Where to look for the job, in the vendor's terms.
        check: &'static str,
        /// What went wrong after the trigger was sent.
        #[source]
        cause: Box<Error>,
    },
    /// The vendor answered with a success status but a body that is not what its docs describe.
    #[error("{vendor} {operation}: the answer could not be read: {reason}")]
    Decode {
        /// The vendor asked.
        vendor: &'static str,
        /// The operation (the spec's operationId).
        operation: &'static str,
        /// Why it could not be read.
        reason: String,
        /// The body as received.
        body: String,
    },
    /// jobrun refused to ask a krewData unit for another token: it would be the unit's sixth
    /// within a minute, and krewData disables a unit run more often (research A3). Nothing was
    /// sent.
    #[error(
        "krewdata unit {unit}: not requesting a token: {limit} were requested in the last {} \
         (from this machine, recorded in {}), and krewData disables a unit used more often; \
         the next is allowed in {}",
        humantime::format_duration(*window),
        state_file.display(),
        humantime::format_duration(Duration::from_secs(next_allowed_in.as_secs().max(1)))
    )]
    RunGuard {
        /// The execution unit.
        unit: String,
        /// How many token requests the guard allows per window.
        limit: u32,
        /// The window.
        window: Duration,
        /// How long until the next token request is allowed.
        next_allowed_in: Duration,
        /// The file that records the requests of every jobrun process of this user.
        state_file: std::path::PathBuf,
        /// Whether a wait met it (it then waits) rather than a command (which stops).
        from_wait: bool,
    },
    /// A trigger was accepted but the job it started could not be told: none appeared in
    /// time, or several did (someone else triggered too) and jobrun does not guess.
    #[error("{vendor}: {message}{}", candidates_text(candidates))]
    Discovery {
        /// The vendor asked.
        vendor: &'static str,
        /// What happened.
        message: String,
        /// The jobs that could be the one (each can be waited for by reference).
        candidates: Vec<JobRef>,
    },
    /// The wait's deadline passed before the job ended. The job goes on at the vendor; wait again
    /// with its reference to pick it up.
    #[error(
        "the deadline ({}) passed before {job} ended; last status: {}; the job goes on at the vendor (wait for {job} again to resume)",
        humantime::format_duration(Duration::from_secs(waited.as_secs())),
        last_status.as_deref().unwrap_or("none seen")
    )]
    Deadline {
        /// The job that was being waited for.
        job: JobRef,
        /// The last status read, if any.
        last_status: Option<String>,
        /// How long the wait lasted.
        waited: Duration,
    },
}

fn candidates_text(candidates: &[JobRef]) -> String {
    if candidates.is_empty() {
        return String::new();
    }
    let list: Vec<String> = candidates.iter().map(ToString::to_string).collect();
    format!(": {}", list.join(", "))
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

impl Error {
    pub(crate) fn invalid(
        what: &'static str,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Self::InvalidInput {
            what,
            value: value.into(),
            expected: expected.into(),
        }
    }

    /// The vendor error jobrun recognized in an API answer, if any (see also
    /// [`Error::krewdata`] and [`Error::asteria`]).
    pub fn vendor_error(&self) -> Option<&VendorError> {
        match self {
            Self::Api(api) => api.kind.as_ref(),
            Self::Unconfirmed { cause, .. } => cause.vendor_error(),
            _ => None,
        }
    }

    /// True when the error happened before anything was sent: bad input or configuration.
    pub fn is_usage(&self) -> bool {
        matches!(self, Self::InvalidInput { .. } | Self::Config(_))
    }

    /// How long to wait before the same request may succeed, if it may. `None` means a retry
    /// would not help (or, for a request that is not safe to repeat, must not be made).
    pub(crate) fn retry_delay(&self, safe: bool) -> Option<Option<Duration>> {
        match self {
            // Even a 429 is not repeated for a trigger: only a refused connection proves the
            // request was not processed.
            Self::Api(api) if safe && api.is_transient() => Some(api.retry_after),
            Self::Transport { fate, .. } if safe || *fate == RequestFate::NotSent => Some(None),
            Self::Decode { .. } if safe => Some(None),
            Self::RunGuard {
                next_allowed_in, ..
            } if safe => Some(Some(*next_allowed_in)),
            _ => None,
        }
    }
}

/// Whether a failed request may have reached the vendor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestFate {
    /// The connection failed before the request was written: repeating it is always safe.
    NotSent,
    /// The request may have been processed (the connection broke or timed out afterwards).
    MaybeSent,
}

impl RequestFate {
    fn advice(self) -> &'static str {
        match self {
            Self::NotSent => " (the request was not sent)",
            Self::MaybeSent => " (the request may have reached the vendor)",
        }
    }
}

/// An error answer of a vendor API, with everything the vendor said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The vendor asked.
    pub vendor: &'static str,
    /// The operation (the spec's operationId).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The vendor's own error code, when its body carries one.
    pub code: Option<String>,
    /// The vendor's message, when the body is in one of its documented shapes.
    pub message: Option<String>,
    /// Per-field details (`attribute: message`), when given.
    pub details: Vec<String>,
    /// The body exactly as received (lossy UTF-8).
    pub body: String,
    /// When the vendor said to come back (Retry-After, or a rate-limit reset header).
    pub retry_after: Option<Duration>,
    /// What the answer means, when jobrun recognizes the vendor's words: match on this rather
    /// than on the message text.
    pub kind: Option<VendorError>,
    /// The vendor's id of the request (`x-request-id`), for its support.
    pub request_id: Option<String>,
    /// What to check when the credentials were refused, in the vendor's terms.
    pub auth_hint: &'static str,
}

/// A vendor error jobrun recognizes, one variant per vendor.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VendorError {
    /// A documented krewData error answer.
    Krewdata(crate::krewdata::KrewdataError),
    /// A documented ASTERIA Warp error code.
    Asteria(crate::asteria::AsteriaError),
    /// A documented Adobe gateway, IMS or platform error.
    Adobe(crate::adobe::AdobeError),
}

impl VendorError {
    /// False for answers that say repeating the request cannot help, whatever the status.
    fn may_pass(&self) -> bool {
        match self {
            Self::Krewdata(e) => e.may_pass(),
            Self::Asteria(_) | Self::Adobe(_) => true,
        }
    }
}

impl ApiError {
    /// Rate limits, timeouts and server errors: the same request may succeed later.
    pub fn is_transient(&self) -> bool {
        (matches!(self.status, 408 | 429)
            || ((500..600).contains(&self.status) && self.status != 501))
            && self.kind.as_ref().is_none_or(VendorError::may_pass)
    }

    /// The credentials were refused (401) or lack a permission (403).
    pub fn is_auth(&self) -> bool {
        matches!(self.status, 401 | 403)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} answered HTTP {}",
            self.vendor, self.operation, self.status
        )?;
        if let Some(code) = &self.code {
            write!(f, " (code {code})")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None if !self.body.trim().is_empty() => write!(f, ": {}", snippet(&self.body))?,
            None => {}
        }
        for detail in &self.details {
            write!(f, "; {detail}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if self.is_auth() && !self.auth_hint.is_empty() {
            write!(f, " ({})", self.auth_hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The first line of a non-JSON body, cut to a readable length.
fn snippet(body: &str) -> String {
    let line = body.trim().lines().next().unwrap_or_default();
    let cut: String = line.chars().take(160).collect();
    if cut.len() < line.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Errors say what happened and which value; the command adds its flags and commands
    /// (`jobrun wait`, `--no-run-guard`), which a library user has none of.
    #[test]
    fn errors_speak_no_command_line_words() {
        let job: JobRef = "trocco:job:7".parse().expect("reference");
        let errors = [
            Error::Deadline {
                job: job.clone(),
                last_status: Some("executing".into()),
                waited: Duration::from_secs(90),
            },
            Error::RunGuard {
                unit: "u1".into(),
                limit: 5,
                window: Duration::from_secs(60),
                next_allowed_in: Duration::from_secs(12),
                state_file: "/tmp/runs".into(),
                from_wait: false,
            },
        ];
        for err in errors {
            let text = err.to_string();
            assert!(!text.contains("jobrun ") && !text.contains("--"), "{text}");
        }
    }

    fn api(status: u16, message: Option<&str>, body: &str) -> ApiError {
        ApiError {
            vendor: "trocco",
            operation: "getJob",
            status,
            code: None,
            message: message.map(str::to_owned),
            details: Vec::new(),
            body: body.to_owned(),
            retry_after: None,
            kind: None,
            request_id: None,
            auth_hint: "check the API key and its permissions",
        }
    }

    #[test]
    fn display_prefers_the_vendor_message_then_the_raw_body() {
        assert_eq!(
            api(404, Some("Not found"), r#"{"message":"Not found"}"#).to_string(),
            "trocco getJob answered HTTP 404: Not found"
        );
        assert_eq!(
            api(502, None, "<html>bad gateway</html>\n<body>").to_string(),
            "trocco getJob answered HTTP 502: <html>bad gateway</html>"
        );
        assert!(
            api(401, None, "")
                .to_string()
                .ends_with("(check the API key and its permissions)")
        );
    }

    #[test]
    fn transient_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(api(s, None, "").is_transient(), "{s}");
        }
        for s in [400, 401, 403, 404, 422, 501] {
            assert!(!api(s, None, "").is_transient(), "{s}");
        }
    }
}
