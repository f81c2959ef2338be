//! The estimators: handle times by maximum likelihood (lognormal, gamma, exponential; the
//! least AIC chosen, with its Kolmogorov–Smirnov distance), patience under censoring
//! (Kaplan–Meier, and the exponential's censored maximum likelihood), the busy-day factor
//! from daily totals. docs/fit.md states each one.

use statrs::function::erf::erfc;
use statrs::function::gamma::{digamma, gamma_lr, ln_gamma};

/// Handle times are recorded in whole seconds: a 0 is taken as half a second, so that the
/// logarithm the lognormal and gamma need exists.
pub const ZERO_SECONDS: f64 = 0.5;

/// A family of distributions of durations the scenario format can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Lognormal (mean, cv).
    Lognormal,
    /// Gamma (mean, cv).
    Gamma,
    /// Exponential (mean).
    Exponential,
}

impl Family {
    /// The name written after `dist =`.
    pub fn name(self) -> &'static str {
        match self {
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Exponential => "exponential",
        }
    }
}

/// One fitted distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fitted {
    /// Its family.
    pub family: Family,
    /// Mean, seconds.
    pub mean: f64,
    /// Coefficient of variation (1 for the exponential).
    pub cv: f64,
    /// Standard error of the mean.
    pub mean_se: f64,
    /// Standard error of the cv (0 for the exponential, whose cv is fixed).
    pub cv_se: f64,
    /// Log-likelihood at the estimate.
    pub log_likelihood: f64,
    /// Akaike's criterion: 2 × parameters − 2 × log-likelihood.
    pub aic: f64,
    /// Kolmogorov–Smirnov distance between the data and the fitted distribution.
    pub ks: f64,
}

impl Fitted {
    /// The distribution's cumulative distribution function at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        cdf(self.family, self.mean, self.cv, x)
    }
}

/// The cumulative distribution function of a family of mean `mean` and cv `cv`.
pub fn cdf(family: Family, mean: f64, cv: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    match family {
        Family::Exponential => 1.0 - (-x / mean).exp(),
        Family::Lognormal => {
            let s2 = (1.0 + cv * cv).ln();
            let mu = mean.ln() - s2 / 2.0;
            0.5 * erfc(-(x.ln() - mu) / (s2.sqrt() * std::f64::consts::SQRT_2))
        }
        Family::Gamma => {
            let k = 1.0 / (cv * cv);
            gamma_lr(k, x * k / mean)
        }
    }
}

/// The three handle-time fits of a sample (values 0 or more), best (least AIC) first.
pub fn fit_handle(values: &[f64]) -> Vec<Fitted> {
    let x: Vec<f64> = values.iter().map(|&v| v.max(ZERO_SECONDS)).collect();
    let n = x.len() as f64;
    if x.is_empty() {
        return Vec::new();
    }
    let mean = x.iter().sum::<f64>() / n;
    let logs: Vec<f64> = x.iter().map(|v| v.ln()).collect();
    let mu = logs.iter().sum::<f64>() / n;
    let s2 = (logs.iter().map(|l| (l - mu).powi(2)).sum::<f64>() / n).max(1e-12);
    let sum_log = logs.iter().sum::<f64>();
    let mut out = Vec::new();
    // Lognormal: the mean and variance of the logarithms.
    {
        let sigma = s2.sqrt();
        let m = (mu + s2 / 2.0).exp();
        let cv = (s2.exp() - 1.0).sqrt();
        let ll = -sum_log - n / 2.0 * (2.0 * std::f64::consts::PI * s2).ln() - n / 2.0;
        // Delta method from se(μ) = σ/√n and se(σ) = σ/√(2n).
        let mean_se = m * sigma * ((1.0 + s2 / 2.0) / n).sqrt();
        let cv_se = sigma * s2.exp() / cv * sigma / (2.0 * n).sqrt();
        out.push(finish(Family::Lognormal, m, cv, mean_se, cv_se, ll, 2, &x));
    }
    // Gamma: the shape solves ln k − ψ(k) = ln(mean) − mean(ln x), by Newton's method.
    {
        let s = (mean.ln() - mu).max(1e-9);
        let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
        for _ in 0..50 {
            let f = k.ln() - digamma(k) - s;
            let d = 1.0 / k - trigamma(k);
            let next = (k - f / d).max(k / 10.0);
            if (next - k).abs() < 1e-12 * k {
                k = next;
                break;
            }
            k = next;
        }
        let theta = mean / k;
        let ll = (k - 1.0) * sum_log - n * mean / theta - n * k * theta.ln() - n * ln_gamma(k);
        let cv = 1.0 / k.sqrt();
        let var_k = k / (n * (k * trigamma(k) - 1.0).max(1e-12));
        let cv_se = 0.5 * k.powf(-1.5) * var_k.sqrt();
        out.push(finish(
            Family::Gamma,
            mean,
            cv,
            mean * cv / n.sqrt(),
            cv_se,
            ll,
            2,
            &x,
        ));
    }
    // Exponential: the mean.
    {
        let ll = -n * mean.ln() - n;
        out.push(finish(
            Family::Exponential,
            mean,
            1.0,
            mean / n.sqrt(),
            0.0,
            ll,
            1,
            &x,
        ));
    }
    out.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    out
}

