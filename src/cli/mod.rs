//! The command line: one file per subcommand; this file holds the shared definition and
//! turns every outcome into an exit code (0 success, 1 runtime failure, 2 bad input).

mod compare;
mod erlang;
mod example;
mod fit;
mod flags;
mod generate;
mod merge;
mod run;
mod schema;
mod shard;
mod slurm;
mod staff;
pub mod style;
mod sweep;
mod trace;
mod validate;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rappel::centre::Runaway;
use rappel::scenario::ScenarioErrors;
use std::io::Write;

/// rappel: simulate a support organisation's queues, callbacks and agents.
#[derive(Debug, Parser)]
#[command(name = "rappel", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always or
    /// never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = style::When::Auto)]
    color: style::When,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and write its CSV files (summary, replications, wait and satisfaction
    /// distributions, satisfaction drivers, intervals, tickets on request) and run.json.
    #[command(
        after_help = "Examples:\n  rappel run                                  # the built-in realistic day\n  rappel run scenarios/erlang-a.toml --replications 20 --seed 7\n  rappel run my.toml --out results/my --quiet --format json\n  rappel run my.toml --tickets                 # also tickets.csv\n  rappel run my.toml --precision 0.01          # replications until ± 1 %"
    )]
    Run(run::Args),
    /// Check a scenario file and explain every problem.
    #[command(after_help = "Example:\n  rappel validate scenarios/realistic-day.toml")]
    Validate(validate::Args),
    /// Print analytical Erlang B, C and A figures for one queue, or the staffing that meets
    /// targets, for one rate or per interval from a CSV of volumes.
    #[command(
        after_help = "Examples:\n  rappel erlang --rate-per-hour 1140 --handle-time 300s --agents 100 --patience 120s\n  rappel erlang --rate-per-hour 1140 --handle-time 300s --patience 120s --target-service-level 0.8\n  rappel erlang --volumes volumes.csv --interval 30m --handle-time 5m --target-asa 20s"
    )]
    Erlang(erlang::Args),
    /// Run several scenarios on the same customers and compare every metric.
    #[command(
        after_help = "Example:\n  rappel compare scenarios/provider-call-back-later.toml scenarios/retailer-immediate.toml"
    )]
    Compare(compare::Args),
    /// Run a scenario over a grid of values of its keys.
    #[command(
        after_help = "Examples:\n  rappel sweep scenarios/erlang-a.toml --set teams.agents.agents=90..110:5\n  rappel sweep scenarios/provider-call-back-later.toml --set entry.max_queue=0,3,10"
    )]
    Sweep(sweep::Args),
    /// Join the folders of every shard of a run, compare or sweep (--shard K/N) into the
    /// files one machine would have written.
    #[command(
        after_help = "Example:\n  rappel run my.toml -r 1000 --shard 0/2 --out shards/0\n  rappel run my.toml -r 1000 --shard 1/2 --out shards/1\n  rappel merge shards/0 shards/1 --out out/my"
    )]
    Merge(merge::Args),
    /// Write (and with --submit, submit) the Slurm job array that runs a run, compare or
    /// sweep in shards, and the job that merges them once every shard has succeeded.
    #[command(
        after_help = "Example:\n  rappel slurm --shards 8 --out results/big -- sweep big.toml --set teams.a.agents=80..120 -r 1000\n  bash results/big.slurm/submit.sh"
    )]
    Slurm(slurm::Args),
    /// Find the fewest agents per interval that meet service targets, by simulation.
    #[command(
        after_help = "Examples:\n  rappel staff scenarios/realistic-day.toml\n  rappel staff scenarios/realistic-day.toml --target accessibility=0.9 --target abandon_rate=0.02"
    )]
    Staff(staff::Args),
    /// Learn a scenario from a per-call log and back-test it against the log.
    #[command(
        after_help = "Examples:\n  rappel fit data/anonymous-bank-1999-08-excerpt.csv\n  rappel fit out/my/calls.csv --start-day sun --interval 1h --out fitted"
    )]
    Fit(fit::Args),
    /// Narrate the first customers' journeys step by step, for teaching.
    #[command(
        after_help = "Examples:\n  rappel trace scenarios/provider-call-back-later.toml --customers 5\n  rappel trace scenarios/retailer-immediate.toml -n 20 --format csv > trace.csv"
    )]
    Trace(trace::Args),
    /// Print a fully commented template scenario.
    #[command(after_help = "Example:\n  rappel example > my.toml && rappel validate my.toml")]
    Example(example::Args),
    /// Print the JSON Schema of the scenario format, for editors.
    #[command(after_help = "Example:\n  rappel schema > rappel.schema.json")]
    Schema(schema::Args),
    /// Generate shell completions or the man page.
    #[command(
        after_help = "Examples:\n  rappel generate completions bash > /etc/bash_completion.d/rappel\n  rappel generate man > rappel.1"
    )]
    Generate(generate::Args),
}

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: a usage error or an invalid scenario (exit 2).
    Input(String),
    /// The scenario's problems (exit 2).
    Scenario(ScenarioErrors),
    /// Something failed while running (exit 1).
    Runtime(anyhow::Error),
    /// A replication ran away and the runaway guard stopped it (exit 1).
    Runaway(Runaway),
}

