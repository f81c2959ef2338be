//! `rappel validate`: checks a scenario and explains every problem.

use super::{Failure, print_out};
use std::path::PathBuf;

/// Arguments of `rappel validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file to check.
    scenario: PathBuf,
    #[command(flatten)]
    unstable: super::flags::Unstable,
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    let shown = a.scenario.display().to_string();
    let text = rappel::scenario::read_text(&a.scenario)?;
    let s = a.unstable.scenario(&text, &shown)?;
    let agents_max: u32 = (0..s.day.intervals())
        .map(|i| s.teams.iter().map(|t| t.staffing[i]).sum::<u32>())
        .max()
        .unwrap_or(0);
    print_out(&format!(
        "{}: valid scenario `{}`: {} ticket type(s), {} team(s), up to {} agents, {} replication(s) of {} s\n",
        a.scenario.display(),
        s.name,
        s.ticket_types.len(),
        s.teams.len(),
        agents_max,
        s.simulation.replications,
        s.simulation.horizon
    ))
}
