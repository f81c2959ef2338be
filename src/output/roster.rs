//! The staffing a planner checks a roster by: the mean agents scheduled, present, planned on
//! the phone and on the phone over the open intervals of the counted window, and the shares
//! lost between them (absence, breaks and shrinkage, adherence). In run.json and below the
//! run's table, only when a team has a roster.

use super::format::percent;
use crate::run::RunResult;
use serde::Serialize;

/// A run's staffing against its roster, averaged over the open intervals of the counted
/// window and the replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RosterSummary {
    /// Mean agents on shift according to the schedule.
    pub scheduled: f64,
    /// Mean agents present (not absent).
    pub present: f64,
    /// Mean agents planned on the phone (present, not on a break, not in planned shrinkage).
    pub planned: f64,
    /// Mean agents on the phone (planned and where the plan says: adherence).
    pub on_phone: f64,
    /// Share of the scheduled agent time lost to absence (NaN written null when none).
    pub absent_share: Option<f64>,
    /// Share of the present agent time planned off the phone (breaks, shrinkage).
    pub off_phone_share: Option<f64>,
    /// Agent time on the phone / planned: the adherence measured.
    pub adherence: Option<f64>,
}

/// The run's [`RosterSummary`], when a team of its scenario has a roster.
pub fn roster_summary(r: &RunResult) -> Option<RosterSummary> {
    if !super::run::has_roster_columns(&r.scenario) {
        return None;
    }
    let (mut sums, mut n) = ([0.0; 4], 0usize);
    let _ = r.try_for_each_interval(|row, _| {
        for (s, v) in sums.iter_mut().zip(row.roster) {
            *s += v;
        }
        n += 1;
        Ok(())
    });
    let mean = |k: usize| if n > 0 { sums[k] / n as f64 } else { 0.0 };
    let share = |a: f64, b: f64| (b > 0.0).then(|| a / b);
    Some(RosterSummary {
        scheduled: mean(0),
        present: mean(1),
        planned: mean(2),
        on_phone: mean(3),
        absent_share: share(sums[0] - sums[1], sums[0]),
        off_phone_share: share(sums[1] - sums[2], sums[1]),
        adherence: share(sums[3], sums[2]),
    })
}

/// The summary in a line for people.
pub fn roster_line(s: &RosterSummary) -> String {
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| percent(v, 1));
    format!(
        "Staffing, mean agents per open interval: {:.1} scheduled, {:.1} present ({} absent), \
         {:.1} planned on the phone ({} on breaks or shrinkage), {:.1} on the phone \
         (adherence {})\n",
        s.scheduled,
        s.present,
        pct(s.absent_share),
        s.planned,
        pct(s.off_phone_share),
        s.on_phone,
        pct(s.adherence)
    )
}
