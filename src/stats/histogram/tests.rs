//! The histogram against `hdrhistogram` itself, the oracle: every reading the same as its,
//! for the same waits recorded one by one, merged, taken away and read back.

use super::*;
use hdrhistogram::Histogram;

/// An empty `hdrhistogram` of the bounds the waits had there.
fn oracle() -> Histogram<u64> {
    Histogram::<u64>::new_with_bounds(1, MAX_MS, 3).unwrap()
}

/// The milliseconds a wait of `seconds` was recorded at in `hdrhistogram`.
fn ms(seconds: f64) -> u64 {
    (seconds * 1000.0 + 0.5).max(0.0) as i64 as u64
}

/// What recording `seconds` one by one in `hdrhistogram` gives (the old way).
fn direct(seconds: &[f64]) -> Histogram<u64> {
    let mut h = oracle();
    for &s in seconds {
        h.saturating_record(ms(s).min(MAX_MS));
    }
    h
}

/// `seconds` recorded one by one.
fn recorded(seconds: &[f64]) -> WaitHistogram {
    let mut h = WaitHistogram::new();
    seconds.iter().for_each(|&s| h.record(s));
    h
}

/// Quantiles from 0 to 1 in steps of 1/200, tiny ones, others around the usual ones, and
/// some outside: below 0, above 1, NaN.
fn quantiles() -> Vec<f64> {
    let mut q: Vec<f64> = (0..=200).map(|k| f64::from(k) / 200.0).collect();
    q.extend([
        -0.0,
        f64::MIN_POSITIVE,
        1e-300,
        1e-12,
        1e-6,
        0.001,
        0.25,
        0.499_999,
        0.500_001,
        0.9,
        0.95,
        0.99,
        0.999,
        0.999_999,
        1.0 - f64::EPSILON,
        -0.5,
        1.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ]);
    q
}

/// Edges in seconds: bucket boundaries (both sides), round values, and odd ones.
fn edges() -> Vec<f64> {
    let mut e = vec![
        f64::NEG_INFINITY,
        -1.0,
        f64::NAN,
        0.0,
        0.0004,
        0.0005,
        0.001,
        0.5,
        1.0,
        2.047,
        2.048,
        4.095,
        4.096,
        30.0,
        60.0,
        3600.0,
        33_554.431,
        33_554.432,
        MAX_MS as f64 / 1000.0,
        1e9,
        f64::INFINITY,
    ];
    for i in [
        1, 2047, 2048, 3071, 3072, 5000, 9000, 16_383, 16_384, 23_220, 23_551,
    ] {
        e.extend([lowest(i) as f64 / 1000.0, highest(i) as f64 / 1000.0]);
        e.push((highest(i) as f64 + 0.6) / 1000.0);
    }
    e.sort_by(f64::total_cmp);
    e
}

/// `hdrhistogram`'s readings as the histogram gave them before, on `h`.
fn oracle_recorded(h: &Histogram<u64>) -> Vec<(u64, u64)> {
    h.iter_recorded()
        .map(|v| (v.value_iterated_to(), v.count_at_value()))
        .collect()
}

fn oracle_quantile(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        return f64::NAN;
    }
    h.value_at_quantile(q) as f64 / 1000.0
}

fn oracle_count_between(h: &Histogram<u64>, low: f64, high: f64) -> u64 {
    let lo = (low * 1000.0).round() as u64;
    let hi = if high.is_finite() {
        (high * 1000.0).round() as u64
    } else {
        u64::MAX
    };
    h.iter_recorded()
        .filter(|v| {
            let x = v.value_iterated_to();
            x >= lo && x < hi
        })
        .map(|v| v.count_at_value())
        .sum()
}

/// Every reading of `a` is `hdrhistogram`'s of `h`.
#[track_caller]
fn assert_reads_as(a: &WaitHistogram, h: &Histogram<u64>) {
    assert_eq!(a.len(), h.len());
    assert_eq!(a.is_empty(), h.is_empty());
    assert_eq!(a.recorded().collect::<Vec<_>>(), oracle_recorded(h));
    assert_eq!(a.max().to_bits(), (h.max() as f64 / 1000.0).to_bits());
    for q in quantiles() {
        let expected = oracle_quantile(h, q);
        assert_eq!(a.quantile(q).to_bits(), expected.to_bits(), "q {q}");
    }
    // Each edge to the next, to infinity, from 0, and back to the one before.
    let e = edges();
    let pairs = e.windows(2).flat_map(|w| {
        [
            (w[0], w[1]),
            (w[1], w[0]),
            (w[0], f64::INFINITY),
            (0.0, w[1]),
        ]
    });
    for (lo, hi) in pairs {
        let expected = oracle_count_between(h, lo, hi);
        assert_eq!(a.count_between(lo, hi), expected, "[{lo}, {hi})");
    }
    // The extremes that later merges and removals go by.
    assert_eq!(a.max_ms(), h.max());
    assert_eq!(a.min_nz_ms(), h.min_nz());
}

