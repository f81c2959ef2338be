//! A fixed-memory histogram of waits, with quantiles accurate to 0.1 %.

use hdrhistogram::Histogram;

/// Waits recorded in milliseconds, up to 1000 hours (longer waits count as 1000 hours).
///
/// Waits are first counted apart, by their bucket of the histogram, and added to it in one
/// go ([`WaitHistogram::settle`]): recording a wait in `hdrhistogram` (its index, range
/// check, extremes and total) cost some 35 instructions more than counting it apart (an
/// increment and two comparisons). The histogram then holds exactly what recording the
/// waits one by one gives; every reading counts the waits not yet added.
#[derive(Debug, Clone)]
pub struct WaitHistogram {
    h: Histogram<u64>,
    /// Waits recorded and not yet in `h`.
    pending: Pending,
}

const MAX_MS: u64 = 3_600_000_000;

/// The bucket indices counted apart at most: those of `h`'s first 15 buckets, waits under
/// 2^25 ms (about 9.3 hours), in 128 KiB. Longer waits, rare, go to `h` at once.
const PENDING_CAP: usize = 16 * 1024;

/// The buckets counted apart at first (waits under 2.048 s; 16 KiB).
const PENDING_MIN: usize = 2048;

// Every wait counted apart is one `h` takes as it is (none to clamp when replayed).
const _: () = assert!(lowest(PENDING_CAP) <= MAX_MS);

/// The index in `h`'s counts of the bucket of `ms`: `hdrhistogram`'s own for a lowest
/// discernible value of 1 and 3 significant figures (2048 sub-buckets, unit magnitude 0).
/// Bucket `b` holds the values of `b + 11` bits (bucket 0 also all shorter ones) in steps
/// of `2^b`, and the upper half of its sub-buckets (the lower half is the buckets below)
/// starts at index `1024 (b + 1)`.
#[inline]
fn index(ms: u64) -> usize {
    let b = 53 - (ms | 2047).leading_zeros();
    ((b << 10) + (ms >> b) as u32) as usize
}

/// The lowest value of the bucket at index `i` ([`index`]'s inverse).
const fn lowest(i: usize) -> u64 {
    if i < 2048 {
        i as u64
    } else {
        (((i & 1023) | 1024) as u64) << ((i >> 10) - 1)
    }
}

/// Waits counted by the index of their bucket in `h` ([`index`]), with their exact least
/// (nonzero) and greatest values, which `h` keeps too.
#[derive(Debug, Clone)]
struct Pending {
    /// Waits per index: empty until the first wait, then as long as the longest wait yet
    /// needed (doubling), at most [`PENDING_CAP`].
    counts: Vec<u64>,
    /// The shortest nonzero wait less 1, `u64::MAX` for none: a wait of 0 wraps to
    /// `u64::MAX`, so that it never lowers it, without a branch.
    least_less_1: u64,
    /// The longest wait (0 for none but zeros).
    greatest: u64,
}

impl Pending {
    fn new() -> Self {
        Self {
            counts: Vec::new(),
            least_less_1: u64::MAX,
            greatest: 0,
        }
    }

    /// Counts a wait of `ms` milliseconds, unless it is too long to be counted apart.
    #[inline]
    fn count(&mut self, ms: u64) -> bool {
        // Branch-free but for the bound, which only a wait longer than any before (or the
        // first) crosses.
        if let Some(c) = self.counts.get_mut(index(ms)) {
            *c += 1;
            self.least_less_1 = self.least_less_1.min(ms.wrapping_sub(1));
            self.greatest = self.greatest.max(ms);
            true
        } else {
            self.count_beyond(ms)
        }
    }

    /// [`Self::count`] for a wait beyond `counts`: grows it, when the wait is short enough.
    #[cold]
    #[inline(never)]
    fn count_beyond(&mut self, ms: u64) -> bool {
        let i = index(ms);
        if i >= PENDING_CAP {
            return false;
        }
        // Doubling, so that a few growths reach the longest waits.
        let len = (i + 1)
            .next_power_of_two()
            .max(2 * self.counts.len())
            .clamp(PENDING_MIN, PENDING_CAP);
        self.counts.resize(len, 0);
        self.count(ms)
    }

    /// Whether no wait is counted (without a pass over `counts`, so that recording need
    /// not count the waits too).
    fn is_empty(&self) -> bool {
        self.greatest == 0 && self.counts.first().is_none_or(|&zeros| zeros == 0)
    }

