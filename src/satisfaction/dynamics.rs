//! Slow dynamics of a multi-day run (docs/satisfaction.md): the population's expected wait
//! following the service it receives (the satisfaction curse), and word of mouth acting on
//! new arrivals after a delay. Both are off by default and both move at a rate of weeks:
//! every daily step is exponential smoothing with rate 1 − exp(−1 day / τ), which
//! approaches a constant target monotonically and never overshoots it.

use super::{MIN_EXPECTATION, Params};
use crate::scenario::DAY;
use std::collections::VecDeque;

/// The parameters of the slow dynamics (`[satisfaction]` keys `expectations_adapt`,
/// `expectation_time_better`, `expectation_time_worse` and `word_of_mouth*`).
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamics {
    /// Whether each type's expected wait follows the waits its customers meet.
    pub expectations_adapt: bool,
    /// Time constant (seconds) at which the expected wait follows shorter waits:
    /// customers come to expect better service.
    pub expectation_time_better: f64,
    /// Time constant (seconds) at which the expected wait follows longer waits:
    /// customers resign themselves to worse service, more slowly.
    pub expectation_time_worse: f64,
    /// Whether net word of mouth changes later arrivals.
    pub word_of_mouth: bool,
    /// Relative change of the arrival rate, once settled, per unit of net promoter share
    /// ((promoters − detractors) / scored: an NPS of 50 is 0.5).
    pub word_of_mouth_gain: f64,
    /// Seconds (a whole number of days, at least one) before the net promoter share of
    /// a day starts to act on arrivals.
    pub word_of_mouth_delay: f64,
    /// Time constant (seconds) of each of word of mouth's two smoothing stages: the net
    /// promoter share remembered, and the arrivals' response to it.
    pub word_of_mouth_time: f64,
}

impl Default for Dynamics {
    fn default() -> Self {
        Self {
            expectations_adapt: false,
            expectation_time_better: 14.0 * DAY,
            expectation_time_worse: 42.0 * DAY,
            word_of_mouth: false,
            word_of_mouth_gain: 0.1,
            word_of_mouth_delay: 7.0 * DAY,
            word_of_mouth_time: 7.0 * DAY,
        }
    }
}

/// The share of the gap a daily step of exponential smoothing with time constant `tau`
/// (seconds) closes: 1 − exp(−1 day / τ); 1 for τ = 0 (at once), 0 for an infinite τ.
pub fn daily_rate(tau: f64) -> f64 {
    if tau <= 0.0 {
        return 1.0;
    }
    // 1 − exp(−x) without the cancellation of a small x.
    -(-DAY / tau).exp_m1()
}

/// One daily step of exponential smoothing from `from` toward `target` at `rate`.
fn smooth(from: f64, target: f64, rate: f64) -> f64 {
    from + rate * (target - from)
}

impl Params {
    /// The next day's expected wait after customers met `experienced` seconds on average:
    /// at `expectation_time_better` after shorter waits, at `expectation_time_worse` after
    /// longer ones; unchanged when expectations do not adapt.
    pub fn next_expectation(&self, expected: f64, experienced: f64) -> f64 {
        let d = &self.dynamics;
        if !d.expectations_adapt {
            return expected;
        }
        let tau = if experienced < expected {
            d.expectation_time_better
        } else {
            d.expectation_time_worse
        };
        let next = smooth(expected, experienced, daily_rate(tau));
        // Nobody tells a microsecond from nothing: without this, a centre where nobody
        // waits shrinks its expectation every night down to 1e-300 s, which intervals.csv
        // would spell out in 300 digits.
        if next < MIN_EXPECTATION { 0.0 } else { next }
    }
}

