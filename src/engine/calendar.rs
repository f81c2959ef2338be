//! The event calendar: a 4-ary heap ordered by (time, sequence number), and one event
//! held beside it (the next arrival: one of every two events, which need not go through
//! the heap).

/// A pending event. The key packs the time's bits (monotonic for the non-negative times
/// of a run) above the sequence number, so one integer comparison orders entries, earliest
/// first and among equal times the one scheduled first: keys are unique, so the order in
/// which events pop never depends on the heap's internals.
#[derive(Clone, Copy)]
struct Entry<E> {
    key: u128,
    event: E,
}

/// A 4-ary min-heap of entries on their keys (the children of `i` are `4i + 1 ..= 4i + 4`).
/// Four children a node take as many instructions as two, but half the levels: the heap's
/// loads are fewer and the smaller of four is chosen without a branch, so the reference
/// model runs about a tenth faster than on a binary heap. Written here rather than taken
/// from std so that its two operations stay inlined into the event loop (std's `pop` was
/// inlined or not as the loop's size changed, moving a tenth of a run's instructions).
struct Heap<E> {
    v: Vec<Entry<E>>,
}

impl<E: Copy> Heap<E> {
    #[inline]
    fn push(&mut self, e: Entry<E>) {
        self.v.push(e);
        self.sift_up(self.v.len() - 1, e);
    }

    /// Puts `e` in the hole at `i`, or higher: its parents with greater keys move down.
    #[inline(always)]
    fn sift_up(&mut self, mut i: usize, e: Entry<E>) {
        while i > 0 {
            let p = (i - 1) / 4;
            if e.key >= self.v[p].key {
                break;
            }
            self.v[i] = self.v[p];
            i = p;
        }
        self.v[i] = e;
    }

    #[inline]
    fn peek_key(&self) -> Option<u128> {
        self.v.first().map(|e| e.key)
    }

    /// Removes the entry of the least key: the hole at the root goes down to a leaf along
    /// the smallest children, and the last entry comes up into it from there (fewer
    /// comparisons than sifting the last entry down from the root).
    #[inline]
    fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.v.pop()?;
        let n = self.v.len();
        if n == 0 {
            return Some(last);
        }
        let top = self.v[0];
        let mut i = 0;
        loop {
            let first = 4 * i + 1;
            if first >= n {
                break;
            }
            let c = if first + 3 < n {
                // A full node: the smaller of each pair, then of the two.
                let a = first + usize::from(self.v[first + 1].key < self.v[first].key);
                let b = first + 2 + usize::from(self.v[first + 3].key < self.v[first + 2].key);
                if self.v[b].key < self.v[a].key { b } else { a }
            } else {
                let mut c = first;
                for j in first + 1..n {
                    if self.v[j].key < self.v[c].key {
                        c = j;
                    }
                }
                c
            };
            self.v[i] = self.v[c];
            i = c;
        }
        self.sift_up(i, last);
        Some(top)
    }
}

/// Future events of one replication.
///
/// Cancellation is lazy: an event that became moot (a patience timer of a call already
/// answered) stays in the calendar and its handler recognises it by a token it carries.
pub struct Calendar<E> {
    heap: Heap<E>,
    /// The event scheduled with [`Calendar::schedule_beside`], if pending. Its key comes
    /// from the same sequence, so the order of events is the heap's alone would be.
    beside: Option<Entry<E>>,
    seq: u64,
}

impl<E: Copy> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Calendar<E> {
    /// An empty calendar.
    pub fn new() -> Self {
        Self {
            heap: Heap {
                v: Vec::with_capacity(1024),
            },
            beside: None,
            seq: 0,
        }
    }

    /// The key of an event scheduled now at `time`.
    #[inline]
    fn key(&mut self, time: f64) -> u128 {
        debug_assert!(time >= 0.0, "negative event time {time}");
        self.seq += 1;
        // `+ 0.0` turns a -0.0 into 0.0, whose bits sort first.
        let bits = (time + 0.0).to_bits();
        (u128::from(bits) << 64) | u128::from(self.seq)
    }

    /// Schedules `event` at `time` (seconds).
    #[inline(always)]
    pub fn schedule(&mut self, time: f64, event: E) {
        let key = self.key(time);
        self.heap.push(Entry { key, event });
    }

