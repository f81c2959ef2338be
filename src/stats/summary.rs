//! Means and Student-t 95 % confidence intervals across replications.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// A mean across replications with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Mean of the replication values that are defined.
    pub mean: f64,
    /// Lower end of the 95 % interval (NaN with fewer than two values).
    pub ci95_low: f64,
    /// Upper end of the 95 % interval (NaN with fewer than two values).
    pub ci95_high: f64,
    /// Standard error of the mean (NaN with fewer than two values).
    pub std_error: f64,
    /// How many replications had a defined value.
    pub n: usize,
}

impl Estimate {
    /// Half the width of the interval.
    pub fn half_width(&self) -> f64 {
        (self.ci95_high - self.ci95_low) / 2.0
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile_975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN)
}

/// Summarises replication values; NaN values (metric undefined in that replication) are skipped.
pub fn summarise(values: &[f64]) -> Estimate {
    let mut m = Moments::default();
    for &v in values {
        m.push(v);
    }
    m.estimate()
}

/// A running mean and spread of replication values, folded one value at a time in
/// replication order (NaN values skipped), so that a summary needs no list of values.
///
/// The mean is the plain sum divided by the count; the spread is Welford's running sum of
/// squared deviations, of the differences from the first value. Folding the same values in the same order gives the same bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    n: usize,
    sum: f64,
    /// The first value: the others are folded as differences from it, which keeps the
    /// spread accurate when the mean is large against it.
    shift: f64,
    mean: f64,
    m2: f64,
}

impl Default for Moments {
    /// No value yet. The sum starts at -0.0, as `Iterator::sum` does, so that a mean of
    /// -0.0 values stays -0.0.
    fn default() -> Self {
        Self {
            n: 0,
            sum: -0.0,
            shift: 0.0,
            mean: 0.0,
            m2: 0.0,
        }
    }
}

impl Moments {
    /// The state as five words, bit for bit (for fixed-size records on disk).
    pub(crate) fn to_words(self) -> [u64; 5] {
        [
            self.n as u64,
            self.sum.to_bits(),
            self.shift.to_bits(),
            self.mean.to_bits(),
            self.m2.to_bits(),
        ]
    }

    /// The state written by [`Self::to_words`].
    pub(crate) fn from_words(w: [u64; 5]) -> Self {
        Self {
            n: w[0] as usize,
            sum: f64::from_bits(w[1]),
            shift: f64::from_bits(w[2]),
            mean: f64::from_bits(w[3]),
            m2: f64::from_bits(w[4]),
        }
    }

    /// Adds one value (NaN: skipped).
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        if self.n == 0 {
            self.shift = x;
        }
        self.n += 1;
        self.sum += x;
        let x = x - self.shift;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// How many values were defined.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The mean of the defined values (NaN when none).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.sum / self.n as f64
        }
    }

    /// The mean with its Student-t 95 % interval.
    pub fn estimate(&self) -> Estimate {
        let n = self.n;
        let mean = self.mean();
        if n < 2 {
            return Estimate {
                mean,
                ci95_low: f64::NAN,
                ci95_high: f64::NAN,
                std_error: f64::NAN,
                n,
            };
        }
        let var = self.m2 / (n - 1) as f64;
        let se = (var / n as f64).sqrt();
        let h = t_quantile_975(n - 1) * se;
        Estimate {
            mean,
            ci95_low: mean - h,
            ci95_high: mean + h,
            std_error: se,
            n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_interval_matches_tables() {
        assert!((t_quantile_975(4) - 2.776).abs() < 1e-3);
        assert!((t_quantile_975(29) - 2.045).abs() < 1e-3);
        let e = summarise(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        // s = sqrt(2.5), se = s / sqrt(5), half-width = 2.776 * se.
        assert!((e.half_width() - 2.776 * (2.5f64 / 5.0).sqrt()).abs() < 1e-3);
    }

    #[test]
    fn undefined_values_are_skipped() {
        let e = summarise(&[f64::NAN, 2.0, 4.0]);
        assert_eq!((e.mean, e.n), (3.0, 2));
        let one = summarise(&[7.0]);
        assert_eq!(one.mean, 7.0);
        assert!(one.ci95_low.is_nan());
        assert!(summarise(&[]).mean.is_nan());
    }

    /// The running fold agrees with the two-pass formula to 1e-12 relatively, on values
    /// with a large mean and a small spread (where a naive sum of squares would not).
    #[test]
    fn the_running_spread_matches_the_two_pass_formula() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| 1e6 + ((i * 7919) % 1000) as f64 / 1000.0)
            .collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64;
        let se = (var / xs.len() as f64).sqrt();
        let e = summarise(&xs);
        assert_eq!(e.mean, mean);
        assert!(
            (e.std_error - se).abs() <= 1e-12 * se,
            "{} vs {se}",
            e.std_error
        );
    }
}
