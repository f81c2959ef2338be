//! Issue 12, scenario input: messages that name the file, line and key in plain words, and
//! the refusal of set-ups whose journeys cannot end (built from the reproductions' content).

use crate::common::rappel;
use crate::fixtures::ping_pong;
use rappel::scenario::{Options, Scenario, ScenarioErrors};

/// A small valid scenario; `extra` is appended (tables after it).
const BASE: &str = r#"name = "base"
[simulation]
horizon = "4h"
replications = 1
[arrivals]
rate_per_hour = 20
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "4m" }
"#;

fn errors(src: &str) -> ScenarioErrors {
    Scenario::from_toml(src, "s.toml").expect_err("refused")
}

/// The one message about `key`, as displayed.
fn message(src: &str, key: &str) -> String {
    let e = errors(src);
    let found: Vec<_> =
        e.0.iter()
            .filter(|e| e.key.as_deref() == Some(key))
            .collect();
    assert_eq!(found.len(), 1, "no single message about {key}: {e}");
    found[0].to_string()
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines()
        .position(|l| l.contains(needle))
        .expect("in source")
        + 1
}

const ONE_TEAM: &str = r#"
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
"#;

#[test]
fn priority_i32_min_is_refused_with_line_and_key() {
    let src = format!(
        "{}priority = -2147483648\n{ONE_TEAM}[entry]\nflow = \"callback\"\n[entry.callback]\nkind = \"virtual_hold\"\npriority = -2147483648\n",
        BASE.replace(
            "handle_time",
            "patience = { dist = \"exponential\", mean = \"2m\" }\nhandle_time"
        )
    );
    let m = message(&src, "ticket_types[0].priority");
    assert!(
        m.starts_with(&format!("s.toml:{}:", line_of(&src, "priority = -2"))),
        "{m}"
    );
    assert!(
        m.contains("from -1000000 to 1000000, not -2147483648"),
        "{m}"
    );
    let m = message(&src, "entry.callback.priority");
    assert!(m.contains("not -2147483648"), "{m}");
    // The bounds themselves are accepted; their sum cannot overflow an i32.
    let ok = src.replace("-2147483648", "-1000000");
    let s = Scenario::from_toml(&ok, "s.toml").expect("bounds accepted");
    assert_eq!(s.ticket_types[0].priority, -1_000_000);
    assert!(Scenario::from_toml(&src.replace("-2147483648", "1000001"), "s.toml").is_err());
}

#[test]
fn bad_utf8_gives_file_line_and_column_of_the_byte() {
    let mut bytes = format!("{BASE}{ONE_TEAM}").into_bytes();
    // `rate_per_hour = 20 # caf` then Latin-1 é (0xE9), as in bad_utf8.toml.
    let at = bytes
        .windows(18)
        .position(|w| w == b"rate_per_hour = 20")
        .unwrap()
        + 18;
    for (i, b) in b" # caf\xE9".iter().enumerate() {
        bytes.insert(at + i, *b);
    }
    let e = rappel::scenario::decode(bytes.clone(), "s.toml").expect_err("not UTF-8");
    let line = 6;
    assert_eq!((e.0[0].line, e.0[0].column), (Some(line), Some(25)), "{e}");
    assert!(
        e.to_string().contains("byte 0xE9 at line 6, column 25"),
        "{e}"
    );
    // Through the binary, `validate` names the file and line.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();
    let out_dir = dir.path().join("out");
    let o = out_dir.to_str().unwrap();
    // Every command that reads a scenario says the same, and writes nothing.
    for args in [
        vec!["validate", p],
        vec!["run", p, "--out", o],
        vec!["trace", p],
        vec!["compare", p, p, "--out", o],
        vec!["sweep", p, "--set", "simulation.seed=1,2", "--out", o],
        vec!["staff", p, "--target", "service_level=0.8", "--out", o],
    ] {
        let out = rappel().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("bad.toml:{line}:25")),
            "{args:?}: {err}"
        );
        assert!(err.contains("save the file as UTF-8"), "{args:?}: {err}");
        assert!(!out_dir.exists(), "{args:?} wrote {}", out_dir.display());
    }
}

