//! How to reach Adobe Experience Platform: the OAuth credential, the org, the sandbox, the IMS
//! and platform URLs, the rate.

use std::time::Duration;

use jobrun_transport::SecretString;
use secrecy::ExposeSecret;

use crate::{
    Error,
    budget::RateLimit,
    config::{BaseUrl, HttpSettings, env_var, required_env},
};

/// Environment variables of the configuration.
pub const CLIENT_ID_ENV: &str = "ADOBE_CLIENT_ID";
/// The OAuth client secret (a secret).
pub const CLIENT_SECRET_ENV: &str = "ADOBE_CLIENT_SECRET";
/// The IMS organization id (`…@AdobeOrg`).
pub const ORG_ID_ENV: &str = "ADOBE_ORG_ID";
/// The credential's scopes, comma separated, as Developer Console shows them.
pub const SCOPES_ENV: &str = "ADOBE_SCOPES";
/// The sandbox (default `prod`).
pub const SANDBOX_ENV: &str = "ADOBE_SANDBOX";
/// The IMS URL (default <https://ims-na1.adobelogin.com>).
pub const IMS_URL_ENV: &str = "ADOBE_IMS_URL";
/// The Platform URL (default <https://platform.adobe.io>).
pub const PLATFORM_URL_ENV: &str = "ADOBE_PLATFORM_URL";
/// IMS's documented host.
pub const DEFAULT_IMS_URL: &str = "https://ims-na1.adobelogin.com";
/// Platform's documented host.
pub const DEFAULT_PLATFORM_URL: &str = "https://platform.adobe.io";
/// The sandbox when none is named.
pub const DEFAULT_SANDBOX: &str = "prod";
/// Where the Query Service lives under the Platform URL.
pub(super) const QUERY_BASE: &str = "/data/foundation/query";
/// Environment variable setting the cap of the adaptive request rate (`N/DURATION`, or
/// `unlimited`).
pub const RATE_LIMIT_ENV: &str = "ADOBE_RATE_LIMIT";
/// Adobe documents no Query Service limit: calls are paced adaptively up to 10 per second
/// per organization and credential, slowing down when Adobe answers 429 or 5xx.
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::Adaptive {
    requests: 10,
    per: Duration::from_secs(1),
};

/// How to reach Adobe.
#[derive(Clone, Debug)]
pub struct AdobeConfig {
    pub(super) client_id: String,
    pub(super) client_secret: SecretString,
    pub(super) org_id: String,
    pub(super) scopes: String,
    pub(super) sandbox: String,
    pub(super) ims_url: BaseUrl,
    pub(super) platform_url: BaseUrl,
    /// Timeouts of single HTTP requests.
    pub http: HttpSettings,
    /// How long, after a trigger, jobrun looks for the run it started.
    pub discovery_timeout: Duration,
    /// The request budget of this organization and credential (IMS has its own).
    pub rate_limit: RateLimit,
}

impl AdobeConfig {
    /// A configuration for Adobe's public hosts and the `prod` sandbox.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: SecretString,
        org_id: impl Into<String>,
        scopes: impl Into<String>,
    ) -> Result<Self, Error> {
        let client_id = client_id.into();
        let org_id = org_id.into();
        for (name, value) in [(CLIENT_ID_ENV, &client_id), (ORG_ID_ENV, &org_id)] {
            if value.trim().is_empty() || value.chars().any(char::is_control) {
                return Err(Error::Config(format!(
                    "{name} is empty or holds control characters"
                )));
            }
        }
        if client_secret.expose_secret().trim().is_empty() {
            return Err(Error::Config(format!("{CLIENT_SECRET_ENV} is empty")));
        }
        Ok(Self {
            client_id,
            client_secret,
            org_id,
            scopes: scopes.into(),
            sandbox: DEFAULT_SANDBOX.to_owned(),
            ims_url: BaseUrl::parse(DEFAULT_IMS_URL, false)?,
            platform_url: BaseUrl::parse(DEFAULT_PLATFORM_URL, false)?,
            http: HttpSettings::default(),
            discovery_timeout: Duration::from_secs(120),
            rate_limit: DEFAULT_RATE_LIMIT,
        })
    }

    /// Reads the `ADOBE_*` variables and `JOBRUN_ALLOW_HTTP`.
    pub fn from_env() -> Result<Self, Error> {
        let mut config = Self::new(
            required_env(
                CLIENT_ID_ENV,
                "the OAuth Server-to-Server credential's client id",
            )?,
            SecretString::from(required_env(
                CLIENT_SECRET_ENV,
                "the credential's client secret",
            )?),
            required_env(ORG_ID_ENV, "the IMS organization id (…@AdobeOrg)")?,
            required_env(SCOPES_ENV, "the credential's scopes, comma separated")?,
        )?;
        if let Some(sandbox) = env_var(SANDBOX_ENV) {
            config = config.sandbox(&sandbox)?;
        }
        config.ims_url = BaseUrl::from_env(IMS_URL_ENV)?.unwrap_or(config.ims_url);
        config.platform_url = BaseUrl::from_env(PLATFORM_URL_ENV)?.unwrap_or(config.platform_url);
        config.rate_limit = DEFAULT_RATE_LIMIT.or_env(RATE_LIMIT_ENV)?;
        Ok(config)
    }

    /// The sandbox: lowercase letters, digits and `-` (Adobe's rule for sandbox names).
    pub fn sandbox(mut self, name: &str) -> Result<Self, Error> {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(Error::invalid(
                "sandbox",
                name,
                "an all-lowercase sandbox name such as prod",
            ));
        }
        self.sandbox = name.to_owned();
        Ok(self)
    }

    /// Points IMS and Platform elsewhere (a simulator serving both, a proxy).
    pub fn urls(mut self, ims: &str, platform: &str, allow_http: bool) -> Result<Self, Error> {
        self.ims_url = BaseUrl::parse(ims, allow_http)?;
        self.platform_url = BaseUrl::parse(platform, allow_http)?;
        Ok(self)
    }
}
