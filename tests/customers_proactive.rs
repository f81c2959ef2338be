//! Proactive contacts after a resolution in depth (issue 17, item 3): a team's
//! `depth.proactive`, its count and agent time, and the protection it renews.

use crate::common::{expect, line_of, parse, refuse, replace_once, run};
use crate::theory::agrees;
use rappel::centre::{Outcome, Ticket, simulate_logged};
use rappel::output::customer_estimate;
use rappel::satisfaction::Score;
use rappel::stats::Metric;

/// 1,000 customers bringing 20 tickets an hour round the clock (0.02 a customer an hour),
/// each resolved at once in depth (2 s) by ten agents who are almost always idle; a resolution
/// protects its customer for a day, and 12 hours later an agent spends a minute contacting
/// them, which renews the protection.
const PROACTIVE: &str = r#"
name = "proactive"
[simulation]
days = 50
warmup = "10d"
replications = 20
seed = 5
[arrivals]
rate_per_hour = 20
customers = 1000
[[ticket_types]]
name = "problem"
handle_time = { dist = "constant", value = "1s" }
[[teams]]
name = "agents"
agents = 10
serves = ["problem"]
depth = { handle_factor = 2, prevents = 1, lasting = "1d", proactive = { after = "12h", handle = "1m" } }
"#;

#[test]
fn a_proactive_contact_renews_the_protection_of_its_documented_length() {
    // With prevents = 1 a protected customer brings no ticket, so each customer's tickets
    // are a renewal process: a ticket, resolved 2 s later; protected for a day; contacted
    // 12 h after the resolution for 1 min, which protects them for a day from then; then
    // the next ticket after an exponential time of mean 1/r = 50 h. The mean time between
    // tickets is E[T] = 2 s + 12 h + 1 min + 24 h + 50 h, and a customer brings 1 / E[T]
    // tickets an hour over the 40 counted days. Without the contact, 2 s + 24 h + 50 h.
    let gap = 2.0 / 3600.0 + 12.0 + 1.0 / 60.0 + 24.0 + 50.0;
    let counted_hours = 40.0 * 24.0;
    let r = run(PROACTIVE);
    agrees(
        r.estimate(Metric::Tickets),
        1000.0 * counted_hours / gap,
        0.005,
        "tickets with proactive contacts",
    );
    let without = run(&replace_once(
        PROACTIVE,
        ", proactive = { after = \"12h\", handle = \"1m\" }",
        "",
    ));
    agrees(
        without.estimate(Metric::Tickets),
        1000.0 * counted_hours / (2.0 / 3600.0 + 24.0 + 50.0),
        0.005,
        "tickets without",
    );
    // Each ticket resolved in the counted window (but its last 12 hours) brings a contact.
    let contacts = customer_estimate(&r, "proactive_contacts").mean;
    let tickets = r.estimate(Metric::Tickets).mean;
    assert!(
        (contacts - tickets).abs() < 0.02 * tickets,
        "{contacts} contacts for {tickets} tickets"
    );
}

/// `PROACTIVE` with nothing prevented (the protection does nothing) and no warm-up, over
/// ten days.
fn unprotected() -> String {
    replace_once(
        &replace_once(
            &replace_once(PROACTIVE, "prevents = 1", "prevents = 0"),
            "days = 50\nwarmup = \"10d\"",
            "days = 10",
        ),
        "replications = 20",
        "replications = 6",
    )
}

