//! Skills-based routing and overflow (docs/model.md, "Skills and overflow"), and per-type
//! service targets: a two-skill centre against Erlang C, pooled and split, the pooling
//! gain, overflow between the two, the level order, and bad keys refused.

use crate::common::{BASE, expect, line_of, parse, refuse, replace_once, run};
use crate::theory::{agrees, tells_apart};
use rappel::analytic::erlang_c;
use rappel::output::{breakdown_rows, team_estimate};
use rappel::stats::Metric;

/// Two types of 48 calls an hour each, exponential 5-minute conversations (4 erlangs
/// each), two teams of 5 agents; `TEAMS` is replaced by each case's teams.
const TWO_SKILLS: &str = r#"
name = "two-skills"
[simulation]
days = 2
warmup = "4h"
replications = 16
seed = 11
[arrivals]
rate_per_hour = 96
[[ticket_types]]
name = "sales"
handle_time = { dist = "exponential", mean = "5m" }
OVERFLOW_SALES
[[ticket_types]]
name = "support"
handle_time = { dist = "exponential", mean = "5m" }
OVERFLOW_SUPPORT
[[teams]]
name = "a"
agents = 5
serves = SERVES_A
[[teams]]
name = "b"
agents = 5
serves = SERVES_B
"#;

fn centre(a: &str, b: &str, overflow_after: Option<&str>) -> String {
    let (os, ou) = match overflow_after {
        Some(after) => (
            format!("overflow = {{ to = \"b\", after = \"{after}\" }}"),
            format!("overflow = {{ to = \"a\", after = \"{after}\" }}"),
        ),
        None => (String::new(), String::new()),
    };
    TWO_SKILLS
        .replace("SERVES_A", a)
        .replace("SERVES_B", b)
        .replace("OVERFLOW_SALES", &os)
        .replace("OVERFLOW_SUPPORT", &ou)
}

const BOTH: &str = r#"["sales", "support"]"#;

/// Erlang C for the pooled centre (8 erlangs, 10 agents) and for one half of the split one
/// (4 erlangs, 5 agents): P(wait) and the mean wait, seconds.
fn theory(load: f64, agents: u32) -> (f64, f64) {
    let p = erlang_c(load, agents);
    (p, p * 300.0 / (f64::from(agents) - load))
}

/// (a) Every agent has both skills at the same level: one pooled team of 10, Erlang C.
/// (c) The pooled centre beats the split one by more than 4 standard errors.
#[test]
fn every_skill_everywhere_pools_the_teams() {
    let r = run(&centre(BOTH, BOTH, None));
    let (p, asa) = theory(8.0, 10);
    agrees(r.estimate(Metric::PWait), p, 0.05, "pooled p_wait");
    agrees(r.estimate(Metric::AsaS), asa, 0.1, "pooled asa_s");
    let (p_split, asa_split) = theory(4.0, 5);
    tells_apart(
        r.estimate(Metric::PWait),
        p_split,
        "pooled p_wait against split",
    );
    tells_apart(
        r.estimate(Metric::AsaS),
        asa_split,
        "pooled asa_s against split",
    );
    assert!(asa < asa_split && p < p_split);
}

