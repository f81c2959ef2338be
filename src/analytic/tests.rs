//! Checks of the analytical figures against independent computations.

use super::*;

fn input(arrival_rate: f64, mean_handle: f64, agents: u32) -> QueueInput {
    QueueInput {
        arrival_rate,
        mean_handle,
        agents,
        mean_patience: None,
        queue_capacity: None,
        threshold: 20.0,
    }
}

fn assert_rel(got: f64, want: f64, tolerance: f64, what: &str) {
    let scale = want.abs().max(1e-300);
    assert!(
        (got - want).abs() <= tolerance * scale,
        "{what}: got {got}, want {want} (relative error {})",
        (got - want).abs() / scale
    );
}

/// ln(a^k / k!) for k = 0..=c, by summed logarithms.
fn ln_poisson_terms(a: f64, c: u32) -> Vec<f64> {
    let mut terms = vec![0.0];
    let mut ln_term = 0.0;
    for k in 1..=c {
        ln_term += a.ln() - f64::from(k).ln();
        terms.push(ln_term);
    }
    terms
}

fn ln_sum_exp(terms: &[f64]) -> f64 {
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    max + terms.iter().map(|t| (t - max).exp()).sum::<f64>().ln()
}

/// Erlang B as (a^c/c!) / sum_{k<=c} a^k/k!, in log space.
fn direct_erlang_b(a: f64, c: u32) -> f64 {
    let terms = ln_poisson_terms(a, c);
    (terms[c as usize] - ln_sum_exp(&terms)).exp()
}

/// Erlang C as (a^c/c!)(c/(c-a)) / (sum_{k<c} a^k/k! + (a^c/c!)(c/(c-a))).
fn direct_erlang_c(a: f64, c: u32) -> f64 {
    let mut terms = ln_poisson_terms(a, c);
    let last = terms.len() - 1;
    terms[last] += (f64::from(c) / (f64::from(c) - a)).ln();
    (terms[last] - ln_sum_exp(&terms)).exp()
}

/// Stationary distribution of a small birth-death chain by plain products.
fn plain_chain(lambda: f64, mu: f64, theta: f64, c: usize, states: usize) -> Vec<f64> {
    let mut terms = vec![1.0];
    for n in 1..states {
        let death = if n <= c {
            n as f64 * mu
        } else {
            c as f64 * mu + (n - c) as f64 * theta
        };
        terms.push(terms[n - 1] * lambda / death);
    }
    let total: f64 = terms.iter().sum();
    terms.iter().map(|t| t / total).collect()
}

/// P(sum of Exp(rates) <= t) for distinct rates, by the explicit
/// hypoexponential formula.
fn hypoexponential_cdf(rates: &[f64], t: f64) -> f64 {
    let mut survival = 0.0;
    for (i, ri) in rates.iter().enumerate() {
        let mut coefficient = 1.0;
        for (k, rk) in rates.iter().enumerate() {
            if k != i {
                coefficient *= rk / (rk - ri);
            }
        }
        survival += coefficient * (-ri * t).exp();
    }
    1.0 - survival
}

/// P(Erlang(k, rate) <= t).
fn erlang_cdf(k: usize, rate: f64, t: f64) -> f64 {
    let x = rate * t;
    let mut term = 1.0;
    let mut sum = 0.0;
    for i in 0..k {
        if i > 0 {
            term *= x / i as f64;
        }
        sum += term;
    }
    1.0 - (-x).exp() * sum
}

fn check_probability(value: f64, what: &str) {
    assert!(
        value.is_finite() && (0.0..=1.0).contains(&value),
        "{what} = {value} is not a probability"
    );
}

fn check_erlang_a_identities(q: &QueueInput, f: &QueueFigures) {
    let patience = q.mean_patience.expect("a patience");
    assert_rel(
        f.p_abandon,
        f.wait_mean_s / patience,
        1e-9,
        "p_abandon = wait / patience",
    );
    assert_rel(
        f.queue_length_mean,
        q.arrival_rate * (1.0 - f.p_block) * f.wait_mean_s,
        1e-9,
        "Little's law on the queue",
    );
    assert_rel(
        f.answered_share,
        (1.0 - f.p_block) * (1.0 - f.p_abandon),
        1e-12,
        "answered share",
    );
    assert_rel(
        f.occupancy,
        q.arrival_rate * f.answered_share * q.mean_handle / f64::from(q.agents),
        1e-12,
        "occupancy",
    );
    assert!(f.service_level <= 1.0 - f.p_abandon + 1e-12);
}

