//! The one theory harness: simulated estimates against analytic figures (Erlang B, C and
//! A, M/M/c/K(+M), exact shares) within [`Z`] standard errors of the mean across
//! replications, and the two checks of Little's law.
//!
//! Every comparison also checks that the standard error is small against the value, so
//! that the tolerance can never be so wide that the test cannot fail.

use rappel::run::RunResult;
use rappel::stats::{Estimate, Metric};

/// Allowed distance between simulation and theory: 4 standard errors.
pub const Z: f64 = 4.0;

/// Asserts that `e` agrees with `want` within [`Z`] standard errors, and that its standard
/// error is finite and below `max_se`, so that the comparison is sharp enough to fail.
pub fn agrees_within(e: Estimate, want: f64, max_se: f64, what: &str) {
    assert!(
        e.std_error.is_finite() && e.std_error < max_se,
        "{what}: standard error {} too large to test against {want}",
        e.std_error
    );
    assert!(
        (e.mean - want).abs() <= Z * e.std_error,
        "{what}: simulated {} ± {} (SE), theory {want}, off by {:.1} SE",
        e.mean,
        e.std_error,
        (e.mean - want).abs() / e.std_error
    );
}

/// [`agrees_within`] with a standard error below `rel` × `want`.
pub fn agrees(e: Estimate, want: f64, rel: f64, what: &str) {
    agrees_within(e, want, rel * want.abs(), what);
}

/// Runs through `pairs` of a metric of `r` and its theoretical value: a zero value must be
/// met exactly, any other must [`agrees_within`] a standard error below `max_se(value)`.
pub fn matches_theory(
    r: &RunResult,
    pairs: &[(Metric, f64)],
    max_se: impl Fn(f64) -> f64,
    what: impl Fn(Metric) -> String,
) {
    for &(m, want) in pairs {
        let e = r.estimate(m);
        if want == 0.0 {
            assert_eq!(e.mean, 0.0, "{}: {} should be 0", what(m), e.mean);
        } else {
            agrees_within(e, want, max_se(want), &what(m));
        }
    }
}

/// Asserts that `e` lies more than [`Z`] standard errors from `other`: the comparison
/// can tell the model simulated from a neighbouring one whose theory gives `other`.
pub fn tells_apart(e: Estimate, other: f64, what: &str) {
    assert!(
        (e.mean - other).abs() > Z * e.std_error,
        "{what}: {} ± {} (SE) cannot be told from {other}",
        e.mean,
        e.std_error
    );
}

/// Little's law with the offered rate, on every replication: time-average queue =
/// offered calls per second × mean wait, within 2 % (plus 1e-3 for a nearly empty queue).
/// Only for centres where every offered call joins the queue (no rejection, balk or
/// callback); the gap is the edge effects at the warm-up and horizon, far below 2 %.
pub fn littles_law_with_offered_rate(r: &RunResult) {
    let s = &r.scenario.simulation;
    let observed = s.horizon - s.warmup;
    for rep in &crate::common::kept(r) {
        let lambda = rep.get(Metric::OfferedContacts) / observed;
        let l = rep.get(Metric::QueueLengthMean);
        let w = rep.get(Metric::WaitMeanS);
        assert!(
            (l - lambda * w).abs() <= 0.02 * l + 1e-3,
            "Little's law: L = {l}, lambda W = {}",
            lambda * w
        );
    }
}

/// Little's law with the rate of callers who join the queue, on every replication, within
/// 0.5 % (plus 1e-3): the time-average number of callers on the line
/// equals the rate of calls that reached the queue (answered or abandoned: rejected,
/// balked and callback calls never join it) times their mean wait.
///
/// Both sides add up the same waits, so they differ only by the waits cut by the edges of
/// the observed window: callers already waiting at the end of the warm-up (in L, not in
/// W) and callers still waiting at the horizon (in L, not in W). About L callers wait at
/// each edge, for a few minutes more or less, so the gap is about 2 × (a few minutes) / T
/// of L, with T the observed days: 0.1 % or less in the cases here (0.07 % at most
/// measured), so 0.5 % leaves a margin and is still sharp: counting the rejected calls in
/// the rate (they never join the queue) would be off by the blocking, 6 % and 29 % in the
/// M/M/c/K cases without patience. The absolute term covers a nearly empty queue.
pub fn littles_law_with_queue_joining_rate(r: &RunResult) {
    let s = &r.scenario.simulation;
    let observed = s.horizon - s.warmup;
    for rep in &crate::common::kept(r) {
        let c = rep.counts;
        let lambda = (c.answered + c.abandoned) as f64 / observed;
        let l = rep.get(Metric::QueueLengthMean);
        let w = rep.get(Metric::WaitMeanS);
        assert!(
            (l - lambda * w).abs() <= 0.005 * l + 1e-3,
            "Little's law (replication {}): L = {l}, lambda W = {}",
            rep.replication,
            lambda * w
        );
    }
}
