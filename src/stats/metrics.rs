//! The metrics a run reports: names, units and definitions, written once.
//!
//! `docs/metrics.md` is checked against this list by a test, so the two cannot drift.

/// A metric of `summary.csv` and `replications.csv`, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Inbound calls offered after the warm-up, redials included.
    OfferedContacts,
    /// Redials among the offered contacts.
    Redials,
    /// Offered calls answered by an agent / offered calls.
    OutcomeAnswered,
    /// Offered calls abandoned in the queue / offered calls.
    OutcomeAbandoned,
    /// Offered calls that hung up on hearing the wait / offered calls.
    OutcomeBalked,
    /// Offered calls told to call back later / offered calls.
    OutcomeRejected,
    /// Offered calls that heard the closed message (made while closed, or disconnected at
    /// closing) / offered calls.
    OutcomeClosed,
    /// Offered calls that left the line with a callback / offered calls.
    OutcomeCallback,
    /// Offered calls still waiting at the drain cap / offered calls.
    OutcomeOpen,
    /// Answered calls / calls that ended (answered, abandoned, rejected, balked, or left
    /// with a callback promise).
    AnsweredShare,
    /// Abandoned calls / settled calls (answered or abandoned, at once or after waiting).
    AbandonRate,
    /// Calls told to call back later / offered calls.
    RejectedRate,
    /// Calls that hung up on hearing the predicted wait / offered calls.
    BalkRate,
    /// Settled calls that found no agent free / settled calls.
    PWait,
    /// Mean wait of answered calls, zero waits included.
    AsaS,
    /// Mean wait of settled calls that reached the queue, until answer or abandonment.
    WaitMeanS,
    /// Median of those waits.
    WaitP50S,
    /// 90th percentile of those waits.
    WaitP90S,
    /// 95th percentile of those waits.
    WaitP95S,
    /// 99th percentile of those waits.
    WaitP99S,
    /// Calls answered within the threshold / settled calls (short abandons left out).
    ServiceLevel,
    /// (Calls answered within the threshold + entry callbacks placed within their promise)
    /// / calls offered while open.
    Accessibility,
    /// Calls answered within the threshold / calls offered while open.
    AccessibilityStrict,
    /// Busy agent time / staffed agent time.
    Occupancy,
    /// Time-average number of callers waiting.
    QueueLengthMean,
    /// Time-average number of agents present.
    AgentsStaffedMean,
    /// Calls still waiting when the run ended.
    ContactsOpenAtHorizon,
    /// Mean absolute error of the predicted wait against the wait that followed.
    WaitPredictionMaeS,
    /// Mean of predicted minus actual wait (positive: predictions too long).
    WaitPredictionBiasS,
    /// Callbacks offered to callers.
    CallbacksOffered,
    /// Accepted callback offers / offers.
    CallbacksAcceptedShare,
    /// Promised callbacks never placed or never reaching the customer / promises.
    CallbacksBrokenShare,
    /// New tickets (customers with a problem) after the warm-up.
    Tickets,
    /// Resolved tickets / tickets.
    ResolvedShare,
    /// Tickets given up for good / tickets.
    LostShare,
    /// Tickets neither resolved nor lost at the drain cap.
    TicketsOpenAtHorizon,
    /// Time from the horizon until the last counted ticket closed (the drain cap at most).
    DrainS,
    /// Tickets resolved at their first conversation / tickets that reached an agent.
    FcrRate,
    /// Tickets resolved in the conversation of their first call (answered, nothing before)
    /// / tickets.
    FirstCallResolution,
    /// Conversations with an agent per resolved ticket.
    ContactsPerTicket,
    /// Inbound calls (first calls and redials) per closed ticket.
    CallsPerTicket,
    /// Median time from first call to resolution.
    ResolutionTimeP50S,
    /// 90th percentile of that time.
    ResolutionTimeP90S,
    /// Staffed hours, goodwill, outbound calls, telephony and the value of lost tickets /
    /// tickets.
    CostPerTicket,
    /// The same cost / resolved tickets.
    CostPerResolvedTicket,
    /// Telephony (minutes of lines in use × `costs.per_call_minute`) / tickets.
    TelephonyCostPerTicket,
    /// Tickets never resolved × `costs.lost_ticket_value` / tickets.
    LostValuePerTicket,
    /// Mean CSAT (1–5) of closed tickets.
    CsatMean,
    /// Closed tickets with CSAT 4 or 5 / closed tickets.
    CsatTop2Box,
    /// Net Promoter Score: % of 9–10 minus % of 0–6 likelihood to recommend.
    Nps,
    /// Promoters (9–10) per 1,000 closed tickets.
    PromotersPer1000,
    /// Detractors (0–6) per 1,000 closed tickets.
    DetractorsPer1000,
}

