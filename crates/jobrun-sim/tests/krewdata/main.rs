//! Black-box tests of the krewData simulator over real HTTP on 127.0.0.1.
//!
//! Expected error bodies are spelled out here, copied from seed 003, rather than taken from
//! the simulator, so that a typo on either side fails.

mod catalog;
mod common;
mod exclusive;
#[path = "../support/fault_matrix.rs"]
mod fault_matrix;
mod faults;
mod matrix;
mod progression;
mod rate_limit;
mod recording;
mod run;
mod status;
mod token;
