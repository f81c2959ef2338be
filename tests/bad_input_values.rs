//! Bad values in a scenario that parses: durations, rates, shares, teams and the types they
//! serve, staffing, profiles, intervals and distributions. Each is refused with exit code 2,
//! a message naming the file, the line and the key, a hint where one exists, no panic.

use crate::common::{BASE, expect, line_of, rappel, refuse, replace_once};
use rappel::scenario::Scenario;
use tempfile::TempDir;

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
    // A negative mean inside a distribution is refused at its own line too, naming the
    // distribution's key at fault.
    let text = replace_once(BASE, r#"mean = "3m""#, r#"mean = "-3m""#);
    refuse(
        "neg-mean",
        &text,
        &[expect(
            line_of(&text, r#""-3m""#),
            Some("ticket_types[1].patience.mean"),
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

// Bugs found while writing these tests, since fixed in `src/`: each test states what
// should happen.

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
