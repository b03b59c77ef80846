//! Adobe Experience Platform Query Service: scheduled queries and their runs, with Adobe's
//! OAuth (IMS, server to server) handled.
//!
//! ```no_run
//! use jobrun::adobe::AdobeClient;
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! // ADOBE_CLIENT_ID, ADOBE_CLIENT_SECRET, ADOBE_ORG_ID, ADOBE_SCOPES (, ADOBE_SANDBOX, …)
//! let client = AdobeClient::from_env()?;
//! let schedule = "e95186d6_sample_scheduled_query".parse()?;
//! let outcome = client
//!     .start_and_wait(&schedule, &WaitOptions::default(), &mut |event| eprintln!("{event:?}"))
//!     .await?;
//! for task in &outcome.steps {
//!     println!("{} {}", task.name, task.status);
//! }
//! # Ok(()) }
//! ```
//!
//! Tokens: fetched from IMS on first use, cached, renewed a margin before `expires_in`
//! (seconds), fetched by one caller at a time however many wait; a 401 with the gateway's
//! invalid-token answer (401013) gets one renewal and one retry, never more.
//!
//! Triggers: Adobe answers 202 without the new run's id. jobrun notes the externally
//! triggered runs before the trigger, then lists them (newest first) until exactly one new run
//! appears. Two or more new runs (someone else triggered too) are an error naming them:
//! jobrun does not guess. A trigger is never re-sent by a retry (only after a refused
//! connection, or after the gateway refused an expired token, which proves it was not run).

mod client;
mod config;
mod error;
mod input;
mod status;
mod token;

pub use adobe_query_api::types::{
    Accepted, Run, RunDetails, RunState, RunStateKind, Schedule, ScheduleState, Task,
};
pub use client::{AdobeClient, StartedRun};
pub use config::*;
pub use error::AdobeError;
pub use input::{
    Cron, Filter, IsoDate, ListOptions, MAX_LIMIT, NewSchedule, OrderBy, RunId, ScheduleId,
    parse_limit,
};

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use adobe_query_api::types;
    use jobrun_transport::SecretString;

    use super::{client::PageQuery, status::phase, *};
    use crate::{OutcomeState, wait::Phase};

    #[test]
    fn phases_follow_the_issue_table() {
        for (text, ended) in [
            ("SUCCESS", Some(OutcomeState::Succeeded)),
            ("success", Some(OutcomeState::Succeeded)),
            ("FAILED", Some(OutcomeState::Failed)),
            ("TIMEOUT", Some(OutcomeState::Failed)),
            ("KILLED", Some(OutcomeState::Canceled)),
            ("Cancelled", Some(OutcomeState::Canceled)),
            ("CANCELED", Some(OutcomeState::Canceled)),
            ("IN_PROGRESS", None),
            ("QUEUED", None),
            ("ERRORED", None),
        ] {
            let kind = types::RunState::from(text.to_owned()).kind();
            let got = match phase(&kind) {
                Phase::Ended(s) | Phase::EndedUnlessMoved(s) => Some(s),
                Phase::Running => None,
            };
            assert_eq!(got, ended, "{text}");
        }
    }

    #[test]
    fn next_links_are_followed_by_their_parameters_on_our_host() {
        let first = PageQuery {
            limit: NonZeroU32::new(10),
            orderby: Some("-created".into()),
            property: None,
            start: None,
        };
        let next = first
            .follow("https://platform-va7.adobe.io/data/foundation/query/schedules?start=2022-11-01T00:11:08.389Z&limit=10&linkType=next")
            .expect("absolute");
        assert_eq!(next.start.as_deref(), Some("2022-11-01T00:11:08.389Z"));
        assert_eq!(next.orderby.as_deref(), Some("-created"));
        let relative = first
            .follow("/data/foundation/query/schedules?orderby=%2Bcreated&start=abc")
            .expect("relative");
        assert_eq!(relative.orderby.as_deref(), Some("+created"));
        assert!(first.follow("/schedules?limit=3").is_err());
    }

    #[test]
    fn the_client_secret_never_shows() {
        let config = AdobeConfig::new(
            "client-1",
            SecretString::from("p8e-very-secret"),
            "ORG@AdobeOrg",
            "openid,AdobeID",
        )
        .expect("valid");
        let client = AdobeClient::new(config.clone()).expect("client");
        let shown = format!("{config:?} {client:?}");
        assert!(!shown.contains("p8e-very-secret"), "{shown}");
        assert!(AdobeConfig::new("", SecretString::from("s"), "o", "x").is_err());
        assert!(config.clone().sandbox("Prod").is_err());
    }
}
