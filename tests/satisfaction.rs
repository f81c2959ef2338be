//! Satisfaction from the user's side: the shipped centres land in the published ranges,
//! and the defects a customer-experience researcher found are gone (elapsed time counts,
//! no cliff, no credit without a wait). Every comparison of groups of tickets states its
//! tolerance in standard errors.

use crate::common::{parse, rappel, read_csv, root};
use rappel::centre::{Outcome, Ticket, simulate_logged};
use rappel::run::run_scenario;
use rappel::satisfaction::{Score, Term};
use rappel::scenario::Scenario;
use rappel::stats::Metric;
use std::path::Path;

/// Mean, standard error and size of a sample.
fn moments(xs: &[f64]) -> (f64, f64, usize) {
    let n = xs.len();
    assert!(n >= 30, "too few tickets in a group: {n}");
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, (var / n as f64).sqrt(), n)
}

/// The difference of two groups' means and its standard error (unpaired).
fn difference(a: &[f64], b: &[f64]) -> (f64, f64) {
    let (ma, sa, _) = moments(a);
    let (mb, sb, _) = moments(b);
    (ma - mb, sa.hypot(sb))
}

/// Runs `src` with `--tickets` and returns tickets.csv's header and rows.
fn tickets(name: &str, src: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.toml"));
    std::fs::write(&file, src).unwrap();
    let out = dir.path().join("out");
    rappel()
        .arg("run")
        .arg(&file)
        .args(["--tickets", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    read_csv(&out.join("tickets.csv"))
}

/// The column `name` of `rows` as numbers, for the rows where `keep` holds.
fn column(
    header: &[String],
    rows: &[Vec<String>],
    name: &str,
    keep: impl Fn(&dyn Fn(&str) -> f64) -> bool,
) -> Vec<f64> {
    let at = |c: &str| header.iter().position(|h| h == c).expect(c);
    let i = at(name);
    rows.iter()
        .filter(|r| keep(&|c: &str| r[at(c)].parse::<f64>().unwrap_or(f64::NAN)))
        .map(|r| r[i].parse().unwrap())
        .collect()
}

/// A virtual hold whose callbacks left at closing come the next morning (three agents
/// and an overloaded last hour; every busy caller accepts a callback and never gives up
/// waiting for it). Those customers waited about 14 hours: they must score clearly below
/// the customers answered at once (before, 4.58 against 4.30).
#[test]
fn an_overnight_callback_scores_below_an_answer_at_once() {
    let src = r#"
name = "overnight"
[simulation]
days = 2
replications = 10
seed = 5
open = "08:00"
close = "18:00"
interval = "1h"
[arrivals]
rates_per_hour = [10, 10, 10, 10, 10, 10, 10, 10, 10, 60]
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "5m" }
patience = { dist = "exponential", mean = "5m" }
[[teams]]
name = "t"
agents = 3
serves = ["a"]
[entry]
flow = "callback"
[entry.callback]
kind = "virtual_hold"
threshold = "0s"
accept = 1.0
reach_probability = 1.0
"#;
    let (h, rows) = tickets("overnight", src);
    let overnight = column(&h, &rows, "csat", |v| {
        v("callbacks_promised") == 1.0 && v("resolution_time_s") > 36_000.0
    });
    let at_once = column(&h, &rows, "csat", |v| {
        v("callbacks_promised") == 0.0 && v("wait_total_s") == 0.0
    });
    let (d, se) = difference(&at_once, &overnight);
    // At least a whole CSAT point, and far beyond the noise (6 standard errors).
    assert!(
        d > 1.0 && d > 6.0 * se,
        "at once - overnight = {d:.3} (se {se:.3})"
    );
}

/// Waiting is a curve, not a step: neighbouring bands of waits score alike (before, CSAT
/// fell 0.53 between 50–55 s and 55–60 s), and longer waits keep scoring lower (before,
/// the score was flat beyond ten minutes).
#[test]
fn satisfaction_falls_smoothly_with_the_wait_and_keeps_falling() {
    let src = r#"
name = "cliff"
[simulation]
days = 1
replications = 20
seed = 8
interval = "1h"
[arrivals]
rate_per_hour = 112
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "5m" }
[[teams]]
name = "t"
agents = 10
serves = ["a"]
"#;
    let (h, rows) = tickets("cliff", src);
    let band = |lo: f64, hi: f64| {
        column(&h, &rows, "csat", move |v| {
            (lo..hi).contains(&v("wait_worst_s")) && v("conversations") == 1.0
        })
    };
    // Neighbours: within 4 standard errors of each other, and below 0.2 in any case.
    let (d, se) = difference(&band(45.0, 55.1), &band(55.1, 65.0));
    assert!(
        d.abs() < 0.2 && d.abs() < 4.0 * se.max(0.05),
        "step {d:.3} (se {se:.3})"
    );
    // Longer keeps lower, each by more than 4 standard errors.
    let bands = [
        (120.0, 300.0),
        (300.0, 600.0),
        (600.0, 1200.0),
        (1200.0, 1e9),
    ];
    for w in bands.windows(2) {
        let (d, se) = difference(&band(w[0].0, w[0].1), &band(w[1].0, w[1].1));
        assert!(
            d > 4.0 * se,
            "{:?} vs {:?}: {d:.3} (se {se:.3})",
            w[0],
            w[1]
        );
    }
}

