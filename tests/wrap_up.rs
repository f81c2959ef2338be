//! After-call work (issue 15): `ticket_types[].wrap_up` keeps the agent busy after each
//! conversation. Occupancy counts it exactly as theory says, the customers see only its
//! effect on the queue, and telephony leaves it out (the customer has hung up).

use crate::common::{BASE, expect, line_of, refuse};
use crate::fixtures::{exponential, small_centre};
use rappel::run::{run_scenario, simulate_replications};
use rappel::scenario::Scenario;
use rappel::stats::Metric;

/// Ten agents, 60 calls an hour of 5 minutes' talk, callers who never hang up, open all
/// day for three days after a two-hour warm-up; `ticket` adds keys to the ticket type.
fn centre(ticket: &str) -> Scenario {
    small_centre("wrap-up", 10, 60, &exponential("5m"), None)
        .simulation("days = 3\nwarmup = \"2h\"\nreplications = 20\nseed = 3")
        .ticket(ticket)
        .scenario()
}

/// In a stable queue where every call is served, the mean number of busy agents is the
/// arrival rate × the agent time per call: 60/h × (5 + 2) min = 7 of 10 agents, an
/// occupancy of 70 % (50 % without the wrap-up). Each estimate must lie within 4 standard
/// errors of its value.
#[test]
fn wrap_up_raises_occupancy_by_the_rate_times_its_mean_over_the_agents() {
    for (ticket, want) in [
        ("", 0.5),
        ("wrap_up = { dist = \"constant\", value = \"2m\" }", 0.7),
        ("wrap_up = { dist = \"exponential\", mean = \"2m\" }", 0.7),
    ] {
        let r = run_scenario(&centre(ticket), None, |_| {});
        let e = r.estimate(Metric::Occupancy);
        assert!(
            (e.mean - want).abs() < 4.0 * e.std_error && e.std_error < 0.01,
            "{ticket:?}: occupancy {} ± {} against {want}",
            e.mean,
            e.std_error
        );
    }
}

/// The wrap-up draws come from their own stream: the customers (arrivals, types, talk
/// times, patience) are the same with and without it; only the waits it causes differ.
#[test]
fn wrap_up_keeps_the_customers_and_lengthens_the_waits() {
    let without = simulate_replications(&centre(""), None);
    let with = simulate_replications(
        &centre("wrap_up = { dist = \"exponential\", mean = \"2m\" }"),
        None,
    );
    for (a, b) in without.iter().zip(&with) {
        assert_eq!(a.counts.tickets, b.counts.tickets);
    }
    let mean = |rs: &[rappel::stats::ReplicationResult]| {
        rs.iter().map(|r| r.get(Metric::AsaS)).sum::<f64>() / rs.len() as f64
    };
    assert!(
        mean(&with) > 2.0 * mean(&without),
        "{} vs {}",
        mean(&with),
        mean(&without)
    );
}

/// Calls of exactly 6 minutes with 2 minutes of wrap-up, far more agents than calls:
/// nobody waits, the line is in use 6 minutes per ticket, not 8.
#[test]
fn telephony_pays_for_the_call_not_the_wrap_up() {
    let s = small_centre(
        "acw-line",
        50,
        20,
        "{ dist = \"constant\", value = \"6m\" }",
        None,
    )
    .simulation("horizon = \"1d\"\nopen = \"08:00\"\nclose = \"12:00\"\nreplications = 3\nseed = 9")
    .ticket("wrap_up = { dist = \"constant\", value = \"2m\" }")
    .tail("[costs]\nper_call_minute = 0.05\n")
    .scenario();
    for r in simulate_replications(&s, None) {
        assert_eq!(r.counts.answered, r.counts.offered);
        let telephony = r.get(Metric::TelephonyCostPerTicket);
        assert!((telephony - 0.3).abs() < 1e-9, "{telephony}");
    }
}

/// A wrap-up that is not a distribution of durations is refused with its key and line.
#[test]
fn a_bad_wrap_up_is_refused_with_its_key() {
    let text = BASE.replacen(
        "[[ticket_types]]\n",
        "[[ticket_types]]\nwrap_up = { dist = \"exponential\", mean = \"-1m\" }\n",
        1,
    );
    assert!(text.contains("wrap_up"), "BASE has a ticket type");
    refuse(
        "bad-wrap-up",
        &text,
        &[expect(
            line_of(&text, "wrap_up"),
            Some("ticket_types[0].wrap_up.mean"),
            "invalid duration \"-1m\"",
            None,
        )],
    );
}
