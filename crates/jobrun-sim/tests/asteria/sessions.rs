use std::time::Duration;

use jobrun_sim::asteria::{AsteriaConfig, DEFAULT_SESSION_TTL};
use tokio::time::sleep;

use crate::common::{Api, assert_error, ok};

const BAD_SESSION: &str = "Not logged in: the session is unknown or has expired.";

fn mins(minutes: u64) -> Duration {
    Duration::from_secs(minutes * 60)
}

#[tokio::test(start_paused = true)]
async fn an_idle_session_expires_after_30_minutes() {
    assert_eq!(DEFAULT_SESSION_TTL, mins(30));
    let api = Api::default().await;
    let session = api.login().await;
    sleep(mins(29)).await;
    api.list(&session, "").await;
    // Used a minute ago, so alive; idle for 30 minutes from here, gone.
    sleep(mins(30)).await;
    assert_eq!(api.sim.session_count(), 0);
    let response = api.get("/api/checkpoint/list", Some(&session)).await;
    assert_error(response, 403, 2001, BAD_SESSION).await;
    // Expired for good: a later call does not revive it.
    let response = api.post("/api/auth/logout", Some(&session), "").await;
    assert_error(response, 403, 2001, BAD_SESSION).await;
    // A new login works.
    let fresh = api.login().await;
    api.list(&fresh, "").await;
}

#[tokio::test(start_paused = true)]
async fn every_call_renews_the_session() {
    let api = Api::start(AsteriaConfig::new().session_ttl(mins(5))).await;
    let session = api.login().await;
    // An hour of polls every 4 minutes keeps it alive, failed calls included.
    for n in 0..15 {
        sleep(mins(4)).await;
        if n % 2 == 0 {
            api.list(&session, "").await;
        } else {
            let response = api.get("/api/checkpoint/show", Some(&session)).await;
            assert_eq!(response.status(), 400);
        }
    }
    assert_eq!(api.sim.session_count(), 1);
    sleep(mins(5)).await;
    let response = api.get("/api/checkpoint/list", Some(&session)).await;
    assert_error(response, 403, 2001, BAD_SESSION).await;
}

#[tokio::test]
async fn expire_sessions_ends_every_session_at_once() {
    let api = Api::default().await;
    let first = api.login().await;
    let second = api.login().await;
    api.sim.expire_sessions();
    assert_eq!(api.sim.session_count(), 0);
    for session in [&first, &second] {
        let response = api.get("/api/checkpoint/list", Some(session)).await;
        assert_error(response, 403, 2001, BAD_SESSION).await;
    }
    let fresh = api.login().await;
    ok(api.get("/api/checkpoint/list", Some(&fresh)).await).await;
}
