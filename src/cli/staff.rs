//! `rappel staff`: finds the fewest agents per interval that meet targets.

use super::Failure;

/// Arguments of `rappel staff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML).
    scenario: std::path::PathBuf,
}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("staff is not available yet".into()))
}