#[test]
fn duplicate_key_names_the_key_and_both_lines() {
    let src = BASE.replace("replications = 1", "replications = 10\nreplications = 20");
    let src = format!("{src}{ONE_TEAM}");
    let m = errors(&src).to_string();
    assert!(m.contains("s.toml:5:1: `simulation.replications`"), "{m}");
    assert!(m.contains("first given on line 4, again on line 5"), "{m}");
    // In an array of tables, the element's index and both lines.
    let src = format!("{BASE}{ONE_TEAM}agents = 6\n");
    let m = errors(&src).to_string();
    assert!(m.contains("`teams[0].agents`"), "{m}");
    assert!(
        m.contains("first given on line 13, again on line 15"),
        "{m}"
    );
    // A table header given twice.
    let m = errors(&format!("{BASE}{ONE_TEAM}[arrivals]\n")).to_string();
    assert!(
        m.contains("`arrivals`: duplicate key: first given on line 5"),
        "{m}"
    );
}

#[test]
fn datetime_where_a_table_is_expected_is_told_in_plain_words() {
    let src = format!("{BASE}{ONE_TEAM}[entry]\nredial = 1979-05-27T07:32:00Z\n");
    let m = errors(&src).to_string();
    assert!(!m.contains("$__toml_private_datetime"), "{m}");
    assert!(
        m.contains(&format!("s.toml:{}:", line_of(&src, "1979"))),
        "{m}"
    );
    assert!(
        m.contains("`entry.redial`: a date-time is not allowed here"),
        "{m}"
    );
    assert!(m.contains("probability, delay"), "{m}");
    // Where a duration is expected, too.
    let src = BASE.replace("horizon = \"4h\"", "horizon = 1979-05-27T07:32:00Z");
    let m = errors(&format!("{src}{ONE_TEAM}")).to_string();
    assert!(
        m.contains("`simulation.horizon`: a date-time is not allowed here"),
        "{m}"
    );
    assert!(!m.contains("map"), "{m}");
}

#[test]
fn erlang_k_of_one_and_a_half_is_blamed_on_k_as_a_whole_number() {
    let redial =
        "redial = { probability = 0.5, delay = { dist = \"erlang\", mean = \"1m\", k = 1.5 } }";
    let src = format!("{BASE}{ONE_TEAM}[entry]\nflow = \"queue\"\n{redial}\n");
    let m = errors(&src).to_string();
    assert!(m.contains("`entry.redial.delay.k`"), "{m}");
    assert!(m.contains("a whole number"), "{m}");
    assert!(!m.contains("u32"), "{m}");
    let col = redial.find("k = 1.5").unwrap() + 1;
    assert!(
        m.contains(&format!("s.toml:{}:{col}", line_of(&src, "erlang"))),
        "{m}"
    );
    // Other sub-keys of a distribution are named as well.
    let m = errors(&format!(
        "{}{ONE_TEAM}",
        BASE.replace("mean = \"4m\"", "mean = [1]")
    ))
    .to_string();
    assert!(m.contains("`ticket_types[0].handle_time.mean`"), "{m}");
    assert!(m.contains("a duration"), "{m}");
    let ok = src.replace("k = 1.5", "k = 2");
    assert!(Scenario::from_toml(&ok, "s.toml").is_ok());
}

#[test]
fn an_array_for_the_flow_says_what_the_key_accepts() {
    let src = format!("{BASE}{ONE_TEAM}[entry]\nflow = [[1]]\n");
    let m = errors(&src).to_string();
    assert!(m.contains("`entry.flow`"), "{m}");
    assert!(!m.contains("wanted string or table"), "{m}");
    assert!(
        m.contains("\"queue\", \"call_back_later\" or \"callback\""),
        "{m}"
    );
    assert!(m.contains("e.g. flow = \"queue\""), "{m}");
}

// ---- B: cycles of 0 s steps and vanishing conversations ----

#[test]
fn a_zero_second_escalation_cycle_is_refused_even_when_unstable_is_allowed() {
    let src = ping_pong("");
    let opts = Options {
        allow_unstable: true,
    };
    let e = Scenario::from_toml_with(&src, "s.toml", &opts).expect_err("refused");
    let m = e.to_string();
    assert!(
        m.contains(&format!("s.toml:{}:", line_of(&src, "name = \"a\"") - 1)),
        "{m}"
    );
    assert!(m.contains("`teams[0].transfer_delay`"), "{m}");
    assert!(m.contains("endless loop at one instant"), "{m}");
    assert!(m.contains("a → b → a"), "{m}");
    assert!(
        m.contains("help: give the hand-over a positive time"),
        "{m}"
    );
}