/// (b) No shared skill: two independent Erlang C systems of 5 agents.
#[test]
fn no_shared_skill_is_two_erlang_c_systems() {
    let r = run(&centre(r#"["sales"]"#, r#"["support"]"#, None));
    let (p, asa) = theory(4.0, 5);
    agrees(r.estimate(Metric::PWait), p, 0.05, "split p_wait");
    agrees(r.estimate(Metric::AsaS), asa, 0.1, "split asa_s");
    let (p_pool, _) = theory(8.0, 10);
    tells_apart(
        r.estimate(Metric::PWait),
        p_pool,
        "split p_wait against pooled",
    );
}

/// (d) Overflow after 0 s pools the teams; after a long delay it is the split centre; in
/// between, the mean wait lies between the two.
#[test]
fn overflow_lies_between_split_and_pooled() {
    let split = (r#"["sales"]"#, r#"["support"]"#);
    let now = run(&centre(split.0, split.1, Some("0s")));
    let (p, asa) = theory(8.0, 10);
    agrees(
        now.estimate(Metric::PWait),
        p,
        0.05,
        "overflow at once: p_wait",
    );
    agrees(
        now.estimate(Metric::AsaS),
        asa,
        0.1,
        "overflow at once: asa_s",
    );
    let never = run(&centre(split.0, split.1, Some("365d")));
    let (p_split, asa_split) = theory(4.0, 5);
    agrees(
        never.estimate(Metric::PWait),
        p_split,
        0.05,
        "no overflow: p_wait",
    );
    agrees(
        never.estimate(Metric::AsaS),
        asa_split,
        0.1,
        "no overflow: asa_s",
    );
    let between = run(&centre(split.0, split.1, Some("2m")));
    let e = between.estimate(Metric::AsaS);
    tells_apart(e, asa, "overflow after 2m against pooled");
    tells_apart(e, asa_split, "overflow after 2m against split");
    assert!(
        asa < e.mean && e.mean < asa_split,
        "ASA {} after 2 minutes' overflow is not between {asa} and {asa_split}",
        e.mean
    );
    // Calls that wait at most 2 minutes are the split centre's: P(wait) barely moves
    // from it (only agents freed by overflowed calls shorten the queue).
    assert!(between.estimate(Metric::PWait).mean > p);
}

/// (e) A new call goes to the team with the best level for its type: the team listed
/// second, with level 1, answers nearly every call of a quiet centre; without levels the
/// first team in the file does.
#[test]
fn the_best_level_answers_first() {
    let quiet = r#"
name = "levels"
[simulation]
days = 1
replications = 2
[arrivals]
rate_per_hour = 2
[[ticket_types]]
name = "sales"
handle_time = { dist = "exponential", mean = "1m" }
[[teams]]
name = "generalists"
agents = 3
serves = ["sales"]
SKILLS
[[teams]]
name = "experts"
agents = 3
serves = ["sales"]
"#;
    let with = run(&quiet.replace("SKILLS", "skills = { sales = 2 }"));
    let without = run(&quiet.replace("SKILLS", ""));
    let conv = |r: &rappel::run::RunResult, k| team_estimate(r, k, "conversations").mean;
    assert_eq!(
        conv(&with, 0),
        0.0,
        "generalists answered a call the experts were free for"
    );
    assert!(conv(&with, 1) > 20.0);
    assert_eq!(conv(&without, 1), 0.0);
    assert!(conv(&without, 0) > 20.0);
}

/// A freed agent takes work of its best level first: the generalists (level 2 for sales)
/// leave sales to the experts while support waits, so support calls wait less than with
/// equal levels.
#[test]
fn a_freed_agent_takes_its_best_level_first() {
    let text = |skills: &str| {
        format!(
            r#"
name = "freed"
[simulation]
days = 2
warmup = "4h"
replications = 8
[arrivals]
rate_per_hour = 96
[[ticket_types]]
name = "sales"
handle_time = {{ dist = "exponential", mean = "5m" }}
[[ticket_types]]
name = "support"
handle_time = {{ dist = "exponential", mean = "5m" }}
[[teams]]
name = "generalists"
agents = 6
serves = ["sales", "support"]
{skills}
[[teams]]
name = "experts"
agents = 4
serves = ["sales"]
"#
        )
    };
    let level = run(&text("skills = { sales = 2, support = 1 }"));
    let equal = run(&text(""));
    let asa = |r: &rappel::run::RunResult, ty: &str| {
        breakdown_rows(r)
            .into_iter()
            .find(|row| row.by == "type" && row.group == ty && row.metric == "asa_s")
            .unwrap()
            .estimate
    };
    let (l, e) = (asa(&level, "support"), asa(&equal, "support"));
    assert!(
        l.mean + 4.0 * (l.std_error + e.std_error) < e.mean,
        "support waits {} with its generalists' primary skill, {} without",
        l.mean,
        e.mean
    );
}

/// Per-type service targets: each type's service level is against its own threshold, and
/// breakdown.csv reports the threshold, the target and whether it is met.
#[test]
fn per_type_service_targets_are_reported() {
    let text = centre(BOTH, BOTH, None)
        .replace(
            "name = \"sales\"",
            "name = \"sales\"\nservice_level_threshold = \"20s\"\nservice_level_target = 0.8",
        )
        .replace(
            "name = \"support\"",
            "name = \"support\"\nservice_level_threshold = \"3m\"\nservice_level_target = 0.6",
        );
    let r = run(&text);
    let rows = breakdown_rows(&r);
    let get = |ty: &str, m: &str| {
        rows.iter()
            .find(|row| row.by == "type" && row.group == ty && row.metric == m)
            .unwrap_or_else(|| panic!("no {m} row for {ty}"))
            .estimate
            .mean
    };
    let (p, _) = theory(8.0, 10);
    // Erlang C: P(W > t) = C e^{-(c - a) t / h}.
    let sl = |t: f64| 1.0 - p * (-(10.0 - 8.0) * t / 300.0).exp();
    assert!((get("sales", "service_level") - sl(20.0)).abs() < 0.03);
    assert!((get("support", "service_level") - sl(180.0)).abs() < 0.03);
    assert_eq!(get("sales", "service_level_threshold_s"), 20.0);
    assert_eq!(get("support", "service_level_target"), 0.6);
    assert_eq!(get("sales", "service_level_met"), 0.0);
    assert_eq!(get("support", "service_level_met"), 1.0);
    // Without the keys, no such rows.
    let plain = breakdown_rows(&run(&centre(BOTH, BOTH, None)));
    assert!(
        !plain
            .iter()
            .any(|row| row.metric.starts_with("service_level_t"))
    );
}

/// (f) Bad skills, overflow and target keys: exit 2, file, line, key and a fix.
#[test]
fn bad_skill_and_overflow_keys_are_refused() {
    let serves = r#"serves = ["general", "billing"]"#;
    let with = |extra: &str| replace_once(BASE, serves, &format!("{serves}\n{extra}"));
    let text = with("skills = { general = 0 }");
    refuse(
        "skill-zero",
        &text,
        &[expect(
            line_of(&text, "skills"),
            Some("teams[0].skills.general"),
            "a skill level must be a whole number from 1 to 9, not 0",
            Some("primary skill"),
        )],
    );
    let text = with("skills = { sales = 1 }");
    refuse(
        "skill-not-served",
        &text,
        &[expect(
            line_of(&text, "skills"),
            Some("teams[0].skills.sales"),
            "which it does not serve",
            Some("add `sales` there first"),
        )],
    );
    let patience = r#"patience = { dist = "exponential", mean = "3m" }"#;
    let typed = |extra: &str| replace_once(BASE, patience, &format!("{patience}\n{extra}"));
    let text = typed(r#"overflow = { to = "nobody", after = "30s" }"#);
    refuse(
        "overflow-unknown",
        &text,
        &[expect(
            line_of(&text, "overflow"),
            Some("ticket_types[1].overflow.to"),
            "`nobody` is not a team",
            Some("the teams are: agents"),
        )],
    );
    let text = typed(r#"overflow = { to = "agents", after = "30s" }"#);
    refuse(
        "overflow-served",
        &text,
        &[expect(
            line_of(&text, "overflow"),
            Some("ticket_types[1].overflow.to"),
            "already serves `billing`",
            Some("give it a worse level instead"),
        )],
    );
    let text = typed("service_level_target = 1.5");
    refuse(
        "target",
        &text,
        &[expect(
            line_of(&text, "service_level_target"),
            Some("ticket_types[1].service_level_target"),
            "the target must be a share above 0 and at most 1, not 1.5",
            Some("80 %"),
        )],
    );
    let text = typed(r#"service_level_threshold = "2d""#);
    refuse(
        "threshold",
        &text,
        &[expect(
            line_of(&text, "service_level_threshold"),
            Some("ticket_types[1].service_level_threshold"),
            "is not from 0 to 1 day",
            Some("answered within it"),
        )],
    );
    // A valid overflow parses.
    let ok = parse(&replace_once(
        &typed(r#"overflow = { to = "tier2", after = "30s" }"#),
        "[entry]",
        "[[teams]]\nname = \"tier2\"\nagents = 2\nserves = []\n[entry]",
    ));
    assert!(ok.ticket_types[1].overflow.is_some());
}

/// The stability check counts the overflow team's agents: 10 erlangs of patient sales calls
/// on 8 sales agents is refused, unless they overflow to 5 more.
#[test]
fn the_stability_check_counts_the_overflow_team() {
    let text = |overflow: &str| {
        format!(
            r#"
name = "stability"
[arrivals]
rate_per_hour = 150
[[ticket_types]]
name = "sales"
share = 0.8
handle_time = {{ dist = "exponential", mean = "5m" }}
{overflow}
[[ticket_types]]
name = "support"
share = 0.2
handle_time = {{ dist = "exponential", mean = "5m" }}
patience = {{ dist = "exponential", mean = "2m" }}
[[teams]]
name = "sales"
agents = 8
serves = ["sales"]
[[teams]]
name = "support"
agents = 5
serves = ["support"]
"#
        )
    };
    let split = rappel::scenario::Scenario::from_toml(&text(""), "split.toml");
    assert!(
        split.is_err_and(|e| e.to_string().contains("unstable")),
        "the split centre is unstable"
    );
    let s = parse(&text(r#"overflow = { to = "support", after = "1m" }"#));
    assert_eq!(s.ticket_types[0].overflow.map(|o| o.team), Some(1));
}

/// A type without its own threshold follows the centre's, also when a comparison changes
/// it after validation.
#[test]
fn a_type_without_its_own_threshold_follows_the_centres() {
    let text = centre(BOTH, BOTH, None).replace(
        "name = \"sales\"",
        "name = \"sales\"\nservice_level_target = 0.8",
    );
    let mut s = parse(&text);
    assert_eq!(s.ticket_types[0].threshold(&s.simulation), 20.0);
    s.simulation.service_level_threshold = 40.0;
    assert_eq!(s.ticket_types[0].threshold(&s.simulation), 40.0);
}
