//! Opening hours as a state of the centre, and journeys observed to their end (the drain
//! after the horizon), each on a scenario whose answer is known by hand.

use crate::common::{kept, logged, parse, replace_once};
use rappel::centre::{Outcome, Step, TraceEvent, simulate_traced};
use rappel::scenario::{DAY, Options, Scenario};
use rappel::stats::Metric;

/// A scenario the stability check refuses, accepted as `--allow-unstable` would: it cannot
/// know that calls made again land in closed hours, where the closed message lets half the
/// customers go, nor that an overloaded hour drains after closing.
fn parse_unstable(src: &str) -> Scenario {
    let opts = Options {
        allow_unstable: true,
    };
    Scenario::from_toml_with(src, "hours.toml", &opts)
        .unwrap_or_else(|e| panic!("{e}\n{src}"))
        .0
}

/// Open 08:00–09:00; ample agents and no patience, so every call made while open is
/// answered at once; nobody is ever resolved and every unresolved customer calls again
/// exactly 2 h later, while closed. A caller who hears the closed message calls again
/// 30 min after the next opening with probability 0.5.
const ALWAYS_AFTER_HOURS: &str = r#"
name = "after-hours"
[simulation]
days = 1
replications = 20
seed = 5
drain_limit = "60d"
open = "08:00"
close = "09:00"
interval = "1h"
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "a"
handle_time = { dist = "constant", value = "1m" }
[[teams]]
name = "t"
agents = 30
serves = ["a"]
competence = 0.0
call_again = { probability = 1.0, delay = { dist = "constant", value = "2h" } }
[entry]
closed_retry = { probability = 0.5, delay = { dist = "constant", value = "30m" } }
"#;

#[test]
fn calls_made_while_closed_hear_the_message_and_the_account_is_exact() {
    let s = parse_unstable(ALWAYS_AFTER_HOURS);
    for rep in kept(&rappel::run::run_scenario(&s, None, |_| {})) {
        let c = rep.counts;
        // Counted calls: each ticket's first call (answered at once) and its call again
        // 2 h later (closed); the retry next morning is after the horizon, not counted.
        assert_eq!(c.offered, 2 * c.tickets, "{c:?}");
        assert_eq!(c.answered, c.tickets, "{c:?}");
        assert_eq!(c.closed_made, c.tickets, "{c:?}");
        assert_eq!(
            (c.abandoned, c.rejected, c.balked, c.disconnected),
            (0, 0, 0, 0)
        );
        assert_eq!(rep.get(Metric::OutcomeClosed), 0.5);
        assert_eq!(rep.get(Metric::OutcomeAnswered), 0.5);
        // Never resolved: every ticket ends lost, observed to its end during the drain.
        assert_eq!((c.resolved, c.lost), (0, c.tickets));
        assert_eq!(rep.get(Metric::TicketsOpenAtHorizon), 0.0);
        // Nobody waited: the calls made while closed did not queue.
        assert_eq!(rep.get(Metric::WaitMeanS), 0.0);
        assert_eq!(rep.get(Metric::Accessibility), 1.0);
    }
}

#[test]
fn the_customer_tries_again_after_the_opening_with_the_closed_retry_probability() {
    let s = parse_unstable(ALWAYS_AFTER_HOURS);
    // Every closed message is followed by a new call at 08:30 exactly (with probability
    // 0.5) or by the loss of the ticket: count both, over every customer of 20 replications.
    let (mut heard, mut again) = (0u64, 0u64);
    for rep in 0..s.simulation.replications {
        let mut last_closed: Vec<Option<f64>> = Vec::new();
        let mut sink = |e: &TraceEvent| {
            let c = e.customer as usize;
            if last_closed.len() <= c {
                last_closed.resize(c + 1, None);
            }
            match e.step {
                Step::HeardClosed => {
                    let tod = e.time % DAY;
                    assert!(
                        !(8.0 * 3600.0..9.0 * 3600.0).contains(&tod),
                        "closed message while open"
                    );
                    heard += 1;
                    last_closed[c] = Some(e.time);
                }
                Step::Calls { attempt } if attempt > 1 => {
                    if let Some(t) = last_closed[c].take() {
                        again += 1;
                        let next_opening = (t / DAY).floor() * DAY + DAY + 8.0 * 3600.0;
                        assert_eq!(
                            e.time,
                            next_opening + 1800.0,
                            "the new try is 30 min after opening"
                        );
                    }
                }
                // All retries come at 08:30: only then may some wait a moment.
                Step::Queued { .. } | Step::Abandoned { .. } if e.time < DAY => {
                    panic!("nobody waits on day 0: {e:?}")
                }
                _ => {}
            }
        };
        simulate_traced(&s, rep, u64::MAX, &mut sink);
    }
    let p = again as f64 / heard as f64;
    let se = (0.25 / heard as f64).sqrt();
    assert!(heard > 1000, "{heard} closed messages");
    assert!(
        (p - 0.5).abs() < 4.0 * se,
        "retry share {p} (4 SE = {})",
        4.0 * se
    );
}

/// One agent, calls of exactly 5 min at 60 an hour from 08:00 to 09:00, nobody hangs up:
/// at 09:00 a long queue is still on the line.
const QUEUE_AT_CLOSING: &str = r#"
name = "queue-at-closing"
[simulation]
days = 1
replications = 5
seed = 2
open = "08:00"
close = "09:00"
interval = "1h"
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "a"
handle_time = { dist = "constant", value = "5m" }
[[teams]]
name = "t"
agents = 1
serves = ["a"]
competence = 1.0
[entry]
closed_retry = { probability = 0.0, delay = { dist = "constant", value = "1m" } }
"#;

