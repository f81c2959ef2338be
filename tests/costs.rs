//! The cost of what is lost (issue 14): `costs.per_call_minute` (telephony) and
//! `costs.lost_ticket_value`, in `cost_per_ticket` and `cost_per_resolved_ticket`, and on
//! their own in `telephony_cost_per_ticket` and `lost_value_per_ticket`. Hand-computed
//! cases, the sum of the parts in every replication, costs that change nothing else, and
//! the refused values.

use crate::common::{BASE, expect, line_of, parse, refuse, shipped};
use crate::fixtures::{behaviour, small_centre};
use rappel::run::simulate_replications;
use rappel::scenario::Scenario;
use rappel::stats::{Metric, ReplicationResult};

/// The cost metrics, which alone may change with the costs.
const COST_METRICS: [Metric; 4] = [
    Metric::CostPerTicket,
    Metric::CostPerResolvedTicket,
    Metric::TelephonyCostPerTicket,
    Metric::LostValuePerTicket,
];

/// Whether `a` and `b` agree to a relative `1e-9` (and both finite).
fn close(a: f64, b: f64) -> bool {
    a.is_finite() && b.is_finite() && (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Every call of the morning is told to call back later (no agent until noon, no queue),
/// and nobody calls again: every ticket is lost, nobody is ever on a line.
#[test]
fn every_caller_turned_away_loses_exactly_the_value_of_each_ticket() {
    let s = small_centre(
        "all-rejected",
        "[0, 1]",
        "[20, 0]",
        "{ dist = \"constant\", value = \"6m\" }",
        None,
    )
    .arrivals("rates_per_hour = [20, 0]")
    .simulation("horizon = \"1d\"\ninterval = \"12h\"\nreplications = 4\nseed = 5")
    .entry("flow = \"call_back_later\"\nmax_queue = 0")
    .tail("[costs]\nper_call_minute = 0.05\nlost_ticket_value = 80\n")
    .scenario();
    for r in simulate_replications(&s, None) {
        assert!(r.counts.tickets > 100, "{}", r.counts.tickets);
        assert_eq!(r.counts.rejected, r.counts.offered);
        assert_eq!(r.counts.lost, r.counts.tickets);
        assert_eq!(r.get(Metric::LostValuePerTicket), 80.0);
        assert_eq!(r.get(Metric::TelephonyCostPerTicket), 0.0);
        assert_eq!(r.get(Metric::CostPerTicket), 80.0);
        // Nothing resolved: undefined, not infinite.
        assert!(r.get(Metric::CostPerResolvedTicket).is_nan());
    }
}

/// Calls of exactly 6 minutes, opening 08:00 to 12:00, far more agents than calls: nobody
/// waits, every call is answered and resolved at once and ends before the horizon, so the
/// line minutes are 6 per ticket and the staffing is about 50 agents × 4 h × 30.
fn no_wait(costs: &str) -> Scenario {
    small_centre(
        "no-wait",
        50,
        20,
        "{ dist = \"constant\", value = \"6m\" }",
        None,
    )
    .simulation("horizon = \"1d\"\nopen = \"08:00\"\nclose = \"12:00\"\nreplications = 5\nseed = 9")
    .team("cost_per_hour = 30")
    .tail(costs)
    .scenario()
}

#[test]
fn calls_of_six_minutes_without_waiting_cost_six_minutes_of_line_each() {
    let s = no_wait("[costs]\nper_call_minute = 0.05\nlost_ticket_value = 1000\n");
    for r in simulate_replications(&s, None) {
        let c = &r.counts;
        assert_eq!(c.answered, c.offered, "nobody hangs up");
        assert_eq!(
            c.resolved, c.tickets,
            "every ticket resolved at its one call"
        );
        assert_eq!(c.conversations, c.tickets);
        assert_eq!(r.get(Metric::QueueLengthMean), 0.0);
        // 6 minutes × 0.05 a minute, every ticket.
        let telephony = r.get(Metric::TelephonyCostPerTicket);
        assert!(close(telephony, 0.3), "{telephony}");
        assert_eq!(r.get(Metric::LostValuePerTicket), 0.0);
        let tickets = c.tickets as f64;
        // 50 agents × 4 h, and those who finish a call after closing stay for it, at 30.
        let hours = r.get(Metric::AgentsStaffedMean) * 24.0;
        assert!((200.0..200.1 * 1.01).contains(&hours), "{hours}");
        let staffing = hours * 30.0;
        assert!(close(
            r.get(Metric::CostPerTicket),
            staffing / tickets + 0.3
        ));
        assert!(close(
            r.get(Metric::CostPerResolvedTicket),
            r.get(Metric::CostPerTicket)
        ));
    }
}

/// The same runs with and without the two keys: every other figure is the same to the bit,
/// and the cost per ticket differs by the telephony and the lost value exactly (to rounding).
fn costs_change_only_the_cost(with: &Scenario, without: &Scenario) -> Vec<ReplicationResult> {
    let (a, b) = (
        simulate_replications(with, None),
        simulate_replications(without, None),
    );
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        for m in Metric::ALL {
            if COST_METRICS.contains(&m) {
                continue;
            }
            let (p, q) = (x.get(m), y.get(m));
            assert!(
                p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()),
                "{}: {p} with the costs, {q} without",
                m.name()
            );
        }
        let parts = x.get(Metric::TelephonyCostPerTicket) + x.get(Metric::LostValuePerTicket);
        assert!(close(
            x.get(Metric::CostPerTicket),
            y.get(Metric::CostPerTicket) + parts
        ));
        assert_eq!(y.get(Metric::TelephonyCostPerTicket), 0.0);
        assert_eq!(y.get(Metric::LostValuePerTicket), 0.0);
    }
    a
}

