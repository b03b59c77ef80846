//! jobrun: start ETL jobs on data-integration products, wait until they end, and know exactly
//! how they ended.
//!
//! On top of the generated vendor clients (`generated/<vendor>-api`) this crate adds
//! configuration from code or the environment, input checks before anything is sent, retries
//! that never repeat a job trigger, and "trigger, then wait" with a deadline, jittered backoff,
//! rate-limit headers honoured, status changes reported, and one [`Outcome`] type for every
//! vendor.
//!
//! ```no_run
//! use jobrun::{WaitOptions, trocco::{RunPipeline, TroccoClient}};
//!
//! # async fn example() -> Result<(), jobrun::Error> {
//! let client = TroccoClient::from_env()?; // TROCCO_API_KEY, TROCCO_BASE_URL
//! let run = RunPipeline::new(jobrun::parse_id("workflow definition id", "7")?);
//! let outcome = client
//!     .start_pipeline_and_wait(&run, &WaitOptions::default(), &mut |event| eprintln!("{event:?}"))
//!     .await?;
//! if !outcome.state.is_success() {
//!     eprintln!("{} ended {} ({})", outcome.job, outcome.state, outcome.vendor_status);
//! }
//! # Ok(()) }
//! ```
//!
//! Errors ([`Error`]) keep the HTTP status, the vendor's words and the raw body; a passed
//! deadline is [`Error::Deadline`] with the job's reference and last status. Credentials never
//! appear in `Debug` or `Display` output.

#![warn(missing_docs)]

pub mod adobe;
pub mod asteria;
mod budget;
mod config;
mod error;
pub mod fleet;
mod ids;
pub mod krewdata;
mod outcome;
mod request;
pub mod trocco;
mod wait;

pub use budget::RateLimit;
pub use config::{ALLOW_HTTP_ENV, BaseUrl, HttpSettings};
pub use error::{ApiError, Error, RequestFate, VendorError};
pub use ids::parse_id;
pub use jobrun_transport::{SecretString, VendorTime};
pub use outcome::{JobRef, Outcome, OutcomeState, Step, WaitEvent};
pub use wait::WaitOptions;
