//! A fixed-memory histogram of waits, with quantiles accurate to 0.1 %.

use hdrhistogram::Histogram;

/// Waits recorded in milliseconds, up to 1000 hours (longer waits count as 1000 hours).
///
/// Waits of 0 ms (most calls of a centre that is not overloaded) are counted apart and
/// added to the histogram in one go ([`WaitHistogram::settle`]): recording them one by
/// one was a twentieth of a simulation's instructions. Every reading counts them.
#[derive(Debug, Clone)]
pub struct WaitHistogram {
    h: Histogram<u64>,
    /// Waits of 0 ms recorded and not yet in `h`.
    zeros: u64,
}

const MAX_MS: u64 = 3_600_000_000;

impl Default for WaitHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self {
            h: Histogram::new_with_bounds(1, MAX_MS, 3).expect("valid fixed bounds"),
            zeros: 0,
        }
    }

    /// Records a wait in seconds.
    #[inline]
    pub fn record(&mut self, seconds: f64) {
        // Waits are never negative: adding a half and truncating rounds, without `round`.
        // Through i64 (one instruction and its saturation, where u64 takes a branch more):
        // from 0 up, every value converts to the same as `as u64` would, a larger one than
        // MAX_MS to one above it; `max` keeps a negative (or NaN) at 0, as `as u64` did.
        let ms = (seconds * 1000.0 + 0.5).max(0.0) as i64 as u64;
        if ms == 0 {
            self.zeros += 1;
        } else {
            self.h.saturating_record(ms.min(MAX_MS));
        }
    }

    /// Adds the waits of 0 ms counted apart to the histogram (the same counts as recording
    /// them one by one); readings are then direct.
    pub fn settle(&mut self) {
        if self.zeros > 0 {
            self.h
                .saturating_record_n(0, std::mem::take(&mut self.zeros));
        }
    }

    /// The histogram with every wait in it: `h` itself once settled, else a settled copy.
    fn full(&self) -> std::borrow::Cow<'_, Histogram<u64>> {
        if self.zeros == 0 {
            std::borrow::Cow::Borrowed(&self.h)
        } else {
            let mut c = self.clone();
            c.settle();
            std::borrow::Cow::Owned(c.h)
        }
    }

    /// Records `count` waits of `ms` milliseconds (a value of [`Self::recorded`]), when
    /// reading a histogram back.
    pub(crate) fn record_count(&mut self, ms: u64, count: u64) -> Result<(), String> {
        self.h.record_n(ms, count).map_err(|e| format!("{e:?}"))
    }

    /// How many waits were recorded.
    pub fn len(&self) -> u64 {
        self.h.len() + self.zeros
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.h.is_empty() && self.zeros == 0
    }

    /// The wait at quantile `q` (0..=1), in seconds; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.is_empty() {
            return f64::NAN;
        }
        self.full().value_at_quantile(q) as f64 / 1000.0
    }

    /// The longest recorded wait, in seconds (to the histogram's precision).
    pub fn max(&self) -> f64 {
        self.full().max() as f64 / 1000.0
    }

    /// How many waits lie in `[low, high)` seconds (to the histogram's precision).
    pub fn count_between(&self, low: f64, high: f64) -> u64 {
        let lo = (low * 1000.0).round() as u64;
        let hi = if high.is_finite() {
            (high * 1000.0).round() as u64
        } else {
            u64::MAX
        };
        self.full()
            .iter_recorded()
            .filter(|v| {
                let x = v.value_iterated_to();
                x >= lo && x < hi
            })
            .map(|v| v.count_at_value())
            .sum()
    }

    /// Each recorded value (the highest of its bucket, milliseconds) with its count,
    /// in increasing order.
    pub fn recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let h = self.full();
        let v: Vec<(u64, u64)> = h
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        v.into_iter()
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &WaitHistogram) {
        self.h.add(&other.h).expect("same fixed bounds");
        self.zeros += other.zeros;
    }

    /// Takes away the counts of `other`, whose every value was also recorded here.
    pub fn remove(&mut self, other: &WaitHistogram) {
        self.settle();
        self.h
            .subtract(&*other.full())
            .expect("a subset recorded here");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_bins() {
        let mut h = WaitHistogram::new();
        for i in 0..1000 {
            h.record(f64::from(i) / 10.0); // 0.0 .. 99.9 s
        }
        assert!((h.quantile(0.5) - 50.0).abs() < 0.1);
        assert!((h.quantile(0.9) - 90.0).abs() < 0.1);
        assert_eq!(h.count_between(0.0, 10.0), 100);
        assert_eq!(h.count_between(90.0, f64::INFINITY), 100);
        assert_eq!(h.len(), 1000);
    }

    #[test]
    fn zeros_counted_apart_read_as_if_recorded_one_by_one() {
        let waits = [0.0, 0.0004, 1.5, 0.0, 30.0, 0.0, 7.25];
        let mut apart = WaitHistogram::new();
        let mut direct = Histogram::<u64>::new_with_bounds(1, MAX_MS, 3).unwrap();
        for w in waits {
            apart.record(w);
            direct.record((w * 1000.0_f64 + 0.5) as u64).unwrap();
        }
        assert_eq!(apart.zeros, 4);
        assert_eq!(apart.len(), direct.len());
        for q in [0.0, 0.3, 0.5, 0.6, 0.9, 1.0] {
            assert_eq!(
                apart.quantile(q),
                direct.value_at_quantile(q) as f64 / 1000.0
            );
        }
        let listed: Vec<_> = direct
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        assert_eq!(apart.recorded().collect::<Vec<_>>(), listed);
        assert_eq!(apart.count_between(0.0, 1.0), 4);
        let mut twice = apart.clone();
        twice.merge(&apart);
        assert_eq!(twice.len(), 2 * direct.len());
        twice.remove(&apart);
        assert_eq!(twice.recorded().collect::<Vec<_>>(), listed);
        apart.settle();
        assert_eq!(apart.zeros, 0);
        assert_eq!(apart.recorded().collect::<Vec<_>>(), listed);
    }
}
