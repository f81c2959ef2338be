//! Bad scenarios: every one is refused with exit code 2, a message naming the file, the line
//! and the key, a hint where one exists, no panic, and no output folder left behind.

use crate::common::rappel;
use proptest::prelude::*;
use rappel::scenario::Scenario;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A valid scenario; every case below breaks exactly one thing in it.
const BASE: &str = r#"# A small valid scenario for the bad-input tests.
name = "base"

[simulation]
horizon = "1d"
replications = 2
seed = 3
open = "08:00"
close = "20:00"
interval = "30m"

[arrivals]
rate_per_hour = 100

[[ticket_types]]
name = "general"
share = 0.5
handle_time = { dist = "exponential", mean = "300s" }
patience = { dist = "exponential", mean = "2m" }

[[ticket_types]]
name = "billing"
share = 0.5
handle_time = { dist = "lognormal", mean = "200s", cv = 1.2 }
patience = { dist = "exponential", mean = "3m" }

[[teams]]
name = "agents"
agents = 12
serves = ["general", "billing"]

[entry]
flow = "queue"
"#;

/// `text` with `from` (which must occur exactly once) replaced by `to`.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once in the scenario"
    );
    text.replacen(from, to, 1)
}

/// 1-based number of the only line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "`{needle}` must be on exactly one line");
    hits[0]
}

/// What the message about one problem must show.
struct Expect {
    /// 1-based line the message points at.
    line: usize,
    /// The dotted key, when the problem has one.
    key: Option<&'static str>,
    /// A piece of the message line.
    message: &'static str,
    /// A piece of the `help:` line that follows, when the code gives one.
    help: Option<&'static str>,
}

fn expect(
    line: usize,
    key: Option<&'static str>,
    message: &'static str,
    help: Option<&'static str>,
) -> Expect {
    Expect {
        line,
        key,
        message,
        help,
    }
}

/// Checks that `stderr` reports every expected problem of `file`, each on an
/// `error: FILE:LINE:COL: ` line with its key and message, followed by its help line.
fn check_stderr(stderr: &str, file: &Path, expected: &[Expect]) {
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    for e in expected {
        let prefix = format!("error: {}:{}:", file.display(), e.line);
        let at = lines
            .iter()
            .position(|l| {
                l.starts_with(&prefix)
                    && e.key.is_none_or(|k| l.contains(&format!("`{k}`: ")))
                    && l.contains(e.message)
            })
            .unwrap_or_else(|| {
                panic!(
                    "no line starting with `{prefix}`, key {:?}, message `{}` in:\n{stderr}",
                    e.key, e.message
                )
            });
        // The column follows the line: `FILE:LINE:COL: `.
        let rest = &lines[at][prefix.len()..];
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        assert!(
            !col.is_empty() && rest[col.len()..].starts_with(": "),
            "no column after the line in `{}`",
            lines[at]
        );
        assert!(col.parse::<usize>().unwrap() >= 1);
        if let Some(help) = e.help {
            let next = lines.get(at + 1).copied().unwrap_or("");
            assert!(
                next.starts_with("  help: ") && next.contains(help),
                "expected a help line containing `{help}` after `{}`, got `{next}`",
                lines[at]
            );
        }
    }
}

/// Writes `text` as a scenario file, runs `rappel run` and `rappel validate` on it, and checks
/// that both refuse it as described by `expected`, and that `run` wrote nothing.
fn refuse(case: &str, text: &str, expected: &[Expect]) {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join(format!("{case}.toml"));
    std::fs::write(&file, text).unwrap();
    let out_dir = tmp.path().join("out");

    let run = rappel()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out_dir)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{case}: run\n{stderr}");
    check_stderr(&stderr, &file, expected);
    assert!(run.stdout.is_empty(), "{case}: run printed on stdout");
    assert!(!out_dir.exists(), "{case}: run left {}", out_dir.display());

    let validate = rappel()
        .current_dir(tmp.path())
        .arg("validate")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&validate.stderr);
    assert_eq!(
        validate.status.code(),
        Some(2),
        "{case}: validate\n{stderr}"
    );
    check_stderr(&stderr, &file, expected);
    assert!(
        !String::from_utf8_lossy(&validate.stdout).contains("valid scenario"),
        "{case}: validate called it valid"
    );
    // Nothing else appeared next to the scenario (no default `out/` folder either).
    let entries: Vec<PathBuf> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries, vec![file], "{case}: stray files");
}