/// Which way a metric's change is good for the centre and its customers: how a difference
/// is coloured on the terminal (green when better, red when worse).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// More is better (answered, accessibility, resolution, satisfaction).
    HigherIsBetter,
    /// Less is better (waits, abandonment, lost tickets, cost).
    LowerIsBetter,
    /// Neither: a volume or a load (calls offered, tickets, occupancy, agents staffed).
    Neutral,
}

impl Metric {
    /// Which way a change of this metric is better ([`Direction`]). Counts of work and
    /// load are neutral: more calls or a busier team is not better or worse in itself.
    pub fn direction(self) -> Direction {
        use Metric::*;
        match self {
            OutcomeAnswered | AnsweredShare | ServiceLevel | Accessibility
            | AccessibilityStrict | ResolvedShare | FcrRate | FirstCallResolution | CsatMean
            | CsatTop2Box | Nps | PromotersPer1000 => Direction::HigherIsBetter,
            Redials
            | OutcomeAbandoned
            | OutcomeBalked
            | OutcomeRejected
            | OutcomeClosed
            | OutcomeOpen
            | AbandonRate
            | RejectedRate
            | BalkRate
            | PWait
            | AsaS
            | WaitMeanS
            | WaitP50S
            | WaitP90S
            | WaitP95S
            | WaitP99S
            | QueueLengthMean
            | ContactsOpenAtHorizon
            | WaitPredictionMaeS
            | CallbacksBrokenShare
            | LostShare
            | TicketsOpenAtHorizon
            | DrainS
            | ContactsPerTicket
            | CallsPerTicket
            | ResolutionTimeP50S
            | ResolutionTimeP90S
            | CostPerTicket
            | CostPerResolvedTicket
            | TelephonyCostPerTicket
            | LostValuePerTicket
            | DetractorsPer1000 => Direction::LowerIsBetter,
            _ => Direction::Neutral,
        }
    }

    /// Every metric, in output order.
    pub const ALL: [Metric; 52] = [
        Metric::OfferedContacts,
        Metric::Redials,
        Metric::OutcomeAnswered,
        Metric::OutcomeAbandoned,
        Metric::OutcomeBalked,
        Metric::OutcomeRejected,
        Metric::OutcomeClosed,
        Metric::OutcomeCallback,
        Metric::OutcomeOpen,
        Metric::AnsweredShare,
        Metric::AbandonRate,
        Metric::RejectedRate,
        Metric::BalkRate,
        Metric::PWait,
        Metric::AsaS,
        Metric::WaitMeanS,
        Metric::WaitP50S,
        Metric::WaitP90S,
        Metric::WaitP95S,
        Metric::WaitP99S,
        Metric::ServiceLevel,
        Metric::Accessibility,
        Metric::AccessibilityStrict,
        Metric::Occupancy,
        Metric::QueueLengthMean,
        Metric::AgentsStaffedMean,
        Metric::ContactsOpenAtHorizon,
        Metric::WaitPredictionMaeS,
        Metric::WaitPredictionBiasS,
        Metric::CallbacksOffered,
        Metric::CallbacksAcceptedShare,
        Metric::CallbacksBrokenShare,
        Metric::Tickets,
        Metric::ResolvedShare,
        Metric::LostShare,
        Metric::TicketsOpenAtHorizon,
        Metric::DrainS,
        Metric::FcrRate,
        Metric::FirstCallResolution,
        Metric::ContactsPerTicket,
        Metric::CallsPerTicket,
        Metric::ResolutionTimeP50S,
        Metric::ResolutionTimeP90S,
        Metric::CostPerTicket,
        Metric::CostPerResolvedTicket,
        Metric::TelephonyCostPerTicket,
        Metric::LostValuePerTicket,
        Metric::CsatMean,
        Metric::CsatTop2Box,
        Metric::Nps,
        Metric::PromotersPer1000,
        Metric::DetractorsPer1000,
    ];

