//! The search itself: simulate profiles, bracket and bisect each interval, then whole-run
//! targets.

use super::*;
use crate::run::run_scenario_each;
use crate::scenario::{DayRoster, Roster, Scenario};
use crate::stats::breakdown::{TEAM_METRICS, metric_index};
use crate::stats::{Metric, ReplicationResult};
use std::collections::{BTreeMap, HashMap};

impl Search {
    /// The scenario with `agents` as the team's staffing (one list, or a list per weekday)
    /// and `seed` as its seed.
    pub(super) fn with_agents(&self, agents: &[u32], seed: u64) -> Scenario {
        let mut s = self.scenario.clone();
        s.simulation.seed = seed;
        let n = self.per_day;
        if self.classes.len() == 1 {
            s.teams[self.team].staffing = agents.to_vec();
            return s;
        }
        // A weekday the run never observes open has nobody (it is closed, or never met).
        let mut weekdays = vec![DayRoster::Intervals(vec![0; n]); 7];
        for (c, class) in self.classes.iter().enumerate() {
            if let Some(w) = class.weekday {
                weekdays[w] = DayRoster::Intervals(agents[c * n..(c + 1) * n].to_vec());
            }
        }
        let roster = Roster {
            weekdays,
            patterns: Vec::new(),
            absence: 0.0,
            shrinkage: vec![0.0; n],
            adherence: 1.0,
        };
        s.teams[self.team].staffing = roster.typical_staffing(&s.day);
        s.teams[self.team].roster = Some(roster);
        s
    }

    /// Simulates a profile and reduces the run to the targets' values.
    fn evaluate(
        &self,
        agents: &[u32],
        seed: u64,
        threads: Option<usize>,
        progress: &(impl Fn(u32) + Sync),
    ) -> Eval {
        self.evaluate_scenario(&self.with_agents(agents, seed), threads, progress)
    }

    /// Simulates `scenario` (the search's, with other staffing) and reduces the run to the
    /// targets' values.
    pub(super) fn evaluate_scenario(
        &self,
        scenario: &Scenario,
        threads: Option<usize>,
        progress: &(impl Fn(u32) + Sync),
    ) -> Eval {
        let per_day = self.per_day;
        let days = self.scenario.day.days(self.scenario.simulation.horizon);
        let mut sums: Vec<PerDay> = self
            .targets
            .iter()
            .map(|_| PerDay::new(per_day, days))
            .collect();
        // Day -> (sum over replications of the team's backlog at that day's end, count).
        let mut backlog: BTreeMap<usize, (f64, u32)> = BTreeMap::new();
        let run = run_scenario_each(scenario, threads, progress, |rep| {
            for (t, s) in self.targets.iter().zip(&mut sums) {
                s.fold(rep, t.key);
            }
            if let Some(days) = rep.breakdown.backlog_days.get(self.team) {
                for &(d, n) in days {
                    let e = backlog.entry(d).or_default();
                    e.0 += f64::from(n);
                    e.1 += 1;
                }
            }
        });
        let values = sums
            .into_iter()
            .zip(&self.targets)
            .map(|(s, t)| s.reached(t, &self.classes))
            .collect();
        let backlog_days: Vec<(usize, f64)> = backlog
            .into_iter()
            .map(|(d, (sum, n))| (d, sum / f64::from(n)))
            .collect();
        let team = |metric: &str| {
            run.breakdown().team(self.team)[metric_index(&TEAM_METRICS, metric)].mean
        };
        let whole = self
            .targets
            .iter()
            .map(|t| match t.key {
                Key::HoldP90 => {
                    let p90 = team("hold_p90_s");
                    // A ticket still waiting for the team at the drain cap was on hold
                    // longer than any goal, and its hold is in no p90: the target is missed.
                    let open = team("still_open_at_end");
                    let transfers = team("transfers_in");
                    if open > 0.0 || (p90.is_nan() && transfers > 0.0) {
                        f64::INFINITY
                    } else {
                        p90
                    }
                }
                // The worst day's mean backlog (NaN without a day end).
                Key::BacklogDayEnd => backlog_days
                    .iter()
                    .map(|&(_, v)| v)
                    .fold(f64::NAN, f64::max),
                k => k.metric().map_or(f64::NAN, |m| run.estimate(m).mean),
            })
            .collect();
        let days = self
            .targets
            .iter()
            .map(|t| {
                if t.key == Key::BacklogDayEnd {
                    backlog_days.clone()
                } else {
                    Vec::new()
                }
            })
            .collect();
        let share = |m: Metric| {
            let v = run.estimate(m).mean;
            if v.is_nan() { 0.0 } else { v }
        };
        Eval {
            values,
            whole,
            days,
            turned_away: share(Metric::OutcomeRejected) + share(Metric::OutcomeBalked),
            events: run.events(),
        }
    }

