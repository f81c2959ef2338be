//! The appointment book of the callback flow: slots of a fixed length during opening
//! hours, each taking a share of the appointments its interval accepts.

use crate::scenario::{DAY, DayGrid};
use std::collections::BTreeMap;

/// Booked appointments per slot, forgetting slots once they are past.
#[derive(Debug)]
pub struct Book {
    grid: DayGrid,
    slot_length: f64,
    slots_per_day: u64,
    slots_per_interval: u64,
    per_interval: u64,
    horizon: f64,
    booked: BTreeMap<u64, u64>,
}

impl Book {
    /// An empty book.
    pub fn new(day: &DayGrid, slot_length: f64, per_interval: u32, horizon: f64) -> Self {
        let slots_per_interval = (day.interval / slot_length).round().max(1.0) as u64;
        Self {
            grid: day.clone(),
            slot_length,
            slots_per_day: slots_per_interval * day.intervals() as u64,
            slots_per_interval,
            per_interval: u64::from(per_interval),
            horizon,
            booked: BTreeMap::new(),
        }
    }

    /// Appointments slot `j` of its day can take: the interval's share, the remainder
    /// going to its first slots.
    fn capacity(&self, j: u64) -> u64 {
        let within = j % self.slots_per_interval;
        let base = self.per_interval / self.slots_per_interval;
        base + u64::from(within < self.per_interval % self.slots_per_interval)
    }

    fn start(&self, slot: u64) -> f64 {
        let day = slot / self.slots_per_day;
        let j = slot % self.slots_per_day;
        day as f64 * DAY + self.grid.open + j as f64 * self.slot_length
    }

    /// The first slot starting after `now` and within the booking horizon that has room:
    /// its start and end.
    pub fn first_free(&mut self, now: f64) -> Option<(f64, f64)> {
        let day = self.grid.day_of(now) as u64;
        // Past slots can no longer be booked.
        let first_today = day * self.slots_per_day;
        while let Some((&slot, _)) = self.booked.first_key_value() {
            if slot >= first_today {
                break;
            }
            self.booked.pop_first();
        }
        let mut slot = first_today;
        loop {
            let start = self.start(slot);
            if start > now + self.horizon {
                return None;
            }
            let j = slot % self.slots_per_day;
            if start > now && self.booked.get(&slot).copied().unwrap_or(0) < self.capacity(j) {
                return Some((start, start + self.slot_length));
            }
            slot += 1;
        }
    }

    /// Books the slot that starts at `start`.
    pub fn take(&mut self, start: f64) {
        let day = self.grid.day_of(start) as u64;
        // `start` is a computed slot start: round to the slot it was computed from.
        let j = ((self.grid.time_of_day(start) - self.grid.open) / self.slot_length).round() as u64;
        *self.booked.entry(day * self.slots_per_day + j).or_insert(0) += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_fill_in_order_and_respect_the_horizon() {
        let day = DayGrid {
            open: 8.0 * 3600.0,
            close: 10.0 * 3600.0,
            interval: 1800.0,
        };
        // 15-minute slots, 3 appointments per 30-minute interval: 2 then 1.
        let mut book = Book::new(&day, 900.0, 3, DAY);
        let now = 8.0 * 3600.0 + 60.0;
        let mut starts = Vec::new();
        for _ in 0..4 {
            let (start, end) = book.first_free(now).unwrap();
            assert_eq!(end - start, 900.0);
            book.take(start);
            starts.push((start - 8.0 * 3600.0) / 60.0);
        }
        // 08:00 has passed; 08:15 takes 1 (second slot of its interval), 08:30 takes 2.
        assert_eq!(starts, vec![15.0, 30.0, 30.0, 45.0]);
        // After closing, the next slots are tomorrow morning; a short horizon finds none.
        let mut short = Book::new(&day, 900.0, 3, 3600.0);
        assert!(short.first_free(11.0 * 3600.0).is_none());
        let (start, _) = book.first_free(11.0 * 3600.0).unwrap();
        assert_eq!(start, DAY + 8.0 * 3600.0);
    }
}