/// Waits in seconds over the whole range: 0, NaN, negative, the buckets' edges, powers of
/// two, log-uniform from 0.1 ms to beyond 1000 hours, and the cap and beyond; times
/// `scale`, to make histograms of disjoint ranges.
fn waits(seed: u64, n: usize, scale: f64) -> Vec<f64> {
    use crate::engine::{Purpose, stream};
    use rand::RngExt;
    let mut rng = stream(seed, 0, Purpose::Arrivals);
    let edges = [
        0.0,
        f64::NAN,
        -1.0,
        -0.0,
        0.0004,
        0.0005,
        0.001,
        2.047,
        2.048,
        4.095,
        4.096,
        33_554.431,
        33_554.432,
        MAX_MS as f64 / 1000.0,
        MAX_MS as f64 / 1000.0 + 0.001,
        1e12,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    (0..n)
        .map(|_| match rng.random_range(0..11u32) {
            0..=2 => 0.0,
            3 => edges[rng.random_range(0..edges.len())],
            4 => f64::from(rng.random_range(0..5000u32)) / 1000.0 * scale,
            5 => {
                let p = (1u64 << rng.random_range(0..33u32)) as f64;
                (p + f64::from(rng.random_range(-1..=1i32))) / 1000.0 * scale
            }
            _ => 10f64.powf(rng.random_range(-4.0..7.5)) * scale,
        })
        .collect()
}

/// Waits of `waits` within `[low, high)` seconds only.
fn waits_in(seed: u64, n: usize, low: f64, high: f64) -> Vec<f64> {
    use crate::engine::{Purpose, stream};
    use rand::RngExt;
    let mut rng = stream(seed, 1, Purpose::Arrivals);
    (0..n)
        .map(|_| low * (high / low).powf(rng.random_range(0.0..1.0)))
        .collect()
}

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

#[test]
fn index_is_hdrhistograms_own() {
    let h = oracle();
    let mut values: Vec<u64> = (0..5000).chain([MAX_MS - 1, MAX_MS]).collect();
    for k in 11..32 {
        values.extend([
            (1 << k) - 1,
            1 << k,
            (1 << k) + 1,
            (1 << k) + (1 << (k - 10)),
        ]);
    }
    for &v in &values {
        // The position of `v`'s bucket among all of `h`'s buckets.
        let mut one = h.clone();
        one.record(v).unwrap();
        let position = one
            .iter_all()
            .position(|x| x.count_since_last_iteration() > 0);
        assert_eq!(position, Some(index(v)), "{v}");
        assert_eq!(lowest(index(v)), h.lowest_equivalent(v), "{v}");
        assert_eq!(highest(index(v)), h.highest_equivalent(v), "{v}");
    }
    assert_eq!(highest(FULL - 1), (1 << 32) - 1);
    assert_eq!(h.distinct_values(), FULL);
    // Beyond the histogram's range too, index and lowest stay inverse.
    for k in 11..64 {
        for v in [(1u64 << k) - 1, 1 << k, (1 << k) + 1] {
            assert_eq!(lowest(index(v)), h.lowest_equivalent(v), "{v}");
            assert_eq!(highest_equivalent(v), h.highest_equivalent(v), "{v}");
            assert_eq!(index(h.highest_equivalent(v) + 1), index(v) + 1, "{v}");
        }
    }
    assert_eq!(highest_equivalent(u64::MAX), h.highest_equivalent(u64::MAX));
    assert_eq!(index(u64::MAX), 53 * 1024 + 2047);
}

#[test]
fn zeros_and_short_waits_read_as_hdrhistograms() {
    let waits = [0.0, 0.0004, 1.5, 0.0, 30.0, 0.0, 7.25];
    let h = recorded(&waits);
    assert_reads_as(&h, &direct(&waits));
    assert_eq!(h.count_between(0.0, 1.0), 4);
    assert_reads_as(&recorded(&[0.0, 0.0, -3.0, f64::NAN]), &direct(&[0.0; 4]));
    assert_reads_as(&WaitHistogram::new(), &oracle());
    assert_reads_as(&WaitHistogram::default(), &oracle());
}

#[test]
fn recorded_one_by_one_reads_as_hdrhistograms() {
    for seed in 0..40 {
        let all = waits(seed, 12_000, 1.0);
        let mut h = WaitHistogram::new();
        // Read between batches, to see the histogram grow as it is read.
        let mut start = 0;
        for end in [1, 2, 10, 100, 1000, 5000, 12_000] {
            all[start..end].iter().for_each(|&s| h.record(s));
            start = end;
            assert_reads_as(&h, &direct(&all[..end]));
        }
    }
}

#[test]
fn grows_bucket_by_bucket_as_longer_waits_come() {
    let mut h = WaitHistogram::new();
    assert!(h.counts.is_empty());
    h.record(0.0);
    assert_eq!(h.counts.len(), MIN_LEN);
    h.record(2.047);
    assert_eq!(h.counts.len(), MIN_LEN);
    // Each to the end of its bucket (those of 2^11 ms and more hold 1024 indices each).
    h.record(2.048);
    assert_eq!(h.counts.len(), 3072);
    h.record(30.0);
    assert_eq!(h.counts.len(), 6144);
    h.record(33_554.431);
    assert_eq!(h.counts.len(), 16_384);
    h.record(33_554.432);
    assert_eq!(h.counts.len(), 17_408);
    h.record(1e9);
    h.record(f64::INFINITY);
    assert_eq!(h.counts.len(), FULL);
    assert_eq!(h.len(), 8);
    assert_eq!(h.max(), highest(index(MAX_MS)) as f64 / 1000.0);
    assert_eq!(h.recorded().last(), Some((highest(index(MAX_MS)), 2)));
    // Only what the longest wait needs.
    let mut short = WaitHistogram::new();
    short.record(100.0);
    assert_eq!(short.counts.len(), 8192);
    let mut merged = WaitHistogram::new();
    merged.merge(&short);
    assert_eq!(merged.counts.len(), 8192);
}

/// A histogram and its oracle, from the same waits.
fn both(seconds: &[f64]) -> (WaitHistogram, Histogram<u64>) {
    (recorded(seconds), direct(seconds))
}

/// `a` merged with `b`, both ways, and taken away again, against `hdrhistogram`'s `add`
/// and `subtract`.
#[track_caller]
fn check_merge_and_remove(
    a: &(WaitHistogram, Histogram<u64>),
    b: &(WaitHistogram, Histogram<u64>),
) {
    for (x, y) in [(a, b), (b, a)] {
        let mut merged = x.0.clone();
        merged.merge(&y.0);
        let mut expected = x.1.clone();
        expected.add(&y.1).unwrap();
        assert_reads_as(&merged, &expected);
        // Taken away: `x` again, then nothing, then the removed put back.
        let mut removed = merged.clone();
        removed.remove(&y.0);
        let mut left = expected.clone();
        left.subtract(&y.1).unwrap();
        assert_reads_as(&removed, &left);
        removed.remove(&x.0);
        left.subtract(&x.1).unwrap();
        assert_reads_as(&removed, &left);
        assert!(removed.is_empty());
        removed.merge(&y.0);
        left.add(&y.1).unwrap();
        assert_reads_as(&removed, &left);
        // And the other order.
        let mut other = merged.clone();
        other.remove(&x.0);
        let mut left = expected.clone();
        left.subtract(&x.1).unwrap();
        assert_reads_as(&other, &left);
    }
}

#[test]
fn merged_and_removed_read_as_hdrhistograms() {
    let empty = both(&[]);
    for seed in 0..12 {
        let x = both(&waits(2 * seed, 3000, 1.0));
        let y = both(&waits(2 * seed + 1, 2000, 1.0));
        check_merge_and_remove(&x, &y);
        check_merge_and_remove(&x, &empty);
        check_merge_and_remove(&empty, &y);
        // Disjoint ranges: short waits and long ones, with and without zeros.
        let short = both(&waits_in(seed, 500, 0.001, 2.0));
        let long = both(&waits_in(seed + 100, 300, 500.0, 50_000.0));
        let zeros = both(&[0.0; 7]);
        check_merge_and_remove(&short, &long);
        check_merge_and_remove(&zeros, &long);
        check_merge_and_remove(&zeros, &short);
        let mut with_zeros = long.clone();
        with_zeros.0.merge(&zeros.0);
        with_zeros.1.add(&zeros.1).unwrap();
        check_merge_and_remove(&with_zeros, &short);
        // A part of the other, taken away from the middle, an end, or all of it.
        let all = waits(3 * seed, 2500, 1.0);
        let whole = both(&all);
        for part in [&all[..1], &all[..700], &all[1000..1500], &all[..]] {
            let part = both(part);
            let mut h = whole.clone();
            h.0.remove(&part.0);
            h.1.subtract(&part.1).unwrap();
            assert_reads_as(&h.0, &h.1);
            h.0.merge(&part.0);
            h.1.add(&part.1).unwrap();
            assert_reads_as(&h.0, &h.1);
        }
        // Many into one, as the pooled waits are.
        let mut pooled = both(&[]);
        for k in 0..6 {
            let one = both(&waits(seed * 10 + k, 400, 1.0));
            pooled.0.merge(&one.0);
            pooled.1.add(&one.1).unwrap();
            assert_reads_as(&pooled.0, &pooled.1);
        }
    }
}

#[test]
fn removing_from_the_middle_keeps_the_extremes_as_hdrhistogram_does() {
    // Zeros make `hdrhistogram`'s least 0, so taking away the least nonzero bucket does not
    // find the extremes again: they stay where they were.
    let all = [0.0, 0.005, 0.010, 0.010, 30.0];
    let (mut h, mut o) = both(&all);
    let part = both(&[0.005, 0.010]);
    h.remove(&part.0);
    o.subtract(&part.1).unwrap();
    assert_reads_as(&h, &o);
    let more = both(&[0.001]);
    h.merge(&more.0);
    o.add(&more.1).unwrap();
    assert_reads_as(&h, &o);
    h.remove(&both(&[0.0]).0);
    o.subtract(direct(&[0.0])).unwrap();
    assert_reads_as(&h, &o);
}

#[test]
fn read_back_as_hdrhistograms_record_n() {
    use crate::engine::{Purpose, stream};
    use rand::RngExt;
    for seed in 0..20 {
        let mut rng = stream(seed, 2, Purpose::Arrivals);
        let mut h = WaitHistogram::new();
        let mut o = oracle();
        for _ in 0..300 {
            let v = match rng.random_range(0..6u32) {
                0 => 0,
                1 => [MAX_MS, MAX_MS + 1, (1 << 32) - 1, 1 << 32, u64::MAX][rng.random_range(0..5)],
                2 => 1 << rng.random_range(0..40u32),
                _ => highest(index(rng.random_range(0..100_000_000u64))),
            };
            let count = if rng.random_range(0..8u32) == 0 {
                0
            } else {
                rng.random_range(1..50u64)
            };
            let expected = o.record_n(v, count).map_err(|e| format!("{e:?}"));
            assert_eq!(h.record_count(v, count), expected, "{v}");
        }
        assert_reads_as(&h, &o);
        let other = both(&waits(seed, 1000, 1.0));
        check_merge_and_remove(&(h.clone(), o.clone()), &other);
    }
    // Counts of 0 only: nothing recorded, but the extremes moved.
    let mut h = WaitHistogram::new();
    let mut o = oracle();
    h.record_count(5000, 0).unwrap();
    o.record_n(5000, 0).unwrap();
    assert_reads_as(&h, &o);
    let other = both(&[1.0, 0.0]);
    check_merge_and_remove(&(h, o), &other);
}

#[test]
fn a_broken_reading_fails() {
    // The oracle sees a quantile off by one bucket, and a count off by one.
    let h = recorded(&waits(7, 2000, 1.0));
    let o = direct(&waits(7, 2000, 1.0));
    let broken = std::panic::catch_unwind(|| {
        let mut b = h.clone();
        b.record_count(highest(1), 1).unwrap();
        assert_reads_as(&b, &o);
    });
    assert!(broken.is_err());
    let shifted = std::panic::catch_unwind(|| {
        let mut b = h.clone();
        b.greatest = lowest(index(b.greatest) + 1);
        assert_reads_as(&b, &o);
    });
    assert!(shifted.is_err());
}
