//! Arrivals: new tickets (a Poisson process whose rate is constant within each interval
//! of the day, thinned by word of mouth), the first call of each, the later calls of
//! customers who try again, and the choice after a failed call to try again or give up.

use super::events::Event;
use super::ticket::{State, Ticket, TicketId};
use super::{Centre, Step};
use crate::engine::Stream;
use crate::scenario::{DayGrid, Scenario};
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

/// Generates arrival times exactly, by inverting the cumulative rate: a unit-rate
/// exponential amount of "intensity" is spent across interval edges, so a rate change
/// mid-gap is honoured (sampling a gap at the current rate would not be).
pub struct ArrivalProcess {
    rng: Stream,
    /// Rates per second of each open interval.
    rates: Vec<f64>,
    day_scale: Vec<f64>,
    week_scale: [f64; 7],
    grid: DayGrid,
    horizon: f64,
    t: f64,
    /// Current stretch of constant rate: [start is `t`, `seg_end`) at `seg_rate`.
    seg_end: f64,
    seg_rate: f64,
}

impl ArrivalProcess {
    /// The process of `s` with every rate multiplied by `boost`, drawing from `rng`.
    pub fn new(s: &Scenario, rng: Stream, boost: f64) -> Self {
        let mut p = Self {
            rng,
            rates: s
                .arrivals
                .rates_per_hour
                .iter()
                .map(|r| r * boost / 3600.0)
                .collect(),
            day_scale: s.arrivals.day_scale.clone(),
            week_scale: s.arrivals.week_scale,
            grid: s.day.clone(),
            horizon: s.simulation.horizon,
            t: 0.0,
            seg_end: 0.0,
            seg_rate: 0.0,
        };
        p.locate();
        p
    }

    /// Sets the stretch of constant rate that starts at `self.t`.
    fn locate(&mut self) {
        // The clock's segment rule, not its stretch: on an edge that rounding left behind,
        // the old rate runs on for a microsecond (see `DayGrid::segment`).
        let seg = self.grid.segment(self.t, self.rates.len());
        self.seg_end = seg.end;
        self.seg_rate = seg.interval.map_or(0.0, |i| {
            // As `Arrivals::scale`; a weekday multiplier of 1 leaves the bits as they were.
            self.rates[i]
                * (self.day_scale[seg.day % self.day_scale.len()] * self.week_scale[seg.day % 7])
        });
    }

    /// The next arrival time, or `None` when it would fall at or after the horizon.
    #[inline]
    pub fn next(&mut self) -> Option<f64> {
        let mut need: f64 = Exp1.sample(&mut self.rng);
        loop {
            if self.t >= self.horizon {
                return None;
            }
            let room = self.seg_rate * (self.seg_end - self.t);
            if need < room {
                self.t += need / self.seg_rate;
                return (self.t < self.horizon).then_some(self.t);
            }
            need -= room;
            self.t = self.seg_end;
            self.locate();
        }
    }
}

impl Centre<'_> {
    /// A new ticket's first call; the next one is scheduled.
    pub(super) fn new_ticket(&mut self, now: f64) {
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule(t, Event::NewTicket);
        }
        // Word of mouth thins arrivals generated at the highest rate it allows.
        if let Some(w) = &self.word_of_mouth
            && self.rng.word_of_mouth.random::<f64>() * w.boost() >= w.factor()
        {
            return;
        }
        // Drawn for every ticket in arrival order, whatever happens to it, so that
        // scenarios sharing a seed see the same customers.
        // A single type needs no draw (the stream is the type's alone, so skipping it
        // leaves every other stream as it was).
        let ty = if self.type_cdf.len() == 1 {
            0
        } else {
            let u: f64 = self.rng.ticket_type.random();
            self.type_cdf
                .iter()
                .position(|&c| u < c)
                .unwrap_or(self.type_cdf.len() - 1)
        };
        let handle = self.handle[ty].sample(&mut self.rng.handle);
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.rng.patience));
        let mut t = Ticket::new(self.next_ticket, ty as u32, now, handle);
        t.expected_wait = self.expected[ty];
        let ticket = self.tickets.insert(t);
        self.next_ticket += 1;
        self.stats.ticket_created(now, ty);
        self.open_counted += u64::from(self.stats.counts(now));
        self.arrive_with_patience(now, ticket, patience);
    }

    /// The customer of `ticket` calls again.
    pub(super) fn arrive(&mut self, now: f64, ticket: TicketId) {
        let ty = self.tickets.get(ticket).ticket_type as usize;
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.rng.redial_patience));
        self.arrive_with_patience(now, ticket, patience);
    }

    /// A call that did not reach an agent (rejected, balked, abandoned) or a broken
    /// callback: the customer tries again later, or the ticket is lost.
    pub(super) fn failed_call(&mut self, now: f64, ticket: TicketId) {
        let failures = self.tickets.get(ticket).failures();
        let again = match &self.s.entry.redial {
            Some(r) => self.rng.redial.random::<f64>() < r.probability(failures),
            None => false,
        };
        if again {
            let delay = self
                .redial_delay
                .as_ref()
                .map_or(0.0, |d| d.sample(&mut self.rng.redial_delay));
            self.note(now, ticket, |_| Step::WillCallAgain { at: now + delay });
            self.call_again_at(now + delay, ticket);
        } else {
            self.close(now, ticket, false);
        }
    }

    /// The customer of `ticket` will call at `at`.
    pub(super) fn call_again_at(&mut self, at: f64, ticket: TicketId) {
        let t = self.tickets.get_mut(ticket);
        t.state = State::Away;
        t.generation = t.generation.wrapping_add(1);
        let generation = t.generation;
        self.calendar
            .schedule(at, Event::Retry { ticket, generation });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, stream};

    fn scenario(extra: &str) -> Scenario {
        let src = format!(
            r#"
name = "t"
[simulation]
{extra}
[arrivals]
rates_per_hour = [3600, 0, 7200, 1800]
[[ticket_types]]
name = "a"
handle_time = {{ dist = "exponential", mean = 60 }}
patience = {{ dist = "exponential", mean = 60 }}
[[teams]]
name = "t"
agents = 5
serves = ["a"]
"#
        );
        Scenario::from_toml(&src, "test").unwrap()
    }

    #[test]
    fn counts_per_interval_follow_the_profile() {
        // Four 1-hour intervals from 08:00; 20 days. Expected counts per interval:
        // 72000, 0, 144000, 36000; Poisson, so the standard deviation is sqrt(count).
        let s = scenario("open = \"08:00\"\nclose = \"12:00\"\ninterval = \"1h\"\ndays = 20");
        let mut p = ArrivalProcess::new(&s, stream(3, 0, Purpose::Arrivals), 1.0);
        let mut counts = [0u64; 4];
        while let Some(t) = p.next() {
            let tod = s.day.time_of_day(t);
            assert!(
                (8.0 * 3600.0..12.0 * 3600.0).contains(&tod),
                "arrival while closed: {tod}"
            );
            counts[s.day.interval_in_day(tod).unwrap()] += 1;
        }
        for (got, want) in counts.iter().zip([72000.0, 0.0, 144000.0, 36000.0]) {
            let sd = f64::sqrt(want);
            assert!(
                (*got as f64 - want).abs() <= 4.0 * sd.max(1.0),
                "{got} vs {want}"
            );
        }
    }
}