#[test]
fn erlang_b_known_values() {
    assert_eq!(erlang_b(1.0, 1), 0.5);
    assert_rel(erlang_b(10.0, 10), 0.214_582_3, 1e-6, "B(10, 10)");
    assert_rel(
        erlang_b(10.0, 10),
        direct_erlang_b(10.0, 10),
        1e-13,
        "B(10, 10)",
    );
    assert_rel(
        erlang_b(95.0, 100),
        direct_erlang_b(95.0, 100),
        1e-12,
        "B(95, 100)",
    );
    assert_eq!(erlang_b(0.0, 3), 0.0);
    assert_eq!(erlang_b(4.0, 0), 1.0);
    assert!(erlang_b(-1.0, 3).is_nan());
}

#[test]
fn erlang_b_large_systems() {
    for (a, c) in [(10_000.0, 10_000), (9_000.0, 10_000), (10_000.0, 9_500)] {
        let b = erlang_b(a, c);
        assert!(b > 0.0 && b < 1.0, "B({a}, {c}) = {b}");
        assert_rel(b, direct_erlang_b(a, c), 1e-8, "large Erlang B");
    }
}

#[test]
fn erlang_c_known_values() {
    // M/M/2 at 50% utilisation waits with probability 2 rho^2 / (1 + rho).
    assert_rel(erlang_c(1.0, 2), 1.0 / 3.0, 1e-14, "C(1, 2)");
    assert_rel(erlang_c(10.0, 11), 0.682_1, 1e-4, "C(10, 11)");
    for (a, c) in [(10.0, 11), (2.5, 4), (95.0, 100), (730.0, 750)] {
        assert_rel(erlang_c(a, c), direct_erlang_c(a, c), 1e-11, "Erlang C");
    }
    assert_eq!(erlang_c(11.0, 11), 1.0);
    assert_eq!(erlang_c(0.0, 1), 0.0);
}

#[test]
fn erlang_c_figures_follow_closed_forms() {
    // 10 erlangs on 11 agents with a 180 s handle time.
    let q = input(10.0 / 180.0, 180.0, 11);
    let f = figures(&q).unwrap();
    let c = direct_erlang_c(10.0, 11);
    let drain = 11.0 / 180.0 - 10.0 / 180.0;
    assert_rel(f.offered_load, 10.0, 1e-14, "load");
    assert_rel(f.p_wait, c, 1e-11, "p_wait");
    assert_rel(f.asa_s, c / drain, 1e-11, "ASA");
    assert_rel(f.wait_mean_s, f.asa_s, 1e-14, "wait mean");
    assert_rel(
        f.service_level,
        1.0 - c * (-drain * 20.0).exp(),
        1e-11,
        "SL",
    );
    assert_rel(f.occupancy, 10.0 / 11.0, 1e-14, "occupancy");
    assert_rel(f.queue_length_mean, q.arrival_rate * f.asa_s, 1e-14, "Lq");
    assert_eq!((f.p_block, f.p_abandon, f.answered_share), (0.0, 0.0, 1.0));
}

#[test]
fn erlang_a_with_tiny_abandonment_matches_erlang_c() {
    for (a, c, handle, threshold) in [(10.0, 11, 180.0, 20.0), (95.0, 100, 240.0, 30.0)] {
        let mut q = input(a / handle, handle, c);
        q.threshold = threshold;
        let erlang_c = figures(&q).unwrap();
        q.mean_patience = Some(1e9);
        let erlang_a = figures(&q).unwrap();
        assert_rel(erlang_a.p_wait, erlang_c.p_wait, 1e-4, "p_wait");
        assert_rel(erlang_a.asa_s, erlang_c.asa_s, 1e-4, "ASA");
        assert_rel(erlang_a.service_level, erlang_c.service_level, 1e-4, "SL");
        assert!(erlang_a.p_abandon < 1e-5);
        check_erlang_a_identities(&q, &erlang_a);
    }
}

