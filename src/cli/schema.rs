//! `rappel schema`: prints the JSON Schema of the scenario format, for editors.

use super::Failure;

/// Arguments of `rappel schema`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("schema is not available yet".into()))
}