/// Every counted ticket's score, with the ticket, from replication `rep` of `s`.
fn scored(s: &Scenario, rep: u32) -> Vec<(Ticket, Score)> {
    let mut all = Vec::new();
    let mut log = |t: &Ticket, _: Outcome, _: f64, score: Option<&Score>| {
        all.push((*t, *score.expect("every counted ticket is scored")));
    };
    simulate_logged(s, rep, Some(&mut log));
    all
}

/// A customer who never got through earns no credit for a short wait (before: +0.066 for
/// every ticket), and each failed attempt is effort: a rejection, a balk, an abandonment.
#[test]
fn no_credit_without_a_wait_and_every_attempt_is_effort() {
    let s = parse(
        r#"
name = "never-connected"
[simulation]
replications = 2
seed = 11
interval = "1h"
[arrivals]
rate_per_hour = 100
[[ticket_types]]
name = "a"
handle_time = { dist = "constant", value = "10d" }
patience = { dist = "exponential", mean = "1m" }
[[teams]]
name = "t"
agents = 1
serves = ["a"]
[entry]
flow = "call_back_later"
max_queue = 0
redial = { probability = [0.8, 0.6, 0.4], delay = { dist = "exponential", mean = "1m" } }
"#,
    );
    let p = &s.satisfaction;
    let all = scored(&s, 0);
    let never: Vec<_> = all.iter().filter(|(t, _)| t.conversations == 0).collect();
    assert!(never.len() > 1000, "{} never connected", never.len());
    for (t, score) in &never {
        assert_eq!(score.terms[Term::Wait as usize], 0.0, "ticket {}", t.number);
        let rejections = -p.rejection_penalty * f64::from(t.rejections);
        assert_eq!(score.terms[Term::Rejections as usize], rejections);
        let failed = -p.failed_attempt_penalty * f64::from(t.balks + t.abandons);
        assert_eq!(score.terms[Term::FailedAttempts as usize], failed);
        assert!(score.latent <= p.unresolved_cap);
    }
}

/// A shipped scenario's estimate of `m`.
fn shipped(name: &str, m: Metric) -> rappel::stats::Estimate {
    let path = root().join("scenarios").join(name);
    let s = Scenario::from_file(Path::new(&path)).unwrap();
    run_scenario(&s, None, |_| {}).estimate(m)
}

/// CSAT (1–5) on the 0–100 scale of the ACSI, (mean − 1) / 4 × 100.
fn index(csat: f64) -> f64 {
    (csat - 1.0) / 4.0 * 100.0
}

/// The shipped centres land where the published figures put their industries
/// (docs/satisfaction.md, "Calibration"): the provider at or below the TV and internet
/// providers (Temkin 2017: NPS industry average 9, the worst brand −9; ACSI 2017: ISPs
/// 64 of 100, the lowest industry); the retailer near the top of retail (Temkin 2017: the
/// best companies up to 66; NICE Satmetrix 2018: the best industry average 62; ACSI:
/// online retail about 80, Amazon 86). The whole 95 % interval must lie in the range.
#[test]
fn the_shipped_centres_land_in_their_published_ranges() {
    let inside = |e: &rappel::stats::Estimate, f: fn(f64) -> f64, lo: f64, hi: f64| {
        let (a, b) = (f(e.ci95_low), f(e.ci95_high));
        assert!(
            lo <= a && b <= hi,
            "[{a:.1}, {b:.1}] not within [{lo}, {hi}]"
        );
    };
    let same = |x: f64| x;
    let provider = "provider-call-back-later.toml";
    let retailer = "retailer-immediate.toml";
    inside(&shipped(provider, Metric::Nps), same, -70.0, 9.0);
    inside(&shipped(provider, Metric::CsatMean), index, 0.0, 64.0);
    inside(&shipped(retailer, Metric::Nps), same, 40.0, 66.0);
    inside(&shipped(retailer, Metric::CsatMean), index, 78.0, 95.0);
}

/// satisfaction_drivers.csv shows every term of the score, the new ones included, and
/// they add up to the mean latent score's parts.
#[test]
fn the_drivers_file_names_every_term() {
    let dir = tempfile::tempdir().unwrap();
    rappel()
        .arg("run")
        .arg(root().join("scenarios/virtual-hold.toml"))
        .args(["--quiet", "--replications", "2", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let (_, rows) = read_csv(&dir.path().join("satisfaction_drivers.csv"));
    let names: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let want: Vec<&str> = Term::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(names, want);
    let value = |n: &str| -> f64 { rows.iter().find(|r| r[1] == n).unwrap()[2].parse().unwrap() };
    // A virtual hold: time to resolution and callback delight both play a part.
    assert!(value("time_to_resolution") < 0.0);
    assert!(value("callback_delight") > 0.0);
}
