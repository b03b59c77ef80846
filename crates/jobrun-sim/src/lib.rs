//! Local simulators of the vendor job APIs that jobrun drives.
//!
//! Each simulator is a real HTTP server on 127.0.0.1, written from the vendor's public docs
//! alone (not from jobrun's specs or clients, so that a misreading there shows up as a
//! failing test here). It keeps jobs whose status follows a scripted progression over time,
//! enforces the vendor's auth and rate limit, records every request it receives, and can be
//! told to misbehave: error statuses, slow answers, hangs, dripped bodies, dropped and reset
//! connections, redirects, echoed requests, huge, deeply nested, malformed or garbage bodies
//! (see [`Fault`]). [`Elsewhere`] is a second origin that records what reaches it, to prove
//! that no credential follows a redirect.
//!
//! All time comes from tokio's clock, so tests run under
//! `#[tokio::test(start_paused = true)]` can move jobs through minutes of progression
//! instantly.
//!
//! Vendors: [`trocco`], [`krewdata`], [`asteria`] (ASTERIA Warp's Flow Service API),
//! [`adobe`] (Adobe Experience Platform Query Service's scheduled queries, with the Adobe IMS
//! token endpoint).
//!
//! ```
//! use std::time::Duration;
//! use jobrun_sim::trocco::{Fault, Script, Target, TroccoConfig, TroccoSim};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = TroccoConfig::empty().transfer_definition(
//!     7,
//!     "nightly-load",
//!     Script::new()
//!         .step("queued", Duration::from_millis(200))
//!         .step("executing", Duration::from_secs(1))
//!         .end("succeeded"),
//! );
//! let sim = TroccoSim::start(config).await?;
//!
//! // The first trigger creates its job, but its answer never arrives.
//! sim.inject(Target::RunJob, Fault::Drop, 1);
//! let client = reqwest::Client::new();
//! let trigger = || {
//!     client
//!         .post(format!("{}/api/jobs?job_definition_id=7", sim.base_url()))
//!         .header("Authorization", format!("Token {}", sim.api_key()))
//!         .send()
//! };
//! assert!(trigger().await.is_err());
//! let job: serde_json::Value = trigger().await?.json().await?;
//! assert_eq!(job["id"], 2);
//! assert_eq!(job["status"], "queued");
//! assert_eq!(sim.count("POST", "/api/jobs"), 2);
//! sim.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod adobe;
pub mod asteria;
mod clock;
mod elsewhere;
mod fault;
pub mod krewdata;
mod ratelimit;
mod record;
mod server;
pub mod trocco;

pub use elsewhere::Elsewhere;
pub use fault::Fault;
pub use record::RecordedRequest;

/// `200ms`, `1.5s`, `2s`, `10m`, `2h`: how durations read in labels and catalog tables.
pub(crate) fn fmt_duration(duration: std::time::Duration) -> String {
    let millis = duration.as_millis();
    if millis == 0 && !duration.is_zero() {
        return format!("{}µs", duration.as_micros());
    }
    if millis < 1000 && millis > 0 {
        return format!("{millis}ms");
    }
    let secs = duration.as_secs();
    if duration.subsec_millis() == 0 {
        if secs >= 3600 && secs.is_multiple_of(3600) {
            return format!("{}h", secs / 3600);
        }
        if secs >= 60 && secs.is_multiple_of(60) {
            return format!("{}m", secs / 60);
        }
        return format!("{secs}s");
    }
    let decimal = format!("{secs}.{:03}", duration.subsec_millis());
    format!("{}s", decimal.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::fmt_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(fmt_duration(Duration::ZERO), "0s");
        assert_eq!(fmt_duration(Duration::from_micros(5)), "5µs");
        assert_eq!(fmt_duration(Duration::from_millis(200)), "200ms");
        assert_eq!(fmt_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(fmt_duration(Duration::from_millis(1250)), "1.25s");
        assert_eq!(fmt_duration(Duration::from_secs(2)), "2s");
        assert_eq!(fmt_duration(Duration::from_secs(600)), "10m");
        assert_eq!(fmt_duration(Duration::from_secs(90)), "90s");
        assert_eq!(fmt_duration(Duration::from_secs(7200)), "2h");
        assert_eq!(fmt_duration(Duration::from_secs(5400)), "90m");
    }
}