    /// How many waits are counted.
    fn len(&self) -> u64 {
        match self.counts.first() {
            None => 0,
            Some(zeros) => zeros + self.counts[self.nonzero()].iter().sum::<u64>(),
        }
    }

    /// The range of indices that hold nonzero waits (empty for none).
    fn nonzero(&self) -> std::ops::Range<usize> {
        if self.greatest == 0 {
            0..0
        } else {
            index(self.least_less_1 + 1)..index(self.greatest) + 1
        }
    }

    /// Records the waits counted into `h`: the same counts, total, least nonzero and
    /// greatest values as recording them one by one.
    fn replay(&self, h: &mut Histogram<u64>) {
        if self.is_empty() {
            return;
        }
        if self.counts[0] > 0 {
            h.saturating_record_n(0, self.counts[0]);
        }
        if self.greatest == 0 {
            return;
        }
        let least = self.least_less_1 + 1;
        let top = index(self.greatest);
        // The greatest wait once as it is, then each bucket's count (the greatest's less
        // that one) at its lowest value, or at the least wait in the least's bucket: no
        // value replayed lies outside [least, greatest], so `h` gets exactly those extremes.
        h.saturating_record(self.greatest);
        for i in self.nonzero() {
            let c = self.counts[i] - u64::from(i == top);
            if c > 0 {
                h.saturating_record_n(lowest(i).max(least), c);
            }
        }
    }

    /// Forgets every wait, keeping the array for more.
    fn clear(&mut self) {
        if self.is_empty() {
            return;
        }
        // Only the buckets replayed hold counts.
        self.counts[0] = 0;
        let nonzero = self.nonzero();
        self.counts[nonzero].fill(0);
        self.least_less_1 = u64::MAX;
        self.greatest = 0;
    }
}