/// Word of mouth in one replication: a day's net promoter share is smoothed (what
/// customers keep telling), waits out the delay, and the arrival factor follows it through
/// a second smoothing stage (how fast new customers act on it). Two first-order stages in
/// a row respond to a lasting change with an S-shaped curve that never overshoots.
#[derive(Debug, Clone)]
pub struct WordOfMouth {
    gain: f64,
    rate: f64,
    /// The smoothed net promoter share at the end of each of the last `delay` − 1 days,
    /// the oldest first (0 before the run started): the news of day d acts from day
    /// d + delay.
    told: VecDeque<f64>,
    /// The smoothed net promoter share now.
    share: f64,
    /// The arrival factor of the current day.
    factor: f64,
}

impl WordOfMouth {
    /// The word of mouth of `d`, before any ticket was scored: factor 1.
    pub fn new(d: &Dynamics) -> Self {
        // Validation keeps the delay to whole days from 1 to 365; the clamp keeps a
        // hand-built `Dynamics` from asking for an absurd buffer or none at all
        // (a NaN casts to 0, hence the `max`).
        let days = ((d.word_of_mouth_delay / DAY).round().clamp(1.0, 366.0) as usize).max(1);
        Self {
            gain: d.word_of_mouth_gain.clamp(0.0, 1.0),
            rate: daily_rate(d.word_of_mouth_time),
            told: std::iter::repeat_n(0.0, days - 1).collect(),
            share: 0.0,
            factor: 1.0,
        }
    }

    /// The largest factor this word of mouth can reach: arrivals are generated at this
    /// many times the scenario's rate, then thinned.
    pub fn boost(&self) -> f64 {
        1.0 + self.gain
    }

