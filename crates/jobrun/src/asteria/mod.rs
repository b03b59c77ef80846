//! ASTERIA Warp: list checkpoint-flow requests, show one, re-run a failed one from its last
//! checkpoint and wait until it ends, through the Flow Service API (XML answers).
//!
//! ```no_run
//! use jobrun::asteria::AsteriaClient;
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! // ASTERIA_BASE_URL, ASTERIA_USER, ASTERIA_PASSWORD
//! let client = AsteriaClient::from_env()?;
//! let outcome = client
//!     .start_and_wait(
//!         &"eedd0d83-ac7a-482d-ae95-aa16c1d87d43".parse()?,
//!         "20121005".parse()?,
//!         &WaitOptions::default(),
//!         &mut |event| eprintln!("{event:?}"),
//!     )
//!     .await;
//! client.logout().await;
//! println!("{:?}", outcome?.details);
//! # Ok(()) }
//! ```
//!
//! Sessions: the client logs in on first use, sends the session in `X-Fs-SessionId`, logs in
//! again once when an answer says it is not logged in (error 2001: the session expired), and
//! logs out on [`AsteriaClient::logout`]. Concurrent callers share one login.
//!
//! Logs: the XML library (yaserde) logs every text it reads at debug level under the target
//! `yaserde`, session ids included. Keep that target off in your subscriber (e.g.
//! `RUST_LOG=debug,yaserde=off`); the `jobrun` command always does.
//!
//! Re-runs: rerun answers at once, and for a moment show may still answer the request's old
//! `error`. jobrun reads the request before re-running it and trusts no `error` whose
//! `restartTime` is the one from before: until show reflects the rerun the wait reports
//! `rerun requested`.

mod client;
mod config;
mod error;
mod input;
mod status;

pub use asteria_warp_api::{
    types::RequestStatus,
    xml::{Answer, Request},
};
pub use client::{AsteriaClient, StartedRerun};
pub use config::*;
pub use error::AsteriaError;
pub use input::{CheckpointDate, ListFilter, RequestId};

#[cfg(test)]
mod tests {
    use asteria_warp_api::xml;
    use jobrun_transport::SecretString;

    use super::{
        config::with_default_port,
        status::{phase, snapshot},
        *,
    };
    use crate::{
        OutcomeState,
        wait::{self, Phase},
    };

    #[test]
    fn phases_agree_with_the_spec_terminal_list() {
        wait::assert_phases_agree!(RequestStatus, "suspend", phase);
    }

    #[test]
    fn dates_ids_and_urls_are_checked() {
        assert_eq!(
            "20121005"
                .parse::<CheckpointDate>()
                .expect("valid")
                .to_string(),
            "20121005"
        );
        for bad in ["20120230", "2012105", "2012-10-05", "201210055", ""] {
            let err = bad.parse::<CheckpointDate>().expect_err(bad).to_string();
            assert!(err.contains("YYYYMMDD"), "{err}");
        }
        assert!(
            "eedd0d83-ac7a-482d-ae95-aa16c1d87d432"
                .parse::<RequestId>()
                .is_ok()
        );
        for bad in ["", "has space", "tab\there"] {
            assert!(bad.parse::<RequestId>().is_err(), "{bad:?}");
        }
        assert_eq!(
            with_default_port("http://warp.example.local"),
            "http://warp.example.local:21381/"
        );
        assert_eq!(
            with_default_port("https://warp.example.com"),
            "https://warp.example.com"
        );
        let err = AsteriaConfig::new(
            "http://warp.example.local",
            false,
            "guest",
            SecretString::from("pw"),
        )
        .expect_err("plain http elsewhere");
        assert!(err.to_string().contains("JOBRUN_ALLOW_HTTP"), "{err}");
        assert!(
            AsteriaConfig::new(
                "http://127.0.0.1:21381",
                false,
                "guest",
                SecretString::from("pw")
            )
            .is_ok()
        );
    }

    #[test]
    fn the_password_never_shows() {
        let config = AsteriaConfig::new(
            "http://127.0.0.1:21381",
            false,
            "guest",
            SecretString::from("hunter2-secret"),
        )
        .expect("valid");
        let client = AsteriaClient::new(config.clone()).expect("client");
        let shown = format!("{config:?} {client:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn a_request_becomes_a_snapshot_with_its_checkpoints() {
        let answer = xml::from_xml(
            "<result><status>success</status><data><request><requestId>r1</requestId>\
             <status>error</status><startTime>2012-10-05T18:06:59 JST</startTime>\
             <checkPointStatus>CheckPoint2</checkPointStatus><endTime>2012-10-05T20:47:12 JST</endTime>\
             <restartTime>2012-10-05T20:46:44 JST</restartTime>\
             <checkPointRestartStatus>CheckPoint1</checkPointRestartStatus></request></data></result>",
        )
        .expect("decodes");
        let request = &answer.data.expect("data").requests[0];
        let s = snapshot(request);
        assert_eq!(s.phase, Phase::Ended(OutcomeState::Failed));
        assert_eq!(s.details["check_point_status"], "CheckPoint2");
        assert_eq!(s.details["check_point_restart_status"], "CheckPoint1");
        assert_eq!(
            s.finished_at
                .and_then(|t| t.parse())
                .map(|t| t.to_rfc3339()),
            Some("2012-10-05T20:47:12+09:00".to_owned())
        );
    }
}