/// The parts of one replication's cost add up: cost per ticket × tickets and cost per
/// resolved ticket × resolved are the same total, which holds the lost value
/// `value` × (tickets − resolved) exactly.
fn parts_add_up(r: &ReplicationResult, value: f64) {
    let (tickets, resolved) = (r.counts.tickets as f64, r.counts.resolved as f64);
    let total = r.get(Metric::CostPerTicket) * tickets;
    assert!(close(
        total,
        r.get(Metric::CostPerResolvedTicket) * resolved
    ));
    let lost = (r.counts.tickets - r.counts.resolved) as f64 * value;
    assert_eq!(r.get(Metric::LostValuePerTicket), lost / tickets);
    assert!(close(
        r.get(Metric::LostValuePerTicket),
        value * (1.0 - r.get(Metric::ResolvedShare))
    ));
    assert!(total >= lost + r.get(Metric::TelephonyCostPerTicket) * tickets - 1e-6);
}

#[test]
fn in_a_queue_the_lines_in_use_are_the_callers_waiting_and_the_agents_busy() {
    let team = "competence = 0.7\ncost_per_hour = 25\nunresolved = \"customer_calls_again\"\ncall_again = { probability = 0.5, delay = { dist = \"exponential\", mean = \"1h\" } }";
    let costs = "\n[costs]\nper_call_minute = 0.03\nlost_ticket_value = 50\n";
    let with = parse(&(behaviour(team, "", 0.3) + costs));
    let without = parse(&behaviour(team, "", 0.3));
    let observed = with.simulation.horizon - with.simulation.warmup;
    for r in costs_change_only_the_cost(&with, &without) {
        parts_add_up(&r, 50.0);
        assert!(r.counts.lost > 0 && r.get(Metric::QueueLengthMean) > 0.0);
        // No transfer: the line seconds are the queue's and the busy agents' integrals.
        let busy = r.get(Metric::Occupancy) * r.get(Metric::AgentsStaffedMean);
        let line_s = (r.get(Metric::QueueLengthMean) + busy) * observed;
        let telephony = line_s / 60.0 * 0.03 / r.counts.tickets as f64;
        assert!(close(r.get(Metric::TelephonyCostPerTicket), telephony));
    }
}

#[test]
fn customers_on_hold_after_a_transfer_are_on_a_line_too() {
    let path = shipped()
        .into_iter()
        .find(|p| p.ends_with("two-tier-escalation.toml"))
        .expect("the shipped two-tier scenario");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut with = parse(&text);
    with.simulation.replications = 3;
    let mut without = with.clone();
    (without.per_call_minute, without.lost_ticket_value) = (0.0, 0.0);
    let observed = with.simulation.horizon - with.simulation.warmup;
    for r in costs_change_only_the_cost(&with, &without) {
        parts_add_up(&r, with.lost_ticket_value);
        let busy = r.get(Metric::Occupancy) * r.get(Metric::AgentsStaffedMean);
        let queue_and_talk = (r.get(Metric::QueueLengthMean) + busy) * observed / 60.0
            * with.per_call_minute
            / r.counts.tickets as f64;
        // Tier 2's holds last hours: more line time than the queue and the talk.
        assert!(r.get(Metric::TelephonyCostPerTicket) > 1.5 * queue_and_talk);
    }
}