#[test]
fn erlang_a_identities_hold() {
    let mut q = input(0.1, 180.0, 17);
    q.mean_patience = Some(120.0);
    let f = figures(&q).unwrap();
    check_erlang_a_identities(&q, &f);
    assert_eq!(f.p_block, 0.0);

    q.threshold = 0.0;
    let at_zero = figures(&q).unwrap();
    assert_rel(
        at_zero.service_level,
        1.0 - at_zero.p_wait,
        1e-12,
        "SL at 0",
    );

    let mut previous = at_zero.service_level;
    for threshold in [5.0, 20.0, 60.0, 300.0, 3_000.0] {
        q.threshold = threshold;
        let sl = figures(&q).unwrap().service_level;
        assert!(sl > previous, "SL({threshold}) = {sl} <= {previous}");
        previous = sl;
    }
    assert_rel(previous, 1.0 - f.p_abandon, 1e-9, "SL at a long threshold");
    q.threshold = f64::INFINITY;
    assert_rel(
        figures(&q).unwrap().service_level,
        1.0 - f.p_abandon,
        1e-12,
        "SL at infinity",
    );
}

#[test]
fn erlang_a_matches_plain_truncated_chain() {
    // c = 3, lambda = 1, mu = 0.4, theta = 0.5.
    let (lambda, mu, theta, c) = (1.0, 0.4, 0.5, 3);
    let mut q = input(lambda, 1.0 / mu, c as u32);
    q.mean_patience = Some(1.0 / theta);
    let f = figures(&q).unwrap();
    let pi = plain_chain(lambda, mu, theta, c, 200);
    let queue: f64 = pi
        .iter()
        .enumerate()
        .skip(c)
        .map(|(n, p)| (n - c) as f64 * p)
        .sum();
    let busy: f64 = pi
        .iter()
        .enumerate()
        .map(|(n, p)| n.min(c) as f64 * p)
        .sum();
    // Abandonments flow at theta per waiting caller.
    assert_rel(f.p_abandon, theta * queue / lambda, 1e-12, "p_abandon");
    assert_rel(f.p_wait, pi[c..].iter().sum(), 1e-12, "p_wait");
    assert_rel(f.queue_length_mean, queue, 1e-12, "Lq");
    assert_rel(f.occupancy, busy / c as f64, 1e-12, "occupancy");
    check_erlang_a_identities(&q, &f);
}

#[test]
fn bounded_erlang_a_service_level_matches_hypoexponential() {
    // Capacity 3 keeps positions to j <= 3 with distinct leaving rates.
    let (lambda, mu, theta, c, capacity) = (1.3, 0.5, 0.3, 2, 3);
    let pi = plain_chain(lambda, mu, theta, c, c + capacity + 1);
    let admitted: f64 = pi[..c + capacity].iter().sum();
    let served = c as f64 * mu;
    let mut q = input(lambda, 1.0 / mu, c as u32);
    q.mean_patience = Some(1.0 / theta);
    q.queue_capacity = Some(capacity as u32);
    let mut asa_numerator = 0.0;
    let mut answered = pi[..c].iter().sum::<f64>() / admitted;
    for threshold in [0.0, 0.3, 1.0, 2.5, 7.0] {
        q.threshold = threshold;
        let f = figures(&q).unwrap();
        let mut sl = pi[..c].iter().sum::<f64>() / admitted;
        for j in 1..=capacity {
            let rates: Vec<f64> = (1..=j).map(|i| served + i as f64 * theta).collect();
            // P(answered | j) as the product of "move up" probabilities.
            let p_answer: f64 = (1..=j)
                .map(|i| (served + (i - 1) as f64 * theta) / (served + i as f64 * theta))
                .product();
            let weight = pi[c + j - 1] / admitted;
            sl += weight * p_answer * hypoexponential_cdf(&rates, threshold);
            if threshold == 0.0 {
                answered += weight * p_answer;
                asa_numerator += weight * p_answer * rates.iter().map(|r| 1.0 / r).sum::<f64>();
            }
        }
        assert_rel(f.service_level, sl, 1e-10, "bounded Erlang A SL");
        assert_rel(f.p_block, pi[c + capacity], 1e-12, "p_block");
        assert_rel(f.asa_s, asa_numerator / answered, 1e-12, "ASA");
        check_erlang_a_identities(&q, &f);
    }
}

