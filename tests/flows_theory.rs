//! Entry flows against queueing theory (issue 3): `call_back_later` as a loss system
//! (Erlang B) and as M/M/c/K(+M), Little's law with redials, and the predicted wait in
//! Erlang C. Comparisons go through the theory harness of `theory.rs`.

use crate::common::{kept, parse, replace_once, run};
use crate::fixtures::{self, exponential, small_centre};
use crate::theory::{
    agrees, agrees_within, littles_law_with_queue_joining_rate, matches_theory, tells_apart,
};
use rappel::analytic::{QueueInput, erlang_b, figures};
use rappel::run::{RunResult, run_scenario};
use rappel::scenario::Scenario;
use rappel::stats::Metric;

// ---------------------------------------------------------------------------------------
// 1. Theory: call_back_later as a loss system (Erlang B) and as M/M/c/K(+M).
// ---------------------------------------------------------------------------------------

/// One team, one type, Poisson arrivals, `call_back_later` at `max_queue`, no redials.
struct Loss {
    rate_per_hour: f64,
    /// The handle-time distribution as a TOML inline table.
    handle: &'static str,
    mean_handle_s: f64,
    agents: u32,
    max_queue: u32,
    patience_s: Option<f64>,
    horizon: &'static str,
}

fn loss_scenario(c: &Loss) -> Scenario {
    parse(&loss_text(c))
}

fn loss_text(c: &Loss) -> String {
    fixtures::loss(
        c.rate_per_hour,
        c.handle,
        c.agents,
        c.max_queue,
        c.patience_s,
        c.horizon,
    )
}

/// Erlang B: blocking (rejected / offered) against `erlang_b`, and sharp enough that one
/// agent more or fewer would be told apart.
fn erlang_b_case(c: &Loss) {
    assert_eq!(c.max_queue, 0);
    let r = run_scenario(&loss_scenario(c), None, |_| {});
    let load = c.rate_per_hour / 3600.0 * c.mean_handle_s;
    let want = erlang_b(load, c.agents);
    let e = r.estimate(Metric::RejectedRate);
    let what = format!("blocking, {load} erlangs on {} agents", c.agents);
    agrees(e, want, 0.05, &what);
    for other in [c.agents - 1, c.agents + 1] {
        let b = erlang_b(load, other);
        tells_apart(
            e,
            b,
            &format!("{what}: {} agents against {other}", c.agents),
        );
    }
    // Nobody waits in a loss system, and every admitted call is answered at once.
    assert_eq!(r.estimate(Metric::QueueLengthMean).mean, 0.0);
    assert_eq!(r.estimate(Metric::WaitMeanS).mean, 0.0);
    assert_eq!(r.estimate(Metric::PWait).mean, 0.0);
    // Carried load = offered × (1 − B): occupancy = a (1 − B) / c.
    let occupancy = load * (1.0 - want) / f64::from(c.agents);
    agrees(
        r.estimate(Metric::Occupancy),
        occupancy,
        0.05,
        &format!("{what}: occupancy"),
    );
}

#[test]
fn erlang_b_ten_agents_eight_erlangs() {
    erlang_b_case(&Loss {
        rate_per_hour: 96.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 10,
        max_queue: 0,
        patience_s: None,
        horizon: "20d",
    });
}

#[test]
fn erlang_b_with_a_predicted_wait_threshold_of_zero() {
    // "The threshold 0 means never queue": a zero predicted-wait threshold turns away
    // every caller who finds all agents busy, exactly as max_queue = 0 does (same
    // customers, same seed: the very same replications).
    let c = Loss {
        rate_per_hour: 96.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 10,
        max_queue: 0,
        patience_s: None,
        horizon: "20d",
    };
    let by_length = run_scenario(&loss_scenario(&c), None, |_| {});
    let text = replace_once(
        &loss_text(&c),
        "max_queue = 0",
        "max_predicted_wait = \"0s\"",
    );
    let by_wait = run(&text);
    for (a, b) in kept(&by_length).iter().zip(&kept(&by_wait)) {
        assert_eq!(a.counts, b.counts);
    }
    agrees(
        by_wait.estimate(Metric::RejectedRate),
        erlang_b(8.0, 10),
        0.05,
        "blocking with max_predicted_wait = 0",
    );
}

#[test]
fn erlang_b_fifty_agents_at_full_load() {
    erlang_b_case(&Loss {
        rate_per_hour: 600.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 50,
        max_queue: 0,
        patience_s: None,
        horizon: "5d",
    });
}

#[test]
fn erlang_b_two_agents() {
    erlang_b_case(&Loss {
        rate_per_hour: 12.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 2,
        max_queue: 0,
        patience_s: None,
        horizon: "60d",
    });
}

#[test]
fn erlang_b_is_insensitive_to_lognormal_handle_times() {
    // Blocking of M/G/c/c depends on the handle time only through its mean.
    erlang_b_case(&Loss {
        rate_per_hour: 96.0,
        handle: r#"{ dist = "lognormal", mean = "300s", cv = 1.5 }"#,
        mean_handle_s: 300.0,
        agents: 10,
        max_queue: 0,
        patience_s: None,
        horizon: "20d",
    });
    erlang_b_case(&Loss {
        rate_per_hour: 600.0,
        handle: r#"{ dist = "lognormal", mean = "5m", cv = 1.5 }"#,
        mean_handle_s: 300.0,
        agents: 50,
        max_queue: 0,
        patience_s: None,
        horizon: "5d",
    });
}

