//! `rappel sweep`: runs a scenario over a grid of key values and writes sweep.csv.

use super::Failure;

/// Arguments of `rappel sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML).
    scenario: std::path::PathBuf,
}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("sweep is not available yet".into()))
}
