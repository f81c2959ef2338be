//! Agreement with queueing theory: Erlang C (M/M/c) and Erlang A (M/M/c+M) figures,
//! Little's law, and abandon_rate = wait_mean / mean patience.
//!
//! Each case runs a fixed seed; comparisons go through the theory harness of `theory.rs`.

use crate::fixtures;
use crate::theory::{agrees_within, littles_law_with_offered_rate, matches_theory, tells_apart};
use rappel::analytic::{QueueInput, figures};
use rappel::run::{RunResult, run_scenario};
use rappel::scenario::Scenario;
use rappel::stats::Metric;

struct Case {
    rate_per_hour: f64,
    handle_s: f64,
    agents: u32,
    patience_s: Option<f64>,
    horizon: &'static str,
}

fn scenario(c: &Case) -> Scenario {
    fixtures::erlang(
        c.rate_per_hour,
        c.handle_s,
        c.agents,
        c.patience_s,
        c.horizon,
    )
    .scenario()
}

fn check(c: &Case) -> RunResult {
    let s = scenario(c);
    let r = run_scenario(&s, None, |_| {});
    let theory = figures(&QueueInput {
        arrival_rate: c.rate_per_hour / 3600.0,
        mean_handle: c.handle_s,
        agents: c.agents,
        mean_patience: c.patience_s,
        queue_capacity: None,
        threshold: 20.0,
    })
    .expect("theory computable");
    let pairs = [
        (Metric::PWait, theory.p_wait),
        (Metric::WaitMeanS, theory.wait_mean_s),
        (Metric::AsaS, theory.asa_s),
        (Metric::AbandonRate, theory.p_abandon),
        (Metric::ServiceLevel, theory.service_level),
        (Metric::Occupancy, theory.occupancy),
        (Metric::QueueLengthMean, theory.queue_length_mean),
    ];
    // A zero theoretical value (no abandonment without patience) must be met exactly.
    matches_theory(
        &r,
        &pairs,
        |want| 0.1 * want.abs().max(0.01),
        |m| {
            format!(
                "{} (rate {}, agents {}, patience {:?})",
                m.name(),
                c.rate_per_hour,
                c.agents,
                c.patience_s
            )
        },
    );
    r
}

#[test]
fn erlang_c_medium_centre_at_90_percent_load() {
    let r = check(&Case {
        rate_per_hour: 540.0,
        handle_s: 300.0,
        agents: 50,
        patience_s: None,
        horizon: "3d",
    });
    littles_law_with_offered_rate(&r);
}

#[test]
fn erlang_c_two_agents() {
    let r = check(&Case {
        rate_per_hour: 20.0,
        handle_s: 300.0,
        agents: 2,
        patience_s: None,
        horizon: "40d",
    });
    littles_law_with_offered_rate(&r);
}

#[test]
fn erlang_a_reference_model() {
    let r = check(&Case {
        rate_per_hour: 1140.0,
        handle_s: 300.0,
        agents: 100,
        patience_s: Some(120.0),
        horizon: "2d",
    });
    littles_law_with_offered_rate(&r);
}

#[test]
fn erlang_a_overloaded() {
    // 120 erlangs offered to 100 agents: stable only because callers abandon.
    let r = check(&Case {
        rate_per_hour: 1440.0,
        handle_s: 300.0,
        agents: 100,
        patience_s: Some(300.0),
        horizon: "2d",
    });
    littles_law_with_offered_rate(&r);
}

#[test]
fn erlang_a_small_team() {
    let r = check(&Case {
        rate_per_hour: 50.0,
        handle_s: 360.0,
        agents: 5,
        patience_s: Some(180.0),
        horizon: "30d",
    });
    littles_law_with_offered_rate(&r);
}

#[test]
fn abandon_rate_equals_mean_wait_over_mean_patience() {
    // For exponential patience, P(abandon) = E[time in queue] / E[patience] (a consequence
    // of the constant abandonment hazard). Checked on the paired per-replication difference.
    let c = Case {
        rate_per_hour: 1300.0,
        handle_s: 300.0,
        agents: 100,
        patience_s: Some(200.0),
        horizon: "2d",
    };
    let r = run_scenario(&scenario(&c), None, |_| {});
    let diffs: Vec<f64> = crate::common::kept(&r)
        .iter()
        .map(|rep| rep.get(Metric::AbandonRate) - rep.get(Metric::WaitMeanS) / 200.0)
        .collect();
    let e = rappel::stats::summarise(&diffs);
    let ab = r.estimate(Metric::AbandonRate).mean;
    assert!(ab > 0.02, "the case must have real abandonment, got {ab}");
    agrees_within(e, 0.0, 0.05 * ab, "abandon_rate - wait_mean/patience");
}

#[test]
fn a_wrong_model_would_be_caught() {
    // The same comparison against theory for a different staffing must fail: the
    // tolerances are sharp enough to tell 100 agents from 102.
    let s = scenario(&Case {
        rate_per_hour: 1140.0,
        handle_s: 300.0,
        agents: 100,
        patience_s: Some(120.0),
        horizon: "2d",
    });
    let r = run_scenario(&s, None, |_| {});
    let wrong = figures(&QueueInput {
        arrival_rate: 1140.0 / 3600.0,
        mean_handle: 300.0,
        agents: 102,
        mean_patience: Some(120.0),
        queue_capacity: None,
        threshold: 20.0,
    })
    .unwrap();
    tells_apart(
        r.estimate(Metric::PWait),
        wrong.p_wait,
        "p_wait of 100 agents against the theory of 102",
    );
}
