//! `rappel compare`: runs scenarios on the same customers and compares every metric.

use super::Failure;

/// Arguments of `rappel compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two or more scenario files (TOML); the first is the baseline.
    scenarios: Vec<std::path::PathBuf>,
}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("compare is not available yet".into()))
}
