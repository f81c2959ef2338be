//! Birth-death chain behind Erlang A (M/M/c+M), M/M/c/K and M/M/c/K+M.
//!
//! State n is the number of calls in the system. Calls arrive at rate lambda
//! while the waiting room is not full; state n empties at rate
//! min(n, c) mu + max(n - c, 0) theta (services plus abandonments). By PASTA
//! an arriving call sees the stationary distribution, so an admitted call
//! finding n >= c calls waits at queue position j = n - c + 1.

use super::erlang::{AnalyticError, QueueFigures};

/// Unexplored tail of the chain, relative to its largest state, below which
/// the chain is cut.
const TAIL_TOLERANCE: f64 = 1e-18;
/// Poisson tail mass left out of the uniformisation sum.
const POISSON_TOLERANCE: f64 = 1e-14;
/// Work budget of `answered_within` in position-steps (about a second).
const MAX_STEP_WORK: f64 = 1e9;
/// Largest chain built (about 40 MB of state probabilities).
pub(super) const MAX_STATES: usize = 5_000_000;

/// Rates of the chain.
pub(super) struct Model {
    pub arrival_rate: f64,
    pub service_rate: f64,
    pub abandon_rate: f64,
    pub agents: u32,
    pub capacity: Option<u32>,
}

impl Model {
    /// Rate of leaving state `n` downwards.
    fn death_rate(&self, n: usize) -> f64 {
        let c = self.agents as usize;
        if n <= c {
            n as f64 * self.service_rate
        } else {
            c as f64 * self.service_rate + (n - c) as f64 * self.abandon_rate
        }
    }
}

/// Stationary distribution, normalised; `reached_full` tells whether its
/// last state is the full waiting room (rather than a truncation point).
struct Stationary {
    pi: Vec<f64>,
    reached_full: bool,
}

/// Stationary distribution of the chain.
///
/// Terms pi_n / pi_0 = prod lambda / d_k are built as logarithms so that
/// thousands of agents or heavy overload neither overflow nor underflow, then
/// shifted by their maximum before exponentiating. A chain without waiting
/// room limit is cut at the first state n where the bound on everything above
/// it, pi_n r / (1 - r) with r = lambda / d_{n+1}, falls below
/// `TAIL_TOLERANCE` times the largest term: death rates never decrease with
/// n, so later ratios are at most r and the tail is below that geometric
/// series. The same cut applies to a finite room whose far end is negligible.
fn stationary(model: &Model) -> Result<Stationary, AnalyticError> {
    let full = model.capacity.map(|k| model.agents as usize + k as usize);
    let lambda = model.arrival_rate;
    let ln_lambda = lambda.ln();
    let ln_tail = TAIL_TOLERANCE.ln();
    let mut ln_terms = vec![0.0_f64];
    let mut ln_max = 0.0_f64;
    // Compensated (Neumaier) running sum: long chains add up hundreds of
    // thousands of log-ratios, and plain summation would lose ~1e-10.
    let mut ln_sum = 0.0_f64;
    let mut ln_compensation = 0.0_f64;
    loop {
        let n = ln_terms.len() - 1;
        if full == Some(n) {
            break;
        }
        let death = model.death_rate(n + 1);
        let ln_here = ln_terms[n];
        if death > lambda && ln_here + ln_lambda - (death - lambda).ln() < ln_max + ln_tail {
            break;
        }
        if ln_terms.len() >= MAX_STATES {
            return Err(AnalyticError::TooManyStates { limit: MAX_STATES });
        }
        let step = ln_lambda - death.ln();
        let total = ln_sum + step;
        if ln_sum.abs() >= step.abs() {
            ln_compensation += (ln_sum - total) + step;
        } else {
            ln_compensation += (step - total) + ln_sum;
        }
        ln_sum = total;
        let next = ln_sum + ln_compensation;
        ln_max = ln_max.max(next);
        ln_terms.push(next);
    }
    let mut pi: Vec<f64> = ln_terms.iter().map(|l| (l - ln_max).exp()).collect();
    let total: f64 = pi.iter().sum();
    pi.iter_mut().for_each(|p| *p /= total);
    let reached_full = full == Some(pi.len() - 1);
    Ok(Stationary { pi, reached_full })
}

