//! Per-interval figures summed over replications: in memory for a short run, else a
//! private temporary file of fixed-size records, read and rewritten in one sequential pass
//! per replication folded (in replication order, so the bits do not depend on threads).

use super::cells::{CHUNK, Cells, anonymous_file, copy_error, window};
use super::intervals::IntervalStats;
use super::summary::Moments;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// Bytes of one [`IntervalSums`] on disk.
const RECORD: usize = 416;

/// One interval's figures summed over replications.
#[derive(Debug, Clone, Copy)]
pub struct IntervalSums {
    /// Sums of the calls offered, answered, abandoned, rejected, balked, disconnected at
    /// closing, left with a callback, and made while closed before opening and after closing.
    pub calls: [f64; 9],
    /// Sum of the agents present (staffed time / interval length).
    pub agents_staffed: f64,
    /// Sums of the roster's agents scheduled, present, planned and on the phone (agent-seconds
    /// / interval length).
    pub roster: [f64; 4],
    /// Service level, mean wait, occupancy, CSAT mean, expected wait, accessibility and
    /// word-of-mouth factor, per replication.
    pub ratios: [Moments; 7],
    /// Sums of the message-seconds of waiting in the interval and in the day's closed
    /// stretches before opening and after closing (see [`IntervalStats::message_wait`]).
    pub message_wait: [f64; 3],
}

impl Default for IntervalSums {
    fn default() -> Self {
        Self {
            calls: [-0.0; 9],
            agents_staffed: -0.0,
            roster: [-0.0; 4],
            ratios: [Moments::default(); 7],
            message_wait: [-0.0; 3],
        }
    }
}

impl IntervalSums {
    /// Adds one replication's cell; `interval` is the interval length, seconds.
    pub fn fold(&mut self, c: &IntervalStats, interval: f64) {
        let calls = [
            c.offered,
            c.answered,
            c.abandoned,
            c.rejected,
            c.balked,
            c.closed,
            c.callbacks,
            c.closed_before,
            c.closed_after,
        ];
        for (s, v) in self.calls.iter_mut().zip(calls) {
            *s += f64::from(v);
        }
        self.agents_staffed += c.staffed_time / interval;
        for (s, v) in self.roster.iter_mut().zip(c.roster) {
            *s += v / interval;
        }
        let ratios = [
            c.service_level(),
            c.wait_mean_s(),
            c.occupancy(),
            c.csat_mean(),
            c.expected_wait,
            c.accessibility(),
            c.word_of_mouth_factor,
        ];
        for (m, v) in self.ratios.iter_mut().zip(ratios) {
            m.push(v);
        }
        for (s, v) in self.message_wait.iter_mut().zip(c.message_wait) {
            *s += v;
        }
    }
}

impl IntervalSums {
    fn to_record(self, b: &mut [u8]) {
        let mut words = Vec::with_capacity(RECORD / 8);
        words.extend(self.calls.map(f64::to_bits));
        words.push(self.agents_staffed.to_bits());
        words.extend(self.roster.map(f64::to_bits));
        for m in self.ratios {
            words.extend(m.to_words());
        }
        words.extend(self.message_wait.map(f64::to_bits));
        for (chunk, w) in b.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
    }

    fn from_record(b: &[u8]) -> Self {
        let w = |k: usize| u64::from_le_bytes(b[8 * k..8 * k + 8].try_into().expect("8 bytes"));
        let f = |k: usize| f64::from_bits(w(k));
        Self {
            calls: std::array::from_fn(f),
            agents_staffed: f(9),
            roster: [f(10), f(11), f(12), f(13)],
            ratios: std::array::from_fn(|m| {
                let o = 14 + 5 * m;
                Moments::from_words([w(o), w(o + 1), w(o + 2), w(o + 3), w(o + 4)])
            }),
            message_wait: [f(49), f(50), f(51)],
        }
    }
}

/// The per-interval sums of a run, in memory or on disk.
#[derive(Debug, Default)]
pub(crate) struct IntervalAcc {
    len: usize,
    mem: Vec<IntervalSums>,
    file: Option<File>,
    error: Option<io::Error>,
}

