//! A histogram of waits, with quantiles accurate to 0.1 %.

#[cfg(test)]
mod tests;

/// Waits recorded in milliseconds, up to 1000 hours (longer waits count as 1000 hours).
///
/// The buckets are those of `hdrhistogram` for 1 ms to 1000 hours at 3 significant figures,
/// and every reading is what it gives for the same waits; but the counts are kept by bucket
/// index in a vector as long as the longest wait needs, so that a histogram costs little
/// to create, fill, read, merge and drop (the staffing search makes thousands of short
/// replications, where `hdrhistogram`'s 184 KiB of counts, zeroed, copied and scanned
/// whole, cost more than their waits).
#[derive(Debug, Clone)]
pub struct WaitHistogram {
    /// Waits per bucket index ([`index`]): empty until the first wait, then to the end of
    /// the longest wait's bucket (at least [`MIN_LEN`], at most [`FULL`]).
    counts: Vec<u64>,
    /// How many waits.
    total: u64,
    /// `hdrhistogram`'s least nonzero value less 1, `u64::MAX` for none: a wait of 0 wraps
    /// to `u64::MAX`, so that it never lowers it, without a branch.
    least_less_1: u64,
    /// `hdrhistogram`'s greatest value (0 for none but zeros).
    greatest: u64,
}

const MAX_MS: u64 = 3_600_000_000;

/// The length of `hdrhistogram`'s counts for these bounds: buckets 0 to 21, values under
/// 2^32 (it takes values above [`MAX_MS`] in its last bucket when read back).
const FULL: usize = 23 * 1024;

/// The buckets allocated at first (waits under 2.048 s; 16 KiB).
const MIN_LEN: usize = 2048;

/// The room reserved at first, untouched until needed (waits under 65.536 s; 64 KiB).
const RESERVE: usize = 8192;

/// The counts summed at a time when scanning, so that the sums vectorise.
const CHUNK: usize = 8;

// Every wait recorded, clamped to MAX_MS, has its bucket.
const _: () = assert!(index(MAX_MS) < FULL && index(1 << 32) == FULL);

