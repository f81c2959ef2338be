//! Entry flows and the ticket journey (issue 3): `call_back_later` against Erlang B and
//! M/M/c/K, conservation of calls and tickets on every run, Little's law with redials,
//! resolution, escalation, goodwill, callbacks, announcements, and determinism.
//!
//! Comparisons with theory allow `Z` standard errors of the mean across replications, and
//! each also checks that the standard error is small against the value, so that the
//! tolerance can never be so wide that the test cannot fail.

use crate::common::shipped;
use rappel::analytic::{QueueInput, erlang_b, figures};
use rappel::centre::{Outcome, Ticket, simulate_logged};
use rappel::run::{RunResult, run_scenario};
use rappel::satisfaction::Score;
use rappel::scenario::Scenario;
use rappel::stats::{Counts, Estimate, Metric, ReplicationResult, summarise};

/// Allowed distance between simulation and theory, in standard errors.
const Z: f64 = 4.0;

fn parse(src: &str) -> Scenario {
    Scenario::from_toml(src, "flows.toml").unwrap_or_else(|e| panic!("{e}\n{src}"))
}

fn run(src: &str) -> RunResult {
    run_scenario(&parse(src), None, |_| {})
}

/// Runs replication `rep` of `s`, handing every counted ticket to `f` when it closes (or,
/// still open, at the horizon) with its outcome and that time. The only place that
/// depends on the signature of the ticket log.
fn logged(s: &Scenario, rep: u32, mut f: impl FnMut(&Ticket, Outcome, f64)) -> ReplicationResult {
    let mut log = |t: &Ticket, outcome: Outcome, at: f64, _: Option<&Score>| f(t, outcome, at);
    simulate_logged(s, rep, Some(&mut log))
}

/// `text` with `from` (which must occur exactly once) replaced by `to`.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replacen(from, to, 1)
}

