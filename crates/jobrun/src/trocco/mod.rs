//! trocco: run transfer jobs (転送ジョブ) and workflow jobs (ワークフロージョブ), read them, list a
//! definition's jobs, and wait until they end.
//!
//! ```no_run
//! use jobrun::trocco::{RunJob, TroccoClient, TroccoConfig, CustomVariable};
//! use jobrun::WaitOptions;
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! let client = TroccoClient::new(TroccoConfig::from_env()?)?;
//! let run = RunJob::new(jobrun::parse_id("definition id", "42")?)
//!     .context_time("2024-01-01 00:00:00".parse()?)
//!     .variable(CustomVariable::new("$ad_id$", "A0000")?);
//! let outcome = client
//!     .start_job_and_wait(&run, &WaitOptions::default(), &mut |event| println!("{event:?}"))
//!     .await?;
//! println!("{} ended {}", outcome.job, outcome.state);
//! # Ok(()) }
//! ```

mod client;
mod config;
mod error;
mod input;
mod status;

pub use client::TroccoClient;
pub use config::*;
pub use input::{ContextTime, CustomVariable, ListJobs, RunJob, RunPipeline, TimeZoneName};
pub use status::TroccoJob;
pub use trocco_api::types::{JobStatus, PipelineJob, TransferJob};

pub use crate::ids::parse_id;

#[cfg(test)]
mod tests {
    use std::num::NonZeroU64;

    use jobrun_transport::SecretString;
    use trocco_api::types;

    use super::{error::trocco_words, status::phase, *};
    use crate::{
        OutcomeState,
        wait::{self, Phase},
    };

    #[test]
    fn phases_agree_with_the_spec_terminal_list() {
        for workflow in [false, true] {
            let phase = |s: &JobStatus| phase(s, workflow);
            wait::assert_phases_agree!(JobStatus, "paused_by_admin", phase);
        }
        assert_eq!(
            phase(&JobStatus::Error, true),
            Phase::EndedUnlessMoved(OutcomeState::Failed)
        );
        assert_eq!(
            phase(&JobStatus::Error, false),
            Phase::Ended(OutcomeState::Failed)
        );
    }

    #[test]
    fn context_times_must_be_real_and_exactly_shaped() {
        assert_eq!(
            "2019-11-18 00:00:00"
                .parse::<ContextTime>()
                .expect("valid")
                .to_string(),
            "2019-11-18 00:00:00"
        );
        for bad in [
            "2024-02-30 00:00:00",
            "2024-1-01 00:00:00",
            "2024-01-01T00:00:00",
            "2024-01-01 24:00:00",
            "tomorrow",
            "",
        ] {
            let err = bad.parse::<ContextTime>().expect_err(bad).to_string();
            assert!(
                err.contains(&format!("{bad:?}")) && err.contains("YYYY-MM-DD HH:MM:SS"),
                "{err}"
            );
        }
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            "Etc/UTC"
                .parse::<TimeZoneName>()
                .expect("valid")
                .to_string(),
            "Etc/UTC"
        );
        for bad in ["JST", "asia/tokyo", "UTC+9", ""] {
            let err = bad.parse::<TimeZoneName>().expect_err(bad).to_string();
            assert!(err.contains("IANA"), "{err}");
        }
    }

    #[test]
    fn a_time_in_a_daylight_saving_gap_is_refused() {
        let run = RunJob::new(NonZeroU64::MIN)
            .context_time("2024-03-10 02:30:00".parse().expect("shape"))
            .time_zone("America/New_York".parse().expect("zone"));
        let err = run.body().expect_err("gap").to_string();
        assert!(err.contains("America/New_York"), "{err}");
    }

    #[test]
    fn custom_variables_need_dollar_names() {
        assert_eq!(
            CustomVariable::new("$ad_id$", "A0000")
                .expect("valid")
                .name(),
            "$ad_id$"
        );
        let v = CustomVariable::parse_assignment("ad_id=A=0").expect("bare name");
        assert_eq!((v.name(), v.value()), ("$ad_id$", "A=0"));
        let v = CustomVariable::parse_assignment("$ad_id$=").expect("empty value");
        assert_eq!((v.name(), v.value()), ("$ad_id$", ""));
        for bad in ["$$", "$ad id$", "ad_id$", "$a$b$", "$"] {
            assert!(CustomVariable::new(bad, "x").is_err(), "{bad}");
        }
        let err = CustomVariable::parse_assignment("$=A0000").expect_err("shell-expanded");
        assert!(err.to_string().contains("single quotes"), "{err}");
        assert!(CustomVariable::parse_assignment("no-equals").is_err());
    }

    #[test]
    fn the_zone_goes_out_with_a_time() {
        let t: ContextTime = "2024-01-01 00:00:00".parse().expect("valid");
        let body = RunJob::new(NonZeroU64::MIN)
            .context_time(t)
            .body()
            .expect("valid");
        assert_eq!(body.time_zone, Some(types::TimeZone("Asia/Tokyo".into())));
        let body = RunJob::new(NonZeroU64::MIN).body().expect("valid");
        assert_eq!(serde_json::to_string(&body).expect("json"), "{}");
    }

    #[test]
    fn error_words_cover_every_documented_shape() {
        let words = |s: &str| trocco_words(s.as_bytes());
        assert_eq!(
            words(r#"{"error":"タスクの依存関係が不正です"}"#)
                .and_then(|w| w.message)
                .as_deref(),
            Some("タスクの依存関係が不正です")
        );
        assert_eq!(
            words(r#"{"message":"Not Authorized"}"#)
                .and_then(|w| w.message)
                .as_deref(),
            Some("Not Authorized")
        );
        let w = words(r#"{"message":"Bad request","errors":[{"attribute":"incremental_column","message":"入力してください"}]}"#).expect("shape");
        assert_eq!(w.details, ["incremental_column: 入力してください"]);
        let w = words(r#"{"error":"e","message":"m"}"#).expect("shape");
        assert_eq!(
            (w.message.as_deref(), w.details),
            (Some("e"), vec!["m".to_owned()])
        );
        assert_eq!(words("HTTP Token: Access denied.\n"), None);
        assert_eq!(words(r#"{"unrelated":1}"#), None);
    }

    #[test]
    fn config_debug_hides_the_key() {
        let config = TroccoConfig::new(SecretString::from("tra_super_secret")).expect("valid");
        assert!(!format!("{config:?}").contains("tra_super_secret"));
        assert!(TroccoConfig::new(SecretString::from("  ")).is_err());
    }
}
