//! breakdown.csv: figures per team, per ticket type and per day. The per-group counts add
//! up to the centre's exactly, a two-tier centre gives the figures known by hand, and the
//! hold of an overloaded second tier shows (with a warning naming it).

use crate::common::{parse, rappel, read_csv, replace_once, root};
use crate::theory::agrees_within;
use rappel::output::{breakdown_rows, team_estimate, team_warnings, type_estimate};
use rappel::run::{run_scenario, simulate_replications};
use rappel::scenario::Scenario;
use rappel::stats::breakdown::{DAY_METRICS, TEAM_METRICS, TYPE_METRICS, metric_index};
use rappel::stats::{DAY_CAP, Metric, ReplicationResult, day_values, summarise};

fn template(days: u32, replications: u32) -> Scenario {
    let text = std::fs::read_to_string(root().join("scenarios/template.toml")).unwrap();
    let text = replace_once(&text, "days = 1\n", &format!("days = {days}\n"));
    let text = replace_once(
        &text,
        "replications = 10\n",
        &format!("replications = {replications}\n"),
    );
    parse(&text)
}

fn team(r: &ReplicationResult, k: usize, m: &str) -> f64 {
    r.breakdown.teams[k][metric_index(&TEAM_METRICS, m)]
}

fn ty(r: &ReplicationResult, k: usize, m: &str) -> f64 {
    r.breakdown.types[k][metric_index(&TYPE_METRICS, m)]
}

/// Per replication, exactly: the types' calls and tickets add up to the centre's, each
/// type's outcome counts to its calls, and the teams' conversations to the centre's.
#[test]
fn groups_add_up_to_the_centre_in_every_replication() {
    for s in [
        template(2, 4),
        parse(&std::fs::read_to_string(root().join("scenarios/virtual-hold.toml")).unwrap()),
    ] {
        for r in simulate_replications(&s, None) {
            let types = 0..r.breakdown.types.len();
            let offered: f64 = types.clone().map(|k| ty(&r, k, "offered")).sum();
            assert_eq!(offered, r.counts.offered as f64, "{}", s.name);
            let tickets: f64 = types.clone().map(|k| ty(&r, k, "tickets")).sum();
            assert_eq!(tickets, r.counts.tickets as f64);
            let answered: f64 = types
                .clone()
                .map(|k| (ty(&r, k, "outcome_answered") * ty(&r, k, "offered")).round())
                .sum();
            assert_eq!(answered, r.counts.answered as f64);
            for k in types {
                let outcomes: f64 = TYPE_METRICS
                    .iter()
                    .filter(|(m, _)| m.starts_with("outcome_"))
                    .map(|(m, _)| ty(&r, k, m))
                    .sum();
                assert!((outcomes - 1.0).abs() < 1e-12, "{outcomes}");
            }
            let conversations: f64 = (0..r.breakdown.teams.len())
                .map(|k| team(&r, k, "conversations"))
                .sum();
            assert!(r.counts.conversations > 0);
            assert_eq!(conversations, r.counts.conversations as f64);
        }
    }
}

/// Each day's calls, made while open or closed, add up to the replication's offered
/// calls over a run of whole days.
#[test]
fn days_add_up_to_the_offered_calls() {
    let s = template(3, 3);
    for r in simulate_replications(&s, None) {
        let days = day_values(&r);
        assert_eq!(days.iter().map(|d| d.0).collect::<Vec<_>>(), [0, 1, 2]);
        let k = metric_index(&DAY_METRICS, "offered");
        let sum: f64 = days.iter().map(|d| d.1[k]).sum();
        assert_eq!(sum, r.get(Metric::OfferedContacts));
        let closed = metric_index(&DAY_METRICS, "outcome_closed");
        assert!(days.iter().all(|d| (0.0..=1.0).contains(&d.1[closed])));
    }
}