/// Asserts that `e` agrees with `want` within `Z` standard errors, and that its standard
/// error is below `rel` × `want`, so that the comparison is sharp enough to fail.
fn agrees(e: Estimate, want: f64, rel: f64, what: &str) {
    assert!(
        e.std_error.is_finite() && e.std_error < rel * want.abs(),
        "{what}: standard error {} too large to test against {want}",
        e.std_error
    );
    assert!(
        (e.mean - want).abs() <= Z * e.std_error,
        "{what}: simulated {} ± {} (SE), theory {want}, off by {:.1} SE",
        e.mean,
        e.std_error,
        (e.mean - want).abs() / e.std_error
    );
}

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
    let patience = c
        .patience_s
        .map(|p| format!("patience = {{ dist = \"exponential\", mean = {p} }}"))
        .unwrap_or_default();
    format!(
        r#"
name = "theory-loss"
[simulation]
horizon = "{h}"
warmup = "3h"
replications = 20
seed = 23
[arrivals]
rate_per_hour = {r}
[[ticket_types]]
name = "general"
handle_time = {handle}
{patience}
[[teams]]
name = "agents"
agents = {a}
serves = ["general"]
[entry]
flow = "call_back_later"
max_queue = {k}
"#,
        h = c.horizon,
        r = c.rate_per_hour,
        handle = c.handle,
        a = c.agents,
        k = c.max_queue,
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
        assert!(
            (e.mean - b).abs() > Z * e.std_error,
            "{what}: cannot tell {} agents from {other}",
            c.agents
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
    for (a, b) in by_length.replications.iter().zip(&by_wait.replications) {
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
    for (m, want) in pairs {
        agrees(r.estimate(m), want, 0.05, &what(m));
    }
    // A waiting room one place larger or smaller would be told apart by the blocking.
    for k in [c.max_queue - 1, c.max_queue + 1] {
        let other = figures(&QueueInput {
            queue_capacity: Some(k),
            ..input
        })
        .unwrap();
        let e = r.estimate(Metric::RejectedRate);
        assert!(
            (e.mean - other.p_block).abs() > Z * e.std_error,
            "{}: cannot tell a waiting room of {} from {k}",
            what(Metric::RejectedRate),
            c.max_queue
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
    littles_law(&r);
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
    littles_law(&r);
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
    littles_law(&r);
}

// ---------------------------------------------------------------------------------------
// 3. Little's law.
// ---------------------------------------------------------------------------------------

/// Little's law on every replication: the time-average number of callers on the line
/// equals the rate of calls that reached the queue (answered or abandoned: rejected,
/// balked and callback calls never join it) times their mean wait.
///
/// Both sides add up the same waits, so they differ only by the waits cut by the edges of
/// the observed window: callers already waiting at the end of the warm-up (in L, not in
/// W) and callers still waiting at the horizon (in L, not in W). About L callers wait at
/// each edge, for a few minutes more or less, so the gap is about 2 × (a few minutes) / T
/// of L, with T the observed days: 0.1 % or less in the cases here (0.07 % at most
/// measured), so 0.5 % leaves a margin and is still sharp: counting the rejected calls in
/// the rate (they never join the queue) would be off by the blocking, 6 % and 29 % in the
/// M/M/c/K cases without patience. The absolute term covers a nearly empty queue.
fn littles_law(r: &RunResult) {
    let s = &r.scenario.simulation;
    let observed = s.horizon - s.warmup;
    for rep in &r.replications {
        let c = rep.counts;
        let lambda = (c.answered + c.abandoned) as f64 / observed;
        let l = rep.get(Metric::QueueLengthMean);
        let w = rep.get(Metric::WaitMeanS);
        assert!(
            (l - lambda * w).abs() <= 0.005 * l + 1e-3,
            "Little's law (replication {}): L = {l}, lambda W = {}",
            rep.replication,
            lambda * w
        );
    }
}

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
    littles_law(&r);
    // Calls reaching the queue are all offered calls here (no rejection, no balk).
    for rep in &r.replications {
        let c = rep.counts;
        assert_eq!(c.offered, c.answered + c.abandoned + c.calls_open);
    }
}

// ---------------------------------------------------------------------------------------
// 2. Conservation of calls and tickets.
// ---------------------------------------------------------------------------------------

/// What the ticket log saw in one replication: outcomes, and the calls of the journeys.
#[derive(Debug, Default, PartialEq)]
struct Journeys {
    resolved: u64,
    lost: u64,
    open: u64,
    calls: u64,
    rejections: u64,
    balks: u64,
    abandons: u64,
}

/// Checks one ticket's journey for consistency, and adds it to `j`.
fn journey(j: &mut Journeys, t: &Ticket, outcome: Outcome, at: f64, what: &str) {
    match outcome {
        Outcome::Resolved => j.resolved += 1,
        Outcome::Lost => j.lost += 1,
        Outcome::Open => j.open += 1,
    }
    let ended = t.rejections + t.balks + t.abandons;
    let ok = t.attempt >= 1
        && at >= t.created
        && ended <= t.attempt
        && (outcome != Outcome::Resolved || t.conversations >= 1)
        && (!t.goodwill || outcome == Outcome::Resolved)
        && t.unresolved <= t.conversations
        && t.transfers <= t.unresolved
        && t.callbacks_kept + t.callbacks_late + t.callbacks_broken <= t.callbacks_promised
        && t.callbacks_kept + t.callbacks_late <= t.outbound_calls
        && t.wait_total >= 0.0
        && t.wait_worst <= t.wait_total + 1e-9;
    assert!(
        ok,
        "{what}: inconsistent journey ({outcome:?} at {at}): {t:?}"
    );
    j.calls += u64::from(t.attempt);
    j.rejections += u64::from(t.rejections);
    j.balks += u64::from(t.balks);
    j.abandons += u64::from(t.abandons);
}

/// Runs every replication of `s` (serially), logging its tickets, and checks that every
/// counted call and ticket is accounted for, and that every share is a share. Returns the
/// counts added up over the replications.
fn conservation(s: &Scenario, label: &str) -> Counts {
    let mut total = Counts::default();
    for rep in 0..s.simulation.replications {
        let what = format!("{label}, rep {rep}");
        let mut j = Journeys::default();
        let r = logged(s, rep, |t, outcome, at| {
            journey(&mut j, t, outcome, at, &what)
        });
        let around_the_clock = s.day.open == 0.0 && s.day.close == 86_400.0;
        check_replication(&r, (j.resolved, j.lost, j.open), around_the_clock, &what);
        let c = r.counts;
        // Without a warm-up every call belongs to a counted ticket: the journeys hold
        // every call and every way a call ended without an agent.
        if s.simulation.warmup == 0.0 {
            assert_eq!(
                (j.calls, j.rejections, j.balks, j.abandons),
                (c.offered, c.rejected, c.balked, c.abandoned),
                "{what}: journeys (calls, rejections, balks, abandons) differ from the counts"
            );
        }
        total.offered += c.offered;
        total.answered += c.answered;
        total.abandoned += c.abandoned;
        total.rejected += c.rejected;
        total.balked += c.balked;
        total.callbacks_accepted += c.callbacks_accepted;
        total.calls_open += c.calls_open;
        total.tickets += c.tickets;
        total.resolved += c.resolved;
        total.lost += c.lost;
    }
    total
}

fn check_replication(
    r: &ReplicationResult,
    logged: (u64, u64, u64),
    around_the_clock: bool,
    what: &str,
) {
    let c = r.counts;
    let m = |metric: Metric| r.get(metric);
    assert!(c.offered > 0, "{what}: no call offered");
    assert_eq!(
        c.offered,
        c.answered + c.abandoned + c.rejected + c.balked + c.callbacks_accepted + c.calls_open,
        "{what}: calls not accounted for: {c:?}"
    );
    let open_tickets = m(Metric::TicketsOpenAtHorizon);
    assert!(
        open_tickets >= 0.0 && open_tickets <= c.tickets as f64,
        "{what}: {open_tickets} tickets open of {}",
        c.tickets
    );
    assert_eq!(
        c.tickets,
        c.resolved + c.lost + open_tickets as u64,
        "{what}: tickets not accounted for: {c:?}"
    );
    // The ticket log, fed from the tickets themselves, agrees with the counters.
    assert_eq!(
        logged,
        (c.resolved, c.lost, open_tickets as u64),
        "{what}: logged (resolved, lost, open) differ from the counts {c:?}"
    );
    // Each ticket makes exactly one first call; every other counted call is a redial.
    assert_eq!(
        c.offered - m(Metric::Redials) as u64,
        c.tickets,
        "{what}: first calls ≠ tickets"
    );
    assert_eq!(m(Metric::OfferedContacts), c.offered as f64);
    assert_eq!(m(Metric::ContactsOpenAtHorizon), c.calls_open as f64);
    assert_eq!(m(Metric::Tickets), c.tickets as f64);
    assert!(
        c.min_wait >= 0.0 && (c.min_wait.is_finite() || c.answered + c.abandoned == 0),
        "{what}: min_wait {}",
        c.min_wait
    );
    if c.answered + c.abandoned > 0 {
        assert!(
            c.min_wait.is_finite(),
            "{what}: waits recorded, min_wait infinite"
        );
    }
    let ratio = |a: u64, b: u64| a as f64 / b as f64;
    assert_eq!(m(Metric::RejectedRate), ratio(c.rejected, c.offered));
    assert_eq!(m(Metric::BalkRate), ratio(c.balked, c.offered));
    for metric in Metric::ALL {
        let v = m(metric);
        if metric.unit() == "share" && !v.is_nan() {
            assert!(
                (0.0..=1.0).contains(&v),
                "{what}: {} = {v} is not a share",
                metric.name()
            );
        }
        if metric.unit() != "s" || metric == Metric::WaitPredictionBiasS {
            continue;
        }
        assert!(
            v.is_nan() || v >= 0.0,
            "{what}: {} = {v} is negative",
            metric.name()
        );
    }
    let (res, lost) = (m(Metric::ResolvedShare), m(Metric::LostShare));
    assert!(
        res + lost <= 1.0 + 1e-12,
        "{what}: resolved {res} + lost {lost} > 1"
    );
    for (metric, floor) in [
        (Metric::ContactsPerTicket, 1.0),
        (Metric::CallsPerTicket, 1.0),
    ] {
        let v = m(metric);
        assert!(v.is_nan() || v >= floor, "{what}: {} = {v}", metric.name());
    }
    let q = [
        m(Metric::WaitP50S),
        m(Metric::WaitP90S),
        m(Metric::WaitP95S),
        m(Metric::WaitP99S),
    ];
    assert!(
        q.iter().all(|v| v.is_nan()) || q.windows(2).all(|w| w[0] <= w[1]),
        "{what}: wait quantiles out of order {q:?}"
    );
    let (per_ticket, per_resolved) = (m(Metric::CostPerTicket), m(Metric::CostPerResolvedTicket));
    assert!(per_ticket.is_nan() || per_ticket >= 0.0);
    assert!(per_resolved.is_nan() || per_resolved >= per_ticket - 1e-9);
    assert!(m(Metric::QueueLengthMean) >= 0.0);
    // Per interval of the open day, by arrival: the outcomes never exceed the calls
    // offered, and added up they never exceed the run's counts (redials may arrive
    // while the centre is closed, outside every interval); open around the clock, they
    // add up exactly.
    let mut sum = [0u64; 5];
    for (i, cell) in r.intervals.iter().enumerate() {
        let ended = cell.answered + cell.abandoned + cell.rejected + cell.balked;
        assert!(ended <= cell.offered, "{what}: interval {i}: {cell:?}");
        assert!(cell.settled == cell.answered + cell.abandoned);
        for (k, v) in [
            cell.offered,
            cell.answered,
            cell.abandoned,
            cell.rejected,
            cell.balked,
        ]
        .into_iter()
        .enumerate()
        {
            sum[k] += u64::from(v);
        }
    }
    let total = [c.offered, c.answered, c.abandoned, c.rejected, c.balked];
    if around_the_clock {
        assert_eq!(
            sum, total,
            "{what}: intervals (offered, answered, abandoned, rejected, balked)"
        );
    } else {
        assert!(
            sum.iter().zip(&total).all(|(a, b)| a <= b),
            "{what}: intervals {sum:?} > counts {total:?}"
        );
    }
}

#[test]
fn conservation_on_every_shipped_scenario() {
    let files = shipped();
    assert!(files.len() >= 8, "the shipped scenarios are all here");
    for path in files {
        let mut s = Scenario::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
        s.simulation.replications = 3;
        s.simulation.warmup = 0.0;
        let name = path.display().to_string();
        conservation(&s, &name);
        // The same with a warm-up that cuts through the first day: calls and tickets that
        // began before it are left out consistently.
        s.simulation.warmup = s.simulation.horizon.min(86_400.0) * 0.45;
        conservation(&s, &format!("{name} with a warm-up"));
    }
}

/// The day, arrivals and customers of the purpose-built scenarios below: two types with
/// different handle-time and patience distributions, difficulties and priorities, a
/// centre open 08:00 to 18:00 whose warm-up ends mid-interval on the first day.
const MIX_HEAD: &str = r#"
[simulation]
days = 2
warmup = "9h30m"
replications = 4
seed = 5
open = "08:00"
close = "18:00"
interval = "1h"
[arrivals]
rates_per_hour = [60, 90, 120, 130, 100, 90, 110, 130, 80, 50]
[[ticket_types]]
name = "a"
share = 0.6
handle_time = { dist = "lognormal", mean = "5m", cv = 1.2 }
patience = { dist = "exponential", mean = "3m" }
difficulty = 0.2
priority = 1
[[ticket_types]]
name = "b"
share = 0.4
handle_time = { dist = "gamma", mean = "7m", cv = 0.8 }
patience = { dist = "uniform", min = "1m", max = "8m" }
difficulty = 0.5
"#;

/// Small scenarios that together exercise every flow and policy, with a label each.
fn purpose_built() -> Vec<(&'static str, String)> {
    let with = |name: &str, tail: &str| format!("name = \"{name}\"\n{MIX_HEAD}\n{tail}");
    vec![
        (
            "queue, announcements, learning, customers call again",
            with(
                "queue-announce",
                r#"
[[teams]]
name = "front"
agents = [6, 8, 10, 10, 9, 8, 9, 10, 7, 5]
serves = ["a", "b"]
competence = 0.8
competence_spread = 0.1
learning = { initial = 0.4, half_life = 20 }
unresolved = "customer_calls_again"
call_again = { probability = [0.9, 0.5], delay = { dist = "exponential", mean = "1h" } }
cost_per_hour = 25
[entry]
flow = "queue"
announce_wait = true
balk_factor = 1.5
informed_patience_factor = 1.3
redial = { probability = [0.7, 0.4], delay = { dist = "exponential", mean = "10m" } }
"#,
            ),
        ),
        (
            "call back later above a queue length, two teams, longest waiting",
            with(
                "cbl-queue",
                r#"
[[teams]]
name = "generalists"
agents = [4, 5, 6, 6, 5, 5, 6, 6, 4, 3]
serves = ["a", "b"]
routing = "longest_waiting"
competence = 0.6
[[teams]]
name = "billing"
agents = 3
serves = ["b"]
competence = 0.9
speed = 0.8
unresolved = "customer_calls_again"
call_again = { probability = 1.0, delay = { dist = "constant", value = "20m" } }
[entry]
flow = "call_back_later"
max_queue = 2
redial = { probability = [0.8, 0.6, 0.4], delay = { dist = "exponential", mean = "15m" } }
"#,
            ),
        ),
        (
            "call back later above a predicted wait, announced",
            with(
                "cbl-predicted",
                r#"
[[teams]]
name = "agents"
agents = [5, 7, 8, 8, 7, 7, 8, 8, 6, 4]
serves = ["a", "b"]
competence = 0.7
[entry]
flow = "call_back_later"
max_predicted_wait = "90s"
announce_wait = true
balk_factor = 0.8
redial = { probability = 0.6, delay = { dist = "exponential", mean = "20m" } }
"#,
            ),
        ),
        (
            "virtual hold placed by a dedicated team, missed calls",
            with(
                "virtual-hold",
                r#"
[[teams]]
name = "agents"
agents = [6, 7, 8, 8, 7, 7, 8, 8, 6, 4]
serves = ["a", "b"]
competence = 0.75
[[teams]]
name = "outbound"
agents = 2
serves = []
[entry]
flow = "callback"
redial = { probability = 0.5, delay = { dist = "exponential", mean = "30m" } }
[entry.callback]
kind = "virtual_hold"
threshold = "45s"
accept = 0.5
accept_per_minute = 0.05
reach_probability = 0.7
retry_delay = { dist = "exponential", mean = "5m" }
max_attempts = 2
missed_call_time = "20s"
team = "outbound"
priority = -1
[costs]
outbound_call = 0.3
"#,
            ),
        ),
        (
            "virtual hold by the same agents, wait announced",
            with(
                "virtual-hold-same",
                r#"
[[teams]]
name = "agents"
agents = [5, 7, 8, 8, 7, 7, 8, 8, 6, 4]
serves = ["a", "b"]
[entry]
flow = "callback"
announce_wait = true
[entry.callback]
kind = "virtual_hold"
threshold = "1m"
accept = 0.4
reach_probability = 0.8
priority = 2
"#,
            ),
        ),
        (
            "appointments",
            with(
                "appointments",
                r#"
[[teams]]
name = "agents"
agents = [5, 7, 8, 8, 7, 7, 8, 8, 6, 4]
serves = ["a", "b"]
competence = 0.8
unresolved = "customer_calls_again"
[entry]
flow = "callback"
redial = { probability = [0.8, 0.3], delay = { dist = "exponential", mean = "20m" } }
[entry.callback]
kind = "appointment"
threshold = "1m"
accept = 0.7
reach_probability = 0.8
max_attempts = 3
retry_delay = { dist = "constant", value = "4m" }
slot_length = "20m"
slots_per_interval = 4
booking_horizon = "6h"
"#,
            ),
        ),
        (
            "escalation to a tier 2 that promises callbacks placed by tier 1",
            with(
                "escalation",
                r#"
[[teams]]
name = "tier1"
agents = [5, 7, 8, 8, 7, 7, 8, 8, 6, 4]
serves = ["a", "b"]
competence = 0.6
unresolved = "escalate"
escalate_to = "tier2"
transfer_delay = { dist = "uniform", min = "10s", max = "1m" }
[[teams]]
name = "tier2"
agents = [2, 2, 3, 3, 3, 3, 3, 3, 2, 2]
serves = []
competence = 0.7
unresolved = "agent_callback"
agent_callback = { delay = { dist = "exponential", mean = "1h" }, promise = "2h", broken_probability = 0.2, team = "tier1" }
call_again = { probability = 0.7, delay = { dist = "exponential", mean = "3h" } }
[entry]
flow = "queue"
redial = { probability = 0.5, delay = { dist = "exponential", mean = "10m" } }
"#,
            ),
        ),
        (
            "immediate resolution with goodwill, escalating the rest",
            with(
                "immediate",
                r#"
[[teams]]
name = "empowered"
agents = [6, 8, 9, 9, 8, 8, 9, 9, 7, 5]
serves = ["a", "b"]
competence = 0.5
speed = 1.2
resolution = "immediate_resolution"
goodwill_probability = 0.6
goodwill_cost = 20
unresolved = "escalate"
escalate_to = "experts"
cost_per_hour = 30
[[teams]]
name = "experts"
agents = 2
serves = []
competence = 0.9
unresolved = "customer_calls_again"
call_again = { probability = 0.5, delay = { dist = "exponential", mean = "2h" } }
cost_per_hour = 45
[entry]
flow = "queue"
"#,
            ),
        ),
    ]
}

#[test]
fn conservation_on_purpose_built_scenarios() {
    let mut seen = Counts::default();
    for (label, src) in purpose_built() {
        let mut s =
            Scenario::from_toml(&src, "built.toml").unwrap_or_else(|e| panic!("{label}: {e}"));
        let c = conservation(&s, label);
        // Every scenario really exercises its flow.
        let flow_used = match label {
            l if l.starts_with("call back later") => c.rejected > 0,
            l if l.contains("virtual hold") || l == "appointments" => c.callbacks_accepted > 0,
            l if l.contains("announcements") => c.balked > 0,
            // Escalations: more than one conversation per resolved ticket.
            _ => {
                run_scenario(&s, None, |_| {})
                    .estimate(Metric::ContactsPerTicket)
                    .mean
                    > 1.1
            }
        };
        assert!(flow_used, "{label}: the flow is never used: {c:?}");
        seen.rejected += c.rejected;
        seen.balked += c.balked;
        seen.callbacks_accepted += c.callbacks_accepted;
        seen.abandoned += c.abandoned;
        seen.calls_open += c.calls_open;
        seen.lost += c.lost;
        // The same without warm-up, running past midnight into a closed night.
        s.simulation.warmup = 0.0;
        s.simulation.horizon = 86_400.0 + 11.0 * 3600.0;
        conservation(&s, &format!("{label}, no warm-up, cut mid-morning"));
        // Open around the clock in ten intervals of 144 minutes (slots of 16 minutes), so
        // that every call falls in an interval and the interval figures add up exactly.
        let src = replace_once(
            &src,
            "open = \"08:00\"\nclose = \"18:00\"\ninterval = \"1h\"",
            "interval = \"144m\"",
        )
        .replace("slot_length = \"20m\"", "slot_length = \"16m\"");
        let s = Scenario::from_toml(&src, "built.toml").unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(s.day.intervals(), 10);
        conservation(&s, &format!("{label}, around the clock"));
    }
    // Together the scenarios produce every outcome of a call and a ticket.
    for (what, n) in [
        ("rejected", seen.rejected),
        ("balked", seen.balked),
        ("callbacks accepted", seen.callbacks_accepted),
        ("abandoned", seen.abandoned),
        ("open at the horizon", seen.calls_open),
        ("lost tickets", seen.lost),
    ] {
        assert!(
            n > 0,
            "no call or ticket {what} in any purpose-built scenario"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 4. Behaviour.
// ---------------------------------------------------------------------------------------

/// A single-team centre at 83 % load, callers who abandon and redial, with `team`
/// keys added to the team and `entry` to the entry table.
fn centre(team: &str, entry: &str, difficulty: f64) -> String {
    format!(
        r#"
name = "behaviour"
[simulation]
horizon = "3d"
warmup = "2h"
replications = 10
seed = 41
[arrivals]
rate_per_hour = 100
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "5m" }}
patience = {{ dist = "exponential", mean = "4m" }}
difficulty = {difficulty}
[[teams]]
name = "agents"
agents = 10
serves = ["general"]
{team}
[entry]
redial = {{ probability = 0.5, delay = {{ dist = "exponential", mean = "15m" }} }}
{entry}
"#
    )
}

#[test]
fn perfect_agents_resolve_every_ticket_at_first_contact() {
    let r = run(&centre("competence = 1.0", "flow = \"queue\"", 0.0));
    for rep in &r.replications {
        assert_eq!(rep.get(Metric::FcrRate), 1.0);
        assert_eq!(rep.get(Metric::ContactsPerTicket), 1.0);
        // Some tickets are lost, by callers who gave up before reaching an agent: they
        // count in neither fcr_rate nor contacts_per_ticket.
        assert!(rep.counts.lost > 0, "the case must have lost tickets");
    }
    // The same agents on a hard problem (difficulty 0.5) resolve only about half of them.
    let hard = run(&centre("competence = 1.0", "flow = \"queue\"", 0.5));
    assert!(hard.estimate(Metric::FcrRate).mean < 0.6);
}

#[test]
fn first_contact_resolution_follows_competence_and_difficulty() {
    // Customers never call again, so every ticket closes right after its first
    // conversation: fcr_rate estimates competence × (1 − difficulty) = 0.8 × 0.75.
    let r = run(&centre(
        "competence = 0.8\ncall_again = { probability = 0.0, delay = { dist = \"constant\", value = \"1h\" } }",
        "flow = \"queue\"",
        0.25,
    ));
    agrees(r.estimate(Metric::FcrRate), 0.6, 0.02, "fcr_rate");
    for rep in &r.replications {
        assert_eq!(rep.get(Metric::ContactsPerTicket), 1.0);
    }
}

#[test]
fn learning_agents_start_at_their_initial_competence() {
    // A half-life far beyond the run keeps every agent at the initial competence.
    let r = run(&centre(
        "competence = 0.9\nlearning = { initial = 0.3, half_life = 1e8 }\ncall_again = { probability = 0.0, delay = { dist = \"constant\", value = \"1h\" } }",
        "flow = \"queue\"",
        0.0,
    ));
    agrees(r.estimate(Metric::FcrRate), 0.3, 0.03, "fcr_rate");
}

#[test]
fn immediate_resolution_with_certain_goodwill_resolves_everything_at_once() {
    let r = run(&centre(
        "competence = 0.5\nresolution = \"immediate_resolution\"\ngoodwill_probability = 1.0\ngoodwill_cost = 10",
        "flow = \"queue\"",
        0.0,
    ));
    let shares: Vec<f64> = r
        .replications
        .iter()
        .map(|rep| {
            assert_eq!(rep.get(Metric::FcrRate), 1.0);
            assert_eq!(rep.get(Metric::ContactsPerTicket), 1.0);
            let cost = rep.get(Metric::CostPerTicket);
            assert!(cost > 0.0, "goodwill costs something");
            // No staffing cost: cost = 10 × gestures, and one conversation in two needs a
            // gesture (competence 0.5). Gestures are counted by their time, tickets by
            // their creation: the few tickets that straddle the 2-hour warm-up are
            // negligible against the standard error.
            let gestures = cost * rep.counts.tickets as f64 / 10.0;
            assert!((gestures - gestures.round()).abs() < 1e-6 * gestures);
            gestures / rep.counts.resolved as f64
        })
        .collect();
    agrees(
        summarise(&shares),
        0.5,
        0.02,
        "goodwill gestures per resolved ticket",
    );
    // Without goodwill cost, the same centre costs nothing.
    let free = run(&centre(
        "competence = 0.5\nresolution = \"immediate_resolution\"\ngoodwill_probability = 1.0",
        "flow = \"queue\"",
        0.0,
    ));
    assert_eq!(free.estimate(Metric::CostPerTicket).mean, 0.0);
    assert_eq!(free.estimate(Metric::FcrRate).mean, 1.0);
}

#[test]
fn escalation_takes_more_than_one_conversation() {
    // Tier 1 resolves half; tier 2 resolves all it receives, so a resolved ticket takes
    // 1 + 0.5 conversations on average, and the customer on hold never abandons.
    let src = centre(
        "competence = 0.5\nunresolved = \"escalate\"\nescalate_to = \"tier2\"\ntransfer_delay = { dist = \"constant\", value = \"30s\" }",
        "flow = \"queue\"",
        0.0,
    ) + "[[teams]]\nname = \"tier2\"\nagents = 6\nserves = []\ncompetence = 1.0\n";
    let r = run(&src);
    let e = r.estimate(Metric::ContactsPerTicket);
    assert!(e.mean > 1.0);
    agrees(e, 1.5, 0.02, "conversations per resolved ticket");
    agrees(
        r.estimate(Metric::FcrRate),
        0.5,
        0.03,
        "fcr_rate with escalation",
    );
}

/// The closed tickets of every replication of `src`, as (failed calls, unresolved
/// conversations, calls, lost), each distinct one once.
fn closed_journeys(src: &str) -> std::collections::BTreeSet<(u32, u32, u32, bool)> {
    let s = parse(src);
    let mut kinds = std::collections::BTreeSet::new();
    for rep in 0..s.simulation.replications {
        logged(&s, rep, |t, outcome, _| {
            if outcome != Outcome::Open {
                let failed = t.rejections + t.balks + t.abandons;
                kinds.insert((failed, t.unresolved, t.attempt, outcome == Outcome::Lost));
            }
        });
    }
    kinds
}

#[test]
fn redial_probabilities_apply_per_failed_call() {
    // Call back later with nobody waiting (5 agents, 10 erlangs), perfect agents: after
    // a first rejection the caller always redials, after a second never.
    let kinds = closed_journeys(
        r#"
name = "redial-per-attempt"
[simulation]
horizon = "3d"
replications = 2
seed = 47
[arrivals]
rate_per_hour = 120
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "5m" }
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
[entry]
flow = "call_back_later"
max_queue = 0
redial = { probability = [1.0, 0.0], delay = { dist = "exponential", mean = "10m" } }
"#,
    );
    // (rejections, unresolved, calls, lost): answered at the 1st call, answered at the
    // 2nd, rejected twice and lost; never a 3rd call.
    let want = [(0, 0, 1, false), (1, 0, 2, false), (2, 0, 2, true)];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), want);
}

// Regression: at b11d37a `failed_call` indexed the redial probabilities by every inbound
// call of the ticket (answered ones included), so a customer answered but left unresolved,
// who called again and was rejected for the first time, redialed with the 2nd probability.
#[test]
fn redial_probabilities_count_only_failed_calls() {
    // Rejected above zero waiting (5 agents, 10 erlangs); agents resolve one ticket in
    // two and the customer always calls again; after a 1st failed call the caller always
    // redials, after a 2nd never. So a ticket is lost only after two rejections.
    let s = parse(
        r#"
name = "redial-counts-failures"
[simulation]
horizon = "3d"
replications = 2
seed = 59
[arrivals]
rate_per_hour = 120
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "5m" }
[[teams]]
name = "agents"
agents = 5
serves = ["general"]
competence = 0.5
unresolved = "customer_calls_again"
call_again = { probability = 1.0, delay = { dist = "exponential", mean = "30m" } }
[entry]
flow = "call_back_later"
max_queue = 0
redial = { probability = [1.0, 0.0], delay = { dist = "exponential", mean = "10m" } }
"#,
    );
    let mut mixed = 0;
    for rep in 0..s.simulation.replications {
        logged(&s, rep, |t, outcome, _| {
            mixed += u32::from(t.unresolved >= 1 && t.rejections >= 1);
            if outcome == Outcome::Lost {
                assert_eq!(
                    t.rejections, 2,
                    "lost after {} rejection(s): {t:?}",
                    t.rejections
                );
            }
        });
    }
    assert!(
        mixed > 100,
        "tickets both rejected and left unresolved: {mixed}"
    );
}