/// The index of the bucket of `ms`: `hdrhistogram`'s own for a lowest discernible value of
/// 1 and 3 significant figures (2048 sub-buckets, unit magnitude 0). Bucket `b` holds the
/// values of `b + 11` bits (bucket 0 also all shorter ones) in steps of `2^b`, and the
/// upper half of its sub-buckets (the lower half is the buckets below) starts at index
/// `1024 (b + 1)`.
#[inline]
const fn index(ms: u64) -> usize {
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

/// The highest value of the bucket at index `i` (below [`FULL`]).
const fn highest(i: usize) -> u64 {
    lowest(i + 1) - 1
}

/// `hdrhistogram`'s `highest_equivalent`, for any value.
fn highest_equivalent(v: u64) -> u64 {
    if v == u64::MAX {
        return v;
    }
    let i = index(v);
    let step = if i < 2048 { 1 } else { 1 << ((i >> 10) - 1) };
    lowest(i).saturating_add(step) - 1
}

impl Default for WaitHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitHistogram {
    /// An empty histogram.
    pub const fn new() -> Self {
        Self {
            counts: Vec::new(),
            total: 0,
            least_less_1: u64::MAX,
            greatest: 0,
        }
    }

    /// Records a wait in seconds.
    #[inline]
    pub fn record(&mut self, seconds: f64) {
        // Waits are never negative: adding a half and truncating rounds, without `round`.
        // `max` keeps a negative (or NaN) at 0 and `min` a longer wait at MAX_MS, as
        // `hdrhistogram`'s clamping did; through i64, one instruction (from 0 to MAX_MS
        // every value converts to the same as `as u64` would).
        let ms = (seconds * 1000.0 + 0.5).max(0.0).min(MAX_MS as f64) as i64 as u64;
        let i = index(ms);
        // Branch-free but for the bound, which only a wait longer than any before (or the
        // first) crosses.
        match self.counts.get_mut(i) {
            Some(c) => *c += 1,
            None => self.count_beyond(i),
        }
        self.total += 1;
        self.least_less_1 = self.least_less_1.min(ms.wrapping_sub(1));
        self.greatest = self.greatest.max(ms);
    }

    /// Counts a wait at index `i`, beyond `counts`.
    #[cold]
    #[inline(never)]
    fn count_beyond(&mut self, i: usize) {
        self.fit(i);
        self.counts[i] += 1;
    }

    /// Makes room in `counts` for index `i` (below [`FULL`]).
    fn fit(&mut self, i: usize) {
        if i < self.counts.len() {
            return;
        }
        // To the end of `i`'s bucket only, for the zeroing (a bucket holds twice the waits
        // of the one before, so that a few growths reach the longest); the capacity is
        // reserved ahead ([`RESERVE`] at first, then doubling), untouched until needed, so
        // that growing seldom copies.
        let len = ((i | 1023) + 1).clamp(MIN_LEN, FULL);
        if len > self.counts.capacity() {
            let cap = len.next_power_of_two().clamp(RESERVE, FULL);
            self.counts.reserve_exact(cap - self.counts.len());
        }
        self.counts.resize(len, 0);
    }

    /// Records `count` waits of `ms` milliseconds (a value of [`Self::recorded`]), when
    /// reading a histogram back.
    pub(crate) fn record_count(&mut self, ms: u64, count: u64) -> Result<(), String> {
        // As `hdrhistogram`'s `record_n`: any value of its buckets, even a count of 0.
        let i = index(ms);
        if i >= FULL {
            return Err("ValueOutOfRangeResizeDisabled".to_string());
        }
        self.fit(i);
        self.counts[i] = self.counts[i].saturating_add(count);
        self.total = self.total.saturating_add(count);
        self.least_less_1 = self.least_less_1.min(ms.wrapping_sub(1));
        self.greatest = self.greatest.max(ms);
        Ok(())
    }

    /// The indices of the buckets that may hold nonzero waits (none for none): every
    /// nonzero count lies between the least and greatest values' buckets.
    fn nonzero(&self) -> std::ops::Range<usize> {
        if self.greatest == 0 {
            0..0
        } else {
            index(self.least_less_1 + 1)..index(self.greatest) + 1
        }
    }

    /// Each bucket that may hold waits, with its index: that of zeros, then
    /// [`Self::nonzero`]'s.
    fn buckets(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        let zeros = self.counts.first().map(|&c| (0, c));
        let nonzero = self.nonzero();
        let start = nonzero.start;
        zeros.into_iter().chain(
            self.counts[nonzero]
                .iter()
                .enumerate()
                .map(move |(k, &c)| (start + k, c)),
        )
    }

    /// `hdrhistogram`'s `max`: the highest value of the greatest value's bucket.
    fn max_ms(&self) -> u64 {
        if self.greatest == 0 {
            0
        } else {
            highest_equivalent(self.greatest)
        }
    }

    /// `hdrhistogram`'s `min_nz`: the lowest value of the least nonzero value's bucket.
    fn min_nz_ms(&self) -> u64 {
        if self.least_less_1 == u64::MAX {
            u64::MAX
        } else {
            lowest(index(self.least_less_1 + 1))
        }
    }

    /// How many waits were recorded.
    pub fn len(&self) -> u64 {
        self.total
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The wait at quantile `q` (0..=1), in seconds; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.is_empty() {
            return f64::NAN;
        }
        // `hdrhistogram`'s `value_at_quantile`: the first bucket where the count from
        // below reaches `at`, arithmetic and all.
        let q = if q > 1.0 { 1.0 } else { q };
        let at = ((q * self.total as f64).ceil() as u64).max(1);
        let ms = |i: usize| {
            let ms = if q == 0.0 { lowest(i) } else { highest(i) };
            ms as f64 / 1000.0
        };
        let zeros = self.counts.first().copied().unwrap_or(0);
        if zeros >= at {
            return ms(0);
        }
        let nonzero = self.nonzero();
        let start = nonzero.start;
        let counts = &self.counts[nonzero];
        // The same bucket found from above, where fewer waits lie: the last where the
        // count from above exceeds `total - at`. Exact when `total` is the sum of the
        // counts, which it is unless saturated.
        if at > self.total / 2 && at <= self.total && self.total < u64::MAX {
            let left = self.total - at;
            let mut above = 0;
            let mut end = counts.len();
            for chunk in counts.rchunks(CHUNK) {
                let sum: u64 = chunk.iter().sum();
                if above + sum > left {
                    for (k, &c) in chunk.iter().enumerate().rev() {
                        above += c;
                        if above > left {
                            return ms(start + end - chunk.len() + k);
                        }
                    }
                }
                above += sum;
                end -= chunk.len();
            }
        } else {
            let mut below = zeros;
            for (n, chunk) in counts.chunks(CHUNK).enumerate() {
                let sum: u64 = chunk.iter().sum();
                if below + sum >= at {
                    for (k, &c) in chunk.iter().enumerate() {
                        below += c;
                        if below >= at {
                            return ms(start + n * CHUNK + k);
                        }
                    }
                }
                below += sum;
            }
        }
        0.0
    }

    /// The longest recorded wait, in seconds (to the histogram's precision).
    pub fn max(&self) -> f64 {
        self.max_ms() as f64 / 1000.0
    }

    /// How many waits lie in `[low, high)` seconds (to the histogram's precision).
    pub fn count_between(&self, low: f64, high: f64) -> u64 {
        let lo = (low * 1000.0).round() as u64;
        let hi = if high.is_finite() {
            (high * 1000.0).round() as u64
        } else {
            u64::MAX
        };
        self.recorded()
            .filter(|&(x, _)| x >= lo && x < hi)
            .map(|(_, c)| c)
            .sum()
    }

    /// Each recorded value (the highest of its bucket, milliseconds) with its count,
    /// in increasing order.
    pub fn recorded(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.buckets()
            .filter(|&(_, c)| c > 0)
            .map(|(i, c)| (highest(i), c))
    }

    /// Adds another histogram's counts.
    pub fn merge(&mut self, other: &WaitHistogram) {
        // As `hdrhistogram`'s `add`.
        if other.is_empty() {
            return;
        }
        let nonzero = other.nonzero();
        self.fit(nonzero.end.max(1) - 1);
        let was_empty = self.is_empty();
        let added = if self.total.checked_add(other.total).is_some() {
            // No count can overflow (each is at most its total), and `other`'s total is the
            // sum of its counts: plain additions, which vectorise.
            self.counts[0] += other.counts[0];
            let mine = &mut self.counts[nonzero.clone()];
            for (m, &c) in mine.iter_mut().zip(&other.counts[nonzero]) {
                *m += c;
            }
            other.total
        } else {
            let mut added = 0u64;
            for (i, c) in other.buckets() {
                self.counts[i] = self.counts[i].saturating_add(c);
                added = added.saturating_add(c);
            }
            added
        };
        if was_empty {
            // Taken as they are.
            self.total = other.total;
            self.least_less_1 = other.least_less_1;
            self.greatest = other.greatest;
            return;
        }
        self.total = self.total.saturating_add(added);
        let greatest = other.max_ms();
        if greatest > self.max_ms() {
            self.greatest = greatest;
        }
        let least = other.min_nz_ms();
        if least < self.min_nz_ms() && least > 0 {
            self.least_less_1 = least - 1;
        }
    }

    /// Takes away the counts of `other`, whose every value was also recorded here.
    pub fn remove(&mut self, other: &WaitHistogram) {
        // As `hdrhistogram`'s `subtract`: the extremes found again (and the total counted)
        // when a count is taken from a bucket at or below the least value's, or at or above
        // the greatest's, else kept.
        if other.is_empty() {
            return;
        }
        let min = if self.counts.first().is_some_and(|&c| c > 0) {
            0
        } else {
            self.min_nz_ms()
        };
        // The buckets of those ends: `hdrhistogram` compares each bucket's lowest value
        // with the least value's highest and the greatest's lowest.
        let low_end = index(highest_equivalent(min));
        let high_end = index(self.max_ms());
        let mut restat = self.total == u64::MAX;
        let mut taken = 0u64;
        for (i, c) in other.buckets() {
            if c == 0 {
                continue;
            }
            let left = self.counts.get(i).and_then(|&n| n.checked_sub(c));
            self.counts[i] = left.expect("a subset recorded here");
            taken += c;
            restat |= i <= low_end || i >= high_end;
        }
        if restat {
            self.restat();
        } else {
            self.total -= taken;
        }
    }

    /// Finds the total and extremes again from the counts, as `hdrhistogram`'s `restat`:
    /// the extremes at their buckets' edges.
    fn restat(&mut self) {
        let nonzero = self.nonzero();
        let start = nonzero.start;
        let counts = &self.counts[nonzero];
        let zeros = self.counts.first().copied().unwrap_or(0);
        self.total = counts.iter().fold(zeros, |t, &c| t.saturating_add(c));
        let first = counts.iter().position(|&c| c > 0);
        let last = counts.iter().rposition(|&c| c > 0);
        self.least_less_1 = first.map_or(u64::MAX, |k| lowest(start + k) - 1);
        self.greatest = last.map_or(0, |k| highest(start + k));
    }
}
