//! Bad values of the entry flows and the ticket journey (issue 3): queue limits,
//! callbacks, escalations, competence, costs and unresolved tickets.

use crate::common::{BASE, expect, line_of, refuse, replace_once};

/// BASE with `flow = "queue"` replaced by `entry` (the rest of the `[entry]` table).
fn with_entry(entry: &str) -> String {
    replace_once(BASE, "flow = \"queue\"\n", entry)
}

/// BASE with `keys` added to the team.
fn with_team_keys(keys: &str) -> String {
    replace_once(
        BASE,
        "serves = [\"general\", \"billing\"]\n",
        &format!("serves = [\"general\", \"billing\"]\n{keys}"),
    )
}

#[test]
fn negative_max_queue() {
    let text = with_entry("flow = \"call_back_later\"\nmax_queue = -1\n");
    refuse(
        "max-queue-negative",
        &text,
        &[expect(
            line_of(&text, "max_queue"),
            Some("entry.max_queue"),
            "-1 is not a queue length from 0 to 1000000",
            Some("0 means nobody waits"),
        )],
    );
}

#[test]
fn max_queue_with_the_queue_flow() {
    let text = with_entry("flow = \"queue\"\nmax_queue = 3\n");
    refuse(
        "max-queue-with-queue",
        &text,
        &[expect(
            line_of(&text, "max_queue"),
            Some("entry.max_queue"),
            "`max_queue` applies only with flow = \"call_back_later\"",
            Some("set flow = \"call_back_later\", or remove this key"),
        )],
    );
}

#[test]
fn call_back_later_without_a_threshold() {
    let text = with_entry("flow = \"call_back_later\"\n");
    refuse(
        "call-back-later-no-threshold",
        &text,
        &[expect(
            line_of(&text, "call_back_later"),
            Some("entry.flow"),
            "call_back_later needs a threshold",
            Some("add max_queue = 10 (callers waiting) or max_predicted_wait = \"5m\""),
        )],
    );
}

#[test]
fn callback_flow_without_its_table() {
    let text = with_entry("flow = \"callback\"\n");
    refuse(
        "callback-no-table",
        &text,
        &[expect(
            line_of(&text, "flow = \"callback\""),
            Some("entry.flow"),
            "the callback flow needs its settings",
            Some("add an [entry.callback] table"),
        )],
    );
}

#[test]
fn escalation_to_an_unknown_team() {
    let text = with_team_keys("unresolved = \"escalate\"\nescalate_to = \"tier2\"\n");
    refuse(
        "escalate-unknown",
        &text,
        &[expect(
            line_of(&text, "escalate_to"),
            Some("teams[0].escalate_to"),
            "`tier2` is not a team",
            Some("the teams are: agents"),
        )],
    );
}

#[test]
fn escalation_to_itself() {
    let text = with_team_keys("unresolved = \"escalate\"\nescalate_to = \"agents\"\n");
    refuse(
        "escalate-itself",
        &text,
        &[expect(
            line_of(&text, "escalate_to"),
            Some("teams[0].escalate_to"),
            "a team cannot escalate to itself",
            Some("name another team"),
        )],
    );
}

#[test]
fn escalation_without_a_team() {
    let text = with_team_keys("unresolved = \"escalate\"\n");
    refuse(
        "escalate-nowhere",
        &text,
        &[expect(
            line_of(&text, "unresolved"),
            Some("teams[0].unresolved"),
            "escalation needs a team to escalate to",
            Some("add escalate_to = \"tier2\""),
        )],
    );
}

#[test]
fn competence_above_one() {
    let text = with_team_keys("competence = 1.5\n");
    refuse(
        "competence",
        &text,
        &[expect(
            line_of(&text, "competence"),
            Some("teams[0].competence"),
            "1.5 is not a probability",
            Some("from 0 to 1"),
        )],
    );
}

#[test]
fn goodwill_cost_without_immediate_resolution() {
    let text = with_team_keys("goodwill_cost = 10\n");
    refuse(
        "goodwill-standard",
        &text,
        &[expect(
            line_of(&text, "goodwill_cost"),
            Some("teams[0].goodwill_cost"),
            "goodwill applies only to immediate resolution",
            Some("add resolution = \"immediate_resolution\", or remove this key"),
        )],
    );
}

#[test]
fn unknown_unresolved_policy() {
    let text = with_team_keys("unresolved = \"call_back_later\"\n");
    refuse(
        "unresolved-unknown",
        &text,
        &[expect(
            line_of(&text, "unresolved"),
            Some("teams[0].unresolved"),
            "unknown variant `call_back_later`",
            Some("use one of: customer_calls_again, escalate, agent_callback"),
        )],
    );
}

#[test]
fn slot_length_that_does_not_divide_the_interval() {
    let text = with_entry(
        "flow = \"callback\"\n[entry.callback]\nkind = \"appointment\"\nslot_length = \"7m\"\n",
    );
    refuse(
        "slot-length",
        &text,
        &[expect(
            line_of(&text, "slot_length"),
            Some("entry.callback.slot_length"),
            "a slot of 420 s does not divide the interval of 1800 s",
            Some("divides `simulation.interval`"),
        )],
    );
}

#[test]
fn problems_in_teams_and_callbacks_are_all_reported() {
    let text = with_team_keys("competence = 1.5\ncompetence_spread = 0.7\n");
    let text = replace_once(
        &text,
        "flow = \"queue\"\n",
        "flow = \"callback\"\n[entry.callback]\nkind = \"virtual_hold\"\naccept = 1.5\nslot_length = \"15m\"\n",
    );
    refuse(
        "several-new-keys",
        &text,
        &[
            expect(
                line_of(&text, "competence = 1.5"),
                Some("teams[0].competence"),
                "1.5 is not a probability",
                Some("from 0 to 1"),
            ),
            expect(
                line_of(&text, "competence_spread"),
                Some("teams[0].competence_spread"),
                "the spread must be from 0 to 0.5, not 0.7",
                None,
            ),
            expect(
                line_of(&text, "accept = 1.5"),
                Some("entry.callback.accept"),
                "1.5 is not a probability",
                Some("from 0 to 1"),
            ),
            expect(
                line_of(&text, "slot_length"),
                Some("entry.callback.slot_length"),
                "`slot_length` applies only to appointments",
                Some("set kind = \"appointment\""),
            ),
        ],
    );
}