#[test]
fn call_again_probabilities_apply_per_unresolved_conversation() {
    // Patient callers (nobody fails to reach an agent), agents who resolve one ticket
    // in two: left unresolved once, the customer always calls again; twice, never.
    let kinds = closed_journeys(
        r#"
name = "call-again-per-attempt"
[simulation]
horizon = "3d"
replications = 2
seed = 53
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "5m" }
[[teams]]
name = "agents"
agents = 10
serves = ["general"]
competence = 0.5
unresolved = "customer_calls_again"
call_again = { probability = [1.0, 0.0], delay = { dist = "exponential", mean = "30m" } }
"#,
    );
    // (failed calls, unresolved, calls, lost): resolved at the 1st conversation, at the
    // 2nd, or unresolved twice and lost; never a 3rd call.
    let want = [(0, 0, 1, false), (0, 1, 2, false), (0, 2, 2, true)];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn virtual_hold_acceptance_matches_the_configured_probability() {
    let r = run(&centre(
        "competence = 1.0",
        "flow = \"callback\"\n[entry.callback]\nkind = \"virtual_hold\"\nthreshold = \"30s\"\naccept = 0.4\naccept_per_minute = 0.0\nreach_probability = 1.0",
        0.0,
    ));
    assert!(r.estimate(Metric::CallbacksOffered).mean > 100.0);
    agrees(
        r.estimate(Metric::CallbacksAcceptedShare),
        0.4,
        0.05,
        "callbacks_accepted_share",
    );
    // A callback that always reaches the customer is never broken.
    assert_eq!(r.estimate(Metric::CallbacksBrokenShare).mean, 0.0);
    // The more minutes of predicted wait, the likelier the acceptance.
    let eager = run(&centre(
        "competence = 1.0",
        "flow = \"callback\"\n[entry.callback]\nkind = \"virtual_hold\"\nthreshold = \"30s\"\naccept = 0.4\naccept_per_minute = 0.2\nreach_probability = 1.0",
        0.0,
    ));
    assert!(
        eager.estimate(Metric::CallbacksAcceptedShare).mean
            > r.estimate(Metric::CallbacksAcceptedShare).mean + 0.05
    );
}

