//! `rappel example`: prints a fully commented template scenario.
//!
//! The template is `scenarios/template.toml`, so the tests that run every shipped scenario run
//! it too; `tests/polish.rs` checks that what this command prints validates and runs.

use super::{Failure, print_out};

/// The template scenario: every section, most keys with their meaning, default and unit.
pub const TEMPLATE: &str = include_str!("../../scenarios/template.toml");

/// Arguments of `rappel example`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    print_out(TEMPLATE)
}