    /// Number of metrics.
    pub const COUNT: usize = Self::ALL.len();

    /// The shares of offered calls by how each ended: they sum to 1 in every replication.
    pub const OUTCOMES: [Metric; 7] = [
        Metric::OutcomeAnswered,
        Metric::OutcomeAbandoned,
        Metric::OutcomeBalked,
        Metric::OutcomeRejected,
        Metric::OutcomeClosed,
        Metric::OutcomeCallback,
        Metric::OutcomeOpen,
    ];

    /// Position in [`Metric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The column value in the CSV files: a stable, snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::OfferedContacts => "offered_contacts",
            Metric::Redials => "redials",
            Metric::OutcomeAnswered => "outcome_answered",
            Metric::OutcomeAbandoned => "outcome_abandoned",
            Metric::OutcomeBalked => "outcome_balked",
            Metric::OutcomeRejected => "outcome_rejected",
            Metric::OutcomeClosed => "outcome_closed",
            Metric::OutcomeCallback => "outcome_callback",
            Metric::OutcomeOpen => "outcome_open",
            Metric::AnsweredShare => "answered_share",
            Metric::AbandonRate => "abandon_rate",
            Metric::RejectedRate => "rejected_rate",
            Metric::BalkRate => "balk_rate",
            Metric::PWait => "p_wait",
            Metric::AsaS => "asa_s",
            Metric::WaitMeanS => "wait_mean_s",
            Metric::WaitP50S => "wait_p50_s",
            Metric::WaitP90S => "wait_p90_s",
            Metric::WaitP95S => "wait_p95_s",
            Metric::WaitP99S => "wait_p99_s",
            Metric::ServiceLevel => "service_level",
            Metric::Accessibility => "accessibility",
            Metric::AccessibilityStrict => "accessibility_strict",
            Metric::Occupancy => "occupancy",
            Metric::QueueLengthMean => "queue_length_mean",
            Metric::AgentsStaffedMean => "agents_staffed_mean",
            Metric::ContactsOpenAtHorizon => "contacts_open_at_horizon",
            Metric::WaitPredictionMaeS => "wait_prediction_mae_s",
            Metric::WaitPredictionBiasS => "wait_prediction_bias_s",
            Metric::CallbacksOffered => "callbacks_offered",
            Metric::CallbacksAcceptedShare => "callbacks_accepted_share",
            Metric::CallbacksBrokenShare => "callbacks_broken_share",
            Metric::Tickets => "tickets",
            Metric::ResolvedShare => "resolved_share",
            Metric::LostShare => "lost_share",
            Metric::TicketsOpenAtHorizon => "tickets_open_at_horizon",
            Metric::DrainS => "drain_s",
            Metric::FcrRate => "fcr_rate",
            Metric::FirstCallResolution => "first_call_resolution",
            Metric::ContactsPerTicket => "contacts_per_ticket",
            Metric::CallsPerTicket => "calls_per_ticket",
            Metric::ResolutionTimeP50S => "resolution_time_p50_s",
            Metric::ResolutionTimeP90S => "resolution_time_p90_s",
            Metric::CostPerTicket => "cost_per_ticket",
            Metric::CostPerResolvedTicket => "cost_per_resolved_ticket",
            Metric::TelephonyCostPerTicket => "telephony_cost_per_ticket",
            Metric::LostValuePerTicket => "lost_value_per_ticket",
            Metric::CsatMean => "csat_mean",
            Metric::CsatTop2Box => "csat_top2box",
            Metric::Nps => "nps",
            Metric::PromotersPer1000 => "promoters_per_1000",
            Metric::DetractorsPer1000 => "detractors_per_1000",
        }
    }

    /// The unit written in the `unit` column.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::OfferedContacts | Metric::Redials | Metric::ContactsOpenAtHorizon => "contacts",
            Metric::CallbacksOffered => "callbacks",
            Metric::Tickets | Metric::TicketsOpenAtHorizon => "tickets",
            Metric::ContactsPerTicket => "conversations",
            Metric::CallsPerTicket => "calls",
            Metric::CostPerTicket
            | Metric::CostPerResolvedTicket
            | Metric::TelephonyCostPerTicket
            | Metric::LostValuePerTicket => "cost",
            Metric::CsatMean => "csat",
            Metric::CsatTop2Box => "share",
            Metric::Nps => "points",
            Metric::PromotersPer1000 | Metric::DetractorsPer1000 => "per_1000_tickets",
            Metric::AnsweredShare
            | Metric::OutcomeAnswered
            | Metric::OutcomeAbandoned
            | Metric::OutcomeBalked
            | Metric::OutcomeRejected
            | Metric::OutcomeClosed
            | Metric::OutcomeCallback
            | Metric::OutcomeOpen
            | Metric::Accessibility
            | Metric::AccessibilityStrict
            | Metric::FirstCallResolution
            | Metric::RejectedRate
            | Metric::BalkRate
            | Metric::CallbacksAcceptedShare
            | Metric::CallbacksBrokenShare
            | Metric::ResolvedShare
            | Metric::LostShare
            | Metric::FcrRate
            | Metric::AbandonRate
            | Metric::PWait
            | Metric::ServiceLevel
            | Metric::Occupancy => "share",
            Metric::AsaS
            | Metric::WaitMeanS
            | Metric::WaitP50S
            | Metric::WaitP90S
            | Metric::WaitP95S
            | Metric::WaitP99S
            | Metric::WaitPredictionMaeS
            | Metric::WaitPredictionBiasS
            | Metric::ResolutionTimeP50S
            | Metric::ResolutionTimeP90S
            | Metric::DrainS => "s",
            Metric::QueueLengthMean => "callers",
            Metric::AgentsStaffedMean => "agents",
        }
    }

    /// A short label for the terminal table.
    pub fn label(self) -> &'static str {
        match self {
            Metric::OfferedContacts => "Calls offered, which ended:",
            Metric::Redials => "Redials",
            Metric::OutcomeAnswered => "answered",
            Metric::OutcomeAbandoned => "abandoned in the queue",
            Metric::OutcomeBalked => "hung up on hearing the wait",
            Metric::OutcomeRejected => "told to call back later",
            Metric::OutcomeClosed => "heard the closed message",
            Metric::OutcomeCallback => "left the line with a callback",
            Metric::OutcomeOpen => "still waiting at the drain cap",
            Metric::AnsweredShare => "Answered, of calls that ended",
            Metric::AbandonRate => "Abandoned, of answered + abandoned",
            Metric::RejectedRate => "Told to call back later, of offered",
            Metric::BalkRate => "Hung up on hearing the wait, of offered",
            Metric::PWait => "Had to wait, of answered + abandoned",
            Metric::AsaS => "Mean answer time (ASA)",
            Metric::WaitMeanS => "Mean wait",
            Metric::WaitP50S => "Median wait",
            Metric::WaitP90S => "90th percentile wait",
            Metric::WaitP95S => "95th percentile wait",
            Metric::WaitP99S => "99th percentile wait",
            Metric::ServiceLevel => "Service level, of answered + abandoned",
            Metric::Accessibility => "Accessibility, of offered while open",
            Metric::AccessibilityStrict => "Accessibility, strict (answers only)",
            Metric::Occupancy => "Agent occupancy",
            Metric::QueueLengthMean => "Mean queue length",
            Metric::AgentsStaffedMean => "Mean agents staffed",
            Metric::ContactsOpenAtHorizon => "Calls still waiting at the drain cap",
            Metric::WaitPredictionMaeS => "Wait prediction error (mean abs.)",
            Metric::WaitPredictionBiasS => "Wait prediction bias",
            Metric::CallbacksOffered => "Callbacks offered",
            Metric::CallbacksAcceptedShare => "Callbacks accepted",
            Metric::CallbacksBrokenShare => "Callback promises broken",
            Metric::Tickets => "Tickets (customers)",
            Metric::ResolvedShare => "Tickets resolved",
            Metric::LostShare => "Tickets lost (gave up)",
            Metric::TicketsOpenAtHorizon => "Tickets still open at the drain cap",
            Metric::FcrRate => "First-contact resolution, of tickets that reached an agent",
            Metric::FirstCallResolution => "First-call resolution, of tickets",
            Metric::DrainS => "Drain: horizon to the last ticket closed",
            Metric::ContactsPerTicket => "Conversations per resolved ticket",
            Metric::CallsPerTicket => "Calls per closed ticket",
            Metric::ResolutionTimeP50S => "Median time to resolution",
            Metric::ResolutionTimeP90S => "90th percentile time to resolution",
            Metric::CostPerTicket => "Cost per ticket",
            Metric::CostPerResolvedTicket => "Cost per resolved ticket",
            Metric::TelephonyCostPerTicket => "Telephony cost per ticket",
            Metric::LostValuePerTicket => "Lost value per ticket",
            Metric::CsatMean => "CSAT (1-5)",
            Metric::CsatTop2Box => "CSAT top-2-box (4-5)",
            Metric::Nps => "Net Promoter Score",
            Metric::PromotersPer1000 => "Promoters per 1,000 tickets",
            Metric::DetractorsPer1000 => "Detractors per 1,000 tickets",
        }
    }

    /// Looks a metric up by its CSV name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_names_are_consistent() {
        for (i, m) in Metric::ALL.iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(Metric::from_name(m.name()), Some(*m));
        }
    }

    const METRICS_DOC: &str = include_str!("../../docs/metrics.md");
    const SCENARIO_DOC: &str = include_str!("../../docs/scenario.md");

    /// Every metric has a row `` | `name` | unit | definition | `` in docs/metrics.md, with
    /// the unit the code writes.
    #[test]
    fn every_metric_is_documented_with_its_unit() {
        let mut problems = Vec::new();
        for m in Metric::ALL {
            let start = format!("| `{}` |", m.name());
            let units: Vec<&str> = METRICS_DOC
                .lines()
                .map(str::trim)
                .filter_map(|l| l.strip_prefix(start.as_str()))
                .map(|rest| rest.split('|').next().unwrap_or("").trim())
                .collect();
            if units.is_empty() {
                problems.push(format!("`{}` has no table row", m.name()));
            } else if !units.contains(&m.unit()) {
                problems.push(format!(
                    "`{}` has unit `{}` in the code but {units:?} in the docs",
                    m.name(),
                    m.unit()
                ));
            }
        }
        assert!(
            problems.is_empty(),
            "docs/metrics.md is out of date:\n{}",
            problems.join("\n")
        );
    }

    /// A scenario that is valid up to its last table, `[[teams]]`, so that a case can add
    /// keys to that team or new tables after it.
    const BASE: &str = r#"
