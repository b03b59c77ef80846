//! Black-box tests of the ASTERIA Warp simulator over real HTTP on 127.0.0.1.
//!
//! Expected bodies are spelled out here, laid out like seed 004's samples, rather than taken
//! from the simulator, so that a slip on either side fails.

mod auth;
mod catalog;
mod common;
mod errors;
#[path = "../support/fault_matrix.rs"]
mod fault_matrix;
mod faults;
mod listing;
mod matrix;
mod recording;
mod rerun;
mod sessions;
mod show;