/// Figures of the chain.
///
/// A tagged call at queue position j leaves it at rate q_j = c mu + j theta
/// (a service ahead of it or an abandonment of one of the j - 1 ahead moves
/// it to j - 1, its own abandonment at rate theta ends its wait), so with
/// independent exponential sojourns:
/// - P(answered | j) = prod_{i<=j} q_{i-1} / q_i = c mu / q_j (telescoping);
/// - E[W 1{answered} | j] = P(answered | j) sum_{i<=j} 1 / q_i, since a
///   sojourn's length is independent of which event ends it;
/// - E[min(W, patience) | j] = sum_{i<=j} P(reach i) / q_i = j / q_j.
pub(super) fn figures(
    model: &Model,
    offered_load: f64,
    threshold: f64,
) -> Result<QueueFigures, AnalyticError> {
    let Stationary { pi, reached_full } = stationary(model)?;
    let c = model.agents as usize;
    let theta = model.abandon_rate;
    let served_rate = c as f64 * model.service_rate;

    let admitted = if reached_full { pi.len() - 1 } else { pi.len() };
    let p_block = if reached_full { pi[pi.len() - 1] } else { 0.0 };
    let admitted_mass: f64 = pi[..admitted].iter().sum();
    let first_waiting = admitted.min(c);
    let p_nowait = pi[..first_waiting].iter().sum::<f64>() / admitted_mass;
    // waiting[j - 1]: probability that an admitted call waits at position j.
    let waiting: Vec<f64> = pi[first_waiting..admitted]
        .iter()
        .map(|p| p / admitted_mass)
        .collect();
    let p_wait: f64 = waiting.iter().sum();

    let mut p_abandon = 0.0;
    let mut p_answered_after_wait = 0.0;
    let mut wait_mean = 0.0;
    let mut answered_wait = 0.0;
    let mut mean_sojourns = 0.0;
    for (index, weight) in waiting.iter().enumerate() {
        let j = (index + 1) as f64;
        let leave_rate = served_rate + j * theta;
        mean_sojourns += 1.0 / leave_rate;
        let answered = served_rate / leave_rate;
        p_abandon += weight * j * theta / leave_rate;
        p_answered_after_wait += weight * answered;
        wait_mean += weight * j / leave_rate;
        answered_wait += weight * answered * mean_sojourns;
    }
    let p_answered = 1.0 - p_abandon;
    let asa = if p_answered > 0.0 {
        answered_wait / p_answered
    } else {
        0.0
    };
    let queue_length_mean: f64 = pi
        .iter()
        .enumerate()
        .skip(c + 1)
        .map(|(n, p)| (n - c) as f64 * p)
        .sum();
    let service_level = if threshold.is_infinite() {
        p_nowait + p_answered_after_wait
    } else {
        p_nowait
            + answered_within(&waiting, served_rate, theta, threshold).ok_or(
                AnalyticError::ThresholdTooCostly {
                    threshold_s: threshold,
                    limit: MAX_STEP_WORK,
                },
            )?
    };
    let answered_share = admitted_mass * p_answered;
    Ok(QueueFigures {
        offered_load,
        p_block,
        p_wait,
        p_abandon,
        asa_s: asa,
        wait_mean_s: wait_mean,
        service_level,
        // In heavy overload the true value is within rounding of 1; keep it
        // a share.
        occupancy: (model.arrival_rate * answered_share / served_rate).min(1.0),
        queue_length_mean,
        answered_share,
    })
}

