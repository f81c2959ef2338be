//! The integration tests: one binary, a file per theme.

mod bad_input;
mod cli;
mod common;
mod compare;
mod determinism;
mod docs;
mod flows;
mod polish;
mod report;
mod scenarios;
mod staff;
mod sweep;
mod trace;
mod validity;
