//! Interval cells in memory that does not grow with the horizon: a replication keeps a
//! window of its most recent cells and spills older ones to a private temporary file of
//! fixed-size records, where the rare late update (a call settling long after it arrived)
//! is read, changed and written back in place.

use super::intervals::IntervalStats;
use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Bytes of one cell on disk.
const RECORD: usize = 160;

/// Cells read or written at once when streaming a spill file.
pub(crate) const CHUNK: usize = 1024;

/// Interval cells kept in memory per replication (and per-interval sums kept in memory by
/// a run) before older ones go to disk: `RAPPEL_CELL_WINDOW` (a test hook), else 2048.
pub(crate) fn window() -> usize {
    static W: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *W.get_or_init(|| {
        std::env::var("RAPPEL_CELL_WINDOW")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|&n: &usize| n >= 1)
            .unwrap_or(2048)
    })
}

/// A copy of an I/O error (which is not `Clone`): same kind and message.
pub(crate) fn copy_error(e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), e.to_string())
}

/// A new read-write file in the temporary folder, already unlinked: it vanishes with its
/// last handle, whatever ends the process.
pub(crate) fn anonymous_file(what: &str) -> io::Result<File> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir();
    let mut last = None;
    for _ in 0..100 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".rappel-{what}-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => {
                let _ = std::fs::remove_file(&path);
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no temporary file name free")))
}

impl IntervalStats {
    fn to_record(self) -> [u8; RECORD] {
        let mut b = [0u8; RECORD];
        let u = [
            self.offered,
            self.answered,
            self.abandoned,
            self.rejected,
            self.balked,
            self.settled,
            self.within_sl,
            self.csat_n,
            self.short_abandoned,
            self.closed,
            self.callbacks,
            self.in_time,
            self.closed_before,
            self.closed_after,
        ];
        for (k, v) in u.iter().enumerate() {
            b[4 * k..4 * k + 4].copy_from_slice(&v.to_le_bytes());
        }
        let f = [
            self.wait_sum,
            self.busy_time,
            self.staffed_time,
            self.csat_sum,
            self.expected_wait,
            self.word_of_mouth_factor,
            self.roster[0],
            self.roster[1],
            self.roster[2],
            self.roster[3],
            self.message_wait[0],
            self.message_wait[1],
            self.message_wait[2],
        ];
        for (k, v) in f.iter().enumerate() {
            b[56 + 8 * k..64 + 8 * k].copy_from_slice(&v.to_bits().to_le_bytes());
        }
        b
    }

    fn from_record(b: &[u8]) -> Self {
        let u = |k: usize| u32::from_le_bytes(b[4 * k..4 * k + 4].try_into().expect("4 bytes"));
        let f = |k: usize| {
            f64::from_bits(u64::from_le_bytes(
                b[56 + 8 * k..64 + 8 * k].try_into().expect("8 bytes"),
            ))
        };
        Self {
            offered: u(0),
            answered: u(1),
            abandoned: u(2),
            rejected: u(3),
            balked: u(4),
            settled: u(5),
            within_sl: u(6),
            csat_n: u(7),
            short_abandoned: u(8),
            closed: u(9),
            callbacks: u(10),
            in_time: u(11),
            closed_before: u(12),
            closed_after: u(13),
            wait_sum: f(0),
            busy_time: f(1),
            staffed_time: f(2),
            csat_sum: f(3),
            expected_wait: f(4),
            word_of_mouth_factor: f(5),
            roster: [f(6), f(7), f(8), f(9)],
            message_wait: [f(10), f(11), f(12)],
        }
    }
}