impl Clone for IntervalAcc {
    fn clone(&self) -> Self {
        let mut out = Self {
            len: self.len,
            mem: self.mem.clone(),
            file: None,
            error: self.error.as_ref().map(copy_error),
        };
        if let Some(src) = self.file.as_ref() {
            let copied = anonymous_file("sums").and_then(|dst| {
                let mut buf = vec![0u8; CHUNK * RECORD];
                for start in (0..self.len).step_by(CHUNK) {
                    let k = CHUNK.min(self.len - start);
                    let at = (start * RECORD) as u64;
                    src.read_exact_at(&mut buf[..k * RECORD], at)?;
                    dst.write_all_at(&buf[..k * RECORD], at)?;
                }
                Ok(dst)
            });
            match copied {
                Ok(f) => out.file = Some(f),
                Err(e) => out.error = out.error.or(Some(e)),
            }
        }
        out
    }
}

impl IntervalAcc {
    /// Adds one replication's cells (`first`: the run's first replication, which sets
    /// how many intervals there are); `interval` is the interval length, seconds.
    pub(crate) fn fold(&mut self, cells: &Cells, first: bool, interval: f64) {
        if first {
            self.len = cells.len();
            if self.len > window() {
                match anonymous_file("sums") {
                    Ok(f) => self.file = Some(f),
                    Err(e) => self.error = Some(e),
                }
            } else {
                self.mem = vec![IntervalSums::default(); self.len];
            }
        }
        if self.error.is_some() {
            return;
        }
        let done = match self.file.as_ref() {
            None => self
                .mem
                .iter_mut()
                .zip(cells.try_iter())
                .try_for_each(|(s, c)| c.map(|c| s.fold(&c, interval))),
            Some(file) => fold_file(file, self.len.min(cells.len()), cells, first, interval),
        };
        if let Err(e) = done {
            self.error = Some(e);
        }
    }

    /// How many intervals.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Hands `f` each interval's sums in order; the first error ends it.
    pub(crate) fn for_each(
        &self,
        mut f: impl FnMut(usize, &IntervalSums) -> io::Result<()>,
    ) -> io::Result<()> {
        if let Some(e) = &self.error {
            return Err(copy_error(e));
        }
        let Some(file) = self.file.as_ref() else {
            return self.mem.iter().enumerate().try_for_each(|(i, s)| f(i, s));
        };
        let mut buf = vec![0u8; CHUNK * RECORD];
        for start in (0..self.len).step_by(CHUNK) {
            let k = CHUNK.min(self.len - start);
            file.read_exact_at(&mut buf[..k * RECORD], (start * RECORD) as u64)?;
            for (j, rec) in buf[..k * RECORD].chunks_exact(RECORD).enumerate() {
                f(start + j, &IntervalSums::from_record(rec))?;
            }
        }
        Ok(())
    }
}

/// One sequential pass over the first `n` records: read (unless `first`), fold the next
/// cell, write back.
fn fold_file(file: &File, n: usize, cells: &Cells, first: bool, interval: f64) -> io::Result<()> {
    let mut it = cells.try_iter();
    let mut buf = vec![0u8; CHUNK * RECORD];
    for start in (0..n).step_by(CHUNK) {
        let bytes = &mut buf[..CHUNK.min(n - start) * RECORD];
        let at = (start * RECORD) as u64;
        if !first {
            file.read_exact_at(bytes, at)?;
        }
        for rec in bytes.chunks_exact_mut(RECORD) {
            let c = it
                .next()
                .unwrap_or_else(|| Err(io::Error::other("interval cell missing")))?;
            let mut s = if first {
                IntervalSums::default()
            } else {
                IntervalSums::from_record(rec)
            };
            s.fold(&c, interval);
            s.to_record(rec);
        }
        file.write_all_at(bytes, at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_bit_for_bit() {
        let mut s = IntervalSums::default();
        for k in 0..3 {
            let c = IntervalStats {
                offered: 3 + k,
                settled: k,
                within_sl: k / 2,
                wait_sum: 1.5 * f64::from(k),
                staffed_time: 900.0,
                busy_time: 0.1,
                expected_wait: 30.0,
                ..IntervalStats::default()
            };
            s.fold(&c, 900.0);
        }
        let mut b = [0u8; RECORD];
        s.to_record(&mut b);
        let back = IntervalSums::from_record(&b);
        let mut b2 = [0u8; RECORD];
        back.to_record(&mut b2);
        assert_eq!(b, b2);
        assert_eq!(back.ratios, s.ratios);
        assert_eq!(back.calls.map(f64::to_bits), s.calls.map(f64::to_bits));
    }
}