#[test]
fn tickets_still_open_at_the_drain_cap_are_lost_for_the_cost_too() {
    let path = shipped()
        .into_iter()
        .find(|p| p.ends_with("two-tier-escalation.toml"))
        .expect("the shipped two-tier scenario");
    let mut s = parse(&std::fs::read_to_string(&path).unwrap());
    s.simulation.replications = 2;
    s.simulation.drain_limit = 0.0;
    for r in simulate_replications(&s, None) {
        let c = &r.counts;
        let open = r.get(Metric::TicketsOpenAtHorizon);
        assert!(open > 10.0, "{open} tickets open at the horizon");
        assert_eq!(c.resolved + c.lost + open as u64, c.tickets);
        // Closed unresolved and still open, each worth the same loss.
        let lost = (c.lost as f64 + open) * s.lost_ticket_value;
        assert_eq!(r.get(Metric::LostValuePerTicket), lost / c.tickets as f64);
        parts_add_up(&r, s.lost_ticket_value);
    }
}

#[test]
fn the_table_shows_each_part_of_the_cost_only_when_it_is_set() {
    // Staffing only: the cost rows, not the telephony nor the lost value.
    let staffing = no_wait("");
    assert!(staffing.has_costs());
    let headline = rappel::output::headline(&staffing);
    assert!(headline.contains(&Metric::CostPerTicket));
    assert!(!headline.contains(&Metric::TelephonyCostPerTicket));
    assert!(!headline.contains(&Metric::LostValuePerTicket));
    let only_lost = parse(&(behaviour("", "", 0.2) + "\n[costs]\nlost_ticket_value = 5\n"));
    assert!(only_lost.has_costs());
    let headline = rappel::output::headline(&only_lost);
    assert!(headline.contains(&Metric::CostPerTicket));
    assert!(headline.contains(&Metric::LostValuePerTicket));
    assert!(!headline.contains(&Metric::TelephonyCostPerTicket));
    let free = parse(&behaviour("", "", 0.2));
    assert!(!free.has_costs());
    assert!(!rappel::output::headline(&free).contains(&Metric::CostPerTicket));
}

#[test]
fn a_cost_of_what_is_lost_must_be_a_number_from_0_to_a_billion() {
    for (case, key, value, shown) in [
        ("negative-minute", "per_call_minute", "-0.02", "not -0.02"),
        ("nan-minute", "per_call_minute", "nan", "not NaN"),
        ("infinite-value", "lost_ticket_value", "inf", "not inf"),
        ("huge-value", "lost_ticket_value", "2e9", "not 2000000000"),
    ] {
        let text = format!("{BASE}\n[costs]\n{key} = {value}\n");
        let dotted: &'static str = Box::leak(format!("costs.{key}").into_boxed_str());
        let message: &'static str =
            Box::leak(format!("a cost must be from 0 to 1000000000, {shown}").into_boxed_str());
        refuse(
            case,
            &text,
            &[expect(
                line_of(&text, key),
                Some(dotted),
                message,
                Some("costs are in one currency unit"),
            )],
        );
    }
    // Both at once: every problem reported, each at its line.
    let text = format!("{BASE}\n[costs]\nper_call_minute = -1\nlost_ticket_value = -2\n");
    refuse(
        "both",
        &text,
        &[
            expect(
                line_of(&text, "per_call_minute"),
                Some("costs.per_call_minute"),
                "not -1",
                None,
            ),
            expect(
                line_of(&text, "lost_ticket_value"),
                Some("costs.lost_ticket_value"),
                "not -2",
                None,
            ),
        ],
    );
    // A word for a number, and a misspelt key.
    let text = format!("{BASE}\n[costs]\nlost_ticket_value = \"100\"\n");
    refuse(
        "string",
        &text,
        &[expect(
            line_of(&text, "lost_ticket_value"),
            None,
            "lost_ticket_value",
            None,
        )],
    );
    let text = format!("{BASE}\n[costs]\nper_call_minutes = 0.02\n");
    refuse(
        "typo",
        &text,
        &[expect(
            line_of(&text, "per_call_minutes"),
            None,
            "per_call_minutes",
            Some("per_call_minute"),
        )],
    );
}
