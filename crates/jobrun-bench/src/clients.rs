//! The two ways the bench configures jobrun's trocco client, each in one place, so that the
//! shared per-account request budget (landing in crates/jobrun) is wired here and nowhere else.

use std::time::Duration;

use anyhow::{Context, Result};
use jobrun::SecretString;
use jobrun::trocco::{TroccoClient, TroccoConfig};

/// A client-side request budget: at most `requests` calls per `per`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub requests: u32,
    pub per: Duration,
}

fn config(url: &str, key: &str) -> Result<TroccoConfig> {
    TroccoConfig::new(SecretString::from(key.to_owned()))
        .and_then(|config| config.base_url(url, false))
        .with_context(|| format!("cannot configure a trocco client for {url}"))
}

/// The client of the fleets and of the CPU comparison: nothing may throttle it but the
/// facade's own polling, so what is measured is the facade.
pub fn fleet_client(url: &str, key: &str) -> Result<TroccoClient> {
    let config = config(url, key)?;
    // Once the shared budget lands: `.rate_limit(jobrun::RateLimit::Unlimited)` here.
    TroccoClient::new(config).context("cannot build the fleet's trocco client")
}

/// The client of the budget run, which must keep 2,000 waits inside `budget`.
pub fn budget_client(url: &str, key: &str, budget: Budget) -> Result<TroccoClient> {
    let config = config(url, key)?;
    // configure the shared budget here: once crates/jobrun has it, this becomes
    // `.rate_limit(jobrun::RateLimit::Fixed { requests: budget.requests, per: budget.per })`.
    // Until then the client has no budget, and the simulator answers the excess with 429.
    let _ = budget;
    TroccoClient::new(config).context("cannot build the budget run's trocco client")
}