#[allow(clippy::too_many_arguments)]
fn finish(
    family: Family,
    mean: f64,
    cv: f64,
    mean_se: f64,
    cv_se: f64,
    ll: f64,
    params: u32,
    x: &[f64],
) -> Fitted {
    let mut f = Fitted {
        family,
        mean,
        cv,
        mean_se,
        cv_se,
        log_likelihood: ll,
        aic: 2.0 * f64::from(params) - 2.0 * ll,
        ks: 0.0,
    };
    f.ks = ks_distance(x, |v| f.cdf(v));
    f
}

/// The Kolmogorov–Smirnov distance: the largest gap between the sample's empirical
/// distribution function and `cdf`.
pub fn ks_distance(x: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len() as f64;
    let mut d: f64 = 0.0;
    let mut i = 0;
    while i < s.len() {
        let mut j = i;
        while j + 1 < s.len() && s[j + 1] == s[i] {
            j += 1;
        }
        let f = cdf(s[i]);
        d = d
            .max((f - i as f64 / n).abs())
            .max(((j + 1) as f64 / n - f).abs());
        i = j + 1;
    }
    d
}

/// ψ′(k), the trigamma function: the recurrence up to 6, then its asymptotic series.
fn trigamma(mut k: f64) -> f64 {
    let mut acc = 0.0;
    while k < 6.0 {
        acc += 1.0 / (k * k);
        k += 1.0;
    }
    let k2 = k * k;
    acc + 1.0 / k + 1.0 / (2.0 * k2) + 1.0 / (6.0 * k2 * k) - 1.0 / (30.0 * k2 * k2 * k)
        + 1.0 / (42.0 * k2 * k2 * k2 * k)
}

/// Patience estimated from the waits of calls that queued: an abandonment shows a patience
/// equal to its wait, an answered call only a patience longer than its wait (censored).
#[derive(Debug, Clone, PartialEq)]
pub struct Patience {
    /// Calls that waited (or hung up) in the queue.
    pub queued: usize,
    /// Of them, those who hung up.
    pub abandoned: usize,
    /// Seconds waited in all (abandoned and answered): the exposure.
    pub exposure: f64,
    /// The exponential's censored maximum-likelihood mean: exposure / abandonments (∞
    /// without any).
    pub mean: f64,
    /// Its standard error: mean / √abandonments.
    pub mean_se: f64,
    /// The naive mean of the abandoners' waits, shown only to say why it is not used.
    pub naive_mean: f64,
    /// The Kaplan–Meier survival curve: (wait, share still patient after it), at each
    /// wait with an abandonment.
    pub km: Vec<(f64, f64)>,
}

