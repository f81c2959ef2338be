//! The event calendar: a binary heap ordered by (time, sequence number), and one event
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

/// A binary min-heap of entries on their keys. Written here rather than taken from std
/// so that its two operations stay inlined into the event loop (std's `pop` was inlined
/// or not as the loop's size changed, moving a tenth of a run's instructions).
struct Heap<E> {
    v: Vec<Entry<E>>,
}

impl<E: Copy> Heap<E> {
    #[inline(always)]
    fn push(&mut self, e: Entry<E>) {
        self.v.push(e);
        self.sift_up(self.v.len() - 1, e);
    }

    /// Puts `e` in the hole at `i`, or higher: its parents with greater keys move down.
    #[inline(always)]
    fn sift_up(&mut self, mut i: usize, e: Entry<E>) {
        while i > 0 {
            let p = (i - 1) / 2;
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
    /// the smaller children, and the last entry comes up into it from there (fewer
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
            let mut c = 2 * i + 1;
            if c >= n {
                break;
            }
            if c + 1 < n && self.v[c + 1].key < self.v[c].key {
                c += 1;
            }
            self.v[i] = self.v[c];
            i = c;
        }
        self.sift_up(i, last);
        Some(top)
    }
}

/// The near future of a calendar queue (Brown, 1988): the entries of the next
/// `slots.len()` buckets of time, one slot each, unsorted within a slot. A bucket holds
/// about one pending event, so an event is filed by one multiplication and found by a
/// scan of a word of flags and of the few entries of its slot, where a heap took a
/// comparison per level for each push and each pop. Entries beyond the slots wait in a
/// heap, the far future, and move into the slots as time reaches them.
///
/// The order of pops is the keys' alone: a bucket's times all precede the next bucket's
/// (the bucket of a time is `floor(time / width)`, monotonic), and within a bucket the
/// least key is taken. So the width, which adapts to the spacing of the events, changes
/// the work done and never the order.
struct Buckets<E> {
    slots: Vec<Vec<Entry<E>>>,
    /// One bit per slot, set while the slot holds an entry.
    occupied: Vec<u64>,
    /// Buckets per second: the inverse of the width.
    per_second: f64,
    /// `slots.len() - 1`: a bucket's slot is its number's low bits.
    mask: i64,
    /// The bucket of the latest event popped: no pending entry is earlier. Bucket numbers
    /// are `i64`, which a float converts to in one instruction.
    cur: i64,
    /// `cur + slots.len()` as a float: entries at or past it go to the far future.
    limit: f64,
    /// Entries in the slots.
    held: usize,
    /// The time of the latest event popped (where a rebuild starts `cur`).
    last: f64,
    far: Heap<E>,
    /// Since the last look at the width: pops, entries scanned by them, and pushes that
    /// went to the far future.
    pops: u32,
    scanned: u32,
    pushes: u32,
    far_pushes: u32,
}

/// Slots at first, and at most (a maximum keeps the memory bounded whatever the events).
const FIRST_SLOTS: usize = 256;
const MAX_SLOTS: usize = 1 << 14;
/// Pops between two looks at the width.
const ADAPT_EVERY: u32 = 4096;

impl<E: Copy> Buckets<E> {
    fn new() -> Self {
        Self {
            slots: (0..FIRST_SLOTS).map(|_| Vec::new()).collect(),
            occupied: vec![0; FIRST_SLOTS / 64],
            per_second: 1.0,
            mask: FIRST_SLOTS as i64 - 1,
            cur: 0,
            limit: FIRST_SLOTS as f64,
            held: 0,
            last: 0.0,
            far: Heap {
                v: Vec::with_capacity(64),
            },
            pops: 0,
            scanned: 0,
            pushes: 0,
            far_pushes: 0,
        }
    }

