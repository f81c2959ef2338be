//! Colour: `error:`, `warning:`, `note:` and `help:` coloured on a terminal's standard
//! error; nothing on a pipe, nothing with `NO_COLOR` or `--color never`, always with
//! `--color always`.

use crate::common::{rappel, root};

/// The escape that starts every colour.
const ESC: char = '\u{1b}';

/// A command that fails with an error and a help line.
const MISSING: [&str; 2] = ["validate", "/no/such/scenario.toml"];

fn stderr_of(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = rappel();
    cmd.args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_pipe_gets_no_colour_unless_asked_for() {
    for color in [&[][..], &["--color", "auto"], &["--color", "never"]] {
        let args: Vec<&str> = color.iter().chain(&MISSING).copied().collect();
        let err = stderr_of(&args, &[]);
        assert!(err.starts_with("error: "), "{err:?}");
        assert!(!err.contains(ESC), "{args:?}: {err:?}");
    }
}

#[test]
fn color_always_colours_the_labels_even_on_a_pipe_and_with_no_color() {
    for env in [&[][..], &[("NO_COLOR", "1")]] {
        let err = stderr_of(&["--color", "always", MISSING[0], MISSING[1]], env);
        assert!(
            err.starts_with("\u{1b}[31m\u{1b}[1merror:\u{1b}[0m "),
            "{err:?}"
        );
        assert!(err.contains("\u{1b}[36mhelp:\u{1b}[0m "), "{err:?}");
        // The flag is global: after the subcommand too.
        let after = stderr_of(&[MISSING[0], MISSING[1], "--color=always"], env);
        assert_eq!(after, err);
    }
}

#[test]
fn clap_s_own_errors_follow_the_flag() {
    let err = stderr_of(&["--color", "never", "run", "--no-such-flag"], &[]);
    assert!(err.starts_with("error: "), "{err:?}");
    assert!(!err.contains(ESC), "{err:?}");
    let err = stderr_of(&["--color", "always", "run", "--no-such-flag"], &[]);
    assert!(err.contains(ESC), "{err:?}");
}

#[cfg(unix)]
mod on_a_terminal {
    use crate::support::pty::{On, run};

    fn stderr_on_a_terminal(color: &[&str], no_color: Option<&str>) -> String {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"));
        cmd.args(color).args(super::MISSING).env_remove("NO_COLOR");
        cmd.env_remove("TERM").env("TERM", "xterm");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let seen = run(cmd, On::Stderr, 80);
        assert_eq!(seen.code, Some(2));
        seen.terminal
    }

    #[test]
    fn a_terminal_gets_colour_unless_no_color_or_never() {
        let err = stderr_on_a_terminal(&[], None);
        assert!(err.starts_with("\u{1b}[31m\u{1b}[1merror:"), "{err:?}");
        // NO_COLOR set to the empty string does not count (no-color.org).
        assert!(stderr_on_a_terminal(&["--color", "auto"], Some("")).contains(super::ESC));
        for (color, no_color) in [
            (&["--color", "auto"][..], Some("1")),
            (&[][..], Some("yes")),
            (&["--color", "never"][..], None),
        ] {
            let err = stderr_on_a_terminal(color, no_color);
            assert!(
                err.starts_with("error: "),
                "{color:?} {no_color:?}: {err:?}"
            );
            assert!(!err.contains(super::ESC), "{color:?} {no_color:?}: {err:?}");
        }
    }
}

#[test]
fn compare_colours_a_difference_that_matters_by_its_direction_only_when_asked() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = |colour: &str, env: &[(&str, &str)]| -> String {
        let mut cmd = rappel();
        cmd.args([
            "compare",
            "--quiet",
            "--replications",
            "3",
            "--color",
            colour,
            "--out",
        ])
        .arg(tmp.path().join(colour))
        .arg(root().join("scenarios/flagship/1-modest-call-back-later.toml"))
        .arg(root().join("scenarios/flagship/2-modest-immediate.toml"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
    };
    let never = out("never", &[]);
    assert!(!never.contains('\u{1b}'));
    // A pipe with NO_COLOR or without: the same bytes as --color never.
    assert_eq!(out("auto", &[("NO_COLOR", "1")]), never);
    assert_eq!(out("auto", &[]), never);
    let always = out("always", &[]);
    let line = |text: &str, label: &str| -> String {
        text.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label}:\n{text}"))
            .to_string()
    };
    // The modest team's queue against its "call back later": CSAT down is worse: red; the
    // ASA up is worse: red; fewer told to call back later is better: green.
    assert!(
        line(&always, "CSAT (1-5)").contains("\u{1b}[31m-"),
        "{always}"
    );
    assert!(line(&always, "ASA, s").contains("\u{1b}[31m+"), "{always}");
    assert!(
        line(&always, "  told to call back later").contains("\u{1b}[32m-"),
        "{always}"
    );
    // Neutral: the calls offered and the tickets stay plain.
    assert!(!line(&always, "Calls offered").contains('\u{1b}'));
    assert!(!line(&always, "Tickets  ").contains('\u{1b}'));
    // Without the codes, the same text.
    let stripped = always
        .replace("\u{1b}[32m", "")
        .replace("\u{1b}[31m", "")
        .replace("\u{1b}[0m", "");
    assert_eq!(stripped, never);
}
