//! How to reach trocco: the API key, the base URL, the account's rate limit.

use jobrun_transport::SecretString;
use secrecy::ExposeSecret;

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, env_var},
};

/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "TROCCO_API_KEY";
/// Environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "TROCCO_BASE_URL";
/// trocco's only live region (research §2).
pub const DEFAULT_BASE_URL: &str = "https://trocco.io";
/// The time zone trocco reads `context_time` in when none is given.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Tokyo";
/// trocco's documented page-size maximum for job lists.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Environment variable overriding the account's rate limit (`N/DURATION`, e.g. `100/10m` on
/// a free plan, or `unlimited`).
pub const RATE_LIMIT_ENV: &str = "TROCCO_RATE_LIMIT";
/// trocco's documented limit for paid plans: 3,500 calls per 10 minutes per account.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Fixed {
    requests: 3500,
    per: std::time::Duration::from_secs(600),
};

/// How to reach trocco.
#[derive(Clone, Debug)]
pub struct TroccoConfig {
    pub(super) api_key: SecretString,
    pub(super) base_url: BaseUrl,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    pub(super) rate_limit: RateLimit,
}

impl TroccoConfig {
    /// A configuration for <https://trocco.io> with the given API key.
    pub fn new(api_key: SecretString) -> Result<Self, Error> {
        if api_key.expose_secret().trim().is_empty() {
            return Err(Error::Config(format!(
                "the trocco API key is empty; set {API_KEY_ENV}"
            )));
        }
        Ok(Self {
            api_key,
            base_url: BaseUrl::parse(DEFAULT_BASE_URL, false)?,
            http: HttpSettings::default(),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads `TROCCO_API_KEY` (required), `TROCCO_BASE_URL` (default <https://trocco.io>),
    /// `TROCCO_RATE_LIMIT` (default 3500/10m) and `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let key = env_var(API_KEY_ENV).ok_or_else(|| {
            Error::Config(format!(
                "{API_KEY_ENV} is not set: create a key in trocco (設定 → API KEY) and export it"
            ))
        })?;
        let mut config = Self::new(SecretString::from(key))?;
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        config.base_url = BaseUrl::from_env(BASE_URL_ENV)?.unwrap_or(config.base_url);
        Ok(config)
    }

    /// Points the client elsewhere (a simulator, a proxy). See [`BaseUrl::parse`] for the
    /// HTTPS rule.
    pub fn base_url(mut self, url: &str, allow_http: bool) -> Result<Self, Error> {
        self.base_url = BaseUrl::parse(url, allow_http)?;
        Ok(self)
    }

    /// The base URL in use.
    pub fn url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// The account's request budget, shared by every client of this key and base URL in the
    /// process (default [`DEFAULT_RATE_LIMIT`]; a free plan allows `100` per 10 minutes).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }
}