/// Probability that a call starting at a queue position drawn from `waiting`
/// (`waiting[j - 1]` for position j) is answered within `threshold` seconds.
///
/// Uniformisation of the tagged call's absorbing chain: with
/// Lambda = q_J = c mu + J theta, the largest leaving rate over the J
/// positions, the continuous chain equals a discrete one stepped at Poisson
/// times of rate Lambda. One step moves position i to i - 1 with probability
/// (c mu + (i - 1) theta) / Lambda (position 0 is "answered"), abandons with
/// theta / Lambda, and stays otherwise, so
/// P(answered by T) = sum_m Poisson(Lambda T; m) P(answered within m steps).
/// Every term is a nonnegative product, so the sum is stable for any
/// Lambda T. Poisson weights come from log space one at a time, so a huge
/// Lambda T costs no memory. The sum stops when the remaining Poisson tail is
/// below `POISSON_TOLERANCE`, or earlier once the mass still waiting is below
/// it: from then on P(answered within m steps) no longer moves, and the rest
/// of the sum is that value times the remaining Poisson mass. The second rule
/// bounds the work by the time calls actually wait, not by the threshold.
/// `None` when the work would pass `MAX_STEP_WORK`.
fn answered_within(waiting: &[f64], served_rate: f64, theta: f64, threshold: f64) -> Option<f64> {
    let positions = waiting.len();
    if positions == 0 || threshold <= 0.0 {
        return Some(0.0);
    }
    let uniform_rate = served_rate + positions as f64 * theta;
    let mean = uniform_rate * threshold;
    let ln_mean = mean.ln();
    let poisson = |count: usize| (-mean + count as f64 * ln_mean - ln_factorial(count)).exp();
    // mass[i - 1]: probability of being at position i after the steps so far.
    let mut mass = waiting.to_vec();
    let answer_step = served_rate / uniform_rate;
    let mut answered = 0.0;
    let mut total = 0.0;
    let mut weight_so_far = poisson(0);
    for step in 1_usize.. {
        if step as f64 * positions as f64 > MAX_STEP_WORK {
            return None;
        }
        answered += mass[0] * answer_step;
        for i in 1..=positions {
            // (positions - i) theta / Lambda is 1 - q_i / Lambda without
            // cancellation.
            let stay = (positions - i) as f64 * theta / uniform_rate;
            let from_above = mass
                .get(i)
                .map_or(0.0, |m| m * (served_rate + i as f64 * theta) / uniform_rate);
            mass[i - 1] = mass[i - 1] * stay + from_above;
        }
        let weight = poisson(step);
        total += weight * answered;
        weight_so_far += weight;
        let still_waiting: f64 = mass.iter().sum();
        if still_waiting < POISSON_TOLERANCE {
            return Some(total + answered * (1.0 - weight_so_far).max(0.0));
        }
        // Past the mode successive ratios mean / (k + 1) only shrink, so the
        // tail is below a geometric series of ratio r.
        let next = (step + 1) as f64;
        if next > mean {
            let r = mean / next;
            if weight * r / (1.0 - r) < POISSON_TOLERANCE {
                break;
            }
        }
    }
    Some(total)
}

/// ln(n!), exact products for small n and Stirling's series beyond, where
/// its first omitted term is below 1e-16.
fn ln_factorial(n: usize) -> f64 {
    if n < 32 {
        return (1..=n).map(|k| k as f64).product::<f64>().ln();
    }
    let x = n as f64;
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + series
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    #[test]
    fn ln_factorial_matches_summed_logs() {
        for n in [0_usize, 1, 5, 31, 32, 40, 100, 1000] {
            let direct: f64 = (1..=n).map(|k| (k as f64).ln()).sum();
            let got = ln_factorial(n);
            assert!(
                (got - direct).abs() <= 1e-12 * direct.max(1.0),
                "n={n}: {got} vs {direct}"
            );
        }
    }

    #[test]
    fn answered_within_matches_closed_forms() {
        let (served, theta): (f64, f64) = (0.4, 0.05);
        // One position: answered with probability c mu / q_1, after an Exp(q_1) wait.
        for t in [0.1, 3.0, 40.0] {
            let q1 = served + theta;
            let want = served / q1 * (1.0 - (-q1 * t).exp());
            let got = answered_within(&[1.0], served, theta, t).unwrap();
            assert!((got - want).abs() < 1e-12, "t={t}: {got} vs {want}");
        }
        // Position 2 without abandonment: an Erlang-2 wait of rate c mu.
        for t in [0.5, 5.0, 30.0] {
            let x = served * t;
            let want = 1.0 - (-x).exp() * (1.0 + x);
            let got = answered_within(&[0.0, 1.0], served, 0.0, t).unwrap();
            assert!((got - want).abs() < 1e-12, "t={t}: {got} vs {want}");
        }
    }

    #[test]
    fn answered_within_a_huge_threshold_is_the_answered_share_and_quick() {
        // theta T = 1e8 uniformised steps if summed to the Poisson tail; the early stop
        // makes this a few hundred steps.
        let (served, theta) = (1.0 / 3.0, 1000.0);
        let waiting = [0.5, 0.3, 0.2];
        let want: f64 = waiting
            .iter()
            .enumerate()
            .map(|(i, w)| w * served / (served + (i + 1) as f64 * theta))
            .sum();
        let got = answered_within(&waiting, served, theta, 86_400.0).unwrap();
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
}
