//! `--precision`: replications added until every chosen metric's interval is narrow enough.

use crate::run::RunResult;
use crate::scenario::Scenario;
use crate::stats::Metric;
use crate::stats::ReplicationResult;

/// How a run to a precision ended.
#[derive(Debug, Clone, PartialEq)]
pub struct PrecisionReport {
    /// The relative half-width asked for.
    pub target: f64,
    /// Whether every metric reached it.
    pub met: bool,
    /// The largest number of replications allowed.
    pub cap: u32,
    /// The metric that needed the most replications, and its relative half-width at the end.
    pub hardest: Option<(Metric, f64)>,
    /// Each metric's relative half-width at the end (NaN where the mean is 0 or undefined:
    /// no relative precision exists there, and the metric is not waited for).
    pub achieved: Vec<(Metric, f64)>,
}

/// Relative half-width of a metric's interval: half-width / |mean|.
fn relative_half_width(r: &RunResult, m: Metric) -> f64 {
    let e = r.estimate(m);
    if e.mean == 0.0 || e.mean.is_nan() {
        f64::NAN
    } else {
        e.half_width() / e.mean.abs()
    }
}

/// Runs replications until every metric of `metrics` has a 95 % interval whose half-width
/// is at most `target` × |mean|, or `cap` replications are done. Starts with the
/// scenario's replications (at least 3), then adds batches sized from the current
/// half-widths (which shrink as 1/√n). Replication *r* is the same whichever batch runs it,
/// so the result equals a plain run with as many replications. `each` sees every
/// replication, in replication order.
pub fn run_to_precision(
    s: &Scenario,
    threads: Option<usize>,
    progress: impl Fn(u32) + Sync,
    target: f64,
    metrics: &[Metric],
    cap: u32,
    mut each: impl FnMut(&ReplicationResult),
) -> (RunResult, PrecisionReport) {
    let start = std::time::Instant::now();
    let cap = cap.max(3);
    let mut n = s.simulation.replications.clamp(3, cap);
    let mut result =
        crate::run::run_scenario_each(&with_replications(s, n), threads, &progress, &mut each);
    loop {
        result.wall_time_s = start.elapsed().as_secs_f64();
        let achieved: Vec<(Metric, f64)> = metrics
            .iter()
            .map(|&m| (m, relative_half_width(&result, m)))
            .collect();
        // Replications each metric needs: n × (achieved / target)², as widths shrink as 1/√n.
        let need = |w: f64| (f64::from(n) * (w / target).powi(2)).ceil();
        let hardest = achieved
            .iter()
            .filter(|(_, w)| !w.is_nan())
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .copied();
        let met = achieved.iter().all(|(_, w)| w.is_nan() || *w <= target);
        if met || n >= cap {
            let report = PrecisionReport {
                target,
                met,
                cap,
                hardest,
                achieved,
            };
            return (result, report);
        }
        let wanted = hardest.map_or(f64::from(n) + 1.0, |(_, w)| need(w));
        // Grow by at least 2 and at most doubling per batch, so a noisy early estimate
        // neither stalls the run nor overshoots it far.
        let next = (wanted as u32).clamp(n + 2, (2 * n).max(n + 2)).min(cap);
        result.extend(s, n..next, threads, &progress, &mut each);
        n = next;
    }
}

/// `s` with `n` replications.
fn with_replications(s: &Scenario, n: u32) -> Scenario {
    let mut s = s.clone();
    s.simulation.replications = n;
    s
}