#[test]
fn announcements_make_callers_balk_under_overload() {
    // 14 erlangs offered to 10 agents.
    let overload = |entry: &str| {
        replace_once(
            &centre("competence = 1.0", entry, 0.0),
            "rate_per_hour = 100",
            "rate_per_hour = 170",
        )
    };
    let told = run(&overload(
        "flow = \"queue\"\nannounce_wait = true\nbalk_factor = 1.0",
    ));
    let b = told.estimate(Metric::BalkRate);
    assert!(b.mean > 0.05, "balk_rate {} under overload", b.mean);
    assert!(b.std_error < 0.1 * b.mean);
    let silent = run(&overload("flow = \"queue\""));
    for rep in &silent.replications {
        assert_eq!(rep.get(Metric::BalkRate), 0.0);
        assert_eq!(rep.counts.balked, 0);
    }
    // A caller who hears a long wait and stays is one who would rather wait.
    assert!(told.estimate(Metric::AbandonRate).mean < silent.estimate(Metric::AbandonRate).mean);
}

#[test]
fn predicted_wait_is_unbiased_in_erlang_c() {
    // M/M/c, first come first served: a caller who finds n others waiting waits for n + 1
    // departures of c busy agents, (n + 1) × mean handle / c on average, which is the
    // predictor's formula; so predicted minus actual wait averages 0 over the delayed
    // calls that were answered. Forgetting the caller's own place would be 6 s off.
    let r = run(r#"
name = "predictor"
[simulation]
horizon = "3d"
warmup = "3h"
replications = 12
seed = 43
[arrivals]
rate_per_hour = 540
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "300s" }
[[teams]]
name = "agents"
agents = 50
serves = ["general"]
[entry]
flow = "queue"
"#);
    let e = r.estimate(Metric::WaitPredictionBiasS);
    assert!(e.std_error < 1.5, "standard error {} s", e.std_error);
    assert!(
        e.mean.abs() <= Z * e.std_error,
        "prediction bias {} ± {} s",
        e.mean,
        e.std_error
    );
    assert!(r.estimate(Metric::WaitPredictionMaeS).mean > 10.0);
}

