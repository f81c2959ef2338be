//! A fixed-memory histogram of waits, with quantiles accurate to 0.1 %.

use hdrhistogram::Histogram;

/// Waits recorded in milliseconds, up to 1000 hours (longer waits count as 1000 hours).
#[derive(Debug, Clone)]
pub struct WaitHistogram {
    h: Histogram<u64>,
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
        }
    }

    /// Records a wait in seconds.
    #[inline]
    pub fn record(&mut self, seconds: f64) {
        // Waits are never negative: adding a half and truncating rounds, without `round`.
        let ms = (seconds * 1000.0 + 0.5) as u64;
        self.h.saturating_record(ms.min(MAX_MS));
    }

    /// Records `count` waits of `ms` milliseconds (a value of [`Self::recorded`]), when
    /// reading a histogram back.
    pub(crate) fn record_count(&mut self, ms: u64, count: u64) -> Result<(), String> {
        self.h.record_n(ms, count).map_err(|e| format!("{e:?}"))
    }

    /// How many waits were recorded.
    pub fn len(&self) -> u64 {
        self.h.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.h.is_empty()
    }

    /// The wait at quantile `q` (0..=1), in seconds; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.h.is_empty() {
            return f64::NAN;
        }
        self.h.value_at_quantile(q) as f64 / 1000.0
    }

    /// The longest recorded wait, in seconds (to the histogram's precision).
    pub fn max(&self) -> f64 {
        self.h.max() as f64 / 1000.0
    }

    /// How many waits lie in `[low, high)` seconds (to the histogram's precision).
    pub fn count_between(&self, low: f64, high: f64) -> u64 {
        let lo = (low * 1000.0).round() as u64;
        let hi = if high.is_finite() {
            (high * 1000.0).round() as u64
        } else {
            u64::MAX
        };
        self.h
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
        self.h
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &WaitHistogram) {
        self.h.add(&other.h).expect("same fixed bounds");
    }

    /// Takes away the counts of `other`, whose every value was also recorded here.
    pub fn remove(&mut self, other: &WaitHistogram) {
        self.h.subtract(&other.h).expect("a subset recorded here");
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
}