#[test]
fn the_base_scenario_is_valid() {
    // Each case below breaks one thing in BASE, so BASE itself must pass.
    Scenario::from_toml(BASE, "base.toml").unwrap_or_else(|e| panic!("{e}"));
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("base.toml");
    std::fs::write(&file, BASE).unwrap();
    rappel()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("valid scenario `base`"));
}

#[test]
fn toml_syntax_error() {
    let text = replace_once(BASE, r#"name = "agents""#, r#"name = "agents"#);
    let line = line_of(&text, r#"name = "agents"#);
    refuse(
        "syntax",
        &text,
        &[expect(
            line,
            None,
            "TOML syntax error",
            Some("check quotes"),
        )],
    );
}

#[test]
fn unknown_key_suggests_the_closest() {
    let text = replace_once(BASE, r#"horizon = "1d""#, r#"horizn = "1d""#);
    refuse(
        "unknown-key",
        &text,
        &[expect(
            line_of(&text, "horizn"),
            Some("simulation.horizn"),
            "unknown field `horizn`",
            Some("did you mean `horizon`?"),
        )],
    );
}

#[test]
fn unknown_top_level_table() {
    let text = format!("{BASE}\n[simulaton]\nseed = 4\n");
    refuse(
        "unknown-table",
        &text,
        &[expect(
            line_of(&text, "[simulaton]"),
            Some("simulaton"),
            "unknown field `simulaton`",
            Some("did you mean `simulation`?"),
        )],
    );
}

#[test]
fn bad_duration_unit() {
    let text = replace_once(BASE, r#"horizon = "1d""#, r#"horizon = "7x""#);
    refuse(
        "bad-duration",
        &text,
        &[expect(
            line_of(&text, "horizon"),
            Some("simulation.horizon"),
            r#"invalid duration "7x""#,
            None,
        )],
    );
}

#[test]
fn negative_duration_as_text_and_as_number() {
    for (case, value) in [("neg-text", r#""-5s""#), ("neg-number", "-5")] {
        let text = replace_once(BASE, r#"horizon = "1d""#, &format!("horizon = {value}"));
        refuse(
            case,
            &text,
            &[expect(
                line_of(&text, "horizon"),
                Some("simulation.horizon"),
                "invalid duration",
                None,
            )],
        );
    }
    // A negative mean inside a distribution is refused at its own line too (the key named is
    // the distribution's: serde reports no deeper path inside a tagged table).
    let text = replace_once(BASE, r#"mean = "3m""#, r#"mean = "-3m""#);
    refuse(
        "neg-mean",
        &text,
        &[expect(
            line_of(&text, r#""-3m""#),
            Some("ticket_types[1].patience"),
            "invalid duration",
            None,
        )],
    );
}

#[test]
fn negative_rate() {
    let text = replace_once(BASE, "rate_per_hour = 100", "rate_per_hour = -5");
    refuse(
        "negative-rate",
        &text,
        &[expect(
            line_of(&text, "rate_per_hour"),
            Some("arrivals.rate_per_hour"),
            "not -5",
            Some("rate_per_hour = 120"),
        )],
    );
}

#[test]
fn shares_out_of_range_are_both_reported() {
    let text = replace_once(
        BASE,
        "name = \"general\"\nshare = 0.5",
        "name = \"general\"\nshare = 1.5",
    );
    let text = replace_once(
        &text,
        "name = \"billing\"\nshare = 0.5",
        "name = \"billing\"\nshare = -0.5",
    );
    refuse(
        "share-range",
        &text,
        &[
            expect(
                line_of(&text, "share = 1.5"),
                Some("ticket_types[0].share"),
                "1.5 is not a probability",
                Some("from 0 to 1"),
            ),
            expect(
                line_of(&text, "share = -0.5"),
                Some("ticket_types[1].share"),
                "-0.5 is not a probability",
                Some("from 0 to 1"),
            ),
        ],
    );
}

#[test]
fn shares_not_adding_up_to_one() {
    let text = replace_once(
        BASE,
        "name = \"general\"\nshare = 0.5",
        "name = \"general\"\nshare = 0.6",
    );
    // The key `ticket_types` is first written in the first `[[ticket_types]]` header.
    let first_header = text.lines().position(|l| l == "[[ticket_types]]").unwrap() + 1;
    refuse(
        "share-sum",
        &text,
        &[expect(
            first_header,
            Some("ticket_types"),
            "the shares add up to 1.1, not 1",
            Some("add up to 1"),
        )],
    );
}

#[test]
fn redial_probability_out_of_range() {
    let text = replace_once(
        BASE,
        "flow = \"queue\"\n",
        "flow = \"queue\"\nredial = { probability = 1.2, delay = { dist = \"exponential\", mean = \"5m\" } }\n",
    );
    refuse(
        "redial",
        &text,
        &[expect(
            line_of(&text, "redial"),
            Some("entry.redial.probability"),
            "1.2 is not a probability",
            Some("from 0 to 1"),
        )],
    );
    // One bad value in a per-attempt list is named by its index.
    let text = replace_once(
        BASE,
        "flow = \"queue\"\n",
        "flow = \"queue\"\n[entry.redial]\nprobability = [0.5, 0.3, 2.0]\ndelay = { dist = \"exponential\", mean = \"5m\" }\n",
    );
    refuse(
        "redial-list",
        &text,
        &[expect(
            line_of(&text, "probability = ["),
            Some("entry.redial.probability[2]"),
            "2 is not a probability",
            Some("from 0 to 1"),
        )],
    );
}

#[test]
fn team_serving_an_unknown_type_gets_a_suggestion() {
    let text = replace_once(
        BASE,
        r#"serves = ["general", "billing"]"#,
        r#"serves = ["genral", "billing"]"#,
    );
    refuse(
        "unknown-serve",
        &text,
        &[expect(
            line_of(&text, "serves"),
            Some("teams[0].serves[0]"),
            "`genral`, which is not a ticket type",
            Some("did you mean `general`?"),
        )],
    );
}

#[test]
fn type_no_team_serves() {
    let text = replace_once(
        BASE,
        r#"serves = ["general", "billing"]"#,
        r#"serves = ["general"]"#,
    );
    refuse(
        "unserved",
        &text,
        &[expect(
            line_of(&text, r#"name = "billing""#),
            Some("ticket_types[1].name"),
            "no team serves the ticket type `billing`",
            Some(r#"add "billing" to the `serves` list"#),
        )],
    );
}

#[test]
fn team_serving_nothing() {
    let text = replace_once(BASE, r#"serves = ["general", "billing"]"#, "serves = []");
    refuse(
        "serves-nothing",
        &text,
        &[expect(
            line_of(&text, "serves = []"),
            Some("teams[0].serves"),
            "serves no ticket type",
            Some("list the types it serves"),
        )],
    );
}

#[test]
fn zero_agent_centre() {
    let text = replace_once(BASE, "agents = 12", "agents = 0");
    refuse(
        "no-agents",
        &text,
        &[expect(
            line_of(&text, "[[teams]]"),
            Some("teams"),
            "no agent at any time",
            Some("at least one team"),
        )],
    );
}

#[test]
fn negative_agents() {
    let text = replace_once(BASE, "agents = 12", "agents = -3");
    refuse(
        "negative-agents",
        &text,
        &[expect(
            line_of(&text, "agents = -3"),
            Some("teams[0].agents"),
            "-3 agents",
            None,
        )],
    );
}

#[test]
fn unstable_set_up_with_infinitely_patient_callers() {
    // 1200 calls an hour of 300 s each is 100 erlangs of work on 50 agents, and nobody leaves.
    let text = replace_once(BASE, "rate_per_hour = 100", "rate_per_hour = 1200");
    let text = replace_once(
        &text,
        "patience = { dist = \"exponential\", mean = \"2m\" }\n",
        "",
    );
    let text = replace_once(
        &text,
        "patience = { dist = \"exponential\", mean = \"3m\" }\n",
        "",
    );
    let text = replace_once(
        &text,
        r#"mean = "200s", cv = 1.2"#,
        r#"mean = "300s", cv = 1.2"#,
    );
    let text = replace_once(&text, "agents = 12", "agents = 50");
    refuse(
        "unstable",
        &text,
        &[expect(
            line_of(&text, "[arrivals]"),
            Some("arrivals"),
            "unstable set-up",
            Some("patience"),
        )],
    );
    // The same load with patient callers is a valid (if overloaded) centre.
    let with_patience = replace_once(
        &text,
        "name = \"general\"\n",
        "name = \"general\"\npatience = { dist = \"exponential\", mean = \"2m\" }\n",
    );
    let with_patience = replace_once(
        &with_patience,
        "name = \"billing\"\n",
        "name = \"billing\"\npatience = { dist = \"exponential\", mean = \"2m\" }\n",
    );
    Scenario::from_toml(&with_patience, "x.toml").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn staffing_profile_of_the_wrong_length() {
    // 08:00 to 20:00 in 30-minute intervals is 24 intervals; give 3 values.
    let text = replace_once(BASE, "agents = 12", "agents = [10, 12, 14]");
    refuse(
        "profile-length",
        &text,
        &[expect(
            line_of(&text, "agents = ["),
            Some("teams[0].agents"),
            "3 staffing values given, but the open day has 24 intervals",
            Some("one number of agents per interval"),
        )],
    );
}

#[test]
fn arrival_profile_of_the_wrong_length() {
    let text = replace_once(BASE, "rate_per_hour = 100", "rates_per_hour = [100, 120]");
    refuse(
        "rates-length",
        &text,
        &[expect(
            line_of(&text, "rates_per_hour"),
            Some("arrivals.rates_per_hour"),
            "2 rates given, but the open day has 24 intervals",
            Some("one rate per interval"),
        )],
    );
}

#[test]
fn interval_that_does_not_divide_the_opening_hours() {
    let text = replace_once(BASE, r#"interval = "30m""#, r#"interval = "7m""#);
    refuse(
        "interval",
        &text,
        &[expect(
            line_of(&text, "interval ="),
            Some("simulation.interval"),
            "not a whole number of intervals of 420 s",
            Some("divides the opening hours"),
        )],
    );
}

#[test]
fn unknown_distribution_name() {
    let text = replace_once(
        BASE,
        r#"dist = "exponential", mean = "300s""#,
        r#"dist = "normal", mean = "300s""#,
    );
    refuse(
        "unknown-dist",
        &text,
        &[expect(
            line_of(&text, r#""normal""#),
            Some("ticket_types[0].handle_time.dist"),
            "unknown variant `normal`",
            Some("use one of: exponential, lognormal"),
        )],
    );
}

#[test]
fn lognormal_without_variation() {
    let text = replace_once(BASE, "cv = 1.2", "cv = 0");
    refuse(
        "cv-zero",
        &text,
        &[expect(
            line_of(&text, "cv = 0"),
            Some("ticket_types[1].handle_time.cv"),
            "coefficient of variation must be between 0.001 and 100",
            None,
        )],
    );
}

#[test]
fn unknown_entry_flow() {
    let text = replace_once(BASE, r#"flow = "queue""#, r#"flow = "shout""#);
    refuse(
        "flow",
        &text,
        &[expect(
            line_of(&text, "flow ="),
            Some("entry.flow"),
            "unknown variant `shout`",
            Some("use one of: queue"),
        )],
    );
}

#[test]
fn wrong_type_of_value() {
    let text = replace_once(BASE, "replications = 2", r#"replications = "two""#);
    refuse(
        "wrong-type",
        &text,
        &[expect(
            line_of(&text, "replications ="),
            Some("simulation.replications"),
            "invalid type",
            None,
        )],
    );
}

#[test]
fn missing_key() {
    let text = replace_once(BASE, "rate_per_hour = 100\n", "");
    refuse(
        "no-rate",
        &text,
        &[expect(
            line_of(&text, "[arrivals]"),
            Some("arrivals"),
            "no arrival rate",
            Some("rate_per_hour = 100"),
        )],
    );
}

#[test]
fn missing_scenario_file() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("no-such-scenario.toml");
    let out_dir = tmp.path().join("out");
    let shown = file.display().to_string();

    let run = rappel()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out_dir)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&shown), "path not named:\n{stderr}");
    assert!(stderr.contains("help: check the path"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out_dir.exists());

    let validate = rappel().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&validate.stderr);
    assert_eq!(validate.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {shown}: ")),
        "path not named first:\n{stderr}"
    );
    assert!(stderr.contains("help: check the path"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn several_problems_are_all_reported() {
    let text = replace_once(BASE, "rate_per_hour = 100", "rate_per_hour = -5");
    let text = replace_once(&text, "cv = 1.2", "cv = 0");
    let text = replace_once(
        &text,
        r#"serves = ["general", "billing"]"#,
        r#"serves = ["genral", "billing"]"#,
    );
    refuse(
        "several",
        &text,
        &[
            expect(
                line_of(&text, "rate_per_hour"),
                Some("arrivals.rate_per_hour"),
                "not -5",
                Some("rate_per_hour = 120"),
            ),
            expect(
                line_of(&text, "cv = 0"),
                Some("ticket_types[1].handle_time.cv"),
                "coefficient of variation",
                None,
            ),
            expect(
                line_of(&text, "serves"),
                Some("teams[0].serves[0]"),
                "`genral`",
                Some("did you mean `general`?"),
            ),
        ],
    );
    let errors = Scenario::from_toml(&text, "x.toml").unwrap_err();
    assert_eq!(errors.0.len(), 3, "{errors}");
    assert!(
        errors
            .to_string()
            .ends_with("3 problems found in the scenario")
    );
}

/// Bytes that matter in TOML, so that random insertions often change the structure.
const TOML_BYTES: &[u8] = b"\"'=[]{},.-+_#:\n 0123456789esmhdx";

/// Random byte deletions and insertions applied to `BASE`.
fn mutated_base() -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        any::<bool>(),
        any::<prop::sample::Index>(),
        prop_oneof![any::<u8>(), prop::sample::select(TOML_BYTES.to_vec())],
    );
    prop::collection::vec(edit, 1..8).prop_map(|edits| {
        let mut bytes = BASE.as_bytes().to_vec();
        for (insert, at, byte) in edits {
            if insert {
                let i = at.index(bytes.len() + 1);
                bytes.insert(i, byte);
            } else if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes.remove(i);
            }
        }
        bytes
    })
}

/// Arbitrary text, TOML-like text, and mutations of the valid base.
fn scenario_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<String>().prop_map(String::into_bytes),
        "[a-z_\\[\\]=\"{}.,0-9 \n-]{0,200}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..200),
        mutated_base(),
        mutated_base(),
        mutated_base(),
    ]
}

/// Checks what the library says about `text`: a scenario, or problems that each say something
/// and point inside the text.
fn check_library(text: &str) -> Result<(), TestCaseError> {
    match Scenario::from_toml(text, "x.toml") {
        Ok(s) => {
            prop_assert!(s.day.intervals() >= 1);
            prop_assert!(s.simulation.replications >= 1);
            prop_assert!(!s.teams.is_empty() && !s.ticket_types.is_empty());
        }
        Err(errors) => {
            prop_assert!(!errors.0.is_empty(), "an error without a problem");
            let lines = text.matches('\n').count() + 1;
            for e in &errors.0 {
                prop_assert!(!e.message.trim().is_empty(), "empty message: {:?}", e);
                prop_assert_eq!(&e.file, "x.toml");
                if let Some(line) = e.line {
                    prop_assert!(
                        (1..=lines).contains(&line),
                        "line {} outside the {} lines",
                        line,
                        lines
                    );
                }
                prop_assert!(e.column.is_none_or(|c| c >= 1));
            }
            prop_assert!(errors.to_string().starts_with("error: x.toml"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn library_never_panics_on_any_text(bytes in scenario_bytes()) {
        check_library(&String::from_utf8_lossy(&bytes))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn validate_never_panics_on_any_file(bytes in scenario_bytes()) {
        let tmp = TempDir::new().unwrap();
        let file = tmp.path().join("fuzz.toml");
        std::fs::write(&file, &bytes).unwrap();
        let out = rappel().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "panic:\n{}", stderr);
        match out.status.code() {
            Some(0) => prop_assert!(
                String::from_utf8_lossy(&out.stdout).contains("valid scenario")
            ),
            Some(2) => prop_assert!(
                stderr.starts_with(&format!("error: {}", file.display())),
                "error not naming the file:\n{}",
                stderr
            ),
            other => prop_assert!(false, "exit code {:?}:\n{}", other, stderr),
        }
    }
}

// Known bugs, found while writing these tests: each test states what should happen and is
// ignored until `src/` is fixed (run them with `cargo test --release --test main -- --ignored`).

#[test]
fn tiny_interval_is_refused_not_aborted() {
    // 12 open hours in intervals of 1 ns: validate.rs builds `vec![rate; n]` and
    // `vec![agents; n]` with n = 4.3e13 before any bound on n, and the process aborts on
    // "memory allocation of ... bytes failed" (exit 134) instead of exiting with 2.
    let text = replace_once(BASE, r#"interval = "30m""#, r#"interval = "1e-9""#);
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("tiny-interval.toml");
    std::fs::write(&file, &text).unwrap();
    let out = rappel()
        .arg("validate")
        .arg(&file)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("simulation.interval"), "{stderr}");
}

#[test]
fn gamma_with_a_tiny_cv_does_not_panic() {
    // distribution.rs: shape = 1 / (cv * cv) overflows to infinity, mean / shape = 0, and
    // `Gamma::new(inf, 0).expect("validated gamma")` panics with ScaleTooSmall (exit 101).
    let text = replace_once(
        BASE,
        r#"dist = "lognormal", mean = "200s", cv = 1.2"#,
        r#"dist = "gamma", mean = "200s", cv = 1e-200"#,
    );
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("gamma.toml");
    std::fs::write(&file, &text).unwrap();
    let out = rappel()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 2)), "{stderr}");
}

#[test]
fn empty_team_name() {
    let text = replace_once(BASE, r#"name = "agents""#, r#"name = " ""#);
    refuse(
        "empty-team-name",
        &text,
        &[expect(
            line_of(&text, r#"name = " ""#),
            Some("teams[0].name"),
            "the name is empty",
            Some("give each team a name"),
        )],
    );
}

// Entry flows and the ticket journey (issue 3): bad values of the new keys.

/// BASE with `flow = "queue"` replaced by `entry` (the rest of the `[entry]` table).
fn with_entry(entry: &str) -> String {
    replace_once(BASE, "flow = \"queue\"\n", entry)
}

/// BASE with `keys` added to the team.
fn with_team_keys(keys: &str) -> String {
    replace_once(
        BASE,
        "serves = [\"general\", \"billing\"]\n",
        &format!("serves = [\"general\", \"billing\"]\n{keys}"),
    )
}

#[test]
fn negative_max_queue() {
    let text = with_entry("flow = \"call_back_later\"\nmax_queue = -1\n");
    refuse(
        "max-queue-negative",
        &text,
        &[expect(
            line_of(&text, "max_queue"),
            Some("entry.max_queue"),
            "-1 is not a queue length from 0 to 1000000",
            Some("0 means nobody waits"),
        )],
    );
}

#[test]
fn max_queue_with_the_queue_flow() {
    let text = with_entry("flow = \"queue\"\nmax_queue = 3\n");
    refuse(
        "max-queue-with-queue",
        &text,
        &[expect(
            line_of(&text, "max_queue"),
            Some("entry.max_queue"),
            "`max_queue` applies only with flow = \"call_back_later\"",
            Some("set flow = \"call_back_later\", or remove this key"),
        )],
    );
}

#[test]
fn call_back_later_without_a_threshold() {
    let text = with_entry("flow = \"call_back_later\"\n");
    refuse(
        "call-back-later-no-threshold",
        &text,
        &[expect(
            line_of(&text, "call_back_later"),
            Some("entry.flow"),
            "call_back_later needs a threshold",
            Some("add max_queue = 10 (callers waiting) or max_predicted_wait = \"5m\""),
        )],
    );
}

#[test]
fn callback_flow_without_its_table() {
    let text = with_entry("flow = \"callback\"\n");
    refuse(
        "callback-no-table",
        &text,
        &[expect(
            line_of(&text, "flow = \"callback\""),
            Some("entry.flow"),
            "the callback flow needs its settings",
            Some("add an [entry.callback] table"),
        )],
    );
}

#[test]
fn escalation_to_an_unknown_team() {
    let text = with_team_keys("unresolved = \"escalate\"\nescalate_to = \"tier2\"\n");
    refuse(
        "escalate-unknown",
        &text,
        &[expect(
            line_of(&text, "escalate_to"),
            Some("teams[0].escalate_to"),
            "`tier2` is not a team",
            Some("the teams are: agents"),
        )],
    );
}

#[test]
fn escalation_to_itself() {
    let text = with_team_keys("unresolved = \"escalate\"\nescalate_to = \"agents\"\n");
    refuse(
        "escalate-itself",
        &text,
        &[expect(
            line_of(&text, "escalate_to"),
            Some("teams[0].escalate_to"),
            "a team cannot escalate to itself",
            Some("name another team"),
        )],
    );
}

#[test]
fn escalation_without_a_team() {
    let text = with_team_keys("unresolved = \"escalate\"\n");
    refuse(
        "escalate-nowhere",
        &text,
        &[expect(
            line_of(&text, "unresolved"),
            Some("teams[0].unresolved"),
            "escalation needs a team to escalate to",
            Some("add escalate_to = \"tier2\""),
        )],
    );
}

#[test]
fn competence_above_one() {
    let text = with_team_keys("competence = 1.5\n");
    refuse(
        "competence",
        &text,
        &[expect(
            line_of(&text, "competence"),
            Some("teams[0].competence"),
            "1.5 is not a probability",
            Some("from 0 to 1"),
        )],
    );
}

#[test]
fn goodwill_cost_without_immediate_resolution() {
    let text = with_team_keys("goodwill_cost = 10\n");
    refuse(
        "goodwill-standard",
        &text,
        &[expect(
            line_of(&text, "goodwill_cost"),
            Some("teams[0].goodwill_cost"),
            "goodwill applies only to immediate resolution",
            Some("add resolution = \"immediate_resolution\", or remove this key"),
        )],
    );
}

#[test]
fn unknown_unresolved_policy() {
    let text = with_team_keys("unresolved = \"call_back_later\"\n");
    refuse(
        "unresolved-unknown",
        &text,
        &[expect(
            line_of(&text, "unresolved"),
            Some("teams[0].unresolved"),
            "unknown variant `call_back_later`",
            Some("use one of: customer_calls_again, escalate, agent_callback"),
        )],
    );
}

#[test]
fn slot_length_that_does_not_divide_the_interval() {
    let text = with_entry(
        "flow = \"callback\"\n[entry.callback]\nkind = \"appointment\"\nslot_length = \"7m\"\n",
    );
    refuse(
        "slot-length",
        &text,
        &[expect(
            line_of(&text, "slot_length"),
            Some("entry.callback.slot_length"),
            "a slot of 420 s does not divide the interval of 1800 s",
            Some("divides `simulation.interval`"),
        )],
    );
}

#[test]
fn problems_in_teams_and_callbacks_are_all_reported() {
    let text = with_team_keys("competence = 1.5\ncompetence_spread = 0.7\n");
    let text = replace_once(
        &text,
        "flow = \"queue\"\n",
        "flow = \"callback\"\n[entry.callback]\nkind = \"virtual_hold\"\naccept = 1.5\nslot_length = \"15m\"\n",
    );
    refuse(
        "several-new-keys",
        &text,
        &[
            expect(
                line_of(&text, "competence = 1.5"),
                Some("teams[0].competence"),
                "1.5 is not a probability",
                Some("from 0 to 1"),
            ),
            expect(
                line_of(&text, "competence_spread"),
                Some("teams[0].competence_spread"),
                "the spread must be from 0 to 0.5, not 0.7",
                None,
            ),
            expect(
                line_of(&text, "accept = 1.5"),
                Some("entry.callback.accept"),
                "1.5 is not a probability",
                Some("from 0 to 1"),
            ),
            expect(
                line_of(&text, "slot_length"),
                Some("entry.callback.slot_length"),
                "`slot_length` applies only to appointments",
                Some("set kind = \"appointment\""),
            ),
        ],
    );
}
