//! The figures of one interval of one day in one replication, and the ratios defined on them.

/// Figures of one interval of one day in one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IntervalStats {
    /// Calls arriving in the interval (after the warm-up).
    pub offered: u32,
    /// Of those, answered.
    pub answered: u32,
    /// Of those, abandoned.
    pub abandoned: u32,
    /// Of those, told to call back later.
    pub rejected: u32,
    /// Of those, hung up on hearing the wait.
    pub balked: u32,
    /// Of those, answered or abandoned before the run ended.
    pub settled: u32,
    /// Of those, answered within the service-level threshold.
    pub within_sl: u32,
    /// Of the settled, abandons within `simulation.short_abandon` (out of the service level).
    pub short_abandoned: u32,
    /// Of those offered, on the line at closing time and disconnected.
    pub closed: u32,
    /// Of those offered, left the line with an entry callback.
    pub callbacks: u32,
    /// Of those, called back within the promise.
    pub in_time: u32,
    /// Calls made while closed, before this day's opening (kept in the day's first interval).
    pub closed_before: u32,
    /// Calls made while closed, after this day's closing (kept in the day's last interval).
    pub closed_after: u32,
    /// Sum of the waits of the settled calls, seconds.
    pub wait_sum: f64,
    /// Agent-seconds spent busy during the interval.
    pub busy_time: f64,
    /// Agent-seconds present during the interval.
    pub staffed_time: f64,
    /// Sum of the CSAT of the tickets that closed in the interval.
    pub csat_sum: f64,
    /// Tickets that closed (and were scored) in the interval.
    pub csat_n: u32,
    /// The expected wait of the day (mix of ticket types), seconds.
    pub expected_wait: f64,
    /// The day's factor on the arrival rate from word of mouth (1 without it).
    pub word_of_mouth_factor: f64,
    /// Agent-seconds of the plan in the interval, with a roster (0 without): scheduled,
    /// present (not absent), planned on the phone (not on a break or shrinkage) and on the
    /// phone (after adherence).
    pub roster: [f64; 4],
    /// Message-seconds of waiting (messages waiting × time) in the interval, then in the
    /// day's closed stretches before opening and after closing (kept in the day's first and
    /// last cells): the backlog of written messages, `intervals.csv`'s `messages_waiting`.
    #[serde(default)]
    pub message_wait: [f64; 3],
}

impl IntervalStats {
    /// Answered within the threshold / settled calls, short abandons left out (NaN when
    /// none settled).
    pub fn service_level(&self) -> f64 {
        ratio(
            f64::from(self.within_sl),
            f64::from(self.settled - self.short_abandoned),
        )
    }

    /// (Answered within the threshold + called back within the promise) / calls offered
    /// in the interval (NaN when none was offered). Every call offered in an open
    /// interval was offered while open.
    pub fn accessibility(&self) -> f64 {
        ratio(
            f64::from(self.within_sl + self.in_time),
            f64::from(self.offered),
        )
    }

    /// Abandoned / settled calls (NaN when none settled).
    pub fn abandon_rate(&self) -> f64 {
        ratio(f64::from(self.abandoned), f64::from(self.settled))
    }

    /// Mean wait of the settled calls, seconds (NaN when none settled).
    pub fn wait_mean_s(&self) -> f64 {
        ratio(self.wait_sum, f64::from(self.settled))
    }

    /// Busy time / staffed time (NaN when nobody was present).
    pub fn occupancy(&self) -> f64 {
        ratio(self.busy_time, self.staffed_time)
    }

    /// Agents on the phone / agents planned on the phone: the adherence measured (NaN when
    /// nobody was planned).
    pub fn adherence(&self) -> f64 {
        ratio(self.roster[3], self.roster[2])
    }

    /// Mean CSAT of the tickets that closed in the interval (NaN when none did).
    pub fn csat_mean(&self) -> f64 {
        ratio(self.csat_sum, f64::from(self.csat_n))
    }
}

/// `a / b`, undefined (NaN) when `b` is 0.
pub(super) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}