impl From<Runaway> for Failure {
    fn from(e: Runaway) -> Self {
        Failure::Runaway(e)
    }
}

impl From<ScenarioErrors> for Failure {
    fn from(e: ScenarioErrors) -> Self {
        Failure::Scenario(e)
    }
}

/// A folder name made of the scenario name's safe characters.
pub fn folder_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "scenario".into() } else { s }
}

/// Reads a scenario file's text; a missing or unreadable file is bad input.
pub fn read_text(p: &std::path::Path) -> Result<String, Failure> {
    read_with_help(p, "check the path")
}

/// Reads a scenario file's text, with `help` for when it cannot be read; text that is not
/// UTF-8 is a scenario problem at the line and column of its first bad byte.
fn read_with_help(p: &std::path::Path, help: &str) -> Result<String, Failure> {
    // `rappel merge` reads the texts the shards ran.
    if let Some(text) = merge::stored_text(p) {
        return Ok(text);
    }
    let bytes = std::fs::read(p).map_err(|e| {
        Failure::Input(format!(
            "cannot read the scenario file {}: {e}\n  help: {help}",
            p.display()
        ))
    })?;
    Ok(rappel::scenario::decode(bytes, &p.display().to_string())?)
}

/// A scenario's text and the name shown in messages: the file given, or the built-in
/// default when none is.
pub fn scenario_text(path: Option<&std::path::Path>) -> Result<(String, String), Failure> {
    use rappel::scenario::{DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME};
    Ok(match path {
        Some(p) => (
            read_with_help(
                p,
                "check the path; `rappel run` with no file runs the built-in default",
            )?,
            p.display().to_string(),
        ),
        None => (
            DEFAULT_SCENARIO.to_string(),
            DEFAULT_SCENARIO_NAME.to_string(),
        ),
    })
}

/// The template of [`progress_bar`].
const BAR: &str = "{prefix} [{bar:20}] {pos}/{len} replications, {elapsed}, ETA {eta} {wide_msg}";

/// The template of [`search_bar`].
const SEARCH: &str = "{prefix} {spinner} {pos} replications, {elapsed}, pass {wide_msg}";

/// A progress bar of `len` replications on stderr, with the time left, hidden with
/// `--quiet` (indicatif hides it by itself when stderr is not a terminal). At 80 columns
/// everything but a long message fits: the prefix is shortened by [`bar_prefix`].
pub fn progress_bar(len: u64, prefix: &str, quiet: bool) -> indicatif::ProgressBar {
    bar(Some(len), BAR, prefix, quiet)
}

/// The progress of a search whose length is unknown (`staff`'s passes): one spinner for
/// the whole search, never restarting, with the replications simulated so far and a
/// message that says which pass runs (cut to the terminal's width).
pub fn search_bar(prefix: &str, quiet: bool) -> indicatif::ProgressBar {
    bar(None, SEARCH, prefix, quiet)
}

/// A bar on standard error, or hidden with `--quiet`.
fn bar(len: Option<u64>, template: &str, prefix: &str, quiet: bool) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget};
    if quiet {
        return ProgressBar::hidden();
    }
    drawn_on(ProgressDrawTarget::stderr(), len, template, prefix)
}

/// A bar of `template` drawn on `target`.
fn drawn_on(
    target: indicatif::ProgressDrawTarget,
    len: Option<u64>,
    template: &str,
    prefix: &str,
) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    let b = ProgressBar::with_draw_target(len, target);
    b.set_style(
        ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    b.set_prefix(bar_prefix(prefix));
    b
}

/// A progress bar's prefix (a scenario name): at most 16 characters, a longer name cut with
/// an ellipsis.
pub fn bar_prefix(name: &str) -> String {
    const MOST: usize = 16;
    if name.chars().count() <= MOST {
        name.to_string()
    } else {
        let head: String = name.chars().take(MOST - 1).collect();
        format!("{head}…")
    }
}

/// The width of standard output's terminal, within 40..=160 (100 when not a terminal).
pub fn terminal_width() -> u16 {
    console::Term::stdout()
        .size_checked()
        .map_or(100, |(_, w)| w.clamp(40, 160))
}

