//! The round bins of `wait_distribution.csv`, and the accumulator that gives every bin's
//! share across replications without keeping any replication's histogram.
//!
//! The bins follow the pooled waits' 99th percentile, known only once every replication
//! is in. So the accumulator folds, for every bin width [`nice_width`] can return, each
//! replication's share of each of the 60 possible bins and of each possible tail, and the
//! width is picked at the end: the same shares, in the same order, as if the histograms had
//! been kept.

use super::histogram::WaitHistogram;
use super::summary::{Estimate, Moments};

/// The most bins before the tail.
const MAX_BINS: usize = 60;

/// Picks a round bin width (1, 2 or 5 × 10^k seconds, at least 0.1 s) near `target`.
pub fn nice_width(target: f64) -> f64 {
    if target.is_nan() || target <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|w| *w >= target)
        .unwrap_or(10.0 * p)
        .max(0.1)
}

/// Every width [`nice_width`] can return for the waits a histogram holds (up to 1000 h,
/// so targets up to 1.2e5 s), computed as it computes them.
fn candidate_widths() -> Vec<f64> {
    let mut out = vec![1.0];
    for k in -3..=7 {
        let p = 10f64.powf(f64::from(k));
        for m in [1.0, 2.0, 5.0, 10.0] {
            out.push((m * p).max(0.1));
        }
    }
    out.sort_by(f64::total_cmp);
    out.dedup_by(|a, b| a.to_bits() == b.to_bits());
    out
}

/// Wait bins: `bins` bins of `width` seconds from 0, then a tail bin when `tail`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitBins {
    width: f64,
    bins: usize,
    tail: bool,
}

impl WaitBins {
    /// No bins (no wait recorded).
    pub const NONE: WaitBins = WaitBins {
        width: 1.0,
        bins: 0,
        tail: false,
    };

    /// Round bins covering about the 99th percentile of `pooled`, plus a tail bin when
    /// some wait lies beyond; none when `pooled` is empty.
    pub fn for_waits(pooled: &WaitHistogram) -> WaitBins {
        if pooled.is_empty() {
            return WaitBins::NONE;
        }
        let p99 = pooled.quantile(0.99);
        let width = nice_width(p99 / 30.0);
        let bins = ((p99 / width).ceil() as usize).clamp(1, MAX_BINS);
        let tail = pooled.max() >= edge(width, bins);
        WaitBins { width, bins, tail }
    }

    /// Whether there is no bin.
    pub fn is_empty(&self) -> bool {
        self.bins == 0
    }

    /// The bins as `[start, end)` seconds (the tail's end infinite).
    pub fn edges(&self) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = (0..self.bins)
            .map(|i| (edge(self.width, i), edge(self.width, i + 1)))
            .collect();
        if self.tail {
            out.push((edge(self.width, self.bins), f64::INFINITY));
        }
        out
    }
}

/// Edge `i` of bins of `width`: printed at the width's decimals and read back, so 0.6 is
/// not 0.6000000000000001.
fn edge(width: f64, i: usize) -> f64 {
    let decimals = (-width.log10().floor()).max(0.0) as usize;
    let x = i as f64 * width;
    format!("{x:.decimals$}").parse::<f64>().unwrap_or(x)
}

/// The shares of one candidate width.
#[derive(Debug, Clone)]
struct WidthShares {
    width: f64,
    /// Edges in milliseconds, as [`WaitHistogram::count_between`] compares them.
    limits: [u64; MAX_BINS + 1],
    /// Share of bin `i`, per replication.
    bin: [Moments; MAX_BINS],
    /// Share of bin 0 without the waits of 0 ms (answered at once), per replication.
    first_positive: Moments,
    /// Share of the tail from edge `m + 1` on, per replication.
    tail: [Moments; MAX_BINS],
}

/// Per-replication shares of every possible wait bin, folded in replication order, and the
/// pooled histogram that picks the bins at the end.
#[derive(Debug, Clone)]
pub struct WaitShares {
    pooled: WaitHistogram,
    /// Share of waits of 0 ms (answered at once), per replication.
    zero: Moments,
    widths: Vec<WidthShares>,
}

impl Default for WaitShares {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitShares {
    /// No replication yet.
    pub fn new() -> Self {
        let widths = candidate_widths()
            .into_iter()
            .map(|width| WidthShares {
                width,
                limits: std::array::from_fn(|i| (edge(width, i) * 1000.0).round() as u64),
                bin: [Moments::default(); MAX_BINS],
                first_positive: Moments::default(),
                tail: [Moments::default(); MAX_BINS],
            })
            .collect();
        Self {
            pooled: WaitHistogram::new(),
            zero: Moments::default(),
            widths,
        }
    }

    /// Adds one replication's waits.
    pub fn fold(&mut self, waits: &WaitHistogram) {
        self.pooled.merge(waits);
        if waits.is_empty() {
            // Every share is undefined in this replication, and skipped.
            return;
        }
        let len = waits.len() as f64;
        let recorded: Vec<(u64, u64)> = waits.recorded().collect();
        let zeros = recorded
            .iter()
            .filter(|(v, _)| *v == 0)
            .map(|(_, c)| c)
            .sum::<u64>();
        self.zero.push(zeros as f64 / len);
        // below[j]: the waits of the first j recorded values. A bin's count is then the
        // difference at its two edges, each found by a binary search from the last: a few
        // dozen steps per width where a walk through the values took thousands (a
        // replication's waits take hundreds to thousands of distinct values, and each of
        // the 28 widths walked them all).
        let mut below = Vec::with_capacity(recorded.len() + 1);
        below.push(0u64);
        let mut sum = 0;
        for &(_, c) in &recorded {
            sum += c;
            below.push(sum);
        }
        for w in &mut self.widths {
            // counts[i]: waits in bin i; counts[MAX_BINS]: waits beyond the last edge.
            let mut counts = [0u64; MAX_BINS + 1];
            let mut at = 0;
            for (count, &limit) in counts.iter_mut().zip(&w.limits[1..]) {
                let end = at + recorded[at..].partition_point(|&(v, _)| v < limit);
                *count = below[end] - below[at];
                at = end;
                if at == recorded.len() {
                    break;
                }
            }
            counts[MAX_BINS] = below[recorded.len()] - below[at];
            w.first_positive
                .push(counts[0].saturating_sub(zeros) as f64 / len);
            for (m, c) in w.bin.iter_mut().zip(&counts) {
                m.push(*c as f64 / len);
            }
            let mut beyond = counts[MAX_BINS];
            for k in (0..MAX_BINS).rev() {
                w.tail[k].push(beyond as f64 / len);
                beyond += counts[k];
            }
        }
    }