    /// Runs the search: `on_pass(pass, what)` before each simulation, `on_replication`
    /// after each replication (from worker threads).
    pub fn run(
        self,
        threads: Option<usize>,
        on_pass: impl Fn(u32, &str),
        on_replication: impl Fn(u32) + Sync,
    ) -> StaffResult {
        let start_time = std::time::Instant::now();
        let seed = self.scenario.simulation.seed;
        let mut runs = Runs {
            search: &self,
            threads,
            on_pass,
            on_replication,
            cache: HashMap::new(),
            passes: 0,
            events: 0,
        };
        let mut agents: Vec<u32> = self.plans.iter().map(|p| p.start).collect();
        let mut settled = true;
        if self.targets.iter().any(|t| t.key.per_interval()) {
            (agents, settled) = self.fit_intervals(&mut runs, agents);
        }
        if self.targets.iter().any(|t| !t.key.per_interval()) {
            agents = self.fit_whole_run(&mut runs, agents);
        }
        if self.targets.iter().any(|t| t.key.team_level()) {
            let trimmed;
            (agents, trimmed) = self.trim(&mut runs, agents);
            settled &= trimmed;
        }
        let e = runs.eval(&agents, "the staffing found");
        (runs.on_pass)(runs.passes + 1, "confirming on a fresh seed");
        let confirm_seed = seed.wrapping_add(1);
        let c = self.evaluate(&agents, confirm_seed, threads, &runs.on_replication);
        let (passes, events) = (runs.passes, runs.events + c.events);
        StaffResult {
            search: self,
            agents,
            values: e.values,
            whole: e.whole,
            day_values: e.days,
            turned_away: e.turned_away,
            confirm_values: c.values,
            confirm_whole: c.whole,
            confirm_day_values: c.days,
            confirm_seed,
            passes,
            settled,
            events,
            wall_time_s: start_time.elapsed().as_secs_f64(),
            roster: None,
        }
    }

    /// Whether interval `i` meets every per-interval target in `e` on every day (its worst
    /// day meets it).
    fn meets(&self, e: &Eval, i: usize) -> bool {
        self.targets
            .iter()
            .enumerate()
            .all(|(t, target)| !target.key.per_interval() || target.met_by(e.values[t].worst[i]))
    }