#[test]
fn every_deep_resolution_brings_one_contact_after_its_delay_and_its_agent_time() {
    // Agents are almost always idle, so each contact starts when it comes due, 12 h after
    // the resolution, and ends a minute later: a hand count of the resolutions logged gives
    // the contacts counted (those ending before the horizon), replication by replication.
    let text = unprotected();
    let s = parse(&text);
    let horizon = s.simulation.horizon;
    for rep in 0..s.simulation.replications {
        let mut due = 0.0;
        let mut log = |_: &Ticket, outcome: Outcome, at: f64, _: Option<&Score>| {
            if outcome == Outcome::Resolved && at + 12.0 * 3600.0 + 60.0 < horizon {
                due += 1.0;
            }
        };
        let result = simulate_logged(&s, rep, Some(&mut log));
        let c = result.breakdown.customers[0];
        assert!(due > 1000.0, "{due}");
        assert_eq!(c[8], due, "replication {rep}: contacts");
        // Their agent time, exactly a minute each.
        assert!(
            (c[9] - due / 60.0).abs() < 1e-9 * due,
            "replication {rep}: {} hours for {due} contacts",
            c[9]
        );
    }
}

#[test]
fn the_contacts_agent_time_is_in_the_occupancy() {
    // The same tickets with and without the contacts (nothing is prevented, nobody waits):
    // the agents' busy time differs by the contacts' minutes, less the part of those that
    // run past the horizon (at most a minute each of the last few).
    let text = unprotected();
    let with = run(&text);
    let without = run(&replace_once(
        &text,
        ", proactive = { after = \"12h\", handle = \"1m\" }",
        "",
    ));
    assert_eq!(
        with.estimate(Metric::Tickets).mean,
        without.estimate(Metric::Tickets).mean
    );
    let agent_seconds = 10.0 * 10.0 * 86_400.0;
    let busy = |r: &rappel::run::RunResult| r.estimate(Metric::Occupancy).mean * agent_seconds;
    let extra = busy(&with) - busy(&without);
    let contacts = customer_estimate(&with, "proactive_contacts").mean;
    let hours = customer_estimate(&with, "proactive_hours").mean;
    assert!((hours * 3600.0 - contacts * 60.0).abs() < 1e-6 * contacts);
    assert!(
        extra >= contacts * 60.0 - 1e-6 * extra && extra <= contacts * 60.0 + 2.0 * 60.0,
        "busy {extra} s more for {contacts} contacts of 60 s"
    );
}

#[test]
fn the_proactive_columns_appear_only_with_a_proactive_contact() {
    let with = crate::common::run(&unprotected());
    let b = String::from_utf8(rappel::output::breakdown_csv(&with)).unwrap();
    assert!(b.contains(",proactive_contacts,contacts,") && b.contains(",proactive_hours,hours,"));
    assert!(!b.contains("customers_end"), "no referral, no stock rows");
    let without = run(&replace_once(
        &unprotected(),
        ", proactive = { after = \"12h\", handle = \"1m\" }",
        "",
    ));
    let b = String::from_utf8(rappel::output::breakdown_csv(&without)).unwrap();
    assert!(!b.contains(",proactive_contacts,") && !b.contains(",proactive_hours,"));
}

#[test]
fn bad_proactive_contacts_are_refused_with_the_key_and_a_fix() {
    let text = replace_once(
        PROACTIVE,
        "proactive = { after = \"12h\", handle = \"1m\" }",
        "proactive = { after = \"0s\", handle = \"9h\" }",
    );
    let line = line_of(&text, "proactive = ");
    refuse(
        "proactive-out-of-range",
        &text,
        &[
            expect(
                line,
                Some("teams[0].depth.proactive.after"),
                "above 0 and at most 10 years",
                Some("after = \"7d\""),
            ),
            expect(
                line,
                Some("teams[0].depth.proactive.handle"),
                "at most 8 hours of an agent, not 32400 s",
                Some("handle = \"5m\""),
            ),
        ],
    );
    // Outside a `depth` a proactive contact has no resolution to follow.
    let alone = replace_once(
        PROACTIVE,
        "depth = { handle_factor = 2, prevents = 1, lasting = \"1d\", proactive = { after = \"12h\", handle = \"1m\" } }",
        "proactive = { after = \"12h\", handle = \"1m\" }",
    );
    let e = rappel::scenario::Scenario::from_toml(&alone, "alone")
        .unwrap_err()
        .to_string();
    assert!(e.contains("proactive"), "{e}");
}
