//! `rappel generate`: shell completions and the man page, from the one CLI definition.

use super::{Failure, print_out};
use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;
use std::path::PathBuf;

/// What to generate.
#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// Shell completions, printed to standard output.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// The man page (roff) of rappel and every subcommand, printed to standard output.
    Man {
        /// Write one page per command (rappel.1, rappel-run.1, ...) into this folder instead of
        /// one page on standard output.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Arguments of `rappel generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

/// The whole command line, as `rappel` parses it, without the `help` subcommand (which man
/// pages and completions do not need).
fn command() -> clap::Command {
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// Runs the command.
pub fn run(a: Args) -> Result<(), Failure> {
    match a.what {
        What::Completions { shell } => print_out(&completions(shell)),
        What::Man { dir: None } => print_out(&man_page().map_err(|e| Failure::Runtime(e.into()))?),
        What::Man { dir: Some(dir) } => {
            let cannot = |e: std::io::Error| {
                Failure::Runtime(anyhow::anyhow!("cannot write into {}: {e}", dir.display()))
            };
            let mut pages = Vec::new();
            man_pages(command(), &mut pages).map_err(cannot)?;
            // Every page is written under a temporary name before any is renamed: a full
            // disk leaves no page half-written.
            rappel::output::write_in_place(&dir, &pages).map_err(cannot)?;
            Ok(())
        }
    }
}

/// One page per command (`rappel.1`, `rappel-run.1`, ...), subcommands first, as
/// `clap_mangen::generate_to` names and renders them.
fn man_pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
        man_pages(sub, out)?;
    }
    let man = Man::new(cmd);
    let mut page = Vec::new();
    man.render(&mut page)?;
    out.push((man.get_filename(), page));
    Ok(())
}

/// The completion script of one shell.
pub fn completions(shell: Shell) -> String {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "rappel", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// One man page for rappel and, after its own sections, a section per subcommand (nested
/// ones included) with its synopsis, description, options and examples.
pub fn man_page() -> std::io::Result<String> {
    let cmd = command();
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if has_arguments(&cmd) {
        man.render_options_section(&mut out)?;
    }
    man.render_subcommands_section(&mut out)?;
    out.extend_from_slice(examples(&cmd, ".SH").as_bytes());
    for sub in cmd.get_subcommands() {
        subcommand_sections(sub, &mut out)?;
    }
    man.render_version_section(&mut out)?;
    let mut page = String::new();
    // clap_mangen repeats its two-line preamble before every section it renders: keep the
    // first of each line.
    let mut seen = [false, false];
    for line in String::from_utf8_lossy(&out).lines() {
        let preamble = [".ie \\n(.g .ds Aq", ".el .ds Aq"]
            .iter()
            .position(|p| line.starts_with(p));
        if let Some(i) = preamble
            && std::mem::replace(&mut seen[i], true)
        {
            continue;
        }
        page.push_str(line);
        page.push('\n');
    }
    // The subcommands are sections of this page, not pages of their own.
    for sub in cmd.get_subcommands() {
        page = page.replace(
            &format!("rappel\\-{}(1)", sub.get_name().replace('-', "\\-")),
            &format!("\\fBrappel {}\\fR", sub.get_name()),
        );
    }
    Ok(page)
}

/// The sections of one subcommand: a heading `RAPPEL RUN`, then its own sections as
/// subsections.
fn subcommand_sections(cmd: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut body = Vec::new();
    let man = Man::new(cmd.clone());
    man.render_synopsis_section(&mut body)?;
    man.render_description_section(&mut body)?;
    if has_arguments(cmd) {
        man.render_options_section(&mut body)?;
    }
    let body = String::from_utf8_lossy(&body);
    out.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
    for line in body.lines() {
        // Turn the subcommand's sections into subsections of its own section.
        let line = match line.strip_prefix(".SH ") {
            Some(title) => format!(".SS {title}"),
            None => line.to_string(),
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out.extend_from_slice(examples(cmd, ".SS").as_bytes());
    for sub in cmd.get_subcommands() {
        subcommand_sections(sub, out)?;
    }
    Ok(())
}

/// Whether a command has arguments to list (clap_mangen's own test).
fn has_arguments(cmd: &clap::Command) -> bool {
    cmd.get_arguments().any(|a| !a.is_hide_set())
}

/// A command's `after_help` (its examples) as an EXAMPLES section (heading macro `.SH` or
/// `.SS`), unfilled so that every example keeps its own line; empty when it has none.
fn examples(cmd: &clap::Command, heading: &str) -> String {
    let Some(text) = cmd.get_after_help() else {
        return String::new();
    };
    let mut out = format!("{heading} EXAMPLES\n.nf\n");
    for line in text.to_string().lines() {
        if line.trim_end().ends_with(':') && !line.starts_with(' ') {
            continue; // the "Examples:" title itself
        }
        out.push_str(&roff_escape(line));
        out.push('\n');
    }
    out.push_str(".fi\n");
    out
}

/// Escapes a line of plain text for roff: backslashes, hyphens (so they print as minus signs
/// and can be copied), and a leading dot or apostrophe (a control line otherwise).
fn roff_escape(line: &str) -> String {
    let escaped = line.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