name = "keys"
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "g"
handle_time = { dist = "constant", value = 60 }
[[teams]]
name = "a"
agents = 1
serves = ["g"]
"#;

    /// The names serde accepts at the place where `extra` puts an unknown `zz_unknown`: it
    /// lists them in its message ``unknown field `zz_unknown`, expected one of `a`, `b` ``
    /// (or ``unknown variant ...``), so the list always follows src/scenario/raw.rs.
    fn accepted_names(extra: &str) -> Vec<String> {
        let text = format!("{BASE}{extra}");
        let errors = crate::scenario::Scenario::from_toml(&text, "keys.toml")
            .expect_err("the unknown name is refused")
            .0;
        let message = &errors[0].message;
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        assert!(
            message.starts_with("unknown") && quoted.first() == Some(&"zz_unknown"),
            "unexpected message for {extra:?}: {message}"
        );
        assert!(quoted.len() > 1, "no accepted name in: {message}");
        quoted[1..].iter().map(|s| s.to_string()).collect()
    }

    /// Every key of `[entry]`, `[entry.redial]`, `[entry.callback]`, `[[teams]]` (with
    /// `learning`, `agent_callback` and `call_again`) and `[costs]` appears in
    /// docs/scenario.md as `` `key` ``, and every value of `flow`, `kind`, `routing`,
    /// `resolution` and `unresolved` as `"value"`. The names come from serde itself, so a
    /// key added to src/scenario/raw.rs and not documented fails here.
    #[test]
    fn every_entry_team_and_cost_key_is_documented() {
        let redial =
            r#"{ probability = 0.5, delay = { dist = "constant", value = 1 }, zz_unknown = 1 }"#;
        let delay = r#"delay = { dist = "constant", value = 1 }"#;
        let keys = [
            "[entry]\nzz_unknown = 1\n".to_string(),
            format!("[entry]\nredial = {redial}\n"),
            "[entry]\nflow = \"callback\"\n[entry.callback]\nkind = \"virtual_hold\"\nzz_unknown = 1\n"
                .to_string(),
            "zz_unknown = 1\n".to_string(),
            "learning = { initial = 0.5, half_life = 10, zz_unknown = 1 }\n".to_string(),
            format!("agent_callback = {{ {delay}, promise = 60, zz_unknown = 1 }}\n"),
            format!("call_again = {redial}\n"),
            "[costs]\nzz_unknown = 1\n".to_string(),
            "[satisfaction]\nzz_unknown = 1\n".to_string(),
        ];
        let values = [
            "[entry]\nflow = \"zz_unknown\"\n",
            "[entry]\nflow = \"callback\"\n[entry.callback]\nkind = \"zz_unknown\"\n",
            "routing = \"zz_unknown\"\n",
            "resolution = \"zz_unknown\"\n",
            "unresolved = \"zz_unknown\"\n",
        ];
        let mut missing = Vec::new();
        for extra in &keys {
            for k in accepted_names(extra) {
                if !SCENARIO_DOC.contains(&format!("`{k}`")) {
                    missing.push(format!("key `{k}` (accepted with {extra:?})"));
                }
            }
        }
        for extra in values {
            for v in accepted_names(extra) {
                if !SCENARIO_DOC.contains(&format!("\"{v}\"")) {
                    missing.push(format!("value \"{v}\" (accepted with {extra:?})"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "docs/scenario.md does not mention:\n{}",
            missing.join("\n")
        );
    }

    /// The whole scenarios shown in docs/scenario.md (its TOML blocks with an `[arrivals]`
    /// table) are valid.
    #[test]
    fn the_complete_examples_of_the_scenario_reference_are_valid() {
        let blocks: Vec<&str> = SCENARIO_DOC
            .split("```toml\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .filter(|b| b.contains("[arrivals]"))
            .collect();
        assert!(blocks.len() >= 2, "the first and the complete example");
        for b in blocks {
            if let Err(e) = crate::scenario::Scenario::from_toml(b, "docs/scenario.md") {
                panic!("an example of docs/scenario.md is invalid:\n{e}\n{b}");
            }
        }
    }
}
