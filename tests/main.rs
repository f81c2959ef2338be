//! The integration tests: one binary, a file per theme.

mod common;
mod determinism;
mod scenarios;
mod validity;