    /// Today's factor on the scenario's arrival rate, within 1 ± gain.
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// Midnight after a day with `promoters` and `detractors` among `scored` tickets: the
    /// smoothed share takes the day in (a day with no score leaves it as it was), and the
    /// factor of the new day moves toward 1 + gain × the share of `delay` days ago.
    pub fn end_of_day(&mut self, promoters: u64, detractors: u64, scored: u64) {
        if scored > 0 {
            let net = (promoters as f64 - detractors as f64) / scored as f64;
            self.share = smooth(self.share, net.clamp(-1.0, 1.0), self.rate);
        }
        self.told.push_back(self.share);
        // Never empty: one in, one out.
        let acting = self.told.pop_front().unwrap_or(self.share);
        let target = 1.0 + self.gain * acting;
        self.factor = smooth(self.factor, target, self.rate).clamp(1.0 - self.gain, self.boost());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adapting() -> Params {
        let mut p = Params::default();
        p.dynamics.expectations_adapt = true;
        p
    }

    #[test]
    fn daily_rates_follow_the_time_constant() {
        assert_eq!(daily_rate(0.0), 1.0);
        assert_eq!(daily_rate(f64::INFINITY), 0.0);
        // One day: 1 − 1/e.
        assert!((daily_rate(DAY) - (1.0 - (-1.0f64).exp())).abs() < 1e-15);
        // Two weeks: about 6.9 % of the gap a day.
        assert!((daily_rate(14.0 * DAY) - 0.06894).abs() < 1e-4);
    }

    #[test]
    fn expectations_stay_put_unless_they_adapt() {
        let p = Params::default();
        assert_eq!(p.next_expectation(60.0, 5.0), 60.0);
        assert_eq!(p.next_expectation(60.0, 500.0), 60.0);
    }

    #[test]
    fn expectations_follow_better_service_faster_than_worse() {
        let p = adapting();
        let better = 60.0 - p.next_expectation(60.0, 20.0);
        let worse = p.next_expectation(60.0, 100.0) - 60.0;
        assert!(better > 0.0 && worse > 0.0);
        assert!(better > 2.0 * worse, "{better} vs {worse}");
        // After τ of constant service, 1 − 1/e of the gap is closed.
        let mut e = 60.0;
        for _ in 0..14 {
            e = p.next_expectation(e, 20.0);
        }
        assert!(
            (e - (60.0 - 40.0 * (1.0 - (-1.0f64).exp()))).abs() < 0.01,
            "{e}"
        );
    }

    #[test]
    fn expectations_approach_a_constant_service_without_overshoot() {
        let p = adapting();
        for (start, met) in [(60.0, 10.0), (10.0, 60.0)] {
            let mut e: f64 = start;
            let mut gap = (e - met).abs();
            for _ in 0..400 {
                let next = p.next_expectation(e, met);
                assert!(
                    (next - met).abs() <= gap,
                    "{start} -> {met}: {e} then {next}"
                );
                assert!((next - met) * (start - met) >= 0.0, "overshoot: {next}");
                gap = (next - met).abs();
                e = next;
            }
            assert!(gap < 0.1, "{start} -> {met}: {e}");
        }
    }

    #[test]
    fn a_vanishing_expectation_becomes_zero() {
        let p = adapting();
        let mut e = 60.0;
        for _ in 0..20_000 {
            e = p.next_expectation(e, 0.0);
        }
        assert_eq!(e, 0.0);
        assert_eq!(p.next_expectation(0.0, 0.0), 0.0);
    }

    fn word_of_mouth() -> WordOfMouth {
        WordOfMouth::new(&Dynamics {
            word_of_mouth: true,
            ..Dynamics::default()
        })
    }

    #[test]
    fn word_of_mouth_waits_out_its_delay() {
        let mut w = word_of_mouth();
        // A week of delay: day 0's news acts from day 7, days 1 to 6 keep the factor 1.
        for day in 1..7 {
            w.end_of_day(600, 100, 1000);
            assert_eq!(w.factor(), 1.0, "day {day}");
        }
        w.end_of_day(600, 100, 1000);
        assert!(w.factor() > 1.0);
    }

    #[test]
    fn word_of_mouth_approaches_a_constant_share_monotonically() {
        for (promoters, detractors) in [(600, 100), (100, 600)] {
            let mut w = word_of_mouth();
            let target = 1.0 + 0.1 * (promoters as f64 - detractors as f64) / 1000.0;
            let mut last = w.factor();
            for day in 0..365 {
                w.end_of_day(promoters, detractors, 1000);
                let f = w.factor();
                // Never away from the target, never past it.
                assert!(
                    (f - target).abs() <= (last - target).abs(),
                    "day {day}: {f}"
                );
                assert!(
                    (f - target) * (1.0 - target) >= 0.0,
                    "day {day}: overshoot {f}"
                );
                last = f;
            }
            assert!((last - target).abs() < 1e-6, "{last} vs {target}");
        }
    }

    #[test]
    fn word_of_mouth_ignores_days_without_scores_and_stays_bounded() {
        let mut w = word_of_mouth();
        for _ in 0..100 {
            w.end_of_day(1000, 0, 1000);
            w.end_of_day(0, 0, 0);
            assert!(w.factor() <= w.boost());
        }
        assert!((w.factor() - 1.1).abs() < 1e-6, "{}", w.factor());
        // Extreme counts cannot push the factor out of its band.
        let mut w = word_of_mouth();
        for _ in 0..100 {
            w.end_of_day(0, u64::MAX, 1);
            assert!(w.factor() >= 0.9 - 1e-12);
        }
    }

    #[test]
    fn a_hand_built_absurd_word_of_mouth_does_not_panic() {
        for delay in [f64::NAN, -1.0, 0.0, f64::INFINITY] {
            let mut w = WordOfMouth::new(&Dynamics {
                word_of_mouth_delay: delay,
                ..Dynamics::default()
            });
            w.end_of_day(1, 0, 1);
            assert!(w.factor() >= 1.0 && w.factor() <= w.boost(), "{delay}");
        }
    }

    #[test]
    fn the_old_next_day_feedback_is_delay_one_day_time_zero() {
        let mut w = WordOfMouth::new(&Dynamics {
            word_of_mouth: true,
            word_of_mouth_gain: 0.5,
            word_of_mouth_delay: DAY,
            word_of_mouth_time: 0.0,
            ..Dynamics::default()
        });
        w.end_of_day(300, 100, 1000);
        assert!((w.factor() - 1.1).abs() < 1e-12);
        w.end_of_day(100, 300, 1000);
        assert!((w.factor() - 0.9).abs() < 1e-12);
    }
}