    /// Phase 1: every interval to the fewest agents that meet its targets, from `agents`.
    /// Returns the staffing and whether the search settled before its cap.
    fn fit_intervals<P: Fn(u32, &str), R: Fn(u32) + Sync>(
        &self,
        runs: &mut Runs<'_, P, R>,
        mut agents: Vec<u32>,
    ) -> (Vec<u32>, bool) {
        let n = self.plans.len();
        let max: Vec<u32> = self.plans.iter().map(|p| p.max).collect();
        // The last staffing that missed (`lo`) and met (`hi`), and the next step up or down.
        let mut lo: Vec<Option<u32>> = vec![None; n];
        let mut hi: Vec<Option<u32>> = vec![None; n];
        let mut up = vec![1u32; n];
        let mut down = vec![1u32; n];
        let mut fewest_settled: Option<u64> = None;
        let mut parity = 1usize;
        let mut quiet_rounds = 0;
        let mut best: Option<(Vec<u32>, u64)> = None;
        let mut steps = 0;
        let settled = loop {
            // Steps that find their profile already simulated cost no pass; bound them too.
            steps += 1;
            if runs.passes >= MAX_PASSES || steps > 4 * MAX_PASSES {
                break false;
            }
            let what = if fewest_settled.is_some() {
                "trying one agent fewer"
            } else {
                "per-interval targets"
            };
            let e = runs.eval(&agents, what);
            let ok: Vec<bool> = (0..n).map(|i| self.meets(&e, i)).collect();
            if (0..n).all(|i| ok[i] || agents[i] >= max[i]) {
                let total: u64 = agents.iter().map(|&c| u64::from(c)).sum();
                if best.as_ref().is_none_or(|(_, b)| total < *b) {
                    best = Some((agents.clone(), total));
                }
            }
            let mut next = agents.clone();
            for i in (0..n).filter(|&i| self.plans[i].observed) {
                let c = agents[i];
                if ok[i] {
                    hi[i] = Some(c);
                    up[i] = 1;
                    // Meeting at or below a staffing that missed before (the noise of the
                    // neighbours' changes, or an interval at its cap) settles the interval
                    // here: only a polish round tries fewer. Misses only raise `lo`, so
                    // between polish rounds the search cannot go round in circles.
                    if lo[i].is_some_and(|l| l >= c) {
                        lo[i] = c.checked_sub(1);
                    }
                } else {
                    lo[i] = Some(c);
                    down[i] = 1;
                    if hi[i].is_some_and(|h| h <= c) {
                        hi[i] = None;
                    }
                }
                next[i] = match (lo[i], hi[i]) {
                    (Some(l), Some(h)) if h <= l + 1 => h,
                    (Some(l), Some(h)) => l + (h - l) / 2,
                    (None, Some(h)) => {
                        let v = h.saturating_sub(down[i]);
                        if v < h {
                            down[i] = down[i].saturating_mul(2);
                        }
                        v
                    }
                    (Some(l), None) => {
                        let v = l.saturating_add(up[i]).min(max[i]);
                        if v > l {
                            up[i] = up[i].saturating_mul(2);
                        }
                        v
                    }
                    (None, None) => c,
                };
            }
            if next != agents {
                agents = next;
                continue;
            }
            // Nothing moves: every second interval tries one agent fewer, the others
            // holding theirs, until two rounds in a row end with no fewer agents than the
            // fewest any round ended with (a round may move agents between neighbours
            // without saving any; that fewest only goes down, so the search ends).
            let total: u64 = agents.iter().map(|&c| u64::from(c)).sum();
            match fewest_settled {
                Some(t) if total >= t => quiet_rounds += 1,
                _ => {
                    quiet_rounds = 0;
                    fewest_settled = Some(total);
                }
            }
            if quiet_rounds >= 2 {
                break true;
            }
            parity = 1 - parity;
            // (A round in which no interval can try fewer comes straight back here with the
            // same profile, and counts as quiet.)
            for i in (parity..n).step_by(2) {
                if ok[i] && agents[i] > 0 && self.plans[i].observed {
                    lo[i] = None;
                    down[i] = 1;
                    agents[i] -= 1;
                }
            }
        };
        (best.map_or(agents, |(b, _)| b), settled)
    }

    /// Whether every target holds in `e`: the per-interval ones in every interval of
    /// `required`, the others by their whole-run (or worst-day) value.
    fn all_met(&self, e: &Eval, required: &[bool]) -> bool {
        (0..self.plans.len()).all(|i| !required[i] || self.meets(e, i))
            && self
                .targets
                .iter()
                .enumerate()
                .all(|(t, target)| target.key.per_interval() || target.met_by(e.whole[t]))
    }

