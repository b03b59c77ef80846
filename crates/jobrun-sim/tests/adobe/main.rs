//! Black-box tests of the Adobe Query Service (scheduled queries) + IMS simulator over real
//! HTTP on 127.0.0.1.
//!
//! Expected bodies and messages are spelled out here, copied from seed 002 and the research
//! notes, rather than taken from the simulator, so that a slip on either side fails.

mod catalog;
mod common;
mod doc_style;
#[path = "../support/fault_matrix.rs"]
mod fault_matrix;
mod faults;
mod gateway;
mod ims;
mod listing;
mod matrix;
mod recording;
mod runs;
mod schedules;
