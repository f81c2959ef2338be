//! `rappel generate`: shell completions and the man page, from the one CLI definition.

use super::Failure;

/// What to generate.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Shell completions, e.g. `rappel generate completions bash > rappel.bash`.
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: String,
    },
    /// The man page (roff), e.g. `rappel generate man > rappel.1`.
    Man,
}

/// Arguments of `rappel generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("generate is not available yet".into()))
}
