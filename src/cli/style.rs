//! Colour on the terminal: whether to use it (`--color`, `NO_COLOR`, a terminal or not) and
//! the few styles rappel uses. Every coloured piece of text is made here, so that the rule
//! is decided once: standard error's `error:`, `warning:`, `note:` and `help:` labels, and
//! [`signed`] for a difference that is better or worse.

use console::Style;
use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color`: when to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    /// Only on a terminal, and not when `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always, even on a pipe or with `NO_COLOR`.
    Always,
    /// Never.
    Never,
}

// By hand rather than derived: the flag's help says what each value means in one line, and
// values with help of their own would turn every command's `--help` into the long layout.
impl clap::ValueEnum for When {
    fn value_variants<'a>() -> &'a [Self] {
        &[When::Auto, When::Always, When::Never]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            When::Auto => "auto",
            When::Always => "always",
            When::Never => "never",
        }))
    }
}

impl From<When> for clap::ColorChoice {
    fn from(w: When) -> Self {
        match w {
            When::Auto => clap::ColorChoice::Auto,
            When::Always => clap::ColorChoice::Always,
            When::Never => clap::ColorChoice::Never,
        }
    }
}

/// The two streams rappel writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output: tables, traces.
    Stdout,
    /// Standard error: errors, warnings, notes, progress.
    Stderr,
}

/// The `--color` of this process, set once by [`set`] (`auto` until then).
static WHEN: OnceLock<When> = OnceLock::new();

/// Records the `--color` asked for; the first call wins.
pub fn set(when: When) {
    let _ = WHEN.set(when);
}

/// The `--color` of the arguments, read before clap parses them so that clap's own
/// messages follow it too: the last `--color WHEN` or `--color=WHEN`, `auto` without one
/// (a bad value is left to clap to report).
pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> When {
    use clap::ValueEnum;
    let args: Vec<String> = args
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut when = When::Auto;
    for (i, a) in args.iter().enumerate() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--color") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(w) = value.and_then(|v| When::from_str(v, true).ok()) {
            when = w;
        }
    }
    when
}

/// Whether colour is on for `stream`: `always` and `never` say so; `auto` colours only a
/// terminal, and not when `NO_COLOR` is set to anything but the empty string
/// (<https://no-color.org>) or `TERM` is `dumb`.
pub fn enabled(stream: Stream) -> bool {
    let terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(
        WHEN.get().copied().unwrap_or_default(),
        terminal,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        std::env::var_os("TERM").is_some_and(|t| t == "dumb"),
    )
}

/// The rule of [`enabled`], without the environment.
fn decide(when: When, terminal: bool, no_color: bool, dumb: bool) -> bool {
    match when {
        When::Always => true,
        When::Never => false,
        When::Auto => terminal && !no_color && !dumb,
    }
}

/// `text` in `style` when `on`.
fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        style.force_styling(true).apply_to(text).to_string()
    } else {
        text.to_string()
    }
}

/// The style of a message label, if `label` is one.
fn label_style(label: &str) -> Option<Style> {
    Some(match label {
        "error:" => Style::new().red().bold(),
        "warning:" => Style::new().yellow().bold(),
        "note:" | "help:" => Style::new().cyan(),
        _ => return None,
    })
}

/// A message for standard error with the label that starts each line (after its indent)
/// coloured when colour is on there: `error:` red and bold, `warning:` yellow, `note:` and
/// `help:` cyan. Nothing else changes.
pub fn labels(text: &str) -> String {
    labels_when(text, enabled(Stream::Stderr))
}

/// [`labels`], with colour on or off as told.
fn labels_when(text: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let rest = line.trim_start();
        let indent = &line[..line.len() - rest.len()];
        let label = rest.split_inclusive(' ').next().unwrap_or("").trim_end();
        match label_style(label) {
            Some(style) => {
                out.push_str(indent);
                out.push_str(&paint(label, style, true));
                out.push_str(&rest[label.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A signed difference for standard output, green when it is better and red when it is
/// worse (`higher_is_better` says which way is better; zero and NaN stay plain), when colour
/// is on there. For tables of differences such as `compare`'s.
pub fn signed(text: &str, difference: f64, higher_is_better: bool) -> String {
    signed_when(text, difference, higher_is_better, enabled(Stream::Stdout))
}

/// A difference of metric `m` for `compare`'s table: [`signed`] by the metric's
/// direction, plain for a neutral metric (and whenever colour is off).
pub fn difference(text: &str, d: f64, m: rappel::stats::Metric) -> String {
    use rappel::stats::Direction;
    match m.direction() {
        Direction::HigherIsBetter => signed(text, d, true),
        Direction::LowerIsBetter => signed(text, d, false),
        Direction::Neutral => text.to_string(),
    }
}

/// [`signed`], with colour on or off as told.
fn signed_when(text: &str, difference: f64, higher_is_better: bool, on: bool) -> String {
    if difference == 0.0 || difference.is_nan() {
        return text.to_string();
    }
    let better = (difference > 0.0) == higher_is_better;
    let style = if better {
        Style::new().green()
    } else {
        Style::new().red()
    };
    paint(text, style, on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_only_a_terminal_without_no_color() {
        assert!(decide(When::Auto, true, false, false));
        assert!(!decide(When::Auto, false, false, false));
        assert!(!decide(When::Auto, true, true, false));
        assert!(!decide(When::Auto, true, false, true));
        assert!(decide(When::Always, false, true, true));
        assert!(!decide(When::Never, true, false, false));
    }

    #[test]
    fn only_the_labels_are_coloured() {
        let text = "error: cannot read x: error: no\n  help: check the path\nwarning: w";
        assert_eq!(labels_when(text, false), text);
        let on = labels_when(text, true);
        assert!(on.starts_with("\u{1b}[31m\u{1b}[1merror:\u{1b}[0m cannot read x: error: no\n"));
        assert!(
            on.contains("\n  \u{1b}[36mhelp:\u{1b}[0m check the path\n"),
            "{on:?}"
        );
        assert!(on.contains("warning:\u{1b}[0m w"), "{on:?}");
        assert_eq!(console::strip_ansi_codes(&on), text);
        assert_eq!(labels_when("errors: none", true), "errors: none");
    }

    #[test]
    fn a_difference_is_green_when_better_and_red_when_worse() {
        assert_eq!(signed_when("+1", 1.0, true, true), "\u{1b}[32m+1\u{1b}[0m");
        assert_eq!(signed_when("+1", 1.0, false, true), "\u{1b}[31m+1\u{1b}[0m");
        assert_eq!(
            signed_when("-1", -1.0, false, true),
            "\u{1b}[32m-1\u{1b}[0m"
        );
        assert_eq!(signed_when("0", 0.0, true, true), "0");
        assert_eq!(signed_when("+1", 1.0, true, false), "+1");
    }

    #[test]
    fn the_flag_is_read_before_clap() {
        let w = |a: &[&str]| from_args(a.iter().map(std::ffi::OsString::from));
        assert_eq!(w(&["rappel", "run"]), When::Auto);
        assert_eq!(w(&["rappel", "--color", "never", "run"]), When::Never);
        assert_eq!(w(&["rappel", "run", "--color=always"]), When::Always);
        assert_eq!(w(&["rappel", "run", "--", "--color=always"]), When::Auto);
        assert_eq!(w(&["rappel", "--color", "purple"]), When::Auto);
    }
}