/// With one type, its figures are the centre's, bit for bit.
#[test]
fn one_type_is_the_whole_centre() {
    let s = parse(&std::fs::read_to_string(root().join("scenarios/realistic-day.toml")).unwrap());
    let r = run_scenario(&s, None, |_| {});
    for (m, name) in [
        (Metric::OfferedContacts, "offered"),
        (Metric::OutcomeAnswered, "outcome_answered"),
        (Metric::ServiceLevel, "service_level"),
        (Metric::Accessibility, "accessibility"),
        (Metric::AsaS, "asa_s"),
        (Metric::FcrRate, "fcr_rate"),
        (Metric::FirstCallResolution, "first_call_resolution"),
        (Metric::CsatMean, "csat_mean"),
        (Metric::Nps, "nps"),
        (Metric::ResolutionTimeP90S, "resolution_time_p90_s"),
    ] {
        assert_eq!(
            type_estimate(&r, 0, name).mean.to_bits(),
            r.estimate(m).mean.to_bits(),
            "{name}"
        );
    }
    assert_eq!(
        team_estimate(&r, 0, "occupancy").mean.to_bits(),
        r.estimate(Metric::Occupancy).mean.to_bits()
    );
}

/// A tier 1 of ample agents that resolves with probability 0.5 and escalates the rest to
/// a tier 2 that resolves everything: tier 1's transfers out are tier 2's transfers in
/// (exactly), and half of tier 1's conversations.
const TWO_TIERS: &str = r#"
name = "two-tiers"
[simulation]
days = 1
replications = 12
seed = 3
open = "00:00"
close = "24:00"
[arrivals]
rate_per_hour = 120
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "4m" }
[[teams]]
name = "tier1"
agents = 20
serves = ["a"]
competence = 0.5
unresolved = "escalate"
escalate_to = "tier2"
[[teams]]
name = "tier2"
agents = 12
serves = []
competence = 1.0
"#;

#[test]
fn a_two_tier_centre_escalates_half() {
    let s = parse(TWO_TIERS);
    let reps = simulate_replications(&s, None);
    let mut shares = Vec::new();
    for r in &reps {
        assert_eq!(team(r, 0, "transfers_out"), team(r, 1, "transfers_in"));
        assert_eq!(team(r, 0, "transfers_in"), 0.0);
        // Every escalated ticket is resolved by tier 2 during the drain.
        assert_eq!(team(r, 1, "conversations"), team(r, 0, "transfers_out"));
        assert_eq!(team(r, 0, "conversations"), r.counts.tickets as f64);
        shares.push(team(r, 0, "transfers_out") / team(r, 0, "conversations"));
    }
    // About 2 900 conversations a replication: a standard error of the mean near 0.003.
    agrees_within(summarise(&shares), 0.5, 0.005, "tier1's escalated share");
    let r = run_scenario(&s, None, |_| {});
    let hold = team_estimate(&r, 1, "hold_p90_s").mean;
    assert!(hold < 600.0, "tier 2 has room: p90 hold {hold}");
    assert!(team_warnings(&r).is_empty(), "{:?}", team_warnings(&r));
}

/// The repro of issue 11: a tier 2 over capacity holds escalated customers for hours while
/// the headline's waits stay near 0; the breakdown shows it, and a warning names tier 2.
#[test]
fn an_overloaded_second_tier_shows_and_is_named() {
    let src = crate::fixtures::TRANSFER_HOLD;
    let r = run_scenario(&parse(src), None, |_| {});
    assert!(r.estimate(Metric::WaitMeanS).mean < 5.0);
    let hold = team_estimate(&r, 1, "hold_p90_s");
    assert!(hold.ci95_low > 3600.0, "tier2's p90 hold {hold:?}");
    assert!(team_estimate(&r, 0, "hold_p90_s").mean.is_nan());
    assert!(team_estimate(&r, 1, "backlog_day_end_mean").mean > 100.0);
    assert!(team_estimate(&r, 0, "backlog_day_end_mean").mean < 1.0);
    let warnings = team_warnings(&r);
    assert!(
        warnings.iter().any(
            |(m, fix)| m.starts_with("tier2: the p90 hold after a transfer is")
                && fix.contains("add agents to tier2")
                && fix.contains("tier1")
        ),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|(m, _)| m.contains("backlog at day end grows")),
        "{warnings:?}"
    );
    assert!(warnings.iter().all(|(m, _)| m.starts_with("tier2:")));
    // A drain cap too short for tier 2 to finish: tickets left open, and said so.
    let short = replace_once(src, "seed = 4\n", "seed = 4\ndrain_limit = \"2h\"\n");
    let r = run_scenario(&parse(&short), None, |_| {});
    assert!(team_estimate(&r, 1, "still_open_at_end").mean > 100.0);
    assert!(
        team_warnings(&r)
            .iter()
            .any(|(m, fix)| m.contains("drain cap") && fix.contains("drain_limit")),
    );
}

