//! The event calendar: a binary heap ordered by (time, sequence number).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A pending event. Ordered so that the heap (a max-heap) pops the earliest time first,
/// and among equal times the one scheduled first: equal times never depend on heap internals.
struct Entry<E> {
    time: f64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// Future events of one replication.
///
/// Cancellation is lazy: an event that became moot (a patience timer of a call already
/// answered) stays in the calendar and its handler recognises it by a token it carries.
pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    /// An empty calendar.
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::with_capacity(1024),
            seq: 0,
        }
    }

    /// Schedules `event` at `time` (seconds).
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        self.seq += 1;
        self.heap.push(Entry {
            time,
            seq: self.seq,
            event,
        });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// Pending events, stale ones included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
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
}