    /// Phase 3, for the team's own targets (`hold_p90`, `backlog_day_end`): from a
    /// profile that meets every target, intervals in time order each try one agent fewer,
    /// the others keeping theirs, and keep the saving when every target still holds (the
    /// per-interval ones in the intervals that met them at the start);
    /// sweeps repeat until one saves nothing. Then one agent fewer in every interval is
    /// tried, and kept (with sweeps again) when every target still holds. So on the
    /// search's seed the profile returned meets every target, and one agent fewer in any
    /// one interval, or in every interval, misses. Returns the profile and whether the
    /// trimming ended before [`MAX_PASSES`] simulations. A profile that misses is returned
    /// as it is (its targets cannot be met).
    fn trim<P: Fn(u32, &str), R: Fn(u32) + Sync>(
        &self,
        runs: &mut Runs<'_, P, R>,
        mut agents: Vec<u32>,
    ) -> (Vec<u32>, bool) {
        let e = runs.eval(&agents, "the team's targets");
        let required: Vec<bool> = (0..self.plans.len()).map(|i| self.meets(&e, i)).collect();
        if !self.all_met(&e, &required) {
            return (agents, true);
        }
        let observed: Vec<usize> = (0..self.plans.len())
            .filter(|&i| self.plans[i].observed)
            .collect();
        loop {
            let mut saved = false;
            for &i in &observed {
                if agents[i] == 0 {
                    continue;
                }
                if runs.passes >= MAX_PASSES {
                    return (agents, false);
                }
                let mut fewer = agents.clone();
                fewer[i] -= 1;
                let what = format!(
                    "one agent fewer at {}",
                    format_clock(self.plans[i].start_of_day_s)
                );
                if self.all_met(&runs.eval(&fewer, &what), &required) {
                    agents = fewer;
                    saved = true;
                }
            }
            if saved {
                continue;
            }
            let mut fewer = agents.clone();
            for &i in &observed {
                fewer[i] = fewer[i].saturating_sub(1);
            }
            if fewer == agents {
                return (agents, true);
            }
            if runs.passes >= MAX_PASSES {
                return (agents, false);
            }
            let e = runs.eval(&fewer, "one agent fewer everywhere");
            if !self.all_met(&e, &required) {
                return (agents, true);
            }
            agents = fewer;
        }
    }

    /// Phase 2: whole-run targets (`nps`), by adding the same number of agents to every
    /// observed interval that has calls (or, without per-interval targets, removing some),
    /// searched by doubling steps then bisection: at most about 2 log₂ [`MAX_AGENTS`]
    /// simulations.
    fn fit_whole_run<P: Fn(u32, &str), R: Fn(u32) + Sync>(
        &self,
        runs: &mut Runs<'_, P, R>,
        base: Vec<u32>,
    ) -> Vec<u32> {
        let n = self.plans.len();
        // The team's own targets (a back office, whose work is not the calls of its
        // interval) raise every observed interval; `nps` those with calls or agents.
        let team_level = self.targets.iter().any(|t| t.key.team_level());
        let shifted: Vec<bool> = (0..n)
            .map(|i| {
                let p = &self.plans[i];
                p.observed && (team_level || base[i] > 0 || p.offered_load > 0.0)
            })
            .collect();
        let profile = |k: i64| -> Vec<u32> {
            (0..n)
                .map(|i| {
                    if shifted[i] {
                        (i64::from(base[i]) + k).clamp(0, i64::from(self.plans[i].max)) as u32
                    } else {
                        base[i]
                    }
                })
                .collect()
        };
        let k_max = (0..n)
            .filter(|&i| shifted[i])
            .map(|i| i64::from(self.plans[i].max) - i64::from(base[i]))
            .max()
            .unwrap_or(0)
            .max(0);
        let k_min = if self.targets.iter().any(|t| t.key.per_interval()) {
            0
        } else {
            -i64::from(base.iter().copied().max().unwrap_or(0))
        };
        let mut holds = |k: i64| -> bool {
            let e = runs.eval(&profile(k), "whole-run targets");
            self.targets
                .iter()
                .enumerate()
                .all(|(t, target)| target.key.per_interval() || target.met_by(e.whole[t]))
        };
        // Doubling steps away from 0, then bisection between a miss and a hit.
        let (mut miss, mut hit): (Option<i64>, Option<i64>) = (None, None);
        let mut step = 1i64;
        if holds(0) {
            hit = Some(0);
            while hit.is_some_and(|h| h > k_min) && miss.is_none() {
                let h = hit.unwrap_or(0);
                let k = (h - step).max(k_min);
                if holds(k) {
                    hit = Some(k);
                    step *= 2;
                } else {
                    miss = Some(k);
                }
            }
        } else {
            miss = Some(0);
            while hit.is_none() && miss.is_some_and(|m| m < k_max) {
                let m = miss.unwrap_or(0);
                let k = (m + step).min(k_max);
                if holds(k) {
                    hit = Some(k);
                } else {
                    miss = Some(k);
                    step *= 2;
                }
            }
        }
        let Some(mut h) = hit else {
            // Not met even with every interval at its cap: the most staffed profile tried.
            return profile(k_max);
        };
        if let Some(mut m) = miss {
            while h > m + 1 {
                let mid = m + (h - m) / 2;
                if holds(mid) {
                    h = mid;
                } else {
                    m = mid;
                }
            }
        }
        profile(h)
    }
}

