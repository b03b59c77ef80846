//! How to reach the Flow Service: its URL, the user and password, the rate.

use std::time::Duration;

use jobrun_transport::SecretString;

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, allow_http_from_env, required_env},
};

/// Environment variable with the server's URL, `http(s)://host[:port]`.
pub const BASE_URL_ENV: &str = "ASTERIA_BASE_URL";
/// Environment variable with the user name to log in as.
pub const USER_ENV: &str = "ASTERIA_USER";
/// Environment variable with the password (a secret).
pub const PASSWORD_ENV: &str = "ASTERIA_PASSWORD";
/// Environment variable setting the cap of the adaptive request rate (`N/DURATION`, or
/// `unlimited`).
pub const RATE_LIMIT_ENV: &str = "ASTERIA_RATE_LIMIT";
/// ASTERIA documents no limit; its server is the customer's own, so calls are paced
/// adaptively up to 10 per second per server and user, slowing down on 429 or 5xx.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Adaptive {
    requests: 10,
    per: Duration::from_secs(1),
};
/// The Flow Designer listener port of a standard install (research B2), used when a plain
/// `http://` URL names none.
pub const DEFAULT_PORT: u16 = 21381;
/// The server's page size when none is given (seed 004).
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// What a wait reports while show still answers the state from before the rerun.
pub const RERUN_REQUESTED: &str = "rerun requested";
pub(super) const FORM: &str = "application/x-www-form-urlencoded";
pub(super) const FORM_UTF8: &str = "application/x-www-form-urlencoded; charset=UTF-8";
pub(super) const SESSION_HEADER: &str = "X-Fs-SessionId";

/// How to reach an ASTERIA Warp server.
#[derive(Clone, Debug)]
pub struct AsteriaConfig {
    pub(super) base_url: BaseUrl,
    pub(super) user: String,
    pub(super) password: SecretString,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// The request budget of this server and user.
    pub rate_limit: RateLimit,
}

impl AsteriaConfig {
    /// A configuration for the server at `base_url` (`http(s)://host[:port]`; a plain `http://`
    /// URL without a port gets [`DEFAULT_PORT`]). ASTERIA servers often speak plain HTTP
    /// inside a company network: plain HTTP to a host other than loopback needs `allow_http`,
    /// because the password would travel unencrypted.
    pub fn new(
        base_url: &str,
        allow_http: bool,
        user: impl Into<String>,
        password: SecretString,
    ) -> Result<Self, Error> {
        let user = user.into();
        if user.trim().is_empty() {
            return Err(Error::Config(format!(
                "the ASTERIA user name is empty; set {USER_ENV}"
            )));
        }
        Ok(Self {
            base_url: BaseUrl::parse(&with_default_port(base_url), allow_http)?,
            user,
            password,
            http: HttpSettings::default(),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads `ASTERIA_BASE_URL`, `ASTERIA_USER` and `ASTERIA_PASSWORD` (all required) and
    /// `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let url = required_env(
            BASE_URL_ENV,
            "the Flow Service URL, such as http://warp.example.local:21381",
        )?;
        let user = required_env(USER_ENV, "the user name to log in as")?;
        let password = required_env(PASSWORD_ENV, "the user's password")?;
        let mut config = Self::new(
            &url,
            allow_http_from_env()?,
            user,
            SecretString::from(password),
        )?;
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        Ok(config)
    }

    /// The base URL in use.
    pub fn url(&self) -> &BaseUrl {
        &self.base_url
    }
}

/// A plain `http://host` means the Flow Designer listener's standard port; `https://` without a
/// port is taken to be a TLS proxy on 443.
pub(super) fn with_default_port(text: &str) -> String {
    match url::Url::parse(text.trim()) {
        Ok(mut url) if url.scheme() == "http" && url.port().is_none() && url.host().is_some() => {
            let _ = url.set_port(Some(DEFAULT_PORT));
            url.to_string()
        }
        _ => text.to_owned(),
    }
}