/// The cells of one replication while it runs: day-major intervals `base..end`, the
/// recent ones in memory from `front`, the older ones in the spill file.
#[derive(Debug)]
pub(crate) struct Window {
    base: usize,
    end: usize,
    front: usize,
    cells: VecDeque<IntervalStats>,
    cap: usize,
    per_day: usize,
    /// The last day given an expected wait and a word-of-mouth factor, and those (new cells
    /// of that day take them).
    expect: (usize, f64, f64),
    file: Option<File>,
    /// One block of spilled cells read into memory: its first cell, its records, and
    /// whether they changed. A long quiet stretch is integrated after the days' marks
    /// have created (and spilled) its cells, so its cells are changed in order: each
    /// block is read and written back once, where a read and a write per cell took
    /// most of a sparse long run's time in system calls.
    block: Option<(usize, Vec<u8>, bool)>,
    error: Option<io::Error>,
}

impl Window {
    /// No cell yet of intervals `base..end`, `per_day` a day, at most `cap` in memory.
    pub(crate) fn new(base: usize, end: usize, per_day: usize, cap: usize) -> Self {
        Self {
            base,
            end: end.max(base),
            front: base,
            cells: VecDeque::new(),
            cap: cap.max(1),
            per_day: per_day.max(1),
            expect: (usize::MAX, 0.0, 1.0),
            file: None,
            block: None,
            error: None,
        }
    }

    /// Changes cell `idx` (ignored outside `base..end`).
    #[inline]
    pub(crate) fn update(&mut self, idx: usize, f: impl FnOnce(&mut IntervalStats)) {
        match idx.checked_sub(self.front) {
            Some(k) if k < self.cells.len() => f(&mut self.cells[k]),
            _ => self.update_cold(idx, f),
        }
    }

    #[cold]
    #[inline(never)]
    fn update_cold(&mut self, idx: usize, f: impl FnOnce(&mut IntervalStats)) {
        if idx < self.base || idx >= self.end {
            return;
        }
        if idx < self.front {
            self.update_spilled(idx, f);
            return;
        }
        self.extend_to(idx);
        let k = idx - self.front;
        f(&mut self.cells[k]);
    }

    /// Changes a spilled cell, in its block read into memory ([`Window::block`]).
    fn update_spilled(&mut self, idx: usize, f: impl FnOnce(&mut IntervalStats)) {
        let held = matches!(&self.block, Some((start, b, _))
            if idx >= *start && idx < start + b.len() / RECORD);
        if !held {
            self.write_back();
            let Some(file) = self.file.as_ref() else {
                return;
            };
            // The block of `idx`, up to the first cell still in memory.
            let start = self.base + (idx - self.base) / CHUNK * CHUNK;
            let mut b = vec![0u8; CHUNK.min(self.front - start) * RECORD];
            if let Err(e) = file.read_exact_at(&mut b, ((start - self.base) * RECORD) as u64) {
                self.error.get_or_insert(e);
                return;
            }
            self.block = Some((start, b, false));
        }
        let Some((start, b, changed)) = self.block.as_mut() else {
            return;
        };
        let rec = &mut b[(idx - *start) * RECORD..][..RECORD];
        let mut c = IntervalStats::from_record(rec);
        f(&mut c);
        rec.copy_from_slice(&c.to_record());
        *changed = true;
    }

    /// Writes the block of spilled cells in memory back to the file, if it changed.
    fn write_back(&mut self) {
        if let (Some((start, b, true)), Some(file)) = (self.block.take(), self.file.as_ref())
            && let Err(e) = file.write_all_at(&b, ((start - self.base) * RECORD) as u64)
        {
            self.error.get_or_insert(e);
        }
    }

    /// Creates the cells up to `idx` (below `end`), spilling the oldest when over `cap`.
    fn extend_to(&mut self, idx: usize) {
        let idx = idx.min(self.end.saturating_sub(1));
        while self.front + self.cells.len() <= idx {
            let next = self.front + self.cells.len();
            let (expected_wait, word_of_mouth_factor) = if next / self.per_day == self.expect.0 {
                (self.expect.1, self.expect.2)
            } else {
                (0.0, 1.0)
            };
            self.cells.push_back(IntervalStats {
                expected_wait,
                word_of_mouth_factor,
                ..IntervalStats::default()
            });
            if self.cells.len() > self.cap {
                self.spill(self.cells.len().div_ceil(2));
            }
        }
    }