fn appointments(reach: f64, slots_per_interval: u32) -> String {
    centre(
        "competence = 1.0",
        &format!(
            "flow = \"callback\"\n[entry.callback]\nkind = \"appointment\"\nthreshold = \"30s\"\naccept = 0.6\nreach_probability = {reach}\nmax_attempts = 1\nslot_length = \"15m\"\nslots_per_interval = {slots_per_interval}\nbooking_horizon = \"3h\""
        ),
        0.0,
    )
}

#[test]
fn appointments_that_always_reach_the_customer_are_never_broken() {
    // A crowded book (4 appointments per half hour): appointments are booked hours ahead.
    let r = run(&appointments(1.0, 4));
    for rep in &r.replications {
        assert!(rep.counts.callbacks_accepted > 100, "appointments booked");
        assert_eq!(rep.get(Metric::CallbacksBrokenShare), 0.0);
    }
    // With a single attempt that reaches one customer in two, half of the promises are
    // broken. With room in the book every appointment is in the next slot (at most 15
    // minutes ahead), so the promises still pending at the horizon (about 15 minutes of
    // 3 days, 0.3 %) bias the share by less than a standard error.
    let half = run(&appointments(0.5, 40));
    agrees(
        half.estimate(Metric::CallbacksBrokenShare),
        0.5,
        0.05,
        "callbacks_broken_share",
    );
}

