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
    let xs: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = xs.len();
    if n == 0 {
        return Estimate {
            mean: f64::NAN,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            std_error: f64::NAN,
            n,
        };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Estimate {
            mean,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            std_error: f64::NAN,
            n,
        };
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
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
}
