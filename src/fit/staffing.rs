//! The agents available to the queue, per interval: not the agents who took a call (they
//! did other work too), but the agents busy at the moments when callers were waiting (an
//! agent free then would have answered). docs/fit.md states the rule.

use super::log::CallLog;

/// How the staffing of an interval is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffingRule {
    /// The mean number of agents busy while callers waited; where callers waited less than
    /// a tenth of the interval, the most agents busy at once.
    BusyWhileWaiting,
    /// The agents who took a call in the interval (shown to say why it is not used).
    Seen,
}

/// The share of an interval callers must have waited in for the busy-while-waiting mean
/// to be used.
pub const MIN_WAITING_SHARE: f64 = 0.1;

/// What the log shows of one interval, averaged over the days of one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct IntervalStaffing {
    /// Agents who started a call in the interval.
    pub seen: f64,
    /// Mean agents busy.
    pub busy_mean: f64,
    /// Most agents busy at once.
    pub busy_max: f64,
    /// Share of the interval with a caller waiting.
    pub waiting_share: f64,
    /// The estimate: busy while callers waited (or the most busy at once).
    pub available: f64,
}

impl IntervalStaffing {
    /// The estimate of the rule.
    pub fn pick(&self, rule: StaffingRule) -> f64 {
        match rule {
            StaffingRule::BusyWhileWaiting => self.available,
            StaffingRule::Seen => self.seen,
        }
    }
}

/// Per slot (day of the week from day 0) and interval.
pub fn per_slot(log: &CallLog, days: usize, interval: f64, n: usize) -> Vec<Vec<IntervalStaffing>> {
    let cells = days * n;
    // Per interval of the log: busy integral, busy integral while waiting, waiting time,
    // most busy, agents seen.
    let mut busy = vec![0.0; cells];
    let mut busy_waiting = vec![0.0; cells];
    let mut waiting = vec![0.0; cells];
    let mut most = vec![0u32; cells];
    let mut seen: Vec<Vec<usize>> = vec![Vec::new(); cells];
    // Events: (time, order, busy change, queue change); ends before starts at one instant.
    let mut events: Vec<(f64, u8, i32, i32)> = Vec::new();
    for c in &log.calls {
        if c.wait > 0.0 {
            events.push((c.arrival, 1, 0, 1));
            events.push((c.arrival + c.wait, 0, 0, -1));
        }
        if c.answered {
            let start = c.arrival + c.wait;
            events.push((start, 1, 1, 0));
            events.push((start + c.handle, 0, -1, 0));
            let k = (start / interval).floor() as usize;
            if let (Some(a), true) = (c.agent, k < cells)
                && !seen[k].contains(&a)
            {
                seen[k].push(a);
            }
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let end = cells as f64 * interval;
    let (mut b, mut q) = (0i32, 0i32);
    let mut t = 0.0f64;
    for (time, _, db, dq) in events {
        let time = time.min(end);
        // Integrate the constant stretch [t, time) interval by interval.
        while t < time {
            let k = ((t / interval).floor() as usize).min(cells - 1);
            let edge = ((k + 1) as f64 * interval).min(time);
            let dt = edge - t;
            busy[k] += f64::from(b) * dt;
            if q > 0 {
                busy_waiting[k] += f64::from(b) * dt;
                waiting[k] += dt;
            }
            most[k] = most[k].max(b.max(0) as u32);
            t = edge;
        }
        b += db;
        q += dq;
        if time < end {
            let k = ((time / interval).floor() as usize).min(cells - 1);
            most[k] = most[k].max(b.max(0) as u32);
        }
    }
    let mut out = vec![vec![IntervalStaffing::default(); n]; 7];
    let mut count = [0usize; 7];
    for d in 0..days {
        count[d % 7] += 1;
    }
    for d in 0..days {
        for (i, o) in out[d % 7].iter_mut().enumerate() {
            let k = d * n + i;
            let share = waiting[k] / interval;
            let available = if share >= MIN_WAITING_SHARE {
                busy_waiting[k] / waiting[k]
            } else {
                f64::from(most[k])
            };
            let w = 1.0 / count[d % 7] as f64;
            o.seen += seen[k].len() as f64 * w;
            o.busy_mean += busy[k] / interval * w;
            o.busy_max += f64::from(most[k]) * w;
            o.waiting_share += share * w;
            o.available += available * w;
        }
    }
    out
}

/// Whole agents per interval and one adherence for the team whose product keeps each
/// fractional estimate's mean as closely as it can: adherence *a* from 0.80 to 1.00 in
/// steps of 0.01 and agents round(x / a), the *a* of least Σ (agents × a − x)² (the
/// largest of equal ones). With adherence, each agent planned on the phone is there with
/// probability *a* at every change (docs/scenario.md).
pub fn whole_agents(estimates: &[Vec<f64>]) -> (f64, Vec<Vec<u32>>) {
    let lists = |a: f64| -> Vec<Vec<u32>> {
        estimates
            .iter()
            .map(|row| row.iter().map(|x| (x / a).round() as u32).collect())
            .collect()
    };
    let error = |a: f64| -> f64 {
        estimates
            .iter()
            .flatten()
            .map(|x| ((x / a).round() * a - x).powi(2))
            .sum()
    };
    let mut best = (1.0, error(1.0));
    for step in (80..100).rev() {
        let a = f64::from(step) / 100.0;
        let e = error(a);
        if e < best.1 - 1e-12 {
            best = (a, e);
        }
    }
    (best.0, lists(best.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::log::LogCall;

    fn call(arrival: f64, wait: f64, handle: f64, agent: usize) -> LogCall {
        LogCall {
            line: 2,
            arrival,
            wait,
            answered: true,
            handle,
            ty: 0,
            agent: Some(agent),
            customer: None,
        }
    }

    #[test]
    fn busy_while_waiting_by_hand() {
        // One hour: agent 0 busy 0–1800 s, agent 1 busy 900–2700 s; a caller waits
        // 900–1800 s (answered by agent 0 at 1800 for 600 s). While they waited two agents
        // were busy.
        let log = CallLog {
            calls: vec![
                call(0.0, 0.0, 1800.0, 0),
                call(900.0, 0.0, 1800.0, 1),
                call(900.0, 900.0, 600.0, 0),
            ],
            ..CallLog::default()
        };
        let s = per_slot(&log, 1, 3600.0, 24);
        let h = s[0][0];
        assert!((h.waiting_share - 0.25).abs() < 1e-12);
        assert!((h.available - 2.0).abs() < 1e-12);
        assert!((h.busy_mean - 4200.0 / 3600.0).abs() < 1e-12);
        assert_eq!((h.seen, h.busy_max), (2.0, 2.0));
    }

    #[test]
    fn whole_agents_keep_the_mean() {
        let (a, lists) = whole_agents(&[vec![4.5, 9.0]]);
        let kept: Vec<f64> = lists[0].iter().map(|&n| f64::from(n) * a).collect();
        assert!(
            (kept[0] - 4.5).abs() <= 0.25 && (kept[1] - 9.0).abs() <= 0.25,
            "{a} {lists:?}"
        );
        assert_eq!(whole_agents(&[vec![3.0, 5.0]]).0, 1.0);
    }
}