    /// Files `e` in its slot, or in the far future. A time before the latest pop (none
    /// is scheduled so) would go in the current slot, where it still pops first.
    #[inline(always)]
    fn push(&mut self, e: Entry<E>) {
        self.pushes = self.pushes.wrapping_add(1);
        let x = time_of(e.key) * self.per_second;
        // Written so that a NaN goes to the far future, ordered by its bits as before.
        if x < self.limit {
            let b = (x as i64).max(self.cur);
            self.file(b, e);
        } else {
            self.far_pushes = self.far_pushes.wrapping_add(1);
            self.far.push(e);
        }
    }

    #[inline]
    fn file(&mut self, bucket: i64, e: Entry<E>) {
        let i = (bucket & self.mask) as usize;
        self.slots[i].push(e);
        self.occupied[i >> 6] |= 1 << (i & 63);
        self.held += 1;
    }

    /// The first occupied slot at or after the current bucket, within one turn: its
    /// bucket. Only called with `held > 0`.
    #[inline]
    fn next_occupied(&self) -> i64 {
        let n = self.slots.len() as i64;
        let start = self.cur & self.mask;
        let words = self.occupied.len();
        let mut w = (start >> 6) as usize;
        let mut bits = self.occupied[w] & (u64::MAX << (start & 63));
        let mut passed = 0usize;
        loop {
            if bits != 0 {
                let i = ((w as i64) << 6) | i64::from(bits.trailing_zeros());
                // Slots before `start` in the array are the turn after the current one.
                return self.cur + if i >= start { i - start } else { i + n - start };
            }
            passed += 1;
            w = if w + 1 == words { 0 } else { w + 1 };
            bits = self.occupied[w];
            if passed > words {
                unreachable!("held entries but no occupied slot");
            }
        }
    }

    /// Moves the far future's entries that the slots now reach into them.
    #[inline]
    fn refill(&mut self) {
        while let Some(k) = self.far.peek_key() {
            let x = time_of(k) * self.per_second;
            // A NaN stays in the far future.
            if x.partial_cmp(&self.limit) != Some(std::cmp::Ordering::Less) {
                break;
            }
            let Some(e) = self.far.pop() else { break };
            self.file((x as i64).max(self.cur), e);
        }
    }

    #[inline]
    fn set_cur(&mut self, b: i64) {
        self.cur = b;
        self.limit = (b + self.mask + 1) as f64;
    }

    /// The least key pending, and where it is: `Some(index)` in the current slot (the
    /// current bucket then moved to it), or `None` for the far future's root.
    #[inline]
    fn front(&mut self) -> Option<(u128, Option<usize>)> {
        if self.held == 0 {
            let k = self.far.peek_key()?;
            let x = time_of(k) * self.per_second;
            // An earliest event too far for the slots' numbers pops from the heap.
            if x.partial_cmp(&4.0e15) != Some(std::cmp::Ordering::Less) {
                return Some((k, None));
            }
            self.set_cur((x as i64).max(self.cur));
            self.refill();
        } else {
            let b = self.next_occupied();
            if b != self.cur {
                self.set_cur(b);
                self.refill();
            }
        }
        let slot = &self.slots[(self.cur & self.mask) as usize];
        let mut m = 0;
        for (i, e) in slot.iter().enumerate().skip(1) {
            if e.key < slot[m].key {
                m = i;
            }
        }
        Some((slot[m].key, Some(m)))
    }

    /// Removes the entry that [`Buckets::front`] found.
    #[inline]
    fn take(&mut self, at: Option<usize>) -> Entry<E> {
        let e = match at {
            Some(m) => {
                let i = (self.cur & self.mask) as usize;
                let slot = &mut self.slots[i];
                self.scanned = self.scanned.wrapping_add(slot.len() as u32);
                let e = slot.swap_remove(m);
                if slot.is_empty() {
                    self.occupied[i >> 6] &= !(1 << (i & 63));
                }
                self.held -= 1;
                e
            }
            None => self.far.pop().expect("the far future's root was found"),
        };
        self.last = time_of(e.key);
        self.pops += 1;
        if self.pops == ADAPT_EVERY {
            self.adapt();
        }
        e
    }

