//! Replications are folded as they finish, in replication order: the summaries do not
//! depend on the threads, the blocks or the batches of `--precision`, and they equal the
//! computations over every replication kept in memory.

use crate::common::root;
use rappel::run::{RunResult, run_compared, run_scenario, run_to_precision, simulate_replications};
use rappel::scenario::Scenario;
use rappel::stats::{Estimate, Metric, ReplicationResult, t_quantile_975};

/// A shipped scenario with `n` replications.
fn shipped(name: &str, n: u32) -> Scenario {
    let path = root().join("scenarios").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut s = Scenario::from_toml(&text, name).unwrap();
    s.simulation.replications = n;
    s
}

const SCENARIOS: [&str; 3] = ["erlang-a.toml", "virtual-hold.toml", "realistic-day.toml"];

/// Every figure a run's files are made of, printed exactly (`{:?}` of an f64 round-trips).
fn figures(r: &RunResult) -> String {
    let metrics: Vec<Estimate> = Metric::ALL.iter().map(|m| r.estimate(*m)).collect();
    format!(
        "{metrics:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        r.wait_distribution(),
        r.intervals(),
        r.interval_spread(),
        r.satisfaction_distribution(),
        r.satisfaction_drivers(),
        r.events()
    )
}

#[test]
fn summaries_are_identical_whatever_the_threads_blocks_and_batches() {
    for name in SCENARIOS {
        let s = shipped(name, 30);
        // 1 and 2 threads run blocks of 8 replications, 3 of 12, 7 of 28.
        let one = figures(&run_scenario(&s, Some(1), |_| {}));
        for t in [2, 3, 7] {
            assert!(
                one == figures(&run_scenario(&s, Some(t), |_| {})),
                "{name}: 1 and {t} threads differ"
            );
        }
        // --precision folds batches 0..3, 3..6, ... until its cap: the same 30 replications.
        let mut few = s.clone();
        few.simulation.replications = 3;
        let (p, report) = run_to_precision(
            &few,
            Some(2),
            |_| {},
            1e-9,
            &[Metric::WaitMeanS],
            30,
            |_| {},
        );
        assert!(!report.met && p.replications() == 30);
        assert!(one == figures(&p), "{name}: --precision differs");
        // And a comparison's runs are the plain runs.
        let runs = run_compared(&[s.clone(), s.clone()], Some(3), |_| {});
        assert!(one == figures(&runs[1]), "{name}: compare differs");
    }
}

/// The former two-pass summary of a list of values (NaN skipped).
fn two_pass(values: &[f64]) -> Estimate {
    let xs: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = xs.len();
    let mean = xs.iter().sum::<f64>() / n as f64;
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

/// The mean is the same bits; the interval and the standard error agree within 1e-12 of
/// their size plus 1e-12 of the mean (last digits of a running versus a two-pass spread,
/// whose rounding is relative to the values' size, which the mean gives).
fn close(folded: Estimate, kept: Estimate, what: &str) {
    assert_eq!(folded.n, kept.n, "{what}");
    assert_eq!(folded.mean.to_bits(), kept.mean.to_bits(), "{what}: mean");
    if kept.n < 2 {
        return;
    }
    let tol = 1e-12 * (kept.half_width().abs() + kept.mean.abs());
    for (a, b) in [
        (folded.ci95_low, kept.ci95_low),
        (folded.ci95_high, kept.ci95_high),
    ] {
        assert!((a - b).abs() <= tol, "{what}: {a} vs {b}");
    }
    assert!(
        (folded.std_error - kept.std_error).abs() <= 1e-12 * (kept.std_error + kept.mean.abs()),
        "{what}: std error {} vs {}",
        folded.std_error,
        kept.std_error
    );
}

#[test]
fn the_fold_equals_the_computations_over_kept_replications() {
    for name in SCENARIOS {
        let s = shipped(name, 12);
        let r = run_scenario(&s, None, |_| {});
        let reps: Vec<ReplicationResult> = simulate_replications(&s, None);
        assert_eq!(r.replications(), reps.len());
        for m in Metric::ALL {
            let values: Vec<f64> = reps.iter().map(|x| x.get(m)).collect();
            if values.iter().filter(|v| !v.is_nan()).count() > 0 {
                close(r.estimate(m), two_pass(&values), m.name());
            }
        }
        // Wait bins: from the pooled p99, then each bin's share per replication.
        let dist = r.wait_distribution();
        assert!(!dist.is_empty(), "{name}: waits");
        for b in &dist {
            let shares: Vec<f64> = reps
                .iter()
                .map(|x| x.waits.count_between(b.start_s, b.end_s) as f64 / x.waits.len() as f64)
                .collect();
            close(
                b.share,
                two_pass(&shares),
                &format!("{name} wait bin {}", b.start_s),
            );
        }
        let mut pooled = rappel::stats::WaitHistogram::new();
        reps.iter().for_each(|x| pooled.merge(&x.waits));
        let p99 = pooled.quantile(0.99);
        let width = dist[0].end_s - dist[0].start_s;
        assert!(
            width <= p99 / 30.0 * 2.5 + 0.1 && dist.len() <= 61,
            "{name}: bins"
        );
        // Interval means: offered calls summed then divided, ratios averaged where defined.
        let rows = r.intervals();
        assert_eq!(rows.len(), reps[0].intervals.len());
        let cells: Vec<_> = reps.iter().map(|x| x.intervals.to_vec()).collect();
        for (i, row) in rows.iter().enumerate() {
            let offered: f64 = cells.iter().map(|x| f64::from(x[i].offered)).sum();
            assert_eq!(
                row.offered.to_bits(),
                (offered / reps.len() as f64).to_bits()
            );
            let sl: Vec<f64> = cells.iter().map(|x| x[i].service_level()).collect();
            if sl.iter().any(|v| !v.is_nan()) {
                assert_eq!(row.service_level.to_bits(), two_pass(&sl).mean.to_bits());
            }
        }
        // CSAT shares and drivers.
        for (k, c) in r.satisfaction_distribution().iter().enumerate() {
            let shares: Vec<f64> = reps
                .iter()
                .map(|x| x.csat_counts[k] as f64 / x.csat_counts.iter().sum::<u64>() as f64)
                .collect();
            if shares.iter().any(|v| !v.is_nan()) {
                close(c.share, two_pass(&shares), "csat");
            }
        }
        for (k, d) in r.satisfaction_drivers().iter().enumerate() {
            let values: Vec<f64> = reps.iter().map(|x| x.drivers[k]).collect();
            if values.iter().any(|v| !v.is_nan()) {
                close(d.contribution, two_pass(&values), d.term.name());
            }
        }
    }
}

#[test]
fn paired_differences_are_folded_replication_by_replication() {
    let mut base = shipped("erlang-a.toml", 10);
    base.teams[0]
        .staffing
        .iter_mut()
        .for_each(|a| *a = a.saturating_sub(3));
    let other = shipped("erlang-a.toml", 10);
    let runs = run_compared(&[base.clone(), other.clone()], None, |_| {});
    let (a, b) = (
        simulate_replications(&base, None),
        simulate_replications(&other, None),
    );
    for m in Metric::ALL {
        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| y.get(m) - x.get(m)).collect();
        if d.iter().any(|v| !v.is_nan()) {
            close(
                rappel::compare::paired_difference(&runs[0], &runs[1], m),
                two_pass(&d),
                m.name(),
            );
        }
    }
    assert!(runs[0].paired_difference(Metric::WaitMeanS).is_none());
}