    /// The share of waits of exactly 0 (to the millisecond: answered at once) across
    /// replications; a part of the first bin's share.
    pub fn zero(&self) -> Estimate {
        self.zero.estimate()
    }

    /// The pooled waits of every replication folded.
    pub fn pooled(&self) -> &WaitHistogram {
        &self.pooled
    }

    /// The share of waits of 0 ms (calls answered at once) across replications, and each
    /// bin's share as [`Self::shares`] gives it, but with bin 0 holding only the waits
    /// above 0 ms: the answered at once apart, for the report's chart.
    pub fn shares_apart(&self, bins: &WaitBins) -> (Estimate, Vec<(f64, f64, Estimate)>) {
        let mut out = self.shares(bins);
        let w = self
            .widths
            .iter()
            .find(|w| w.width.to_bits() == bins.width.to_bits());
        if let (Some(first), Some(w)) = (out.first_mut().filter(|_| bins.bins > 0), w) {
            first.2 = w.first_positive.estimate();
        }
        (self.zero.estimate(), out)
    }

    /// Each bin's share across replications, with its `[start, end)` seconds; bins that are
    /// not among the candidates (never made by [`WaitBins::for_waits`]) are undefined.
    pub fn shares(&self, bins: &WaitBins) -> Vec<(f64, f64, Estimate)> {
        let w = self
            .widths
            .iter()
            .find(|w| w.width.to_bits() == bins.width.to_bits());
        let undefined = Moments::default().estimate();
        bins.edges()
            .into_iter()
            .enumerate()
            .map(|(i, (lo, hi))| {
                let e = match w {
                    Some(w) if i < bins.bins => w.bin[i].estimate(),
                    Some(w) => w.tail[bins.bins - 1].estimate(),
                    None => undefined,
                };
                (lo, hi, e)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_width_nice_width_returns_is_a_candidate() {
        let candidates = candidate_widths();
        let mut t = 1e-6;
        while t < 2e5 {
            let w = nice_width(t);
            assert!(
                candidates.iter().any(|c| c.to_bits() == w.to_bits()),
                "width {w} for target {t}"
            );
            t *= 1.01;
        }
        for t in [0.0, f64::NAN, 0.1, 1.0, 10.0, 100.0, 1000.0, 1e4, 1e5] {
            let w = nice_width(t);
            assert!(candidates.iter().any(|c| c.to_bits() == w.to_bits()));
        }
    }

    /// The answered at once come out of the first bin into a share of their own; the other
    /// bins stay as they are.
    #[test]
    fn the_answered_at_once_stand_apart_from_the_first_bin() {
        let mut shares = WaitShares::new();
        for zeros in [6u32, 2] {
            let mut h = WaitHistogram::new();
            for _ in 0..zeros {
                h.record(0.0);
            }
            for i in 0..(10 - zeros) {
                h.record(0.2 + f64::from(i));
            }
            shares.fold(&h);
        }
        let bins = WaitBins::for_waits(shares.pooled());
        let plain = shares.shares(&bins);
        let (zero, apart) = shares.shares_apart(&bins);
        assert!((zero.mean - 0.4).abs() < 1e-12, "{zero:?}");
        assert!((apart[0].2.mean + zero.mean - plain[0].2.mean).abs() < 1e-12);
        assert!(apart[0].2.mean < plain[0].2.mean);
        assert_eq!(apart[1..], plain[1..]);
    }

    /// The folded shares equal the shares computed from the kept histograms, bit for bit.
    #[test]
    fn folded_shares_equal_the_kept_histograms_computation() {
        let mut hists = Vec::new();
        for r in 0..7u32 {
            let mut h = WaitHistogram::new();
            for i in 0..(200 + 37 * r) {
                let x = f64::from((i * 7919 + r * 104_729) % 1000) / 10.0;
                h.record(x * x / (10.0 + f64::from(r)));
            }
            hists.push(h);
        }
        hists.push(WaitHistogram::new());
        let mut acc = WaitShares::new();
        let mut pooled = WaitHistogram::new();
        for h in &hists {
            acc.fold(h);
            pooled.merge(h);
        }
        let bins = WaitBins::for_waits(&pooled);
        assert!(bins.tail && bins.bins > 10, "{bins:?}");
        let folded = acc.shares(&bins);
        for (k, (lo, hi)) in bins.edges().into_iter().enumerate() {
            let shares: Vec<f64> = hists
                .iter()
                .map(|h| {
                    if h.is_empty() {
                        f64::NAN
                    } else {
                        h.count_between(lo, hi) as f64 / h.len() as f64
                    }
                })
                .collect();
            assert_eq!(folded[k], (lo, hi, super::super::summarise(&shares)));
        }
    }
}
