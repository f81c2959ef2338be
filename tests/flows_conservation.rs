//! Entry flows and the ticket journey (issue 3): conservation of calls and tickets on
//! every shipped scenario and on purpose-built ones that exercise every flow and policy,
//! and determinism of those flows across threads.

use crate::common::{logged, parse, replace_once, shipped};
use rappel::centre::{Outcome, Ticket};
use rappel::run::{run_scenario, simulate_replications};
use rappel::scenario::Scenario;
use rappel::stats::{Counts, Metric, ReplicationResult};

// ---------------------------------------------------------------------------------------
// 1. Conservation of calls and tickets.
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
    /// Tickets of message types: they write, they make no call.
    written: u64,
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
    if t.written {
        j.written += 1;
    } else {
        j.calls += u64::from(t.attempt);
    }
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
        let whole_days = (s.simulation.horizon / 86_400.0).fract() == 0.0;
        check_replication(
            &r,
            (j.resolved, j.lost, j.open),
            (around_the_clock, whole_days),
            j.written,
            &what,
        );
        let c = r.counts;
        // Without a warm-up every call belongs to a counted ticket: the journeys hold
        // every call and every way a call ended without an agent.
        // Calls made during the drain after the horizon are in the journeys but not in the
        // counts: exact when nothing was left to drain.
        if s.simulation.warmup == 0.0 {
            let journeys = (j.calls, j.rejections, j.balks, j.abandons);
            let counts = (c.offered, c.rejected, c.balked, c.abandoned);
            if r.get(Metric::DrainS) == 0.0 {
                assert_eq!(
                    journeys, counts,
                    "{what}: journeys (calls, rejections, balks, abandons) differ from the counts"
                );
            } else {
                assert!(
                    journeys.0 >= counts.0
                        && journeys.1 >= counts.1
                        && journeys.2 >= counts.2
                        && journeys.3 >= counts.3,
                    "{what}: journeys {journeys:?} hold fewer calls than the counts {counts:?}"
                );
            }
        }
        total.offered += c.offered;
        total.answered += c.answered;
        total.abandoned += c.abandoned;
        total.rejected += c.rejected;
        total.balked += c.balked;
        total.closed_made += c.closed_made;
        total.disconnected += c.disconnected;
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
    (around_the_clock, whole_days): (bool, bool),
    written: u64,
    what: &str,
) {
    let c = r.counts;
    let m = |metric: Metric| r.get(metric);
    assert!(c.offered > 0, "{what}: no call offered");
    assert_eq!(
        c.offered,
        c.answered
            + c.abandoned
            + c.rejected
            + c.balked
            + c.closed_made
            + c.disconnected
            + c.callbacks_accepted
            + c.calls_open,
        "{what}: calls not accounted for: {c:?}"
    );
    // The same account as shares of offered calls, as summary.csv gives it.
    let shares: f64 = Metric::OUTCOMES.into_iter().map(m).sum();
    assert!(
        (shares - 1.0).abs() < 1e-12,
        "{what}: outcome shares sum to {shares}"
    );
    if around_the_clock {
        assert_eq!(
            c.closed_made + c.disconnected,
            0,
            "{what}: closed calls around the clock"
        );
    }
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
    // Each ticket makes exactly one first call (a message type's writes instead); every
    // other counted call is a redial.
    assert_eq!(
        c.offered - m(Metric::Redials) as u64,
        c.tickets - written,
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
    // Per interval of the open day, by arrival: each interval's calls end in exactly one
    // outcome (the drain settles every call waiting at the horizon); the calls made while
    // closed are kept in the first and last intervals of their day; added up they give the
    // run's counts exactly when the run is whole days (a horizon inside a closed stretch
    // before an opening leaves those calls outside every interval).
    let mut sum = [0u64; 6];
    for (i, cell) in r.intervals.iter().enumerate() {
        let ended = cell.answered
            + cell.abandoned
            + cell.rejected
            + cell.balked
            + cell.closed
            + cell.callbacks;
        assert!(ended <= cell.offered, "{what}: interval {i}: {cell:?}");
        if c.calls_open == 0 {
            assert_eq!(ended, cell.offered, "{what}: interval {i}: {cell:?}");
        }
        assert!(cell.settled == cell.answered + cell.abandoned);
        for (k, v) in [
            cell.offered + cell.closed_before + cell.closed_after,
            cell.answered,
            cell.abandoned,
            cell.rejected,
            cell.balked,
            cell.closed + cell.closed_before + cell.closed_after,
        ]
        .into_iter()
        .enumerate()
        {
            sum[k] += u64::from(v);
        }
    }
    let total = [
        c.offered,
        c.answered,
        c.abandoned,
        c.rejected,
        c.balked,
        c.closed_made + c.disconnected,
    ];
    if whole_days {
        assert_eq!(
            sum, total,
            "{what}: intervals (offered, answered, abandoned, rejected, balked, closed)"
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
        (
            "skills and overflow, virtual hold, customers call again",
            with(
                "skills-overflow",
                r#"
[[teams]]
name = "a-team"
agents = [3, 4, 5, 5, 4, 4, 5, 5, 3, 2]
serves = ["a", "b"]
skills = { a = 1, b = 3 }
competence = 0.8
[[teams]]
name = "b-team"
agents = 3
serves = ["b"]
routing = "longest_waiting"
competence = 0.9
call_again = { probability = 0.7, delay = { dist = "exponential", mean = "1h" } }
[entry]
flow = "callback"
redial = { probability = 0.5, delay = { dist = "exponential", mean = "10m" } }
[entry.callback]
kind = "virtual_hold"
threshold = "2m"
accept = 0.5
"#,
            )
            .replace(
                "difficulty = 0.2",
                "difficulty = 0.2\noverflow = { to = \"b-team\", after = \"40s\" }",
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
        seen.lost += c.lost;
        // The same without warm-up, running past midnight into a closed night, and
        // stopped at the horizon (no drain): calls and tickets are left open.
        s.simulation.warmup = 0.0;
        s.simulation.horizon = 86_400.0 + 11.0 * 3600.0;
        s.simulation.drain_limit = 0.0;
        let cut = conservation(&s, &format!("{label}, no warm-up, cut mid-morning"));
        seen.calls_open += cut.calls_open;
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
        ("open at the horizon (no drain)", seen.calls_open),
        ("lost tickets", seen.lost),
    ] {
        assert!(
            n > 0,
            "no call or ticket {what} in any purpose-built scenario"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 2. Determinism.
// ---------------------------------------------------------------------------------------

fn same_results(src: &str) {
    let s = parse(src);
    let one = simulate_replications(&s, Some(1));
    let two = simulate_replications(&s, Some(2));
    assert_eq!(one.len(), two.len());
    for (a, b) in one.iter().zip(&two) {
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
    assert_ne!(one[0].counts, one[1].counts, "replications are not copies");
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

#[test]
fn skills_and_overflow_are_deterministic_across_threads() {
    let (_, src) = purpose_built()
        .into_iter()
        .find(|(_, s)| s.contains("name = \"skills-overflow\""))
        .unwrap();
    same_results(&src);
}
