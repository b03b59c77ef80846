//! krewData: run an execution unit (実行単位) through the real-time execution API and wait until
//! its data-editing flows end, without ever handling an access token.
//!
//! ```no_run
//! use jobrun::krewdata::{KrewdataClient, Record, RunUnit};
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! // KREWDATA_APP_URL, KREWDATA_SERIAL_NUMBER, KREWDATA_USER (, KREWDATA_BASE_URL)
//! let client = KrewdataClient::from_env()?;
//! let run = RunUnit::new("abcdefghijklmn".parse()?, jobrun::parse_id("app id", "123")?)
//!     .record(Record::new().field("入荷日", "DATE", "2020-11-01")?);
//! let outcome = client
//!     .start_and_wait(&run, &WaitOptions::default(), &mut |event| eprintln!("{event:?}"))
//!     .await?;
//! for flow in &outcome.steps {
//!     println!("{} {}", flow.name, flow.status);
//! }
//! # Ok(()) }
//! ```
//!
//! Waiting reads the status first after [`WaitOptions::poll_min`](crate::WaitOptions::poll_min) (5 s by default, the interval
//! of the seed's own sample), then backs off while nothing changes.
//!
//! Tokens: every run gets a fresh one (they are single use for a run); a wait reuses the run's
//! token while it is younger than [`TOKEN_REUSE`] and then gets a new one, and once more when a
//! status read answers that its token is invalid, so waits of hours never fail on an aged
//! token. Every token request first passes the [`RunGuard`], which keeps a unit under krewData's
//! 5 runs a minute across all jobrun processes of the user.
//!
//! Success is judged by the JSON `code` as well as the HTTP status: an HTTP 200 whose body says
//! `"code": 400` is an [`Error::Api`](crate::Error::Api) whose [`crate::ApiError::kind`] names the documented error
//! ([`KrewdataError`]).

mod error;
mod guard;

mod client;
mod config;
mod input;
mod status;

pub use client::{KrewdataClient, StartedTask};
pub use config::*;
pub use error::KrewdataError;
pub use guard::{RUN_LIMIT, RUN_WINDOW, RunGuard};
pub use input::{AppUrl, Record, RunUnit, TaskId, UnitId};
pub use krewdata_api::types::{ExecutionStatus, FlowInfo, StatusAnswer};

#[cfg(test)]
mod tests {
    use jobrun_transport::SecretString;
    use secrecy::ExposeSecret;

    use super::{
        status::{phase, snapshot},
        *,
    };
    use crate::{
        OutcomeState,
        wait::{self, Phase},
    };

    #[test]
    fn phases_agree_with_the_spec_terminal_list() {
        wait::assert_phases_agree!(ExecutionStatus, "Paused", phase);
    }

    #[test]
    fn ids_and_app_urls_are_checked() {
        assert!("abcdefghijklmn".parse::<UnitId>().is_ok());
        for bad in ["", "a/b", "a b", "ユニット", "a?b"] {
            let err = bad.parse::<UnitId>().expect_err(bad).to_string();
            assert!(err.contains("execution unit id"), "{err}");
        }
        assert!("hijklmn8901234".parse::<TaskId>().is_ok());
        assert!("has space".parse::<TaskId>().is_err());
        for ok in [
            "https://yourdomain.cybozu.com/k/123",
            "https://yourdomain.cybozu.com/k/123/",
        ] {
            assert!(ok.parse::<AppUrl>().is_ok(), "{ok}");
        }
        for bad in [
            "http://yourdomain.cybozu.com/k/123",
            "https://yourdomain.cybozu.com/k/abc",
            "https://yourdomain.cybozu.com/k/",
            "https://yourdomain.cybozu.com/123",
            "https://yourdomain.cybozu.com/k/123?x=1",
            "yourdomain.cybozu.com/k/123",
        ] {
            let err = bad.parse::<AppUrl>().expect_err(bad).to_string();
            assert!(err.contains("/k/<app id>"), "{err}");
        }
    }

    #[test]
    fn records_from_fields_and_from_kintone_json() {
        let r = Record::new()
            .parse_field("入荷日=DATE:2020-11-01")
            .expect("valid")
            .parse_field("メモ=MULTI_LINE_TEXT:a=b:c")
            .expect("value keeps = and :");
        let json = serde_json::to_value(&r.0).expect("json");
        assert_eq!(json["入荷日"]["type"], "DATE");
        assert_eq!(json["メモ"]["value"], "a=b:c");
        for bad in ["no-equals", "code=nocolon", "=DATE:x", "c=date:x"] {
            assert!(Record::new().parse_field(bad).is_err(), "{bad}");
        }
        let plain = Record::from_json(r#"{"レコード番号":{"type":"RECORD_NUMBER","value":"1"}}"#)
            .expect("kintone record");
        let wrapped = Record::from_json(
            r#"{"record":{"レコード番号":{"type":"RECORD_NUMBER","value":"1"}}}"#,
        )
        .expect("record API answer");
        assert_eq!(plain, wrapped);
        for bad in ["[]", r#"{"a":1}"#, r#"{"a":{"type":"X"}}"#, "not json"] {
            let err = Record::from_json(bad).expect_err(bad).to_string();
            assert!(err.contains("kintone record"), "{err}");
        }
    }

    #[test]
    fn the_serial_is_sent_as_btoa_makes_it_and_never_shown() {
        let config = KrewdataConfig::new(
            "https://yourdomain.cybozu.com/k/123".parse().expect("url"),
            SecretString::from("abcdef-jklmno-pqrstu-xyz123-456789"),
        )
        .expect("valid")
        .run_guard(RunGuard::disabled());
        let shown = format!("{config:?}");
        assert!(!shown.contains("abcdef-jklmno"), "{shown}");
        let client = KrewdataClient::new(config).expect("client");
        // window.btoa("abcdef-jklmno-pqrstu-xyz123-456789")
        assert_eq!(
            client.serial_base64.expose_secret(),
            "YWJjZGVmLWprbG1uby1wcXJzdHUteHl6MTIzLTQ1Njc4OQ=="
        );
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("YWJjZGVm") && !shown.contains("abcdef-"),
            "{shown}"
        );
    }

    #[test]
    fn flows_become_steps_and_a_running_end_time_is_no_time() {
        let answer: StatusAnswer = serde_json::from_str(
            r#"{"code":200,"status":"OK","taskStatus":"Failure","errorCode":"33","errorMessage":"m",
               "flowInfo":[{"flowExecUniqueKey":"1","flowName":"フロー1","status":"Failure","startTime":"2020-12-01 09:00:00","endTime":"2020-12-01 09:01:00"},
                           {"flowExecUniqueKey":"2","flowName":"フロー2","status":"Cancel"}]}"#,
        )
        .expect("decodes");
        let s = snapshot(&answer);
        assert_eq!(s.phase, Phase::Ended(OutcomeState::Failed));
        assert_eq!(s.error_code.as_deref(), Some("33"));
        assert_eq!(s.steps[1].status, "Cancel");
        assert_eq!(
            s.finished_at.as_ref().map(|t| t.as_str()),
            Some("2020-12-01 09:01:00")
        );
        let running: StatusAnswer = serde_json::from_str(
            r#"{"code":200,"status":"OK","taskStatus":"Running","flowInfo":[{"flowName":"f","status":"Running","startTime":"2020-12-01 09:00:00","endTime":""}]}"#,
        )
        .expect("decodes");
        let s = snapshot(&running);
        assert_eq!(s.steps[0].finished_at, None);
        assert_eq!(s.finished_at, None);
    }
}
