//! The IMS access token: fetched on first use, cached, renewed a margin before it expires,
//! fetched by one caller at a time however many wait for it.

use std::time::Duration;

use jobrun_transport::{SecretSlot, SecretString};
use tokio::{sync::Mutex, time::Instant};

use crate::Error;

/// A token as IMS answered it.
pub(crate) struct Fresh {
    pub(crate) token: SecretString,
    /// `expires_in`, in seconds (IMS v3 documents seconds; the old JWT exchange used
    /// milliseconds, research §11).
    pub(crate) expires_in_secs: i64,
}

const MAX_LIFETIME_SECS: u64 = 30 * 24 * 3600;

/// Renewal starts this long before expiry: a fifth of the lifetime, at most five minutes
/// (aepp renews 500 s early, Adobe's MCP sample 300 s).
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(Duration::from_secs(300))
}

struct State {
    renew_at: Option<Instant>,
    generation: u64,
}

/// The cached token, shared by every clone of a client through the transport's slot.
pub(crate) struct TokenCache {
    slot: SecretSlot,
    state: Mutex<State>,
}

impl TokenCache {
    pub(crate) fn new(slot: SecretSlot) -> Self {
        Self {
            slot,
            state: Mutex::new(State {
                renew_at: None,
                generation: 0,
            }),
        }
    }

    /// Makes sure a token that is not about to expire is in the slot; returns its generation.
    /// Callers arriving while a fetch is under way wait for it instead of fetching again.
    pub(crate) async fn current<F>(&self, fetch: impl FnOnce() -> F) -> Result<u64, Error>
    where
        F: Future<Output = Result<Fresh, Error>>,
    {
        let mut state = self.state.lock().await;
        if let Some(at) = state.renew_at
            && Instant::now() < at
            && self.slot.is_set()
        {
            return Ok(state.generation);
        }
        self.replace(&mut state, fetch().await?)
    }

    /// Fetches a new token after the gateway refused generation `seen`, unless another caller
    /// already did.
    pub(crate) async fn renew<F>(&self, seen: u64, fetch: impl FnOnce() -> F) -> Result<u64, Error>
    where
        F: Future<Output = Result<Fresh, Error>>,
    {
        let mut state = self.state.lock().await;
        if state.generation != seen {
            return Ok(state.generation);
        }
        self.replace(&mut state, fetch().await?)
    }

    fn replace(&self, state: &mut State, fresh: Fresh) -> Result<u64, Error> {
        self.slot
            .set(&SecretString::from(format!(
                "Bearer {}",
                secrecy::ExposeSecret::expose_secret(&fresh.token)
            )))
            .map_err(|e| Error::Config(format!("the IMS token cannot be sent: {e}")))?;
        // A month at most: an absurd expires_in from a server must not overflow the clock.
        let lifetime = Duration::from_secs(
            u64::try_from(fresh.expires_in_secs)
                .unwrap_or(0)
                .min(MAX_LIFETIME_SECS),
        );
        state.renew_at = Instant::now().checked_add(lifetime - margin(lifetime));
        state.generation += 1;
        tracing::debug!(
            expires_in_secs = fresh.expires_in_secs,
            "new IMS access token"
        );
        Ok(state.generation)
    }
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenCache({:?})", self.slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_starts_a_margin_before_expiry() {
        assert_eq!(
            margin(Duration::from_secs(86_399)),
            Duration::from_secs(300)
        );
        assert_eq!(margin(Duration::from_secs(60)), Duration::from_secs(12));
        assert_eq!(margin(Duration::ZERO), Duration::ZERO);
    }
}
