//! Returning customers, from customer ids: redials after an abandonment and repeat
//! contacts after an answered call, with their delays. Calls too close to the log's end to
//! see a return within the window are left out of the shares.

use super::log::CallLog;
use crate::scenario::DAY;
use std::collections::HashMap;

/// A redial counts within a day of the abandonment.
pub const REDIAL_WINDOW: f64 = DAY;
/// A repeat contact counts within three days of the answered call's end.
pub const REPEAT_WINDOW: f64 = 3.0 * DAY;

/// Returns of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ReturnKind {
    /// Calls that could show a return (identified, far enough from the log's end).
    pub calls: usize,
    /// Of them, followed by another call of the same customer within the window.
    pub returned: usize,
    /// Mean delay of those returns, seconds (from the end of the call).
    pub mean_delay: f64,
    /// Median delay, seconds.
    pub median_delay: f64,
}

impl ReturnKind {
    /// The share that returned.
    pub fn share(&self) -> f64 {
        self.returned as f64 / self.calls as f64
    }
}

/// Returns, from customer ids.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Returns {
    /// Calls with a customer id.
    pub identified: usize,
    /// Calls in all.
    pub calls: usize,
    /// Redials after an abandonment (within [`REDIAL_WINDOW`]).
    pub redials: ReturnKind,
    /// Repeat contacts after an answered call (within [`REPEAT_WINDOW`]).
    pub repeats: ReturnKind,
}

/// The returns of a log.
pub fn returns(log: &CallLog) -> Returns {
    let mut by: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, c) in log.calls.iter().enumerate() {
        if let Some(id) = c.customer {
            by.entry(id).or_default().push(i);
        }
    }
    let end = log.calls.last().map_or(0.0, |c| c.arrival);
    let (mut redial, mut repeat): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    let (mut redial_n, mut repeat_n) = (0, 0);
    let mut ids: Vec<&u64> = by.keys().collect();
    ids.sort();
    for id in ids {
        let calls = &by[id];
        for (j, &i) in calls.iter().enumerate() {
            let c = &log.calls[i];
            let left = c.arrival + c.wait + if c.answered { c.handle } else { 0.0 };
            let window = if c.answered {
                REPEAT_WINDOW
            } else {
                REDIAL_WINDOW
            };
            if left + window > end {
                continue;
            }
            let next = calls
                .get(j + 1)
                .map(|&k| log.calls[k].arrival - left)
                .filter(|d| *d <= window);
            let (n, delays) = if c.answered {
                (&mut repeat_n, &mut repeat)
            } else {
                (&mut redial_n, &mut redial)
            };
            *n += 1;
            if let Some(d) = next {
                delays.push(d.max(0.0));
            }
        }
    }
    let kind = |n: usize, mut d: Vec<f64>| {
        d.sort_by(f64::total_cmp);
        ReturnKind {
            calls: n,
            returned: d.len(),
            mean_delay: d.iter().sum::<f64>() / d.len() as f64,
            median_delay: d.get(d.len() / 2).copied().unwrap_or(f64::NAN),
        }
    };
    Returns {
        identified: log.calls.iter().filter(|c| c.customer.is_some()).count(),
        calls: log.calls.len(),
        redials: kind(redial_n, redial),
        repeats: kind(repeat_n, repeat),
    }
}
