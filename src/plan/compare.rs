//! Comparisons of scenarios run on common random numbers (`rappel compare`).
//!
//! Scenarios compared share their seed and number of replications, so replication *r* of
//! each sees the same customers (arrivals, ticket types, patience, base handle times). The
//! difference of a metric is then estimated replication by replication (a paired
//! comparison), whose interval is usually much narrower than the one of two independent runs.

use crate::run::RunResult;
use crate::stats::{Estimate, Metric, summarise, t_quantile_975};

/// One scenario's estimate of one metric, and its difference from the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The metric.
    pub metric: Metric,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's estimate.
    pub estimate: Estimate,
    /// The baseline's name.
    pub baseline: String,
    /// Paired difference scenario − baseline; `None` for the baseline itself.
    pub diff: Option<Estimate>,
}

impl Row {
    /// Whether the difference's 95 % interval excludes zero.
    pub fn significant(&self) -> bool {
        self.diff
            .is_some_and(|d| d.ci95_low > 0.0 || d.ci95_high < 0.0)
    }
}

/// The paired difference `other − base` of metric `m`, replication by replication
/// (replications where either value is undefined are skipped), as folded by
/// [`crate::run::run_compared`] with `base` first; undefined (NaN) when `other` was not
/// run so, or `base` is `other` itself.
pub fn paired_difference(base: &RunResult, other: &RunResult, m: Metric) -> Estimate {
    match other.paired_difference(m) {
        Some(d) if !std::ptr::eq(base, other) => d,
        _ => summarise(&[]),
    }
}

/// The difference `other − base` as if the runs were independent (Welch's interval): what
/// a comparison without common random numbers would give, for contrast.
pub fn unpaired_difference(base: &RunResult, other: &RunResult, m: Metric) -> Estimate {
    let (a, b) = (base.estimate(m), other.estimate(m));
    let (va, vb) = (a.std_error.powi(2), b.std_error.powi(2));
    let se = (va + vb).sqrt();
    // Welch–Satterthwaite degrees of freedom.
    let df =
        (va + vb).powi(2) / (va.powi(2) / (a.n as f64 - 1.0) + vb.powi(2) / (b.n as f64 - 1.0));
    let h = if df.is_finite() && df >= 1.0 {
        t_quantile_975(df.floor() as usize) * se
    } else {
        f64::NAN
    };
    let mean = b.mean - a.mean;
    Estimate {
        mean,
        ci95_low: mean - h,
        ci95_high: mean + h,
        std_error: se,
        n: a.n.min(b.n),
    }
}

/// Every metric of every run, the first run being the baseline: in metric order, then
/// scenario order. `names` gives each run's name in the output (names must be distinct).
pub fn rows(runs: &[RunResult], names: &[String]) -> Vec<Row> {
    let Some(base) = runs.first() else {
        return Vec::new();
    };
    Metric::ALL
        .iter()
        .flat_map(|&m| {
            runs.iter()
                .zip(names)
                .enumerate()
                .map(move |(i, (r, name))| Row {
                    metric: m,
                    scenario: name.clone(),
                    estimate: r.estimate(m),
                    baseline: names[0].clone(),
                    diff: (i > 0).then(|| paired_difference(base, r, m)),
                })
        })
        .collect()
}

/// Distinct display names for runs: the scenario names, with `#2`, `#3`... added to repeats.
pub fn distinct_names(runs: &[RunResult]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(runs.len());
    for r in runs {
        let base = r.scenario.name.clone();
        let mut name = base.clone();
        let mut k = 1;
        while out.contains(&name) {
            k += 1;
            name = format!("{base}#{k}");
        }
        out.push(name);
    }
    out
}