    /// Looks at the work of the last pops: slots scanned long mean buckets too wide;
    /// pushes to the far future mean too few slots (or, at the most slots, too narrow
    /// buckets). Out of line: it runs once in thousands of pops.
    #[cold]
    #[inline(never)]
    fn adapt(&mut self) {
        let (pops, scanned, pushes, far) = (self.pops, self.scanned, self.pushes, self.far_pushes);
        self.pops = 0;
        self.scanned = 0;
        self.pushes = 0;
        self.far_pushes = 0;
        let mut per_second = self.per_second;
        let mut slots = self.slots.len();
        if scanned > 3 * pops {
            per_second *= 2.0;
            slots = (slots * 2).min(MAX_SLOTS);
        } else if far > pushes / 16 {
            if slots < MAX_SLOTS {
                slots *= 2;
            } else {
                per_second /= 2.0;
            }
        } else if scanned < pops + pops / 4 && slots > FIRST_SLOTS {
            // Nearly one entry per pop: fewer, wider buckets cover the same time.
            per_second /= 2.0;
            slots /= 2;
        } else {
            return;
        }
        self.rebuild(per_second, slots);
    }

    /// Refiles every entry with another width and number of slots.
    fn rebuild(&mut self, per_second: f64, slots: usize) {
        let mut all: Vec<Entry<E>> = std::mem::take(&mut self.far.v);
        for s in &mut self.slots {
            all.append(s);
        }
        self.slots.resize_with(slots, Vec::new);
        self.occupied = vec![0; slots / 64];
        self.mask = slots as i64 - 1;
        self.per_second = per_second;
        self.held = 0;
        let x = self.last * per_second;
        self.set_cur(if x < 4.0e15 { x as i64 } else { 0 });
        for e in all {
            self.push(e);
        }
        self.pushes = 0;
        self.far_pushes = 0;
    }

    fn len(&self) -> usize {
        self.held + self.far.v.len()
    }
}

/// The time (seconds) a key was made from.
#[inline]
fn time_of(key: u128) -> f64 {
    f64::from_bits((key >> 64) as u64)
}

/// Future events of one replication.
///
/// Cancellation is lazy: an event that became moot (a patience timer of a call already
/// answered) stays in the calendar and its handler recognises it by a token it carries.
pub struct Calendar<E> {
    queue: Buckets<E>,
    /// The event scheduled with [`Calendar::schedule_beside`], if pending. Its key comes
    /// from the same sequence, so the order of events is the queue's alone would be.
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
            queue: Buckets::new(),
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
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        let key = self.key(time);
        self.queue.push(Entry { key, event });
    }

    /// Schedules `event` at `time` in the one place beside the queue, which must be free
    /// (the next arrival: at most one is pending). It pops in the same order as if it
    /// were in the queue.
    #[inline]
    pub fn schedule_beside(&mut self, time: f64, event: E) {
        debug_assert!(self.beside.is_none(), "the place beside the queue is taken");
        let key = self.key(time);
        self.beside = Some(Entry { key, event });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let e = match (self.queue.front(), &self.beside) {
            (Some((k, at)), Some(b)) if k < b.key => self.queue.take(at),
            (Some((_, at)), None) => self.queue.take(at),
            (_, Some(_)) => self.beside.take()?,
            (None, None) => return None,
        };
        Some((time_of(e.key), e.event))
    }

    /// Pending events, stale ones included.
    pub fn len(&self) -> usize {
        self.queue.len() + usize::from(self.beside.is_some())
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    fn the_event_beside_the_queue_pops_in_key_order() {
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

    /// Phases of very different spacing make the buckets narrow, widen and grow in
    /// number; far events (a day, a year, infinity) sit in the far future meanwhile. The
    /// order must stay the keys' throughout.
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