    /// Schedules `event` at `time` in the one place beside the heap, which must be free
    /// (the next arrival: at most one is pending). It pops in the same order as if it
    /// were in the heap.
    #[inline]
    pub fn schedule_beside(&mut self, time: f64, event: E) {
        debug_assert!(self.beside.is_none(), "the place beside the heap is taken");
        let key = self.key(time);
        self.beside = Some(Entry { key, event });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let from_heap = match (&self.beside, self.heap.peek_key()) {
            (Some(b), Some(h)) => h < b.key,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let e = if from_heap {
            self.heap.pop()?
        } else {
            self.beside.take()?
        };
        Some((f64::from_bits((e.key >> 64) as u64), e.event))
    }

    /// Pending events, stale ones included.
    pub fn len(&self) -> usize {
        self.heap.v.len() + usize::from(self.beside.is_some())
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.v.is_empty() && self.beside.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_ties_in_schedule_order() {
        let mut c = Calendar::new();
        c.schedule(5.0, "late");
        c.schedule(1.0, "first-at-1");
        c.schedule(1.0, "second-at-1");
        c.schedule(0.5, "early");
        c.schedule(1.0, "third-at-1");
        let order: Vec<_> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            ["early", "first-at-1", "second-at-1", "third-at-1", "late"]
        );
        assert!(c.is_empty());
    }

    #[test]
    fn the_event_beside_the_heap_pops_in_key_order() {
        let mut c = Calendar::new();
        c.schedule(1.0, "heap-at-1");
        c.schedule_beside(1.0, "beside-at-1");
        c.schedule(1.0, "heap-at-1-later");
        c.schedule(0.5, "heap-early");
        let mut order = Vec::new();
        while let Some((_, e)) = c.pop() {
            order.push(e);
            if e == "heap-at-1-later" {
                c.schedule_beside(2.0, "beside-at-2");
                c.schedule(2.0, "heap-at-2");
            }
        }
        assert_eq!(
            order,
            [
                "heap-early",
                "heap-at-1",
                "beside-at-1",
                "heap-at-1-later",
                "beside-at-2",
                "heap-at-2"
            ]
        );
        assert!(c.is_empty());
    }

    #[test]
    fn interleaved_schedules_and_pops_match_a_sorted_list() {
        use crate::engine::{Purpose, stream};
        use rand::RngExt;
        let mut rng = stream(9, 0, Purpose::Arrivals);
        let mut c = Calendar::new();
        let mut reference: Vec<(f64, u32)> = Vec::new();
        let mut now = 0.0;
        for id in 0..20_000u32 {
            // Coarse times so that many ties occur.
            let t = now + f64::from(rng.random_range(0..50u32));
            c.schedule(t, id);
            reference.push((t, id));
            if rng.random::<f64>() < 0.45 {
                // The earliest time, and among ties the first scheduled (smallest id).
                let (i, _) = reference
                    .iter()
                    .enumerate()
                    .min_by(|a, b| a.1.0.total_cmp(&b.1.0).then(a.1.1.cmp(&b.1.1)))
                    .unwrap();
                let want = reference.swap_remove(i);
                let got = c.pop().unwrap();
                assert_eq!(got, want);
                now = got.0;
            }
        }
        assert_eq!(c.len(), reference.len());
    }

    /// Phases of very different spacing and size of the calendar, with ties and far
    /// events (a year, infinity): the order must stay the keys' throughout.
    #[test]
    fn the_order_survives_every_width_and_the_far_future() {
        use crate::engine::{Purpose, stream};
        use rand::RngExt;
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut rng = stream(11, 0, Purpose::Arrivals);
        let mut c = Calendar::new();
        let mut oracle = BinaryHeap::new();
        let mut now = 0.0f64;
        let mut id = 0u32;
        let mut popped = 0u32;
        for phase in 0..12 {
            let spacing = [0.001, 1.0, 300.0, 86_400.0][phase % 4];
            let pending = [5, 200, 3_000][phase % 3];
            for _ in 0..30_000 {
                while oracle.len() < pending {
                    let u: f64 = rng.random();
                    let t = match rng.random_range(0..100u32) {
                        0 => now + 365.0 * 86_400.0,
                        1 => f64::INFINITY,
                        // Coarse copies of `now`: ties.
                        2..=9 => now + (rng.random_range(0..3u32) as f64) * spacing,
                        _ => now - spacing * u.ln(),
                    };
                    id += 1;
                    c.schedule(t, id);
                    oracle.push(Reverse((t.to_bits(), id)));
                }
                let Reverse((bits, want)) = oracle.pop().unwrap();
                let (t, got) = c.pop().unwrap();
                assert_eq!((t.to_bits(), got), (bits, want), "pop {popped}");
                popped += 1;
                if t.is_finite() {
                    now = t;
                }
            }
        }
        while let Some(Reverse((bits, want))) = oracle.pop() {
            assert_eq!(c.pop().map(|(t, e)| (t.to_bits(), e)), Some((bits, want)));
        }
        assert!(c.is_empty());
        assert!(c.pop().is_none());
    }
}
