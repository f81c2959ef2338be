//! Arrivals: new tickets (a Poisson process whose rate is constant within each interval
//! of the day, thinned by word of mouth), the first call of each, the later calls of
//! customers who try again, and the choice after a failed call to try again or give up.

use super::events::Event;
use super::ticket::{State, Ticket, TicketId};
use super::{Centre, Step};
use crate::engine::Stream;
use crate::scenario::{Busyness, DayGrid, Scenario};
use crate::stats::DAY_CAP;
use rand::RngExt;
use rand_distr::{Distribution, Exp1, Gamma};

/// Generates arrival times exactly, by inverting the cumulative rate: a unit-rate
/// exponential amount of "intensity" is spent across interval edges, so a rate change
/// mid-gap is honoured (sampling a gap at the current rate would not be).
pub struct ArrivalProcess {
    rng: Stream,
    /// Rates per second of each open interval, one profile per day of the cycle.
    rates: Vec<Vec<f64>>,
    day_scale: Vec<f64>,
    week_scale: [f64; 7],
    /// Each day's busyness factor, drawn in day order.
    busyness: DayFactors,
    grid: DayGrid,
    horizon: f64,
    t: f64,
    /// Current stretch of constant rate: [start is `t`, `seg_end`) at `seg_rate`.
    seg_end: f64,
    seg_rate: f64,
}