#[test]
fn agent_callbacks_are_broken_at_the_configured_rate() {
    let r = run(&centre(
        "competence = 0.6\nunresolved = \"agent_callback\"\nagent_callback = { delay = { dist = \"exponential\", mean = \"10m\" }, promise = \"20m\", broken_probability = 0.3 }\ncall_again = { probability = 0.0, delay = { dist = \"constant\", value = \"1h\" } }",
        "flow = \"queue\"",
        0.0,
    ));
    agrees(
        r.estimate(Metric::CallbacksBrokenShare),
        0.3,
        0.05,
        "callbacks_broken_share",
    );
    // A kept agent callback is another conversation with the team (which resolves 60 %).
    assert!(r.estimate(Metric::ContactsPerTicket).mean > 1.1);
}

// ---------------------------------------------------------------------------------------
// 5. Determinism.
// ---------------------------------------------------------------------------------------

fn same_results(src: &str) {
    let s = parse(src);
    let one = run_scenario(&s, Some(1), |_| {});
    let two = run_scenario(&s, Some(2), |_| {});
    assert_eq!(one.replications.len(), two.replications.len());
    for (a, b) in one.replications.iter().zip(&two.replications) {
        assert_eq!(a.replication, b.replication);
        for m in Metric::ALL {
            let (x, y) = (a.get(m), b.get(m));
            assert!(
                x.to_bits() == y.to_bits(),
                "{} differs (rep {}): {x} vs {y}",
                m.name(),
                a.replication
            );
        }
        assert_eq!(a.counts, b.counts);
        assert_eq!(a.events, b.events);
        assert_eq!(a.intervals, b.intervals);
    }
    // The replications differ from one another (the streams depend on the replication).
    assert_ne!(
        one.replications[0].counts, one.replications[1].counts,
        "replications are not copies"
    );
}

