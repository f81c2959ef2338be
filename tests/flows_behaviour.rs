//! The ticket journey (issue 3): resolution, competence and learning, goodwill,
//! escalation, and the redial and call-again probabilities per attempt.

use crate::common::{kept, logged, parse, run};
use crate::fixtures::{behaviour, journeys};
use crate::theory::agrees;
use rappel::centre::Outcome;
use rappel::stats::{Metric, summarise};

// ---------------------------------------------------------------------------------------
// Behaviour.
// ---------------------------------------------------------------------------------------

#[test]
fn perfect_agents_resolve_every_ticket_at_first_contact() {
    let r = run(&behaviour("competence = 1.0", "flow = \"queue\"", 0.0));
    for rep in &kept(&r) {
        assert_eq!(rep.get(Metric::FcrRate), 1.0);
        assert_eq!(rep.get(Metric::ContactsPerTicket), 1.0);
        // Some tickets are lost, by callers who gave up before reaching an agent: they
        // count in neither fcr_rate nor contacts_per_ticket.
        assert!(rep.counts.lost > 0, "the case must have lost tickets");
    }
    // The same agents on a hard problem (difficulty 0.5) resolve only about half of them.
    let hard = run(&behaviour("competence = 1.0", "flow = \"queue\"", 0.5));
    assert!(hard.estimate(Metric::FcrRate).mean < 0.6);
}

#[test]
fn first_contact_resolution_follows_competence_and_difficulty() {
    // Customers never call again, so every ticket closes right after its first
    // conversation: fcr_rate estimates competence × (1 − difficulty) = 0.8 × 0.75.
    let r = run(&behaviour(
        "competence = 0.8\ncall_again = { probability = 0.0, delay = { dist = \"constant\", value = \"1h\" } }",
        "flow = \"queue\"",
        0.25,
    ));
    agrees(r.estimate(Metric::FcrRate), 0.6, 0.02, "fcr_rate");
    for rep in &kept(&r) {
        assert_eq!(rep.get(Metric::ContactsPerTicket), 1.0);
    }
}

#[test]
fn learning_agents_start_at_their_initial_competence() {
    // A half-life far beyond the run keeps every agent at the initial competence.
    let r = run(&behaviour(
        "competence = 0.9\nlearning = { initial = 0.3, half_life = 1e8 }\ncall_again = { probability = 0.0, delay = { dist = \"constant\", value = \"1h\" } }",
        "flow = \"queue\"",
        0.0,
    ));
    agrees(r.estimate(Metric::FcrRate), 0.3, 0.03, "fcr_rate");
}

#[test]
fn immediate_resolution_with_certain_goodwill_resolves_everything_at_once() {
    let r = run(&behaviour(
        "competence = 0.5\nresolution = \"immediate_resolution\"\ngoodwill_probability = 1.0\ngoodwill_cost = 10",
        "flow = \"queue\"",
        0.0,
    ));
    let shares: Vec<f64> = kept(&r)
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
    let free = run(&behaviour(
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
    let src = behaviour(
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
    let kinds = closed_journeys(&journeys(
        "redial-per-attempt",
        5,
        120,
        47,
        "",
        Some(
            "flow = \"call_back_later\"\nmax_queue = 0\nredial = { probability = [1.0, 0.0], delay = { dist = \"exponential\", mean = \"10m\" } }",
        ),
    ));
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
    let s = parse(&journeys(
        "redial-counts-failures",
        5,
        120,
        59,
        "competence = 0.5\nunresolved = \"customer_calls_again\"\ncall_again = { probability = 1.0, delay = { dist = \"exponential\", mean = \"30m\" } }",
        Some(
            "flow = \"call_back_later\"\nmax_queue = 0\nredial = { probability = [1.0, 0.0], delay = { dist = \"exponential\", mean = \"10m\" } }",
        ),
    ));
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
    let kinds = closed_journeys(&journeys(
        "call-again-per-attempt",
        10,
        60,
        53,
        "competence = 0.5\nunresolved = \"customer_calls_again\"\ncall_again = { probability = [1.0, 0.0], delay = { dist = \"exponential\", mean = \"30m\" } }",
        None,
    ));
    // (failed calls, unresolved, calls, lost): resolved at the 1st conversation, at the
    // 2nd, or unresolved twice and lost; never a 3rd call.
    let want = [(0, 0, 1, false), (0, 1, 2, false), (0, 2, 2, true)];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), want);
}
