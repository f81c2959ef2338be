//! `rappel trace`: narrates the first customers' journeys, for teaching.

use super::Failure;
use std::path::PathBuf;

/// What `trace` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TraceFormat {
    /// Sentences with the simulated clock time.
    Text,
    /// The same events as tidy CSV rows.
    Csv,
}

/// Arguments of `rappel trace`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML); without one, the built-in realistic day.
    scenario: Option<PathBuf>,
    /// How many customers to follow, from the first one who calls.
    #[arg(long, short = 'n', default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    customers: u32,
    /// Which replication to trace (0-based).
    #[arg(long, default_value_t = 0)]
    replication: u32,
    /// Seed (overrides `simulation.seed`).
    #[arg(long, short = 's')]
    seed: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    format: TraceFormat,
}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    Err(Failure::Input("trace is not available yet".into()))
}