#[test]
fn at_closing_the_queue_is_served_to_the_last_caller_or_disconnected() {
    // "serve" (the default): the agent stays until every caller has been answered.
    let served = parse_unstable(QUEUE_AT_CLOSING);
    for rep in kept(&rappel::run::run_scenario(&served, None, |_| {})) {
        let c = rep.counts;
        assert_eq!(c.answered, c.offered, "{c:?}");
        assert_eq!(c.disconnected, 0);
        // About 60 calls of 5 min for one agent: the last answers come hours after 09:00,
        // from an agent who stayed after closing.
        assert!(rep.get(Metric::WaitP90S) > 2.0 * 3600.0);
        assert_eq!(rep.get(Metric::ResolvedShare), 1.0);
    }
    // "disconnect": at 09:00 the callers on the line hear the closed message; with
    // closed_retry probability 0 their tickets are lost. One agent answers one call per
    // 5 min from 08:00: the calls answered are those reached by 09:00.
    let cut = parse_unstable(&replace_once(
        QUEUE_AT_CLOSING,
        "[entry]\n",
        "[entry]\nat_closing = \"disconnect\"\n",
    ));
    for rep in kept(&rappel::run::run_scenario(&cut, None, |_| {})) {
        let c = rep.counts;
        assert_eq!(c.answered + c.disconnected, c.offered, "{c:?}");
        assert!(c.answered <= 12 + 1, "{c:?}");
        assert_eq!(c.lost, c.disconnected);
        assert!(rep.get(Metric::WaitP99S) <= 3600.0);
        let closed = rep.get(Metric::OutcomeClosed);
        assert!((closed - c.disconnected as f64 / c.offered as f64).abs() < 1e-12);
        // Disconnected callers were offered while open: accessibility counts them as
        // not served.
        assert!(rep.get(Metric::Accessibility) <= 1.0 - closed + 1e-12);
    }
}

fn transfer_hold() -> rappel::scenario::Scenario {
    parse(crate::fixtures::TRANSFER_HOLD)
}

#[test]
fn open_tickets_no_longer_vanish_every_ticket_is_observed_and_scored() {
    let s = transfer_hold();
    let r = rappel::run::run_scenario(&s, None, |_| {});
    for rep in kept(&r) {
        let c = rep.counts;
        assert_eq!(c.resolved + c.lost, c.tickets, "{c:?}");
        // Every counted ticket scored: the CSAT counts hold them all.
        assert_eq!(rep.csat_counts.iter().sum::<u64>(), c.tickets);
        assert!(
            rep.get(Metric::DrainS) > 3600.0,
            "tier 2's backlog drains for hours"
        );
    }
    // Tier 1 resolves with probability competence 0.5 (difficulty 0), and every ticket
    // reaches it: the first-contact resolution is 0.5, not the 74.7 % of the tickets that
    // happened to close before the horizon.
    let fcr = r.estimate(Metric::FcrRate);
    let half = (fcr.ci95_high - fcr.ci95_low) / 2.0;
    assert!(
        (fcr.mean - 0.5).abs() <= half.max(0.01) * 2.0,
        "fcr {} ± {half}",
        fcr.mean
    );
}

#[test]
fn with_no_drain_the_tickets_open_at_the_horizon_are_counted_and_scored_as_unresolved() {
    let mut s = transfer_hold();
    s.simulation.drain_limit = 0.0;
    s.simulation.replications = 3;
    for rep in 0..3 {
        let mut open = 0u64;
        let r = logged(&s, rep, |t, o, at| {
            if o == Outcome::Open {
                open += 1;
                assert_eq!(at, s.simulation.horizon);
                assert!(t.attempt >= 1);
            }
        });
        let c = r.counts;
        assert!(open > 100, "{open} open tickets at the horizon");
        assert_eq!(r.get(Metric::TicketsOpenAtHorizon), open as f64);
        assert_eq!(c.resolved + c.lost + open, c.tickets);
        // Open tickets are scored too.
        assert_eq!(r.csat_counts.iter().sum::<u64>(), c.tickets);
        assert_eq!(r.get(Metric::DrainS), 0.0);
    }
}

#[test]
fn work_owed_while_closed_waits_for_the_opening() {
    // Tier 1 escalates every ticket with a 3 h transfer delay, landing after closing:
    // tier 2 takes it at the next opening, and nobody is on hold through the night.
    let text = r#"
name = "overnight-transfer"
[simulation]
days = 1
replications = 3
seed = 8
open = "08:00"
close = "10:00"
interval = "1h"
[arrivals]
rate_per_hour = 30
[[ticket_types]]
name = "a"
handle_time = { dist = "constant", value = "2m" }
[[teams]]
name = "tier1"
agents = 10
serves = ["a"]
competence = 0.0
unresolved = "escalate"
escalate_to = "tier2"
transfer_delay = { dist = "constant", value = "3h" }
[[teams]]
name = "tier2"
agents = 5
serves = []
competence = 1.0
"#;
    let s = parse(text);
    for rep in 0..3 {
        let mut put_off = 0;
        let mut sink = |e: &TraceEvent| match e.step {
            Step::PutOffToOpening { at } => {
                put_off += 1;
                assert_eq!(at % DAY, 8.0 * 3600.0, "due again at 08:00");
                assert!(at > e.time);
            }
            Step::Answered { team: 1, wait, .. } => {
                assert!(wait < 3600.0, "on hold for {wait} s");
                let tod = e.time % DAY;
                assert!((8.0 * 3600.0..10.0 * 3600.0).contains(&tod));
            }
            _ => {}
        };
        let r = simulate_traced(&s, rep, u64::MAX, &mut sink);
        assert!(put_off > 10, "{put_off} transfers put off");
        assert_eq!(r.counts.resolved, r.counts.tickets);
    }
}
