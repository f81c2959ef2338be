//! The written messages: received, answered within their promise or not, reminded, and
//! how many wait (the figures of `breakdown.csv`'s message rows). Called on the message
//! paths only, so a phone-only centre never calls them.

use super::Collector;

impl Collector {
    /// A message was sent at `t`.
    pub fn message_received(&mut self, t: f64) {
        self.messages.received += u64::from(self.counts(t));
    }

    /// `n` messages wait at `now` (one was just queued).
    pub fn message_backlog(&mut self, now: f64, n: u32) {
        if self.counts(now) {
            self.messages.backlog_max = self.messages.backlog_max.max(n);
        }
    }

    /// A message sent at `arrival` waited in its queue until `to`: its part in the window
    /// is backlog time.
    pub fn message_waited(&mut self, arrival: f64, to: f64) {
        let d = to.min(self.horizon) - arrival.max(self.warmup);
        if d > 0.0 {
            self.messages.backlog_time += d;
        }
    }

    /// The answer to the message sent at `arrival` went out `response` seconds later,
    /// within its promise or not.
    pub fn message_answered(&mut self, arrival: f64, response: f64, on_time: bool) {
        if self.counts(arrival) {
            self.messages.answered += 1;
            self.messages.on_time += u64::from(on_time);
            self.messages.response.record(response);
        }
    }

    /// A reminder about the message sent at `arrival`.
    pub fn reminder(&mut self, arrival: f64) {
        self.messages.reminders += u64::from(self.counts(arrival));
    }

    /// A protected customer's new ticket did not come at `now` (a team's `depth`).
    pub fn prevented(&mut self, now: f64) {
        self.prevented += u64::from(self.counts(now));
    }

    /// A customer left for good at `now` (`arrivals.churn`).
    pub fn churned(&mut self, now: f64) {
        self.churned += u64::from(self.counts(now));
    }

    /// The message sent at `arrival` was still waiting when the run ended.
    pub fn message_still_waiting(&mut self, arrival: f64) {
        self.message_waited(arrival, self.horizon);
    }
}