impl ArrivalProcess {
    /// The process of `s` with every rate multiplied by `boost`, drawing arrival times from
    /// `rng` and each day's busyness factor from `busyness`.
    pub fn new(s: &Scenario, rng: Stream, boost: f64, busyness: DayFactors) -> Self {
        let mut p = Self {
            rng,
            rates: s
                .arrivals
                .profiles()
                .iter()
                .map(|p| p.iter().map(|r| r * boost / 3600.0).collect())
                .collect(),
            day_scale: s.arrivals.day_scale.clone(),
            week_scale: s.arrivals.week_scale,
            busyness,
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
        let seg = self.grid.segment(self.t, self.rates[0].len());
        self.seg_end = seg.end;
        self.seg_rate = match seg.interval {
            // Given the day's factor the rate is constant on the stretch: the process stays
            // an exact non-homogeneous Poisson process, with a random day factor on top.
            Some(i) => {
                // As `Arrivals::scale`; a weekday multiplier of 1 leaves the bits as
                // they were.
                self.rates[seg.day % self.rates.len()][i]
                    * (self.day_scale[seg.day % self.day_scale.len()]
                        * self.week_scale[seg.day % 7])
                    * self.busyness.factor(seg.day)
            }
            None => 0.0,
        };
    }

    /// The busyness factors of days `0..days` (at most [`DAY_CAP`] of them): those drawn so
    /// far and, past them, the ones the run would draw next.
    pub fn day_factors(&mut self, days: usize) -> Vec<f64> {
        let days = days.min(DAY_CAP);
        if days > 0 {
            self.busyness.factor(days - 1);
        }
        self.busyness.first[..days.min(self.busyness.first.len())].to_vec()
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

/// The busyness factor of each day of one replication (`arrivals.busyness`), drawn in day
/// order from its own stream ([`crate::engine::Purpose::Busyness`]): one gamma draw per day,
/// whatever else happens, so that scenarios with the same seed and busyness share their
/// days. A list needs no draw.
#[derive(Debug, Clone)]
pub struct DayFactors {
    kind: Busyness,
    gamma: Option<Gamma<f64>>,
    rng: Stream,
    /// Days drawn so far.
    drawn: usize,
    /// The factor of day `drawn - 1`.
    last: f64,
    /// The factors of the first [`DAY_CAP`] days, for `breakdown.csv`.
    first: Vec<f64>,
}

impl DayFactors {
    /// The factors of `busyness`, drawing from `rng`.
    pub fn new(busyness: &Busyness, rng: Stream) -> Self {
        let gamma = match busyness {
            // Shape 1/cv², scale cv²: mean 1, standard deviation cv (cv from 0 to 3, so the
            // shape is at least 1/9 and both are finite and above 0).
            Busyness::Gamma { cv } => Gamma::new(1.0 / (cv * cv), cv * cv).ok(),
            _ => None,
        };
        Self {
            kind: busyness.clone(),
            gamma,
            rng,
            drawn: 0,
            last: 1.0,
            first: Vec::new(),
        }
    }

    /// The factor of `day`; days are asked for in order (an earlier day than the last drawn
    /// gets the last factor, which the arrival process never asks for).
    pub fn factor(&mut self, day: usize) -> f64 {
        while self.drawn <= day {
            let d = self.drawn;
            self.last = match (&self.kind, &self.gamma) {
                (Busyness::List(l), _) => l[d % l.len()],
                (Busyness::Gamma { .. }, Some(g)) => g.sample(&mut self.rng),
                _ => 1.0,
            };
            if d < DAY_CAP {
                self.first.push(self.last);
            }
            self.drawn += 1;
        }
        if day + 1 < self.drawn && day < DAY_CAP {
            return self.first[day];
        }
        self.last
    }
}

impl Centre<'_> {
    /// A new ticket's first call; the next one is scheduled.
    pub(super) fn new_ticket(&mut self, now: f64) {
        if let Some(t) = self.arrivals.next() {
            self.calendar.schedule_beside(t, Event::NewTicket);
        }
        // Word of mouth thins arrivals generated at the highest rate it allows.
        if let Some(w) = &self.word_of_mouth
            && self.rng.word_of_mouth.random::<f64>() * w.boost() >= w.factor()
        {
            return;
        }
        // With a population, the arrival belongs to a customer; one who left never calls.
        let customer = if self.population.is_some() {
            match self.customer_of_arrival(now) {
                Some(c) => c,
                None => return,
            }
        } else {
            u32::MAX
        };
        // Drawn for every ticket in arrival order, whatever happens to it, so that
        // scenarios sharing a seed see the same customers.
        // A single type needs no draw (the stream is the type's alone, so skipping it
        // leaves every other stream as it was).
        let ty = if self.type_cdf.len() == 1 {
            0
        } else {
            let u: f64 = self.rng.ticket_type.random();
            // With a forecast per type, the interval's own mix (the same draw: scenarios
            // that share a seed still share their customers' draws).
            let cdf = if self.type_cdfs.is_empty() {
                &self.type_cdf
            } else {
                let grid = &self.s.day;
                let d = grid.day_of(now);
                let i = grid
                    .interval_in_day(grid.time_of_day(now))
                    .unwrap_or(grid.intervals() - 1);
                &self.type_cdfs[d % self.type_cdfs.len()][i]
            };
            cdf.iter().position(|&c| u < c).unwrap_or(cdf.len() - 1)
        };
        let handle = self.handle[ty].sample(&mut self.rng.handle);
        let patience = self.patience[ty]
            .as_ref()
            .map(|p| p.sample(&mut self.rng.patience));
        let mut t = Ticket::new(self.next_ticket, ty as u32, now, handle);
        t.expected_wait = self.expected[ty];
        t.customer = customer;
        if customer != u32::MAX {
            t.expected_wait = self.remembered(customer, t.expected_wait);
        }
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

    fn none() -> DayFactors {
        DayFactors::new(&Busyness::None, stream(3, 0, Purpose::Busyness))
    }

    fn scenario(extra: &str) -> Scenario {
        scenario_with(extra, "rates_per_hour = [3600, 0, 7200, 1800]")
    }

    fn scenario_with(extra: &str, arrivals: &str) -> Scenario {
        let src = format!(
            r#"
name = "t"
[simulation]
{extra}
[arrivals]
{arrivals}
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
        let mut p = ArrivalProcess::new(&s, stream(3, 0, Purpose::Arrivals), 1.0, none());
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

    /// Arrivals per day over `reps` replications of a scenario of `days` days.
    fn daily_counts(s: &Scenario, reps: u64) -> (Vec<f64>, Vec<Vec<f64>>) {
        let days = s.day.days(s.simulation.horizon);
        let mut counts = Vec::new();
        let mut factors = Vec::new();
        for r in 0..reps {
            let b = DayFactors::new(&s.arrivals.busyness, stream(9, r, Purpose::Busyness));
            let mut p = ArrivalProcess::new(s, stream(9, r, Purpose::Arrivals), 1.0, b);
            let mut per_day = vec![0.0; days];
            while let Some(t) = p.next() {
                per_day[s.day.day_of(t)] += 1.0;
            }
            counts.extend(per_day);
            factors.push(p.day_factors(days));
        }
        (counts, factors)
    }

    #[test]
    fn busyness_gives_daily_arrivals_the_poisson_gamma_mean_and_variance() {
        // One open hour at 200 calls: Λ = 200 a day. With a gamma day factor of mean 1 and
        // cv 0.3, a day's count is Poisson-gamma (negative binomial): mean Λ, variance
        // Λ + cv²Λ² = 3800. 400 replications × 50 days = 20 000 days.
        let s = scenario_with(
            "open = \"08:00\"\nclose = \"09:00\"\ninterval = \"1h\"\ndays = 50",
            "rate_per_hour = 200\nbusyness = { cv = 0.3 }",
        );
        let (x, factors) = daily_counts(&s, 400);
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let m4 = x.iter().map(|v| (v - mean).powi(4)).sum::<f64>() / n;
        let (lambda, cv) = (200.0, 0.3);
        let want_var = lambda + cv * cv * lambda * lambda;
        // Standard errors: of the mean, sqrt(var / n); of the variance, sqrt((m4 − s⁴) / n).
        let se_mean = (want_var / n).sqrt();
        let se_var = ((m4 - var * var) / n).sqrt();
        assert!(
            (mean - lambda).abs() < 4.0 * se_mean,
            "mean {mean} vs {lambda} (se {se_mean})"
        );
        assert!(
            (var - want_var).abs() < 4.0 * se_var,
            "variance {var} vs {want_var} (se {se_var})"
        );
        // Without busyness the variance is Poisson's, far below.
        assert!(var > 2.0 * lambda);
        // The factors themselves: mean 1, standard deviation cv.
        let f: Vec<f64> = factors.concat();
        let fm = f.iter().sum::<f64>() / f.len() as f64;
        let fv = f.iter().map(|v| (v - fm).powi(2)).sum::<f64>() / (f.len() as f64 - 1.0);
        assert!(
            (fm - 1.0).abs() < 4.0 * cv / (f.len() as f64).sqrt(),
            "{fm}"
        );
        assert!((fv.sqrt() - cv).abs() < 0.02, "{}", fv.sqrt());
    }

    #[test]
    fn a_busyness_list_reproduces_exactly_and_cv_0_is_no_variation() {
        let grid = "open = \"08:00\"\nclose = \"09:00\"\ninterval = \"1h\"\ndays = 7";
        let listed = scenario_with(grid, "rate_per_hour = 100\nbusyness = [1.0, 2.0, 0.0]");
        let (counts, factors) = daily_counts(&listed, 3);
        for f in &factors {
            assert_eq!(f, &[1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0]);
        }
        // A factor of 0 is a day without calls; the same list, the same arrivals.
        assert_eq!(counts[2], 0.0);
        assert_eq!(daily_counts(&listed, 3).0, counts);
        // The list multiplies day_scale: [2, 1, ...] × day_scale [0.5] is [1, 0.5, ...].
        let both = scenario_with(
            grid,
            "rate_per_hour = 100\nday_scale = [2.0]\nbusyness = [0.5, 1.0, 0.0]",
        );
        assert_eq!(daily_counts(&both, 3).0, counts);
        let flat = scenario_with(grid, "rate_per_hour = 100\nbusyness = { cv = 0 }");
        let plain = scenario_with(grid, "rate_per_hour = 100");
        assert_eq!(flat.arrivals.busyness, Busyness::None);
        assert_eq!(daily_counts(&flat, 3), daily_counts(&plain, 3));
        // The largest cv allowed draws finite factors of 0 or more.
        let wild = scenario_with(grid, "rate_per_hour = 100\nbusyness = { cv = 3 }");
        for f in daily_counts(&wild, 20).1.concat() {
            assert!(f.is_finite() && f >= 0.0, "{f}");
        }
    }
}