#[test]
fn a_zero_second_transfer_without_a_cycle_is_accepted() {
    // Tier 2 sends back what it cannot solve: no loop.
    let src = ping_pong("").replace(
        "unresolved = \"escalate\"\nescalate_to = \"a\"",
        "unresolved = \"customer_calls_again\"",
    );
    Scenario::from_toml(&src, "s.toml").expect("no cycle");
    // A cycle of 0 s steps that some tickets leave (a team resolves half) is accepted.
    let src = ping_pong("transfer_delay = { dist = \"constant\", value = \"0s\" }")
        .replace("difficulty = 1.0", "difficulty = 0.5");
    Scenario::from_toml(&src, "s.toml").expect("tickets leave the loop");
}

#[test]
fn an_endless_escalation_cycle_with_time_is_unstable() {
    let src = ping_pong("transfer_delay = { dist = \"exponential\", mean = \"1m\" }");
    let m = message(&src, "teams[0].escalate_to");
    assert!(m.contains("unstable set-up"), "{m}");
    assert!(m.contains("--allow-unstable"), "{m}");
    let (_, warnings) = Scenario::from_toml_with(
        &src,
        "s.toml",
        &Options {
            allow_unstable: true,
        },
    )
    .expect("allowed");
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("can never leave"));
}

#[test]
fn an_agent_callback_of_zero_seconds_looping_at_one_instant_is_refused() {
    let src = format!(
        "{}difficulty = 1.0\n[[teams]]\nname = \"a\"\nagents = 1\nserves = [\"general\"]\nunresolved = \"agent_callback\"\nagent_callback = {{ delay = {{ dist = \"constant\", value = \"0s\" }}, promise = \"1h\" }}\n",
        BASE.replace(
            "{ dist = \"exponential\", mean = \"4m\" }",
            "{ dist = \"constant\", value = \"0s\" }"
        )
    );
    let m = message(&src, "teams[0].agent_callback.delay");
    assert!(
        m.contains(&format!("s.toml:{}:", line_of(&src, "agent_callback ="))),
        "{m}"
    );
    assert!(m.contains("endless loop at one instant"), "{m}");
    // Some promises broken and customers who then give up: the loop ends.
    let ok = src.replace(
        "promise = \"1h\"",
        "promise = \"1h\", broken_probability = 0.1",
    );
    Scenario::from_toml(&ok, "s.toml").expect("the loop can end");
}

#[test]
fn a_vanishing_speed_is_refused_and_the_bound_accepted() {
    let src = format!("{BASE}{ONE_TEAM}speed = 1e-9\n");
    let m = message(&src, "teams[0].speed");
    assert!(
        m.contains(&format!("s.toml:{}:", line_of(&src, "speed"))),
        "{m}"
    );
    assert!(m.contains("from 0.01 to 100"), "{m}");
    Scenario::from_toml(&format!("{BASE}{ONE_TEAM}speed = 0.01\n"), "s.toml").expect("bound");
}

// ---- C: journeys that cannot end ----

fn redial_forever(probability: &str, agents: u32) -> String {
    format!(
        r#"name = "unstable-redial-forever"
[simulation]
days = 30
replications = 1
[arrivals]
rate_per_hour = 600
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "4m" }}
patience = {{ dist = "exponential", mean = "1m" }}
[[teams]]
name = "agents"
agents = {agents}
serves = ["general"]
[entry]
flow = "queue"
redial = {{ probability = {probability}, delay = {{ dist = "exponential", mean = "1m" }} }}
"#
    )
}