impl Default for WaitHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self {
            h: Histogram::new_with_bounds(1, MAX_MS, 3).expect("valid fixed bounds"),
            pending: Pending::new(),
        }
    }

    /// Records a wait in seconds.
    #[inline]
    pub fn record(&mut self, seconds: f64) {
        // Waits are never negative: adding a half and truncating rounds, without `round`.
        // Through i64 (one instruction and its saturation, where u64 takes a branch more):
        // from 0 up, every value converts to the same as `as u64` would, a larger one than
        // MAX_MS to one above it; `max` keeps a negative (or NaN) at 0, as `as u64` did.
        let ms = (seconds * 1000.0 + 0.5).max(0.0) as i64 as u64;
        if !self.pending.count(ms) {
            self.record_long(ms);
        }
    }

    /// Records a wait too long to be counted apart.
    #[cold]
    #[inline(never)]
    fn record_long(&mut self, ms: u64) {
        self.h.saturating_record(ms.min(MAX_MS));
    }

    /// Adds the waits counted apart to the histogram (the same as recording them one by
    /// one); readings are then direct.
    pub fn settle(&mut self) {
        self.pending.replay(&mut self.h);
        self.pending.clear();
    }

    /// The histogram with every wait in it: `h` itself once settled, else a settled copy.
    fn full(&self) -> std::borrow::Cow<'_, Histogram<u64>> {
        if self.pending.is_empty() {
            std::borrow::Cow::Borrowed(&self.h)
        } else {
            let mut h = self.h.clone();
            self.pending.replay(&mut h);
            std::borrow::Cow::Owned(h)
        }
    }

    /// Records `count` waits of `ms` milliseconds (a value of [`Self::recorded`]), when
    /// reading a histogram back.
    pub(crate) fn record_count(&mut self, ms: u64, count: u64) -> Result<(), String> {
        self.h.record_n(ms, count).map_err(|e| format!("{e:?}"))
    }

    /// How many waits were recorded.
    pub fn len(&self) -> u64 {
        self.h.len() + self.pending.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.h.is_empty() && self.pending.is_empty()
    }

    /// The wait at quantile `q` (0..=1), in seconds; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.is_empty() {
            return f64::NAN;
        }
        self.full().value_at_quantile(q) as f64 / 1000.0
    }

    /// The longest recorded wait, in seconds (to the histogram's precision).
    pub fn max(&self) -> f64 {
        self.full().max() as f64 / 1000.0
    }

    /// How many waits lie in `[low, high)` seconds (to the histogram's precision).
    pub fn count_between(&self, low: f64, high: f64) -> u64 {
        let lo = (low * 1000.0).round() as u64;
        let hi = if high.is_finite() {
            (high * 1000.0).round() as u64
        } else {
            u64::MAX
        };
        self.full()
            .iter_recorded()
            .filter(|v| {
                let x = v.value_iterated_to();
                x >= lo && x < hi
            })
            .map(|v| v.count_at_value())
            .sum()
    }

    /// Each recorded value (the highest of its bucket, milliseconds) with its count,
    /// in increasing order.
    pub fn recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let h = self.full();
        let v: Vec<(u64, u64)> = h
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        v.into_iter()
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &WaitHistogram) {
        self.h.add(&other.h).expect("same fixed bounds");
        // As if `other`'s waits counted apart had been recorded here.
        other.pending.replay(&mut self.h);
    }

    /// Takes away the counts of `other`, whose every value was also recorded here.
    pub fn remove(&mut self, other: &WaitHistogram) {
        self.settle();
        self.h
            .subtract(&*other.full())
            .expect("a subset recorded here");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn zeros_counted_apart_read_as_if_recorded_one_by_one() {
        let waits = [0.0, 0.0004, 1.5, 0.0, 30.0, 0.0, 7.25];
        let mut apart = WaitHistogram::new();
        let mut direct = Histogram::<u64>::new_with_bounds(1, MAX_MS, 3).unwrap();
        for w in waits {
            apart.record(w);
            direct.record((w * 1000.0_f64 + 0.5) as u64).unwrap();
        }
        assert_eq!(apart.pending.len(), 7);
        assert_eq!(apart.len(), direct.len());
        for q in [0.0, 0.3, 0.5, 0.6, 0.9, 1.0] {
            assert_eq!(
                apart.quantile(q),
                direct.value_at_quantile(q) as f64 / 1000.0
            );
        }
        let listed: Vec<_> = direct
            .iter_recorded()
            .map(|v| (v.value_iterated_to(), v.count_at_value()))
            .collect();
        assert_eq!(apart.recorded().collect::<Vec<_>>(), listed);
        assert_eq!(apart.count_between(0.0, 1.0), 4);
        let mut twice = apart.clone();
        twice.merge(&apart);
        assert_eq!(twice.len(), 2 * direct.len());
        twice.remove(&apart);
        assert_eq!(twice.recorded().collect::<Vec<_>>(), listed);
        apart.settle();
        assert!(apart.pending.is_empty());
        assert_eq!(apart.recorded().collect::<Vec<_>>(), listed);
    }

    /// Waits in seconds over the whole range: 0, NaN, negative, the first buckets' edges,
    /// log-uniform from 0.1 ms to beyond 1000 hours, and the cap and beyond.
    fn waits(seed: u64, n: usize) -> Vec<f64> {
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
            .map(|_| match rng.random_range(0..10u32) {
                0..=2 => 0.0,
                3 => edges[rng.random_range(0..edges.len())],
                4 => f64::from(rng.random_range(0..5000u32)) / 1000.0,
                _ => 10f64.powf(rng.random_range(-4.0..7.5)),
            })
            .collect()
    }

    /// What recording `seconds` one by one in `hdrhistogram` gives (the old way).
    fn direct(seconds: &[f64]) -> Histogram<u64> {
        let mut h = Histogram::<u64>::new_with_bounds(1, MAX_MS, 3).unwrap();
        for &s in seconds {
            let ms = (s * 1000.0 + 0.5).max(0.0) as i64 as u64;
            h.saturating_record(ms.min(MAX_MS));
        }
        h
    }

    /// A histogram holding `h` and nothing counted apart.
    fn wrapped(h: Histogram<u64>) -> WaitHistogram {
        WaitHistogram {
            h,
            pending: Pending::new(),
        }
    }

    /// Every reading of `a` and `b` is the same.
    fn assert_same_readings(a: &WaitHistogram, b: &WaitHistogram) {
        assert_eq!(a.len(), b.len());
        assert_eq!(a.is_empty(), b.is_empty());
        assert_eq!(
            a.recorded().collect::<Vec<_>>(),
            b.recorded().collect::<Vec<_>>()
        );
        assert_eq!(a.max().to_bits(), b.max().to_bits());
        for k in 0..=200 {
            let q = f64::from(k) / 200.0;
            assert_eq!(a.quantile(q).to_bits(), b.quantile(q).to_bits(), "q {q}");
        }
        for (lo, hi) in [
            (0.0, 0.001),
            (0.0, 2.048),
            (0.001, 4.096),
            (2.047, 30.0),
            (20.0, 3600.0),
            (3600.0, f64::INFINITY),
            (0.0, f64::INFINITY),
        ] {
            assert_eq!(a.count_between(lo, hi), b.count_between(lo, hi));
        }
    }

    #[test]
    fn index_is_hdrhistograms_own() {
        let h = Histogram::<u64>::new_with_bounds(1, MAX_MS, 3).unwrap();
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
        }
        // Beyond the histogram's range too, index and lowest stay inverse.
        for k in 11..63 {
            for v in [(1u64 << k) - 1, 1 << k, (1 << k) + 1] {
                assert_eq!(lowest(index(v)), h.lowest_equivalent(v), "{v}");
                assert_eq!(index(h.highest_equivalent(v) + 1), index(v) + 1, "{v}");
            }
        }
        assert_eq!(index(u64::MAX), 53 * 1024 + 2047);
    }

    #[test]
    fn counted_apart_the_state_is_that_of_recording_one_by_one() {
        for seed in 0..20 {
            let all = waits(seed, 20_000);
            let mut apart = WaitHistogram::new();
            // In batches, settled between, to see the pending counts cleared and reused.
            for end in [1, 10, 1000, 5000, 20_000] {
                let start = apart.len() as usize;
                for &s in &all[start..end] {
                    apart.record(s);
                }
                let direct = direct(&all[..end]);
                // Debug shows every field: counts, total, least and greatest values.
                assert_eq!(format!("{:?}", *apart.full()), format!("{direct:?}"));
                assert_same_readings(&apart, &wrapped(direct.clone()));
                apart.settle();
                assert!(apart.pending.is_empty());
                assert!(apart.pending.counts.iter().all(|&c| c == 0));
                assert_eq!(format!("{:?}", apart.h), format!("{direct:?}"));
            }
        }
    }

    #[test]
    fn counted_apart_only_short_waits_and_few_at_first() {
        let mut h = WaitHistogram::new();
        assert!(h.pending.counts.is_empty());
        h.record(0.0);
        assert_eq!(h.pending.counts.len(), PENDING_MIN);
        h.record(30.0);
        assert_eq!(h.pending.counts.len(), 8192);
        h.record(33_554.431);
        assert_eq!(h.pending.counts.len(), PENDING_CAP);
        h.record(33_554.432);
        h.record(1e9);
        assert_eq!((h.pending.len(), h.h.len(), h.len()), (3, 2, 5));
        assert_eq!(h.max(), h.h.highest_equivalent(MAX_MS) as f64 / 1000.0);
    }

    #[test]
    fn merged_and_removed_read_as_if_recorded_one_by_one() {
        for seed in 0..10 {
            let (x, y) = (waits(2 * seed, 3000), waits(2 * seed + 1, 2000));
            let (dx, dy) = (wrapped(direct(&x)), wrapped(direct(&y)));
            let mut a = WaitHistogram::new();
            let mut b = WaitHistogram::new();
            // Odd seeds: some waits in `h` already, the others still apart.
            let settled = if seed % 2 == 1 { 10 } else { 0 };
            x[..settled].iter().for_each(|&s| a.record(s));
            y[..settled].iter().for_each(|&s| b.record(s));
            a.settle();
            b.settle();
            x[settled..].iter().for_each(|&s| a.record(s));
            y[settled..].iter().for_each(|&s| b.record(s));
            if seed % 2 == 1 {
                // Taken away again: `b` the same, settled.
                b.merge(&a);
                b.remove(&a);
                assert_same_readings(&b, &dy);
            }
            let mut merged = a.clone();
            merged.merge(&b);
            let mut expected = dx.clone();
            expected.merge(&dy);
            assert_same_readings(&merged, &expected);
            assert_same_readings(&merged, &wrapped(direct(&[x.clone(), y.clone()].concat())));
            let mut removed = merged.clone();
            removed.remove(&b);
            assert_same_readings(&removed, &dx);
            merged.remove(&a);
            assert_same_readings(&merged, &dy);
            let mut into_empty = WaitHistogram::new();
            into_empty.merge(&b);
            assert_same_readings(&into_empty, &dy);
        }
    }
}