/// Simulates staffing profiles for a search, each once: with the same seed a profile
/// always gives the same result, so a profile tried again comes from the cache.
struct Runs<'a, P, R> {
    search: &'a Search,
    threads: Option<usize>,
    on_pass: P,
    on_replication: R,
    cache: HashMap<Vec<u32>, Eval>,
    /// Simulations run.
    passes: u32,
    /// Events processed.
    events: u64,
}

impl<P: Fn(u32, &str), R: Fn(u32) + Sync> Runs<'_, P, R> {
    /// The values of `agents`, simulated unless already known.
    fn eval(&mut self, agents: &[u32], what: &str) -> Eval {
        if let Some(e) = self.cache.get(agents) {
            return e.clone();
        }
        self.passes += 1;
        (self.on_pass)(self.passes, what);
        let seed = self.search.scenario.simulation.seed;
        let e = self
            .search
            .evaluate(agents, seed, self.threads, &self.on_replication);
        self.events += e.events;
        self.cache.insert(agents.to_vec(), e.clone());
        e
    }
}

/// Each interval of the open day, on each day of the run: the sum and count, over
/// replications, of the key's per-replication value in that interval of that day
/// (undefined values skipped), folded replication by replication.
struct PerDay {
    per_day: usize,
    /// Day-major, as the run's intervals: `[day × per_day + interval]`.
    sums: Vec<f64>,
    counts: Vec<u32>,
}

impl PerDay {
    fn new(per_day: usize, days: usize) -> Self {
        Self {
            per_day,
            sums: vec![0.0; per_day * days],
            counts: vec![0; per_day * days],
        }
    }

    /// Adds the next replication's cells.
    fn fold(&mut self, r: &ReplicationResult, key: Key) {
        for (k, cell) in r.intervals.iter().enumerate() {
            let v = key.cell_value(&cell);
            let idx = r.first_interval + k;
            if !v.is_nan() && idx < self.sums.len() {
                self.sums[idx] += v;
                self.counts[idx] += 1;
            }
        }
    }

    /// Per plan (interval of a class): the mean over replications and the class's days,
    /// and the worst day's mean over replications (NaN and `None` where undefined on every
    /// day). With one class of every day, per interval over every day.
    fn reached(self, target: &Target, classes: &[Class]) -> Reached {
        let n = self.per_day;
        let plans = n * classes.len();
        let days = self.sums.len() / n.max(1);
        let mut r = Reached {
            mean: vec![f64::NAN; plans],
            worst: vec![f64::NAN; plans],
            worst_day: vec![None; plans],
        };
        let one = classes.len() == 1;
        for k in 0..plans {
            let (c, i) = (k / n, k % n);
            let (mut sum, mut count) = (0.0, 0u64);
            for d in 0..days {
                if !one && !classes[c].days.contains(&d) {
                    continue;
                }
                let (s, reps) = (self.sums[d * n + i], self.counts[d * n + i]);
                if reps == 0 {
                    continue;
                }
                sum += s;
                count += u64::from(reps);
                let v = s / f64::from(reps);
                if r.worst_day[k].is_none() || target.worse(v, r.worst[k]) {
                    r.worst[k] = v;
                    r.worst_day[k] = Some(d);
                }
            }
            if count > 0 {
                r.mean[k] = sum / count as f64;
            }
        }
        r
    }
}
