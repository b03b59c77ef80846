//! Black-box tests of the trocco simulator over real HTTP on 127.0.0.1.

mod auth;
mod common;
mod endpoints;
mod faults;
mod listing;
mod progression;
mod rate_limit;
mod recording;
mod validation;
