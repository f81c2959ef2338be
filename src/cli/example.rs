//! `rappel example`: prints a fully commented template scenario.

use super::Failure;

/// Arguments of `rappel example`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("example is not available yet".into()))
}