/// M/M/c/K(+M): blocking, and p_wait, mean wait and abandonment among admitted calls.
fn mmck_case(c: &Loss) -> RunResult {
    let r = run_scenario(&loss_scenario(c), None, |_| {});
    let input = QueueInput {
        arrival_rate: c.rate_per_hour / 3600.0,
        mean_handle: c.mean_handle_s,
        agents: c.agents,
        mean_patience: c.patience_s,
        queue_capacity: Some(c.max_queue),
        threshold: 20.0,
    };
    let theory = figures(&input).expect("theory computable");
    let what = |m: Metric| {
        format!(
            "{} (M/M/{}/{}, patience {:?})",
            m.name(),
            c.agents,
            c.max_queue,
            c.patience_s
        )
    };
    let mut pairs = vec![
        (Metric::RejectedRate, theory.p_block),
        (Metric::PWait, theory.p_wait),
        (Metric::WaitMeanS, theory.wait_mean_s),
        (Metric::AsaS, theory.asa_s),
        (Metric::QueueLengthMean, theory.queue_length_mean),
        (Metric::Occupancy, theory.occupancy),
        (Metric::ServiceLevel, theory.service_level),
    ];
    if c.patience_s.is_some() {
        pairs.push((Metric::AbandonRate, theory.p_abandon));
    } else {
        assert_eq!(r.estimate(Metric::AbandonRate).mean, 0.0);
    }
    matches_theory(&r, &pairs, |want| 0.05 * want.abs(), what);
    // A waiting room one place larger or smaller would be told apart by the blocking.
    for k in [c.max_queue - 1, c.max_queue + 1] {
        let other = figures(&QueueInput {
            queue_capacity: Some(k),
            ..input
        })
        .unwrap();
        tells_apart(
            r.estimate(Metric::RejectedRate),
            other.p_block,
            &format!(
                "{}: a waiting room of {} against {k}",
                what(Metric::RejectedRate),
                c.max_queue
            ),
        );
    }
    r
}

#[test]
fn mmck_ten_agents_five_places() {
    let r = mmck_case(&Loss {
        rate_per_hour: 108.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 10,
        max_queue: 5,
        patience_s: None,
        horizon: "20d",
    });
    littles_law_with_queue_joining_rate(&r);
}

#[test]
fn mmck_overloaded_small_team() {
    // 4 erlangs offered to 3 agents: stable only because the waiting room is bounded.
    let r = mmck_case(&Loss {
        rate_per_hour: 48.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 3,
        max_queue: 4,
        patience_s: None,
        horizon: "40d",
    });
    littles_law_with_queue_joining_rate(&r);
}

#[test]
fn mmck_with_exponential_patience() {
    // M/M/c/K+M: 11 erlangs on 10 agents, 8 places, mean patience 3 minutes.
    let r = mmck_case(&Loss {
        rate_per_hour: 132.0,
        handle: r#"{ dist = "exponential", mean = "300s" }"#,
        mean_handle_s: 300.0,
        agents: 10,
        max_queue: 8,
        patience_s: Some(180.0),
        horizon: "20d",
    });
    littles_law_with_queue_joining_rate(&r);
}

// ---------------------------------------------------------------------------------------
// 2. Little's law.
// ---------------------------------------------------------------------------------------

#[test]
fn littles_law_with_redials_and_customers_calling_again() {
    let r = run(r#"
name = "little"
[simulation]
horizon = "4d"
warmup = "4h"
replications = 6
seed = 31
[arrivals]
rate_per_hour = 170
[[ticket_types]]
name = "a"
share = 0.7
handle_time = { dist = "lognormal", mean = "4m", cv = 1.2 }
patience = { dist = "exponential", mean = "3m" }
difficulty = 0.2
[[ticket_types]]
name = "b"
share = 0.3
handle_time = { dist = "exponential", mean = "6m" }
patience = { dist = "exponential", mean = "5m" }
difficulty = 0.5
[[teams]]
name = "agents"
agents = 16
serves = ["a", "b"]
competence = 0.7
unresolved = "customer_calls_again"
call_again = { probability = 0.8, delay = { dist = "exponential", mean = "30m" } }
[entry]
flow = "queue"
redial = { probability = [0.7, 0.5], delay = { dist = "exponential", mean = "5m" } }
"#);
    // The case must really have redials, calls after unresolved contacts and a queue.
    let e = |m| r.estimate(m).mean;
    assert!(e(Metric::Redials) > 0.2 * e(Metric::OfferedContacts));
    assert!(e(Metric::FcrRate) < 0.8);
    assert!(e(Metric::QueueLengthMean) > 1.0);
    assert!(e(Metric::AbandonRate) > 0.02);
    littles_law_with_queue_joining_rate(&r);
    // Calls reaching the queue are all offered calls here (no rejection, no balk).
    for rep in &kept(&r) {
        let c = rep.counts;
        assert_eq!(c.offered, c.answered + c.abandoned + c.calls_open);
    }
}

#[test]
fn predicted_wait_is_unbiased_in_erlang_c() {
    // M/M/c, first come first served: a caller who finds n others waiting waits for n + 1
    // departures of c busy agents, (n + 1) × mean handle / c on average, which is the
    // predictor's formula; so predicted minus actual wait averages 0 over the delayed
    // calls that were answered. Forgetting the caller's own place would be 6 s off.
    let r = run(
        &small_centre("predictor", 50, 540, &exponential("300s"), None)
            .simulation("horizon = \"3d\"\nwarmup = \"3h\"\nreplications = 12\nseed = 43")
            .entry("flow = \"queue\"")
            .toml(),
    );
    let e = r.estimate(Metric::WaitPredictionBiasS);
    agrees_within(e, 0.0, 1.5, "prediction bias (s)");
    assert!(r.estimate(Metric::WaitPredictionMaeS).mean > 10.0);
}
