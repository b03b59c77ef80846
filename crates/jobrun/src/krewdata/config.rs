//! How to reach krewData: the app, the serial number, the user, the base URL, the rate.

use std::time::Duration;

use jobrun_transport::SecretString;
use secrecy::ExposeSecret;

use super::{AppUrl, RunGuard};
use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, env_var},
};

/// Environment variable holding the krewData app's URL (`https://<domain>.cybozu.com/k/<appId>`).
pub const APP_URL_ENV: &str = "KREWDATA_APP_URL";
/// Environment variable holding the real-time execution's serial number, as shown (not Base64).
pub const SERIAL_NUMBER_ENV: &str = "KREWDATA_SERIAL_NUMBER";
/// Environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "KREWDATA_BASE_URL";
/// Environment variable holding the kintone login name recorded as a run's user.
pub const USER_ENV: &str = "KREWDATA_USER";
/// Environment variable setting the cap of the adaptive request rate (`N/DURATION`, or
/// `unlimited`).
pub const RATE_LIMIT_ENV: &str = "KREWDATA_RATE_LIMIT";
/// krewData documents a limit only for runs (5 per minute per unit, kept by the run guard);
/// other calls are paced adaptively up to 5 per second per app, slowing down on 429 or 5xx.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Adaptive {
    requests: 5,
    per: Duration::from_secs(1),
};
/// The API reference's host (seed 003); `https://api.krewdata.mescius.com` is the same API.
pub const DEFAULT_BASE_URL: &str = "https://api.krewdata.grapecity.com";
/// How long an access token is accepted (seed 003).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(600);
/// How long a wait reuses a token: a minute short of [`TOKEN_LIFETIME`], so a read in flight
/// never crosses the line.
pub const TOKEN_REUSE: Duration = Duration::from_secs(540);
pub(super) const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// How to reach krewData.
#[derive(Clone, Debug)]
pub struct KrewdataConfig {
    pub(super) app_url: AppUrl,
    pub(super) serial_number: SecretString,
    pub(super) base_url: BaseUrl,
    pub(super) user: Option<String>,
    pub(super) guard: RunGuard,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// The request budget of this app (runs also obey the run guard).
    pub rate_limit: RateLimit,
}

impl KrewdataConfig {
    /// A configuration for the public API with the app URL and the serial number as the
    /// krewData plugin shows it (jobrun Base64-encodes it). The run guard is the user's
    /// ([`RunGuard::for_user`]).
    pub fn new(app_url: AppUrl, serial_number: SecretString) -> Result<Self, Error> {
        if serial_number.expose_secret().trim().is_empty() {
            return Err(Error::Config(format!(
                "the krewData serial number is empty; set {SERIAL_NUMBER_ENV}"
            )));
        }
        Ok(Self {
            app_url,
            serial_number,
            base_url: BaseUrl::parse(DEFAULT_BASE_URL, false)?,
            user: None,
            guard: RunGuard::for_user(),
            http: HttpSettings::default(),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads `KREWDATA_APP_URL` and `KREWDATA_SERIAL_NUMBER` (required), `KREWDATA_USER`,
    /// `KREWDATA_BASE_URL` and `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let app_url = env_var(APP_URL_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{APP_URL_ENV} is not set: export the URL of the krewData app holding the unit, \
                 such as https://yourdomain.cybozu.com/k/123"
            ))
        })?;
        let serial = env_var(SERIAL_NUMBER_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{SERIAL_NUMBER_ENV} is not set: export the serial number of the unit's real-time \
                 execution (krewData plugin → リアルタイム実行)"
            ))
        })?;
        let mut config = Self::new(app_url.parse()?, SecretString::from(serial))?;
        if let Some(user) = env_var(USER_ENV) {
            config = config.user(user);
        }
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        config.base_url = BaseUrl::from_env(BASE_URL_ENV)?.unwrap_or(config.base_url);
        Ok(config)
    }

    /// Points the client elsewhere (a simulator, the mescius host). See [`BaseUrl::parse`].
    pub fn base_url(mut self, url: &str, allow_http: bool) -> Result<Self, Error> {
        self.base_url = BaseUrl::parse(url, allow_http)?;
        Ok(self)
    }

    /// The kintone login name recorded as the user of runs that name none.
    pub fn user(mut self, login: impl Into<String>) -> Self {
        self.user = Some(login.into());
        self
    }

    /// Replaces the run guard ([`RunGuard::disabled`] turns it off).
    pub fn run_guard(mut self, guard: RunGuard) -> Self {
        self.guard = guard;
        self
    }

    /// The base URL in use.
    pub fn url(&self) -> &BaseUrl {
        &self.base_url
    }
}
