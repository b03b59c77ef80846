//! Pieces of configuration every vendor shares: base URLs and environment variables.

use std::{fmt, net::IpAddr, time::Duration};

use url::{Host, Url};

use crate::Error;

/// Environment variable that allows plain-HTTP base URLs on non-loopback hosts when set to `1`
/// or `true` (for a TLS-terminating proxy on a trusted network, say).
pub const ALLOW_HTTP_ENV: &str = "JOBRUN_ALLOW_HTTP";

/// A vendor base URL that passed the transport policy: HTTPS, or HTTP on a loopback host (the
/// simulators), or HTTP explicitly allowed.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// The URL in the environment variable `name` (checked as [`BaseUrl::parse`] does, with
    /// [`ALLOW_HTTP_ENV`]), or `None` when it is unset.
    pub(crate) fn from_env(name: &str) -> Result<Option<Self>, Error> {
        env_var(name)
            .map(|url| {
                Self::parse(&url, allow_http_from_env()?)
                    .map_err(|e| Error::Config(format!("environment variable {name}: {e}")))
            })
            .transpose()
    }

    /// Parses and checks `text`. `allow_http` permits plain HTTP on any host.
    pub fn parse(text: &str, allow_http: bool) -> Result<Self, Error> {
        let expected = "an absolute https:// URL (http:// only for 127.0.0.1, ::1 or localhost, \
                        unless JOBRUN_ALLOW_HTTP=1)";
        let url = Url::parse(text.trim())
            .map_err(|e| Error::invalid("base URL", redact(text), format!("{expected}; {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid(
                "base URL",
                redact(text),
                "a URL without user name or password (credentials have their own settings)",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid(
                "base URL",
                redact(text),
                "a URL without ?query or #fragment",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if allow_http || is_loopback(&url) => {}
            "http" => {
                return Err(Error::invalid(
                    "base URL",
                    redact(text),
                    format!(
                        "{expected}: plain HTTP would send credentials unencrypted; set \
                         JOBRUN_ALLOW_HTTP=1 if this network is trusted"
                    ),
                ));
            }
            _ => return Err(Error::invalid("base URL", redact(text), expected)),
        }
        Ok(Self(url))
    }

    /// The URL without a trailing slash, as the generated clients join paths onto it.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.as_str())
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// A URL with user info is shown without it: it may hold a password.
fn redact(text: &str) -> String {
    match Url::parse(text.trim()) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            format!("{url} (user info removed)")
        }
        // `user:pw@host` parses with `user` as its scheme: an `@` anywhere may end user info.
        _ if text.contains('@') => "(a URL with user info, not shown)".to_owned(),
        _ => text.to_owned(),
    }
}

/// Reads an environment variable; an empty value counts as unset.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Reads a required environment variable, saying what to export when it is missing.
pub(crate) fn required_env(name: &str, what: &str) -> Result<String, Error> {
    env_var(name).ok_or_else(|| Error::Config(format!("{name} is not set: export {what}")))
}

/// Whether [`ALLOW_HTTP_ENV`] is set to a true value.
pub(crate) fn allow_http_from_env() -> Result<bool, Error> {
    match env_var(ALLOW_HTTP_ENV)
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes") => Ok(true),
        Some(other) => Err(Error::invalid(
            "environment variable JOBRUN_ALLOW_HTTP",
            other,
            "1, true, yes, 0, false or no",
        )),
    }
}

/// Settings of the HTTP client every vendor client builds.
///
/// HTTP/2 is used wherever a vendor offers it over TLS (negotiated by ALPN); plain-HTTP
/// simulators speak HTTP/1.1. No redirect is ever followed: a 3xx answer is an error that
/// names its `Location`, so that credentials stay with their host and a trigger is never sent
/// twice.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Limit for one request, connection and the whole answer included (default 30 s). A
    /// wait's or call's deadline cuts it shorter when less time is left.
    pub request_timeout: Duration,
    /// How long a call made on its own (not a wait) keeps starting new attempts after rate
    /// limits and transient errors (default 2 minutes); with the last attempt's
    /// `request_timeout`, it bounds every single call (150 s by default). A wait's deadline
    /// bounds its reads instead.
    pub retry_budget: Duration,
    /// Limit for establishing a connection.
    pub connect_timeout: Duration,
    /// Requests in flight to one vendor account's host at once, over all clients and waits of
    /// that account in the process; the rest queue (default 32). Over HTTP/1.1 this also caps
    /// the open connections.
    pub max_in_flight: usize,
    /// Idle connections kept for reuse per host (default 32, as many as can be in flight, so
    /// that a busy client reuses its connections instead of opening new ones).
    pub max_idle: usize,
    /// PEM-encoded CA certificates to trust besides the system's (a company's TLS-inspecting
    /// proxy, a test server).
    pub extra_root_certificates: Vec<Vec<u8>>,
    /// The longest answer body read, in bytes (default 16 MiB): a longer one ends the call
    /// with an error instead of taking the process's memory.
    pub max_answer_bytes: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            retry_budget: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            max_in_flight: 32,
            max_idle: 32,
            extra_root_certificates: Vec::new(),
            max_answer_bytes: jobrun_transport::DEFAULT_ANSWER_CAP,
        }
    }
}

impl HttpSettings {
    pub(crate) fn build(&self) -> Result<reqwest::Client, Error> {
        let roots = self
            .extra_root_certificates
            .iter()
            .map(|pem| reqwest::Certificate::from_pem(pem))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Config(format!("an extra root certificate is unusable: {e}")))?;
        reqwest::Client::builder()
            .tls_certs_merge(roots)
            .user_agent(concat!("jobrun/", env!("CARGO_PKG_VERSION")))
            // The request core bounds each exchange with one timer of its own (the request
            // timeout or the deadline, whichever is sooner).
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(self.max_idle)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
    }

    /// The transport of a generated client: no credentials yet, the answer cap set.
    pub(crate) fn transport(&self) -> jobrun_transport::Transport {
        jobrun_transport::Transport::new().with_answer_cap(self.max_answer_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_pass() {
        for ok in [
            "https://trocco.io",
            "https://trocco.io/",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:3000",
            "http://localhost:1234/",
        ] {
            let url = BaseUrl::parse(ok, false).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(!url.as_str().ends_with('/'), "{url}");
        }
    }

    #[test]
    fn plain_http_elsewhere_needs_explicit_permission() {
        let err = BaseUrl::parse("http://trocco.example.com", false).expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("http://trocco.example.com"), "{text}");
        assert!(text.contains("JOBRUN_ALLOW_HTTP"), "{text}");
        assert!(BaseUrl::parse("http://trocco.example.com", true).is_ok());
        assert!(BaseUrl::parse("http://10.0.0.8", false).is_err());
    }

    #[test]
    fn other_schemes_garbage_and_user_info_are_refused() {
        for bad in ["ftp://trocco.io", "trocco.io", "", "https://trocco.io/?x=1"] {
            assert!(BaseUrl::parse(bad, true).is_err(), "{bad}");
        }
        let err = BaseUrl::parse("https://me:hunter2@trocco.io", false).expect_err("user info");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        // The URL parser reads `admin:` as a scheme here; the password must not show either.
        let err = BaseUrl::parse("admin:hunter2@trocco.io", false).expect_err("no scheme");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