    /// Moves the `n` oldest cells in memory to the spill file.
    fn spill(&mut self, n: usize) {
        if self.file.is_none() && self.error.is_none() {
            match anonymous_file("cells") {
                Ok(f) => self.file = Some(f),
                Err(e) => self.error = Some(e),
            }
        }
        let mut buf = Vec::with_capacity(n * RECORD);
        for c in self.cells.drain(..n) {
            buf.extend_from_slice(&c.to_record());
        }
        let at = ((self.front - self.base) * RECORD) as u64;
        self.front += n;
        if let Some(file) = self.file.as_ref()
            && let Err(e) = file.write_all_at(&buf, at)
        {
            self.error.get_or_insert(e);
        }
    }

    /// Sets the expected wait and the word-of-mouth factor of the cells of day `day` (the
    /// days before it are created
    /// first, with the wait then in effect, so that each cell keeps its own day's).
    pub(crate) fn expectation(&mut self, day: usize, wait: f64, factor: f64) {
        let start = day.saturating_mul(self.per_day);
        if start > self.base && self.front + self.cells.len() < start.min(self.end) {
            self.extend_to(start - 1);
        }
        self.expect = (day, wait, factor);
        let stop = start
            .saturating_add(self.per_day)
            .min(self.front + self.cells.len());
        for idx in start.max(self.base)..stop {
            self.update(idx, |c| {
                c.expected_wait = wait;
                c.word_of_mouth_factor = factor;
            });
        }
    }

    /// The finished cells `base..last`.
    pub(crate) fn finish(mut self, last: usize) -> Cells {
        let last = last.clamp(self.base, self.end);
        if last > self.base {
            self.extend_to(last - 1);
        }
        self.write_back();
        let len = last - self.base;
        let spilled = (self.front - self.base).min(len);
        let mut tail: Vec<IntervalStats> = self.cells.into();
        tail.truncate(len - spilled);
        Cells {
            file: self.file,
            spilled,
            tail,
            error: self.error,
        }
    }
}

/// The reported cells of one finished replication, in day-major order: the oldest in a
/// private spill file when the run was longer than the window, the rest in memory.
#[derive(Debug, Default)]
pub struct Cells {
    file: Option<File>,
    spilled: usize,
    tail: Vec<IntervalStats>,
    error: Option<io::Error>,
}

impl From<Vec<IntervalStats>> for Cells {
    fn from(tail: Vec<IntervalStats>) -> Self {
        Self {
            tail,
            ..Self::default()
        }
    }
}

