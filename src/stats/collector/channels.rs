//! The written messages: received, answered within their promise or not, reminded, and
//! how many wait (the figures of `breakdown.csv`'s message rows). Called on the message
//! paths only, so a phone-only centre never calls them.

use super::Collector;
use crate::scenario::DAY;

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
        let (a, b) = (arrival.max(self.warmup), to.min(self.horizon));
        if b > a {
            self.messages.backlog_time += b - a;
            self.spread_message_wait(a, b);
        }
    }

    /// Adds the wait `a..b` of one message to the cells it spans: each open interval's
    /// share to its own cell, the share spent closed to the day's first cell (before
    /// opening) or last cell (after closing).
    fn spread_message_wait(&mut self, a: f64, b: f64) {
        let per_day = self.grid.intervals();
        let (open, close) = (self.grid.open, self.grid.close);
        let mut t = a;
        while t < b {
            let day = self.grid.day_of(t);
            let base = day as f64 * DAY;
            let tod = t - base;
            // The end of the piece starting at `t`, the cell it goes to and which slot.
            let (end, idx, slot) = if tod < open {
                (base + open, day * per_day, 1)
            } else if tod >= close {
                (base + DAY, day * per_day + per_day - 1, 2)
            } else {
                let s = self.grid.stretch(t);
                match s.interval {
                    Some(i) => (s.end, i, 0),
                    // A rounding sliver at the day's end: the closing's.
                    None => (s.end, day * per_day + per_day - 1, 2),
                }
            };
            let e = end.min(b).max(t);
            if idx < self.end {
                self.cells.update(idx, |c| c.message_wait[slot] += e - t);
            }
            if e <= t {
                break;
            }
            t = e;
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

    /// A customer brought a new customer at `now` (`arrivals.referral`).
    pub fn gained(&mut self, now: f64) {
        self.gained += u64::from(self.counts(now));
    }

    /// A proactive contact that took `handle` seconds of an agent ended at `now` (a team's
    /// `depth.proactive`).
    pub fn proactive_contact(&mut self, now: f64, handle: f64) {
        if self.counts(now) {
            self.proactive += 1;
            self.proactive_time += handle;
        }
    }

    /// The population's stock at the horizon (`arrivals.customers`).
    pub fn customers_at_horizon(&mut self, stock: u64) {
        self.stock = stock;
    }

    /// The message sent at `arrival` was still waiting when the run ended.
    pub fn message_still_waiting(&mut self, arrival: f64) {
        self.message_waited(arrival, self.horizon);
    }
}
