//! `rappel trace`: the teaching trace.

use crate::common::{rappel, root};
use rappel::centre::{Step, TraceEvent, simulate, simulate_traced};
use rappel::scenario::Scenario;
use tempfile::TempDir;

/// A tiny "call back later" centre: two agents, a queue of at most one, redials, agents
/// who solve only some problems, so that every kind of step shows up in a few customers.
const SMALL: &str = r#"name = "trace-small"
[simulation]
horizon = "2h"
replications = 1
seed = 4
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "internet"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "2m" }
difficulty = 0.3
[[teams]]
name = "support"
agents = 2
serves = ["internet"]
competence = 0.7
call_again = { probability = 0.9, delay = { dist = "exponential", mean = "10m" } }
[entry]
flow = "call_back_later"
max_queue = 1
redial = { probability = [0.9, 0.6], delay = { dist = "exponential", mean = "5m" } }
"#;

fn trace(args: &[&str]) -> String {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("small.toml");
    std::fs::write(&file, SMALL).unwrap();
    let out = rappel()
        .arg("trace")
        .arg(&file)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The CSV trace of the small scenario is a golden file: any change to the engine that
/// changes what these customers live through shows here. After an intended change,
/// regenerate with `UPDATE_SNAPSHOTS=1 cargo test --release trace::`.
#[test]
fn the_csv_trace_matches_its_golden_file() {
    let got = trace(&["--customers", "12", "--format", "csv"]);
    let golden = root().join("tests/snapshots/trace-small.csv");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want =
        std::fs::read_to_string(&golden).expect("golden file (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(got, want, "the trace changed; see the test's comment");
}

#[test]
fn the_text_trace_tells_each_story_to_its_end() {
    let text = trace(&["--customers", "12"]);
    assert!(text.starts_with("trace-small: the first 12 customers of replication 0, seed 4"));
    for phrase in [
        "calls for the first time",
        "please call back later",
        "answers at once",
        "solves the problem",
        "cannot solve the problem",
        "gives up waiting after",
        "will call again at day 0",
        "CSAT ",
        "likelihood to recommend",
    ] {
        assert!(text.contains(phrase), "no `{phrase}` in:\n{text}");
    }
    // Twelve customers, each a story that starts with a first call and ends closed or
    // listed as still open.
    let text = unwrapped(&text);
    let stories: Vec<&str> = text.split("\nCustomer ").skip(1).collect();
    assert_eq!(stories.len(), 12, "{text}");
    for story in &stories {
        let lines: Vec<&str> = story.lines().filter(|l| l.starts_with("  ")).collect();
        assert!(lines[0].ends_with("calls for the first time"), "{story}");
        let last = lines.last().unwrap();
        let closed = last.contains("CSAT ");
        let number = story.split_whitespace().next().unwrap();
        assert!(
            closed || text.contains("Still open when the run ended") && text.contains(number),
            "{story}"
        );
    }
}

#[test]
fn tracing_changes_nothing_and_steps_come_in_order() {
    let s = Scenario::from_toml(SMALL, "small").unwrap();
    let mut events: Vec<TraceEvent> = Vec::new();
    let mut sink = |e: &TraceEvent| events.push(*e);
    let traced = simulate_traced(&s, 0, 12, &mut sink);
    let plain = simulate(&s, 0);
    assert_eq!(
        traced.metrics.map(f64::to_bits),
        plain.metrics.map(f64::to_bits)
    );
    assert_eq!(traced.counts, plain.counts);
    // Only the first 12 customers; each one's steps in time order, one close at most.
    assert!(events.iter().all(|e| e.customer < 12));
    for c in 0..12 {
        let mine: Vec<&TraceEvent> = events.iter().filter(|e| e.customer == c).collect();
        assert!(!mine.is_empty(), "customer {c} missing");
        assert!(mine.windows(2).all(|w| w[0].time <= w[1].time));
        let closes = mine
            .iter()
            .filter(|e| matches!(e.step, Step::Closed { .. }))
            .count();
        assert!(closes <= 1);
        if closes == 1 {
            assert!(matches!(mine.last().unwrap().step, Step::Closed { .. }));
        }
    }
}

#[test]
fn trace_bad_input_exits_2() {
    let out = rappel().args(["trace", "missing.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = rappel()
        .args(["trace", "--customers", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// After closing the last agent has left: calls made then meet no one who could answer, so
/// the prediction is infinite (the repro `trace-infinite-wait.toml`).
const NOBODY_ON_SHIFT: &str = r#"
name = "trace-infinite-wait"
[simulation]
days = 1
replications = 1
seed = 3
open = "08:00"
close = "10:00"
interval = "1h"
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "3m" }
patience = { dist = "exponential", mean = "2m" }
[[teams]]
name = "t"
agents = 20
serves = ["a"]
competence = 0.5
call_again = { probability = 0.9, delay = { dist = "exponential", mean = "1h" } }
[entry]
flow = "queue"
announce_wait = true
redial = { probability = 0.8, delay = { dist = "exponential", mean = "20m" } }
"#;

/// The trace of the first `customers` customers of `scenario`, as text.
fn story(scenario: &str, customers: &str) -> String {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("nobody.toml");
    std::fs::write(&file, scenario).unwrap();
    let out = rappel()
        .arg("trace")
        .arg(&file)
        .args(["--customers", customers])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    unwrapped(&String::from_utf8(out.stdout).unwrap())
}

/// The text trace with each step on one line: the lines wrapped after a step's time (its
/// hanging indent, deeper than a step's two spaces) joined back to it.
fn unwrapped(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("   ") && !out.is_empty() {
            out.pop();
            out.push(' ');
            out.push_str(line.trim_start());
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The text trace of a shipped scenario, standard output a pipe.
fn shipped_trace(file: &str, customers: &str) -> String {
    let out = rappel()
        .arg("trace")
        .arg(root().join("scenarios").join(file))
        .args(["--customers", customers])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

/// Every line of a text trace fits `width` columns, and a step's wrapped lines start under
/// its sentence, after the time column.
fn assert_fits(text: &str, width: usize) {
    let (mut wrapped, mut in_step) = (0, false);
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "longer than {width}: {line:?}"
        );
        if line.starts_with("   ") {
            let indent = line.len() - line.trim_start().len();
            if in_step {
                wrapped += 1;
                assert_eq!(indent, "  day 0 08:00:00  ".len(), "{line:?}");
            } else {
                assert_eq!(indent, 4, "{line:?}");
            }
        } else {
            in_step = line.starts_with("  day ");
        }
    }
    assert!(wrapped > 0, "no line wrapped at {width}:\n{text}");
}

#[test]
fn long_lines_are_wrapped_to_the_default_width_on_a_pipe() {
    assert_fits(&shipped_trace("two-tier-escalation.toml", "20"), 100);
}

#[cfg(unix)]
#[test]
fn long_lines_are_wrapped_to_the_terminal_s_width() {
    use crate::support::pty::{On, run};
    for cols in [60, 80] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"));
        cmd.arg("trace")
            .arg(root().join("scenarios/two-tier-escalation.toml"))
            .args(["--customers", "20"]);
        let seen = run(cmd, On::Stdout, cols);
        assert_eq!(seen.code, Some(0), "{}", seen.pipe);
        assert_fits(&seen.terminal, usize::from(cols));
        // The same story as on a pipe, only wrapped differently.
        assert_eq!(
            unwrapped(&seen.terminal),
            unwrapped(&shipped_trace("two-tier-escalation.toml", "20"))
        );
    }
}

#[test]
fn teams_are_named_as_teams_not_read_as_prose() {
    let text = unwrapped(&shipped_trace("provider-call-back-later.toml", "5"));
    assert!(!text.contains("agent of agents"), "{text}");
    assert!(
        text.contains("an agent of the agents team is free and answers at once"),
        "{text}"
    );
    assert!(
        text.contains("the agent of the agents team cannot solve the problem"),
        "{text}"
    );
}

#[test]
fn a_transfer_s_delay_is_not_called_a_wait() {
    let text = unwrapped(&shipped_trace("two-tier-escalation.toml", "300"));
    assert!(
        text.contains("is transferred to the tier2 team (the transfer takes 30 s)"),
        "{text}"
    );
    assert!(
        text.contains("after the 30 s transfer, an agent of the tier2 team answers at once"),
        "{text}"
    );
    assert!(
        text.contains(" on hold, an agent of the tier2 team answers"),
        "{text}"
    );
    // Never an answer after a wait of 0 s: not after a transfer, not in line.
    assert!(!text.contains("answers after 0 s"), "{text}");
    assert!(text.contains("answers within a second"), "{text}");
    for line in text.lines().filter(|l| l.contains("tier2 team answers")) {
        assert!(line.contains("after the 30 s transfer"), "{line}");
    }
}

#[test]
fn clock_times_have_one_form() {
    let text = shipped_trace("provider-call-back-later.toml", "5");
    let mut times = 0;
    for (i, _) in text.match_indices("day ") {
        let rest = &text[i + 4..];
        let Some((day, clock)) = rest.split_once(' ') else {
            continue;
        };
        if day.parse::<u32>().is_err() {
            continue;
        }
        let clock: Vec<char> = clock.chars().take(9).collect();
        let digit = |k: usize| clock[k].is_ascii_digit();
        assert!(
            (0..8).all(|k| if k == 2 || k == 5 {
                clock[k] == ':'
            } else {
                digit(k)
            }) && !clock[8].is_ascii_digit()
                && clock[8] != ':',
            "not day D HH:MM:SS: {:?}",
            &text[i..i + 16]
        );
        times += 1;
    }
    assert!(times > 20, "{times} times in:\n{text}");
}

#[test]
fn a_call_after_closing_hears_the_closed_message_and_tries_after_opening() {
    let text = story(NOBODY_ON_SHIFT, "60");
    assert!(
        text.contains("hears \"we are closed, please call during opening hours\""),
        "the story says the centre is closed:\n{text}"
    );
    // Whoever heard it calls again no earlier than the next opening (08:00).
    let when = |l: &str| {
        let rest = l.rsplit("day ").next().unwrap();
        let (day, clock) = rest.split_once(' ').unwrap();
        (day.parse::<u32>().unwrap(), clock[..5].to_string())
    };
    let mut lines = text.lines().peekable();
    let mut retries = 0;
    while let Some(l) = lines.next() {
        if l.contains("we are closed")
            && let Some(next) = lines.peek()
            && next.contains("will call again at")
        {
            let (d0, c0) = when(l.trim_start().split("  ").next().unwrap());
            let (d1, c1) = when(next);
            assert!(c0.as_str() >= "10:00", "closed message while open: {l}");
            assert!(
                d1 > d0 && c1.as_str() >= "08:00",
                "a new try before the next opening: {l} / {next}"
            );
            retries += 1;
        }
    }
    assert!(
        retries > 0,
        "nobody tried again after the closed message:\n{text}"
    );
}

#[test]
fn a_call_with_nobody_on_shift_is_told_in_words_not_as_a_huge_wait() {
    // Open, but the second interval has no agent: calls then meet no one who could answer.
    let scenario = NOBODY_ON_SHIFT.replace("agents = 20", "agents = [20, 0]");
    let text = story(&scenario, "200");
    assert!(
        text.contains("no agent who takes this call is on shift"),
        "the story says nobody is there:\n{text}"
    );
    // No saturated number of hours (it was "5124095576030431 h 00 min").
    for line in text.lines().filter(|l| l.contains(" h ")) {
        let hours: u64 = line
            .split(" h ")
            .next()
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|h| h.parse().ok())
            .unwrap_or(0);
        assert!(hours < 1000, "an absurd wait: {line}");
    }
}
