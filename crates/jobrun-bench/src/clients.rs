//! The two ways the bench configures jobrun's trocco client, each in one place: the fleets
//! measure the facade unthrottled, the budget run holds it to the simulator's limit.

use std::time::Duration;

use anyhow::{Context, Result};
use jobrun::trocco::{TroccoClient, TroccoConfig};
use jobrun::{RateLimit, SecretString};

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
    // The in-flight cap and idle connections keep the facade's defaults: they are part of
    // what is measured.
    let config = config(url, key)?.rate_limit(RateLimit::Unlimited);
    TroccoClient::new(config).context("cannot build the fleet's trocco client")
}

/// The client of the budget run, which must keep 2,000 waits inside `budget`.
pub fn budget_client(url: &str, key: &str, budget: Budget) -> Result<TroccoClient> {
    // The same limit the simulator enforces.
    let config = config(url, key)?.rate_limit(RateLimit::Fixed {
        requests: budget.requests,
        per: budget.per,
    });
    TroccoClient::new(config).context("cannot build the budget run's trocco client")
}