/// `rappel run` writes breakdown.csv, listed in run.json, its rows ordered by group kind,
/// group and metric; its view in the terminal names the teams and types.
#[test]
fn run_writes_breakdown_csv_and_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = rappel()
        .args([
            "run",
            "scenarios/template.toml",
            "--replications",
            "3",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let view = &stdout[stdout.find("By team and by ticket type").expect("the view")..];
    for name in ["front-line", "specialists", "billing", "technical"] {
        assert!(view.contains(name), "{view}");
    }
    assert!(view.lines().count() <= 10, "{view}");
    let (header, rows) = read_csv(&out.join("breakdown.csv"));
    assert_eq!(
        header,
        [
            "scenario",
            "by",
            "group",
            "metric",
            "unit",
            "mean",
            "ci95_low",
            "ci95_high",
            "replications"
        ]
    );
    let kinds: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let n = |k| kinds.iter().filter(|x| **x == k).count();
    assert_eq!(n("team"), 2 * TEAM_METRICS.len());
    assert_eq!(n("type"), 2 * TYPE_METRICS.len());
    assert_eq!(n("day"), DAY_METRICS.len());
    assert!(kinds.windows(2).all(|w| (w[0] == w[1])
        || (w[0] == "team" && w[1] == "type")
        || (w[0] == "type" && w[1] == "day")));
    assert_eq!(rows[0][2], "front-line");
    assert_eq!(rows[0][3], "conversations");
    assert_eq!(rows[TEAM_METRICS.len()][2], "specialists");
    assert!(rows.iter().all(|r| r[8] == "3"));
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert!(
        info["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "breakdown.csv")
    );
    // One team and one type: no view (it would repeat the headline), the file still.
    let one = rappel()
        .args([
            "run",
            "scenarios/erlang-c.toml",
            "--replications",
            "2",
            "--quiet",
        ])
        .arg("--out")
        .arg(tmp.path().join("one"))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(!String::from_utf8(one.stdout).unwrap().contains("By team"));
    assert!(tmp.path().join("one/breakdown.csv").exists());
}

/// A run of 400 days gets rows for its first 366 days only (days 0 to 365), so that the
/// fold's memory stays bounded; the other files have every day.
#[test]
fn day_rows_stop_at_the_cap() {
    let src = r#"
name = "long"
[simulation]
days = 400
replications = 2
open = "08:00"
close = "10:00"
interval = "1h"
[arrivals]
rate_per_hour = 4
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "4m" }
[[teams]]
name = "t"
agents = 1
serves = ["a"]
"#;
    let r = run_scenario(&parse(src), None, |_| {});
    let days: Vec<String> = breakdown_rows(&r)
        .into_iter()
        .filter(|row| row.by == "day" && row.metric == "offered")
        .map(|row| row.group)
        .collect();
    assert_eq!(days.len(), DAY_CAP);
    assert_eq!(days.first().map(String::as_str), Some("0"));
    assert_eq!(days.last().map(String::as_str), Some("365"));
    assert_eq!(DAY_CAP, 366);
}

/// One team's waits are the settled waits less the abandoned ones (a shortcut of the hot
/// path); with a second, empty team they are recorded one by one: the same figures.
#[test]
fn one_team_waits_match_those_recorded_one_by_one() {
    let one = r#"
name = "one"
[simulation]
horizon = "6h"
replications = 3
seed = 9
[arrivals]
rate_per_hour = 600
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "300s" }
patience = { dist = "exponential", mean = "60s" }
[[teams]]
name = "agents"
agents = 48
serves = ["a"]
"#;
    let two = format!("{one}[[teams]]\nname = \"empty\"\nagents = 0\nserves = [\"a\"]\n");
    let (a, b) = (
        simulate_replications(&parse(one), None),
        simulate_replications(&parse(&two), None),
    );
    for (a, b) in a.iter().zip(&b) {
        assert!(a.counts.abandoned > 0);
        for m in ["wait_mean_s", "wait_p50_s", "wait_p90_s", "conversations"] {
            assert_eq!(team(a, 0, m), team(b, 0, m), "{m}");
        }
        assert!(team(a, 0, "wait_p90_s") < a.get(Metric::WaitP90S));
        assert_eq!(a.waits.len(), b.waits.len());
        assert_eq!(a.waits.max(), b.waits.max());
    }
}
