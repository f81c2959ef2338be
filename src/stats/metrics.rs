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
    /// Answered calls / settled calls.
    AnsweredShare,
    /// Abandoned calls / settled calls that reached the queue.
    AbandonRate,
    /// Calls that found no agent free / settled calls that reached the queue.
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
    /// Calls answered within the threshold / settled calls that reached the queue.
    ServiceLevel,
    /// Busy agent time / staffed agent time.
    Occupancy,
    /// Time-average number of callers waiting.
    QueueLengthMean,
    /// Time-average number of agents present.
    AgentsStaffedMean,
    /// Calls still waiting when the run ended.
    ContactsOpenAtHorizon,
}

impl Metric {
    /// Every metric, in output order.
    pub const ALL: [Metric; 16] = [
        Metric::OfferedContacts,
        Metric::Redials,
        Metric::AnsweredShare,
        Metric::AbandonRate,
        Metric::PWait,
        Metric::AsaS,
        Metric::WaitMeanS,
        Metric::WaitP50S,
        Metric::WaitP90S,
        Metric::WaitP95S,
        Metric::WaitP99S,
        Metric::ServiceLevel,
        Metric::Occupancy,
        Metric::QueueLengthMean,
        Metric::AgentsStaffedMean,
        Metric::ContactsOpenAtHorizon,
    ];

    /// Number of metrics.
    pub const COUNT: usize = Self::ALL.len();

    /// Position in [`Metric::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The column value in the CSV files: a stable, snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Metric::OfferedContacts => "offered_contacts",
            Metric::Redials => "redials",
            Metric::AnsweredShare => "answered_share",
            Metric::AbandonRate => "abandon_rate",
            Metric::PWait => "p_wait",
            Metric::AsaS => "asa_s",
            Metric::WaitMeanS => "wait_mean_s",
            Metric::WaitP50S => "wait_p50_s",
            Metric::WaitP90S => "wait_p90_s",
            Metric::WaitP95S => "wait_p95_s",
            Metric::WaitP99S => "wait_p99_s",
            Metric::ServiceLevel => "service_level",
            Metric::Occupancy => "occupancy",
            Metric::QueueLengthMean => "queue_length_mean",
            Metric::AgentsStaffedMean => "agents_staffed_mean",
            Metric::ContactsOpenAtHorizon => "contacts_open_at_horizon",
        }
    }

    /// The unit written in the `unit` column.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::OfferedContacts | Metric::Redials | Metric::ContactsOpenAtHorizon => "contacts",
            Metric::AnsweredShare
            | Metric::AbandonRate
            | Metric::PWait
            | Metric::ServiceLevel
            | Metric::Occupancy => "share",
            Metric::AsaS
            | Metric::WaitMeanS
            | Metric::WaitP50S
            | Metric::WaitP90S
            | Metric::WaitP95S
            | Metric::WaitP99S => "s",
            Metric::QueueLengthMean => "callers",
            Metric::AgentsStaffedMean => "agents",
        }
    }

    /// A short label for the terminal table.
    pub fn label(self) -> &'static str {
        match self {
            Metric::OfferedContacts => "Offered calls",
            Metric::Redials => "Redials",
            Metric::AnsweredShare => "Answered",
            Metric::AbandonRate => "Abandoned",
            Metric::PWait => "Had to wait",
            Metric::AsaS => "Mean answer time (ASA)",
            Metric::WaitMeanS => "Mean wait",
            Metric::WaitP50S => "Median wait",
            Metric::WaitP90S => "90th percentile wait",
            Metric::WaitP95S => "95th percentile wait",
            Metric::WaitP99S => "99th percentile wait",
            Metric::ServiceLevel => "Service level",
            Metric::Occupancy => "Agent occupancy",
            Metric::QueueLengthMean => "Mean queue length",
            Metric::AgentsStaffedMean => "Mean agents staffed",
            Metric::ContactsOpenAtHorizon => "Still waiting at the end",
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
}
