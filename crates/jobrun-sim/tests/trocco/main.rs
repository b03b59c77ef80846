//! Black-box tests of the trocco simulator over real HTTP on 127.0.0.1.

mod auth;
mod common;
mod endpoints;
#[path = "../support/fault_matrix.rs"]
mod fault_matrix;
mod faults;
mod listing;
mod matrix;
mod progression;
mod rate_limit;
mod recording;
mod validation;