impl Clone for Cells {
    /// The clone reads the same spill file (cells no longer change once finished).
    fn clone(&self) -> Self {
        let (file, error) = match self.file.as_ref().map(File::try_clone) {
            Some(Ok(f)) => (Some(f), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        Self {
            file,
            spilled: self.spilled,
            tail: self.tail.clone(),
            error: error.or_else(|| self.error.as_ref().map(copy_error)),
        }
    }
}

impl PartialEq for Cells {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Cells {
    /// How many cells.
    pub fn len(&self) -> usize {
        self.spilled + self.tail.len()
    }

    /// Whether there is no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many cells went to the spill file.
    pub fn spilled(&self) -> usize {
        self.spilled
    }

    /// The first error met writing or reading the spill file, if any.
    pub fn error(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }

    /// The cells in order, each read or copied; a read error ends the sequence with it.
    pub fn try_iter(&self) -> impl Iterator<Item = io::Result<IntervalStats>> + '_ {
        let failed = self.error.as_ref().map(|e| Err(copy_error(e)));
        let disk = (0..self.spilled).step_by(CHUNK).flat_map(move |start| {
            let n = CHUNK.min(self.spilled - start);
            let mut buf = vec![0u8; n * RECORD];
            let read = match self.file.as_ref() {
                Some(f) => f.read_exact_at(&mut buf, (start * RECORD) as u64),
                None => Err(io::Error::other("spill file missing")),
            };
            let out: Vec<io::Result<IntervalStats>> = match read {
                Ok(()) => buf
                    .chunks_exact(RECORD)
                    .map(|b| Ok(IntervalStats::from_record(b)))
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            out
        });
        failed
            .into_iter()
            .chain(disk)
            .chain(self.tail.iter().map(|c| Ok(*c)))
            .scan(false, |stop, r| {
                if *stop {
                    return None;
                }
                *stop = r.is_err();
                Some(r)
            })
    }

    /// The cells in order (stops early at a read error of the spill file, which the
    /// run's fold reports).
    pub fn iter(&self) -> impl Iterator<Item = IntervalStats> + '_ {
        self.try_iter().map_while(Result::ok)
    }

    /// The cells in a vector.
    pub fn to_vec(&self) -> Vec<IntervalStats> {
        self.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(k: u32) -> IntervalStats {
        IntervalStats {
            offered: k,
            within_sl: k + 1,
            csat_n: k + 2,
            wait_sum: f64::from(k) * 0.1,
            expected_wait: -0.0,
            ..IntervalStats::default()
        }
    }

    #[test]
    fn records_round_trip_bit_for_bit() {
        let c = IntervalStats {
            busy_time: f64::NAN,
            ..cell(7)
        };
        let back = IntervalStats::from_record(&c.to_record());
        assert_eq!(back.to_record(), c.to_record());
        assert_eq!(back.expected_wait.to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn a_tiny_window_spills_and_keeps_late_updates() {
        let (mut small, mut big) = (Window::new(3, 40, 5, 2), Window::new(3, 40, 5, 1000));
        for w in [&mut small, &mut big] {
            w.expectation(0, 1.0, 1.0);
            for k in 3..30 {
                w.update(k, |c| c.offered += k as u32);
                w.update(k / 2, |c| c.answered += 1);
                if k % 5 == 0 {
                    w.expectation(k / 5, k as f64, 1.0 + k as f64 / 100.0);
                }
            }
        }
        let (small, big) = (small.finish(35), big.finish(35));
        assert!(small.spilled() > 20, "{}", small.spilled());
        assert_eq!(big.spilled(), 0);
        assert_eq!(small.len(), 32);
        assert_eq!(small.to_vec(), big.to_vec());
        assert_eq!(small.to_vec()[0].answered, 2);
    }

    /// Spilled cells changed in order (a quiet stretch integrated after the days' marks),
    /// at random, and while newer cells keep spilling past the block held in memory: the
    /// same cells as a window that never spills.
    #[test]
    fn spilled_cells_changed_through_a_block_in_memory_read_as_never_spilled() {
        use crate::engine::{Purpose, stream};
        use rand::RngExt;
        let mut rng = stream(5, 0, Purpose::Arrivals);
        let n = 5 * CHUNK + 300;
        let (mut small, mut big) = (Window::new(7, n, 48, 16), Window::new(7, n, 48, n));
        let mut top = 7;
        let mut steps = Vec::new();
        while top < n {
            // Newer cells come to exist (and older ones spill), then a walk through some
            // of the older ones, then a few old cells at random.
            top = (top + rng.random_range(1..900usize)).min(n);
            steps.push((top - 1, 1u32));
            let from = rng.random_range(7..top);
            for k in from..(from + rng.random_range(0..2 * CHUNK)).min(top) {
                steps.push((k, 2));
            }
            for _ in 0..rng.random_range(0..20u32) {
                steps.push((rng.random_range(7..top), 3));
            }
        }
        for w in [&mut small, &mut big] {
            for &(k, v) in &steps {
                w.update(k, |c| {
                    c.offered += v;
                    c.busy_time += k as f64 * 0.5;
                });
            }
        }
        let (small, big) = (small.finish(n), big.finish(n));
        assert!(small.spilled() > 4 * CHUNK, "{}", small.spilled());
        assert_eq!(big.spilled(), 0);
        assert_eq!(small.to_vec(), big.to_vec());
    }
}
