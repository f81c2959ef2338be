//! The staffing keys of the scenario file beyond one list of agents: shifts with breaks,
//! lists per weekday, absence, shrinkage and adherence (serde structs, unknown keys refused).

use super::duration::{ClockTime, Duration};
use schemars::JsonSchema;
use serde::Deserialize;

/// A day of the week, as written: "mon" to "sun".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Weekday")]
pub enum RawWeekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl RawWeekday {
    /// 0 for Monday to 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One value per day of the week, each optional: `{ mon = ..., fri = ... }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWeekdays<T> {
    /// Monday.
    pub mon: Option<T>,
    /// Tuesday.
    pub tue: Option<T>,
    /// Wednesday.
    pub wed: Option<T>,
    /// Thursday.
    pub thu: Option<T>,
    /// Friday.
    pub fri: Option<T>,
    /// Saturday.
    pub sat: Option<T>,
    /// Sunday.
    pub sun: Option<T>,
}

/// The key names of the days of the week, Monday first.
pub const WEEKDAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl<T> RawWeekdays<T> {
    /// The seven values, Monday first.
    pub fn days(&self) -> [Option<&T>; 7] {
        [
            self.mon.as_ref(),
            self.tue.as_ref(),
            self.wed.as_ref(),
            self.thu.as_ref(),
            self.fri.as_ref(),
            self.sat.as_ref(),
            self.sun.as_ref(),
        ]
    }
}

/// `[[teams.shifts]]`: a shift pattern and how many agents work it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Shift")]
pub struct RawShift {
    /// When the shift starts, "HH:MM", at or after `simulation.open`.
    pub start: ClockTime,
    /// How long it lasts, breaks included (duration, above 0); it ends by `simulation.close`.
    pub length: Duration,
    /// Agents who work this shift, 0 to 100000.
    pub agents: i64,
    /// The days of the week it is worked, e.g. ["mon", "tue"]. Default: every day.
    pub days: Option<Vec<RawWeekday>>,
    /// Breaks each agent takes: { after = "2h", length = "15m" }, { at = "10:30", length = "15m" }
    /// or { earliest = "10:00", latest = "11:00", length = "15m" }. Default: none.
    pub breaks: Option<Vec<RawBreak>>,
    /// The lunch break, written like a break. Default: none.
    pub lunch: Option<RawBreak>,
}

/// A break: its length and when it starts (after the shift's start, at a fixed time, or
/// staggered over a window).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Break")]
pub struct RawBreak {
    /// How long it lasts (duration, above 0).
    pub length: Duration,
    /// It starts this long after the shift starts (duration).
    pub after: Option<Duration>,
    /// It starts at this time of day, "HH:MM".
    pub at: Option<ClockTime>,
    /// With `latest`: the first agent starts the break at `earliest`, the last at `latest`, the
    /// others evenly in between.
    pub earliest: Option<ClockTime>,
    /// With `earliest`: the latest start of the break.
    pub latest: Option<ClockTime>,
}

/// Planned shrinkage: one share for every interval, or one per interval of the open day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    untagged,
    expecting = "a share from 0 to 1, or a list with one share per interval"
)]
#[schemars(rename = "Shrinkage")]
pub enum RawShrinkage {
    /// The same share in every interval.
    One(f64),
    /// One share per interval of the open day.
    PerInterval(Vec<f64>),
}