/// Writes to stdout; a closed pipe (`rappel run | head`) is not an error.
pub fn print_out(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Runtime(e.into())),
    }
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn run() -> i32 {
    // Read first, so that clap's own messages (usage errors, help) follow it too.
    let when = style::from_args(std::env::args_os());
    style::set(when);
    let parsed = Cli::command()
        .color(when.into())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            if e.kind() == clap::error::ErrorKind::UnknownArgument
                && let Some(why) = shard::unshardable(&std::env::args_os().collect::<Vec<_>>())
            {
                print_err(&format!("error: {why}"));
                return 2;
            }
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if matches!(
        cli.command,
        Command::Run(_)
            | Command::Compare(_)
            | Command::Sweep(_)
            | Command::Merge(_)
            | Command::Staff(_)
            | Command::Fit(_)
            | Command::Generate(_)
    ) {
        // An interrupted command removes its unfinished files before exiting (130, 143).
        rappel::output::signals::install();
    }
    // A runaway replication is thrown from deep inside a run, sweep or staffing search.
    let result = Runaway::catch(|| match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Erlang(a) => erlang::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Slurm(a) => slurm::run(a),
        Command::Staff(a) => staff::run(a),
        Command::Fit(a) => fit::run(a),
        Command::Trace(a) => trace::run(a),
        Command::Example(a) => example::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Generate(a) => generate::run(a),
    })
    .unwrap_or_else(|e| Err(Failure::Runaway(e)));
    match result {
        Ok(()) => 0,
        Err(Failure::Input(msg)) => {
            print_err(&format!("error: {msg}"));
            2
        }
        Err(Failure::Scenario(errors)) => {
            print_err(&errors.to_string());
            2
        }
        Err(Failure::Runtime(e)) => {
            print_err(&format!("error: {e:#}"));
            1
        }
        Err(Failure::Runaway(e)) => {
            print_err(&format!("error: {e}"));
            1
        }
    }
}

/// Writes a line to stderr; a closed stderr loses the message but never the exit code
/// (`eprintln!` would panic).
/// Labels at the start of its lines (`error:`, `warning:`, `note:`, `help:`) are coloured
/// when colour is on for standard error.
pub fn print_err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", style::labels(line));
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::{ProgressDrawTarget, TermLike};
    use std::sync::{Arc, Mutex};

    /// An 80-column terminal that keeps every line drawn.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            // Blank writes clear the rest of a line.
            if !s.trim().is_empty() {
                self.0.lock().unwrap().push(s.to_string());
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn draw(b: &indicatif::ProgressBar) {
        std::thread::sleep(std::time::Duration::from_millis(15));
        b.tick();
    }

    #[test]
    fn the_replications_bar_shows_the_time_left_within_80_columns() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like_with_hz(Box::new(screen.clone()), 200);
        let b = drawn_on(target, Some(1000), BAR, "provider-call-back-later");
        for _ in 0..3 {
            b.inc(100);
            draw(&b);
        }
        let lines = screen.0.lock().unwrap().clone();
        assert!(!lines.is_empty());
        for l in &lines {
            assert!(console::measure_text_width(l) <= 80, "{l:?}");
            assert!(l.starts_with("provider-call-b… ["), "{l:?}");
            assert!(
                l.contains(" replications, ") && l.contains(", ETA "),
                "{l:?}"
            );
        }
    }

    #[test]
    fn the_search_bar_never_restarts_and_fits_80_columns() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like_with_hz(Box::new(screen.clone()), 200);
        let b = drawn_on(target, None, SEARCH, "two-tier-escalation");
        let whats = [
            "per-interval targets",
            "one agent fewer at 09:30",
            "one agent fewer everywhere",
            "confirming on a fresh seed",
        ];
        for (pass, what) in whats.iter().enumerate() {
            b.set_message(format!("{}: {what}", pass + 10));
            for _ in 0..2 {
                b.inc(600);
                draw(&b);
            }
        }
        let lines = screen.0.lock().unwrap().clone();
        let mut last = 0;
        for l in &lines {
            assert!(console::measure_text_width(l) <= 80, "{l:?}");
            let n: u64 = l.split(' ').nth(2).unwrap().parse().unwrap();
            assert!(n >= last, "restarted: {lines:?}");
            last = n;
        }
        assert_eq!(last, 4800, "{lines:?}");
        // The longest message is shown whole at 80 columns.
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("pass 13: confirming on a fresh seed")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_long_name_is_cut_with_an_ellipsis() {
        assert_eq!(bar_prefix("erlang-a"), "erlang-a");
        assert_eq!(bar_prefix("provider-call-back-later"), "provider-call-b…");
        assert_eq!(bar_prefix("provider-call-b…").chars().count(), 16);
    }
}