#[test]
fn asa_is_the_integral_of_the_missing_service_level() {
    // E[W 1{answered}] = integral of P(answered) - P(answered, W <= t) dt,
    // linking the closed sums to the uniformisation.
    let mut q = input(1.3, 2.0, 2);
    q.mean_patience = Some(1.0 / 0.3);
    q.queue_capacity = Some(3);
    let f = figures(&q).unwrap();
    let answered = 1.0 - f.p_abandon;
    let missing = |t: f64| {
        let mut at = q;
        at.threshold = t;
        answered - figures(&at).unwrap().service_level
    };
    // Simpson's rule on [0, 40]; the integrand decays like exp(-t).
    let steps = 2_000;
    let h = 40.0 / steps as f64;
    let mut integral = missing(0.0) + missing(40.0);
    for k in 1..steps {
        integral += if k % 2 == 1 { 4.0 } else { 2.0 } * missing(k as f64 * h);
    }
    integral *= h / 3.0;
    assert_rel(integral, f.asa_s * answered, 1e-9, "integrated wait");
}

#[test]
fn small_bounded_queue_matches_hand_normalisation() {
    // c = 2, K = 3, lambda = mu = 1: pi proportional to
    // 1, 1, 1/2, 1/4, 1/8, 1/16, summing to 47/16.
    let mut q = input(1.0, 1.0, 2);
    q.queue_capacity = Some(3);
    q.threshold = 0.7;
    let f = figures(&q).unwrap();
    assert_rel(f.p_block, 1.0 / 47.0, 1e-14, "p_block");
    assert_rel(f.p_wait, 7.0 / 23.0, 1e-14, "p_wait");
    assert_rel(f.queue_length_mean, 11.0 / 47.0, 1e-14, "Lq");
    assert_rel(f.occupancy, 23.0 / 47.0, 1e-14, "occupancy");
    assert_rel(
        f.wait_mean_s,
        (11.0 / 47.0) / (46.0 / 47.0),
        1e-14,
        "wait mean",
    );
    assert_rel(f.asa_s, f.wait_mean_s, 1e-14, "ASA without abandonment");
    assert_rel(f.answered_share, 46.0 / 47.0, 1e-14, "answered share");
    // Position j waits Erlang(j, c mu = 2); weights 8, 4, 2 over 46.
    let sl = 32.0 / 46.0
        + (8.0 * erlang_cdf(1, 2.0, 0.7)
            + 4.0 * erlang_cdf(2, 2.0, 0.7)
            + 2.0 * erlang_cdf(3, 2.0, 0.7))
            / 46.0;
    assert_rel(f.service_level, sl, 1e-12, "SL");
}

#[test]
fn zero_waiting_room_is_erlang_b() {
    for (a, c) in [(10.0, 10), (3.0, 5), (150.0, 120)] {
        let mut q = input(a / 60.0, 60.0, c);
        q.queue_capacity = Some(0);
        let f = figures(&q).unwrap();
        let b = erlang_b(a, c);
        assert_rel(f.p_block, b, 1e-12, "p_block");
        assert_eq!(f.p_wait, 0.0);
        assert_eq!(f.asa_s, 0.0);
        assert_rel(f.service_level, 1.0, 1e-15, "SL");
        assert_rel(
            f.occupancy,
            a * (1.0 - b) / f64::from(c),
            1e-12,
            "occupancy",
        );
    }
}

#[test]
fn large_waiting_room_approaches_erlang_c() {
    // The last case puts Lambda * T near 3000 in the uniformisation.
    for (a, c, handle, threshold) in [
        (10.0, 11, 30.0, 60.0),
        (990.0, 1_000, 180.0, 40.0),
        (2_999.0, 3_000, 100.0, 100.0),
    ] {
        let mut q = input(a / handle, handle, c);
        q.threshold = threshold;
        let unlimited = figures(&q).unwrap();
        q.queue_capacity = Some(1_000_000);
        let bounded = figures(&q).unwrap();
        assert!(bounded.p_block < 1e-15);
        assert_rel(bounded.p_wait, unlimited.p_wait, 1e-9, "p_wait");
        assert_rel(bounded.asa_s, unlimited.asa_s, 1e-9, "ASA");
        assert_rel(bounded.service_level, unlimited.service_level, 1e-9, "SL");
        assert_rel(
            bounded.queue_length_mean,
            unlimited.queue_length_mean,
            1e-9,
            "Lq",
        );
    }
}

