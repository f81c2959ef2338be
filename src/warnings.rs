//! Warnings about a run's results: where a figure would mislead a planner read alone, each
//! with what to do. Shown by `rappel run` on standard error, written in `run.json` and in
//! the report.

use crate::run::RunResult;
use crate::scenario::DAY;
use crate::stats::Metric;
use std::fmt;

/// One warning: what the results show, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What is wrong, with the figures.
    pub message: String,
    /// What to do.
    pub advice: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message, self.advice)
    }
}

/// Shares of calls turned away (told to call back later, or balked) below this are not
/// worth a warning that the service level leaves them out; `staff` uses the same.
pub const TURNED_AWAY: f64 = 0.01;

/// Days whose service levels differ by more than this (a share) are warned about.
const DAY_SPREAD: f64 = 0.15;

/// Every warning about the run `r`, in a fixed order: what `rappel run` prints, `run.json`
/// and the report hold.
pub fn for_run(r: &RunResult) -> Vec<Warning> {
    run_warnings(r, crate::output::breakdown::team_warnings(r))
}

/// The warnings about `r` read from its headline figures, then `extra`, warnings computed
/// elsewhere (per team), as (message, advice).
pub fn run_warnings(r: &RunResult, extra: Vec<(String, String)>) -> Vec<Warning> {
    let mut out = Vec::new();
    let mean = |m: Metric| r.estimate(m).mean;
    let pct = |v: f64| format!("{:.1} %", 100.0 * v);
    let (rejected, balked) = (mean(Metric::OutcomeRejected), mean(Metric::OutcomeBalked));
    if rejected + balked >= TURNED_AWAY {
        let who = match (rejected > 0.0, balked > 0.0) {
            (true, true) => "told to call back later or hanging up on hearing the wait",
            (true, false) => "told to call back later",
            _ => "hanging up on hearing the wait",
        };
        // With no call reaching the queue the service level is undefined: say so, not NaN.
        let service_level = mean(Metric::ServiceLevel);
        let service_level = if service_level.is_finite() {
            format!("the service level ({})", pct(service_level))
        } else {
            "the service level (undefined: no call reached the queue)".to_string()
        };
        out.push(Warning {
            message: format!(
                "{service_level} leaves out the {} of calls {who}; accessibility, the share of \
                 callers served, is {}",
                pct(rejected + balked),
                pct(mean(Metric::Accessibility)),
            ),
            advice: "judge this flow by accessibility, which `rappel staff` targets by default"
                .into(),
        });
    }
    let open_tickets = mean(Metric::TicketsOpenAtHorizon);
    if open_tickets > 0.0 {
        out.push(Warning {
            message: format!(
                "{open_tickets:.1} tickets per replication are still open {} after the horizon \
                 (the drain cap); they are scored as unresolved problems",
                crate::output::duration(r.scenario.simulation.drain_limit)
            ),
            advice: "a team is overloaded or journeys are very long: add agents where tickets \
                     wait (breakdown.csv), or raise simulation.drain_limit"
                .into(),
        });
    }
    if mean(Metric::OutcomeOpen) > 0.0 {
        out.push(Warning {
            message: format!(
                "{} of calls were still waiting on the line when the run ended; their waits are \
                 unknown and left out of the wait figures",
                pct(mean(Metric::OutcomeOpen))
            ),
            advice: "raise simulation.drain_limit so that the run observes them".into(),
        });
    }
    if let Some(w) = day_spread(r) {
        out.push(w);
    }
    out.extend(
        extra
            .into_iter()
            .map(|(message, advice)| Warning { message, advice }),
    );
    out
}

/// A warning when the service level differs strongly from day to day.
fn day_spread(r: &RunResult) -> Option<Warning> {
    let days = r.scenario.day.days(r.scenario.simulation.horizon);
    if days < 2 || r.scenario.simulation.horizon < 2.0 * DAY {
        return None;
    }
    // Per day: the service level of the day's settled calls (each interval's mean ratio
    // weighted by its mean settled calls).
    let mut per_day: Vec<(f64, f64)> = vec![(0.0, 0.0); days];
    let _ = r.try_for_each_interval(|row, _| {
        let settled = row.answered + row.abandoned;
        if row.service_level.is_finite() && settled > 0.0 && row.day < days {
            per_day[row.day].0 += row.service_level * settled;
            per_day[row.day].1 += settled;
        }
        Ok(())
    });
    let levels: Vec<(usize, f64)> = per_day
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| *n > 0.0)
        .map(|(d, (sum, n))| (d, sum / n))
        .collect();
    let lowest = levels.iter().min_by(|a, b| a.1.total_cmp(&b.1))?;
    let highest = levels.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    (highest.1 - lowest.1 > DAY_SPREAD).then(|| Warning {
        message: format!(
            "the service level differs strongly from day to day: {:.1} % on day {} against \
             {:.1} % on day {}",
            100.0 * lowest.1,
            lowest.0,
            100.0 * highest.1,
            highest.0
        ),
        advice: "the run's mean hides the bad day: read breakdown.csv (by = day), and let \
                 `rappel staff` size each day (it meets targets on every day, with a list per \
                 weekday where the days' calls differ)"
            .into(),
    })
}