#[test]
fn callback_flow_is_deterministic_across_threads() {
    let (_, src) = purpose_built()
        .into_iter()
        .find(|(_, s)| s.contains("name = \"virtual-hold\""))
        .unwrap();
    same_results(&src);
    let (_, src) = purpose_built()
        .into_iter()
        .find(|(_, s)| s.contains("name = \"appointments\""))
        .unwrap();
    same_results(&src);
}

#[test]
fn escalation_is_deterministic_across_threads() {
    let (_, src) = purpose_built()
        .into_iter()
        .find(|(_, s)| s.contains("name = \"escalation\""))
        .unwrap();
    same_results(&src);
}

// ---------------------------------------------------------------------------------------
// Callbacks placed by a named team.
// ---------------------------------------------------------------------------------------

/// Every call that finds the 10 agents busy accepts a virtual-hold callback, placed by a
/// dedicated team of 3 that takes no calls (about 1.7 erlangs of callbacks).
const DEDICATED_CALLBACK_TEAM: &str = r#"
name = "dedicated-callback-team"
[simulation]
horizon = "1d"
replications = 4
seed = 3
[arrivals]
rate_per_hour = 110
[[ticket_types]]
name = "general"
handle_time = { dist = "exponential", mean = "5m" }
patience = { dist = "exponential", mean = "4m" }
[[teams]]
name = "agents"
agents = 10
serves = ["general"]
[[teams]]
name = "outbound"
agents = 3
serves = []
[entry]
flow = "callback"
[entry.callback]
kind = "virtual_hold"
threshold = "0s"
accept = 1.0
reach_probability = 1.0
team = "outbound"
"#;