#[test]
fn overloaded_erlang_a_stays_finite() {
    for (agents, factor) in [(100, 1.2), (2_000, 1.2), (2_000, 1.5), (5_000, 1.5)] {
        let handle = 300.0;
        let mut q = input(factor * f64::from(agents) / handle, handle, agents);
        q.mean_patience = Some(180.0);
        let f = figures(&q).unwrap();
        for (value, what) in [
            (f.p_wait, "p_wait"),
            (f.p_abandon, "p_abandon"),
            (f.service_level, "service level"),
            (f.occupancy, "occupancy"),
            (f.answered_share, "answered share"),
        ] {
            check_probability(value, what);
        }
        assert!(f.asa_s.is_finite() && f.wait_mean_s.is_finite());
        assert!(f.queue_length_mean.is_finite() && f.queue_length_mean > 0.0);
        // Agents answer at most c mu, so at least 1 - c/a abandon.
        assert!(f.p_abandon >= 1.0 - 1.0 / factor - 1e-12);
        check_erlang_a_identities(&q, &f);
    }
}

#[test]
fn invalid_inputs_are_refused() {
    let good = input(0.05, 180.0, 10);
    let invalid = |q: QueueInput| matches!(figures(&q), Err(AnalyticError::InvalidInput { .. }));
    assert!(invalid(QueueInput { agents: 0, ..good }));
    assert!(invalid(QueueInput {
        arrival_rate: -1.0,
        ..good
    }));
    assert!(invalid(QueueInput {
        arrival_rate: 0.0,
        ..good
    }));
    assert!(invalid(QueueInput {
        mean_handle: f64::NAN,
        ..good
    }));
    assert!(invalid(QueueInput {
        mean_handle: f64::INFINITY,
        ..good
    }));
    assert!(invalid(QueueInput {
        mean_patience: Some(0.0),
        ..good
    }));
    assert!(invalid(QueueInput {
        mean_patience: Some(f64::NAN),
        ..good
    }));
    assert!(invalid(QueueInput {
        threshold: -1.0,
        ..good
    }));
    assert!(invalid(QueueInput {
        threshold: f64::NAN,
        ..good
    }));
    assert!(figures(&good).is_ok());
}

#[test]
fn erlang_c_without_capacity_at_full_load_is_unstable() {
    let at_capacity = input(10.0 / 180.0, 180.0, 10);
    let error = figures(&at_capacity).unwrap_err();
    assert!(matches!(error, AnalyticError::Unstable { agents: 10, .. }));
    assert!(error.to_string().contains("add agents"));
    // A patience or a waiting-room limit makes the same load solvable.
    let patient = QueueInput {
        mean_patience: Some(60.0),
        ..at_capacity
    };
    assert!(figures(&patient).is_ok());
    let bounded = QueueInput {
        queue_capacity: Some(20),
        ..at_capacity
    };
    assert!(figures(&bounded).is_ok());
    // An infinite patience is no patience.
    let infinite = QueueInput {
        mean_patience: Some(f64::INFINITY),
        ..at_capacity
    };
    assert!(matches!(
        figures(&infinite),
        Err(AnalyticError::Unstable { .. })
    ));
}

#[test]
fn overloaded_huge_waiting_room_is_refused() {
    let mut q = input(12.0 / 180.0, 180.0, 10);
    q.queue_capacity = Some(u32::MAX);
    assert!(matches!(
        figures(&q),
        Err(AnalyticError::TooManyStates { .. })
    ));
}

#[test]
fn agents_for_finds_the_fewest_that_meet_every_target() {
    let input = QueueInput {
        arrival_rate: 1140.0 / 3600.0,
        mean_handle: 300.0,
        agents: 1,
        mean_patience: Some(120.0),
        queue_capacity: None,
        threshold: 20.0,
    };
    let targets = Targets {
        service_level: Some(0.8),
        asa_s: Some(15.0),
        abandon_rate: Some(0.03),
        max_occupancy: None,
    };
    let (c, f) = agents_for(&input, &targets, 1000).unwrap().unwrap();
    assert!(targets.met_by(&f));
    let fewer = figures(&QueueInput {
        agents: c - 1,
        ..input
    })
    .unwrap();
    assert!(
        !targets.met_by(&fewer),
        "{} agents also meet the targets",
        c - 1
    );
    // Erlang C: never at or below the load; an unreachable cap gives None.
    let c_input = QueueInput {
        mean_patience: None,
        ..input
    };
    let (c2, _) = agents_for(&c_input, &targets, 1000).unwrap().unwrap();
    assert!(c2 > 95 && c2 >= c);
    assert_eq!(agents_for(&c_input, &targets, 90).unwrap(), None);
}