#[test]
fn redials_for_ever_under_overload_are_refused_with_load_capacity_and_fix() {
    let src = redial_forever("1.0", 4);
    let m = message(&src, "entry.redial.probability");
    assert!(
        m.contains(&format!("s.toml:{}:", line_of(&src, "redial ="))),
        "{m}"
    );
    assert!(m.contains("960.0 agent-hours"), "{m}");
    assert!(m.contains("96.0 agent-hours (capacity)"), "{m}");
    assert!(m.contains("always redial"), "{m}");
    assert!(m.contains("a redial probability below 1"), "{m}");
    assert!(m.contains("--allow-unstable"), "{m}");
    // Allowed, it is a warning.
    let (s, w) = Scenario::from_toml_with(
        &src,
        "s.toml",
        &Options {
            allow_unstable: true,
        },
    )
    .expect("allowed");
    assert_eq!((s.teams[0].staffing[0], w.len()), (4, 1));
    // A list whose repeating value is 1 is the same loop.
    assert!(Scenario::from_toml(&redial_forever("[0.9, 1.0]", 4), "s.toml").is_err());
}

#[test]
fn near_misses_of_redial_for_ever_are_accepted() {
    // Probability 0.99: each failure lets some callers go.
    Scenario::from_toml(&redial_forever("0.99", 4), "s.toml").expect("0.99");
    // A 1 that nobody reaches (an earlier 0).
    Scenario::from_toml(&redial_forever("[0.0, 1.0]", 4), "s.toml").expect("never reached");
    // Probability 1 within capacity (40 erlangs, 45 agents): everyone is answered in the end.
    Scenario::from_toml(&redial_forever("1.0", 45), "s.toml").expect("within capacity");
}

fn call_again(probability: &str, difficulty: &str) -> String {
    format!(
        r#"name = "unstable-call-again"
[simulation]
days = 30
replications = 1
[arrivals]
rate_per_hour = 20
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "4m" }}
difficulty = {difficulty}
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
unresolved = "customer_calls_again"
call_again = {{ probability = {probability}, delay = {{ dist = "exponential", mean = "10m" }} }}
"#
    )
}

#[test]
fn call_again_for_ever_for_tickets_nobody_solves_is_refused() {
    let src = call_again("1.0", "1.0");
    let m = message(&src, "teams[0].call_again.probability");
    assert!(
        m.contains(&format!("s.toml:{}:", line_of(&src, "call_again ="))),
        "{m}"
    );
    assert!(m.contains("can never leave"), "{m}");
    assert!(m.contains("agents → a new call"), "{m}");
    assert!(m.contains("difficulty 1"), "{m}");
    assert!(m.contains("unbounded"), "{m}");
    assert!(m.contains("120.0 agent-hours a day (capacity)"), "{m}");
    assert!(m.contains("--allow-unstable"), "{m}");
    // The loop runs through the customer calling again: the fix must not suggest it.
    assert!(!m.contains("unresolved = \"customer_calls_again\""), "{m}");
    assert!(m.contains("probability below 1"), "{m}");
    Scenario::from_toml_with(
        &src,
        "s.toml",
        &Options {
            allow_unstable: true,
        },
    )
    .expect("allowed");
}

#[test]
fn near_misses_of_call_again_for_ever_are_accepted() {
    Scenario::from_toml(&call_again("0.99", "1.0"), "s.toml").expect("some give up");
    Scenario::from_toml(&call_again("1.0", "0.99"), "s.toml").expect("some are solved");
}

#[test]
fn no_patience_above_capacity_is_unstable_and_can_be_allowed() {
    let src = format!(
        "{}{ONE_TEAM}",
        BASE.replace("rate_per_hour = 20", "rate_per_hour = 600")
    );
    let m = message(&src, "arrivals");
    assert!(m.contains("never give up"), "{m}");
    assert!(m.contains("(capacity)"), "{m}");
    Scenario::from_toml_with(
        &src,
        "s.toml",
        &Options {
            allow_unstable: true,
        },
    )
    .expect("allowed");
}

#[test]
fn shipped_scenarios_still_validate() {
    for path in crate::common::shipped() {
        Scenario::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn non_ascii_values_in_messages_do_not_panic() {
    for (from, to) in [
        ("horizon = \"4h\"", "horizon = \"3é0m\""),
        ("{ dist = \"exponential\", mean = \"4m\" }", "\"3é0m\""),
        ("mean = \"4m\"", "mean = \"3é0m\""),
        ("rate_per_hour = 20", "rate_per_hour = \"é\""),
    ] {
        let src = format!("{}{ONE_TEAM}", BASE.replace(from, to));
        let e = errors(&src);
        assert!(e.0[0].line.is_some(), "{e}");
    }
}