/// Patience from `(wait, abandoned)` pairs.
pub fn fit_patience(waits: &[(f64, bool)]) -> Patience {
    let mut v: Vec<(f64, bool)> = waits.to_vec();
    // At equal waits, abandonments before censorings (the usual Kaplan–Meier convention).
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let abandoned = v.iter().filter(|w| w.1).count();
    let exposure: f64 = v.iter().map(|w| w.0).sum();
    let naive: f64 = v.iter().filter(|w| w.1).map(|w| w.0).sum();
    let mut km = Vec::new();
    let mut at_risk = v.len();
    let mut s = 1.0;
    let mut i = 0;
    while i < v.len() {
        let t = v[i].0;
        let (mut d, mut c) = (0, 0);
        while i < v.len() && v[i].0 == t {
            if v[i].1 {
                d += 1;
            } else {
                c += 1;
            }
            i += 1;
        }
        if d > 0 {
            s *= 1.0 - d as f64 / at_risk as f64;
            km.push((t, s));
        }
        at_risk -= d + c;
    }
    let mean = if abandoned > 0 {
        exposure / abandoned as f64
    } else {
        f64::INFINITY
    };
    Patience {
        queued: v.len(),
        abandoned,
        exposure,
        mean,
        mean_se: mean / (abandoned as f64).sqrt(),
        naive_mean: if abandoned > 0 {
            naive / abandoned as f64
        } else {
            f64::NAN
        },
        km,
    }
}

/// Daily totals grouped by weekday, the groups [`busyness_cv`] reads: group `k` holds the
/// totals of days `k`, `k + 7`, … (day 0 is the log's first day).
pub fn weekday_groups(day_totals: &[f64]) -> Vec<Vec<f64>> {
    (0..7)
        .map(|k| day_totals.iter().skip(k).step_by(7).copied().collect())
        .collect()
}

/// The busy-day factor's coefficient of variation from daily totals grouped by weekday
/// (each group: the totals of the days of one weekday): the Poisson-gamma model gives a
/// day's total a variance Λ + cv²Λ², so cv² = Σ (n−1)(s² − mean) / Σ (n−1) mean², over
/// the groups of two days or more; 0 when the days vary no more than Poisson's. `None`
/// when no weekday has two days.
pub fn busyness_cv(groups: &[Vec<f64>]) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for g in groups.iter().filter(|g| g.len() >= 2) {
        let n = g.len() as f64;
        let m = g.iter().sum::<f64>() / n;
        let s2 = g.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        num += (n - 1.0) * (s2 - m);
        den += (n - 1.0) * m * m;
    }
    (den > 0.0).then(|| (num / den).max(0.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_fit_is_the_moments_of_the_logs() {
        let x = [100.0, 200.0, 400.0];
        let f = fit_handle(&x);
        let ln = f.iter().find(|f| f.family == Family::Lognormal).unwrap();
        let mu = (100f64.ln() + 200f64.ln() + 400f64.ln()) / 3.0;
        let s2 = [100f64, 200.0, 400.0]
            .iter()
            .map(|v| (v.ln() - mu).powi(2))
            .sum::<f64>()
            / 3.0;
        assert!((ln.mean - (mu + s2 / 2.0).exp()).abs() < 1e-9);
        let ex = f.iter().find(|f| f.family == Family::Exponential).unwrap();
        assert!((ex.mean - 700.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn kaplan_meier_by_hand() {
        // Waits 10 (abandoned), 20 (answered), 30 (abandoned): S(10) = 2/3, S(30) = 0.
        let p = fit_patience(&[(10.0, true), (20.0, false), (30.0, true)]);
        assert_eq!(p.km.len(), 2);
        assert_eq!((p.km[0].0, p.km[1]), (10.0, (30.0, 0.0)));
        assert!((p.km[0].1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(p.mean, 30.0);
        assert_eq!(p.naive_mean, 20.0);
    }

    #[test]
    fn ks_of_a_perfect_uniform_sample() {
        let x = [0.25, 0.5, 0.75, 1.0];
        assert!((ks_distance(&x, |v| v.min(1.0)) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn weekday_groups_take_every_seventh_day() {
        let totals: Vec<f64> = (0..9).map(f64::from).collect();
        let g = weekday_groups(&totals);
        assert_eq!(g.len(), 7);
        assert_eq!(g[0], [0.0, 7.0]);
        assert_eq!(g[1], [1.0, 8.0]);
        assert_eq!(g[6], [6.0]);
    }

    #[test]
    fn busyness_from_days_that_vary_more_than_poisson() {
        // Two weekdays, totals 100 and 140 (mean 120, s² 800): cv² = (800 − 120)/120².
        let cv = busyness_cv(&[vec![100.0, 140.0]]).unwrap();
        assert!((cv * cv - 680.0 / 14_400.0).abs() < 1e-12);
        assert_eq!(busyness_cv(&[vec![100.0, 101.0]]), Some(0.0));
        assert_eq!(busyness_cv(&[vec![100.0]]), None);
    }
}