// Regression: at b11d37a an accepted virtual-hold callback for a dedicated team was pushed
// into that team's queue without waking an idle agent; idle, the team never looked at its
// queue again, so no callback was ever placed and every accepted ticket stayed open.
#[test]
fn virtual_hold_callbacks_reach_an_idle_dedicated_team() {
    let r = run(DEDICATED_CALLBACK_TEAM);
    for rep in &r.replications {
        let c = rep.counts;
        assert!(c.callbacks_accepted > 200, "callbacks accepted: {c:?}");
        // Only the few callbacks still queued or under way at the horizon stay open.
        assert!(
            rep.get(Metric::TicketsOpenAtHorizon) < 0.02 * c.tickets as f64,
            "rep {}: {} of {} tickets open at the horizon, {} callbacks accepted",
            rep.replication,
            rep.get(Metric::TicketsOpenAtHorizon),
            c.tickets,
            c.callbacks_accepted
        );
    }
}

/// Mean time to resolution of the tickets whose caller accepted a callback, replication 0.
fn callback_resolution_time(src: &str) -> f64 {
    let s = parse(src);
    let (mut sum, mut n) = (0.0, 0u32);
    logged(&s, 0, |t, outcome, at| {
        if outcome == Outcome::Resolved && t.callbacks_promised > 0 {
            sum += at - t.created;
            n += 1;
        }
    });
    assert!(n > 500, "{n} callback tickets resolved");
    sum / f64::from(n)
}

fn callback_priority(team: &str, priority: i32) -> String {
    format!(
        r#"
name = "callback-priority"
[simulation]
horizon = "2d"
replications = 1
seed = 3
[arrivals]
rate_per_hour = 118
[[ticket_types]]
name = "general"
handle_time = {{ dist = "exponential", mean = "5m" }}
patience = {{ dist = "exponential", mean = "10m" }}
[[teams]]
name = "agents"
agents = 10
serves = ["general"]
[entry]
flow = "callback"
[entry.callback]
kind = "virtual_hold"
threshold = "0s"
accept = 0.3
reach_probability = 1.0
priority = {priority}
{team}
"#
    )
}

#[test]
fn callback_priority_orders_callbacks_against_calls() {
    // Below the calls, a callback waits for a lull; above them, it is placed first.
    let low = callback_resolution_time(&callback_priority("", -100));
    let high = callback_resolution_time(&callback_priority("", 100));
    assert!(low > 1.5 * high, "low {low} s, high {high} s");
}

#[test]
fn callback_priority_applies_when_the_callback_team_also_takes_calls() {
    let team = "team = \"agents\"";
    let low = callback_resolution_time(&callback_priority(team, -100));
    let high = callback_resolution_time(&callback_priority(team, 100));
    assert!(low > 1.5 * high, "low {low} s, high {high} s");
}
