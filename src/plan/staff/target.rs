//! A `--target KEY=VALUE`: the figure it bounds, the bound and its parsing.

use super::REFERENCE_SERVICE_LEVEL;
use crate::scenario::parse_duration;
use crate::stats::{IntervalStats, Metric};

/// A figure a target bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// Share of calls offered answered within the scenario's threshold or called back
    /// within their promise, per interval; at least. The default target.
    Accessibility,
    /// Share of settled calls answered within the scenario's threshold, per interval; at least.
    ServiceLevel,
    /// Share of settled calls abandoned, per interval; at most.
    AbandonRate,
    /// Mean wait of settled calls, seconds, per interval; at most.
    AsaS,
    /// Mean CSAT of the tickets closed in the interval; at least.
    CsatMean,
    /// Net Promoter Score of the whole run; at least.
    Nps,
    /// The searched team's p90 hold after a transfer to it, seconds, over the run; at most.
    HoldP90,
    /// Work waiting for the searched team at each day end, on every day; at most.
    BacklogDayEnd,
}

impl Key {
    /// Every key, in the order of the help text.
    pub const ALL: [Key; 8] = [
        Key::Accessibility,
        Key::ServiceLevel,
        Key::AbandonRate,
        Key::AsaS,
        Key::CsatMean,
        Key::Nps,
        Key::HoldP90,
        Key::BacklogDayEnd,
    ];

    /// The key as written in `--target`.
    pub fn name(self) -> &'static str {
        match self {
            Key::Accessibility => "accessibility",
            Key::ServiceLevel => "service_level",
            Key::AbandonRate => "abandon_rate",
            Key::AsaS => "asa_s",
            Key::CsatMean => "csat_mean",
            Key::Nps => "nps",
            Key::HoldP90 => "hold_p90",
            Key::BacklogDayEnd => "backlog_day_end",
        }
    }

    /// A key by its name.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether the target is a floor (at least) rather than a ceiling (at most).
    pub fn at_least(self) -> bool {
        matches!(
            self,
            Key::Accessibility | Key::ServiceLevel | Key::CsatMean | Key::Nps
        )
    }

    /// Whether the key is checked per interval (all but `nps`, which only the whole run has,
    /// and the team's own targets).
    pub fn per_interval(self) -> bool {
        !matches!(self, Key::Nps | Key::HoldP90 | Key::BacklogDayEnd)
    }

    /// Whether the key bounds a figure of the searched team itself, for a back office
    /// (`hold_p90`, `backlog_day_end`), rather than of the centre's calls.
    pub fn team_level(self) -> bool {
        matches!(self, Key::HoldP90 | Key::BacklogDayEnd)
    }

    /// Whether the key bounds a figure of the inbound calls (`accessibility`,
    /// `service_level`, `abandon_rate`, `asa_s`), which a team that serves no type
    /// does not answer.
    pub fn call_level(self) -> bool {
        matches!(
            self,
            Key::Accessibility | Key::ServiceLevel | Key::AbandonRate | Key::AsaS
        )
    }

    /// Whether the value is a duration (`asa_s`, `hold_p90`): seconds, or `30s`, `1h`.
    fn duration(self) -> bool {
        matches!(self, Key::AsaS | Key::HoldP90)
    }

    /// The whole-run metric of the same name (`None` for the team's own targets, which are
    /// read from the breakdown per team).
    pub fn metric(self) -> Option<Metric> {
        match self {
            Key::Accessibility => Some(Metric::Accessibility),
            Key::ServiceLevel => Some(Metric::ServiceLevel),
            Key::AbandonRate => Some(Metric::AbandonRate),
            Key::AsaS => Some(Metric::AsaS),
            Key::CsatMean => Some(Metric::CsatMean),
            Key::Nps => Some(Metric::Nps),
            Key::HoldP90 | Key::BacklogDayEnd => None,
        }
    }

    /// The values a target may take, inclusive.
    fn range(self) -> (f64, f64) {
        match self {
            Key::Accessibility | Key::ServiceLevel | Key::AbandonRate => (0.0, 1.0),
            Key::AsaS | Key::HoldP90 | Key::BacklogDayEnd => (0.0, 1e9),
            Key::CsatMean => (1.0, 5.0),
            Key::Nps => (-100.0, 100.0),
        }
    }

    /// What the key means, for the help text.
    fn describe(self) -> &'static str {
        match self {
            Key::Accessibility => {
                "accessibility (share of the calls offered answered within the scenario's \
                 threshold or called back within their promise, at least; 0 to 1; the default, \
                 0.8)"
            }
            Key::ServiceLevel => {
                "service_level (share of the settled calls answered within the scenario's \
                 threshold, at least; 0 to 1; callers turned away are left out)"
            }
            Key::AbandonRate => "abandon_rate (share of settled calls abandoned, at most; 0 to 1)",
            Key::AsaS => "asa_s (mean wait in seconds, at most; 30 or 30s)",
            Key::CsatMean => "csat_mean (mean CSAT of the tickets closed, at least; 1 to 5)",
            Key::Nps => "nps (Net Promoter Score of the whole run, at least; -100 to 100)",
            Key::HoldP90 => {
                "hold_p90 (for a back office: the team's p90 hold after a transfer to it, over \
                 the run, at most; seconds or a duration, 1h)"
            }
            Key::BacklogDayEnd => {
                "backlog_day_end (for a back office: work waiting for the team at each day \
                 end, on every day, at most; 0 is cleared by day end)"
            }
        }
    }

    /// The value of the key in one interval cell of one replication (NaN when undefined).
    pub(super) fn cell_value(self, c: &IntervalStats) -> f64 {
        match self {
            Key::Accessibility => c.accessibility(),
            Key::ServiceLevel => c.service_level(),
            Key::AbandonRate => c.abandon_rate(),
            // No answered-wait sum per interval: the mean wait of settled calls, which is
            // at least the mean answer time (see docs/scenario.md).
            Key::AsaS => c.wait_mean_s(),
            Key::CsatMean => c.csat_mean(),
            Key::Nps | Key::HoldP90 | Key::BacklogDayEnd => f64::NAN,
        }
    }
}

/// The help line listing every key.
pub fn keys_help() -> String {
    let keys: Vec<&str> = Key::ALL.iter().map(|k| k.describe()).collect();
    format!(
        "the keys are {}; e.g. --target accessibility=0.8",
        keys.join(", ")
    )
}

/// One `--target KEY=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The figure.
    pub key: Key,
    /// The bound (seconds for `asa_s` and `hold_p90`): a floor for `accessibility`,
    /// `service_level`, `csat_mean` and `nps`, a ceiling otherwise.
    pub value: f64,
}

impl Target {
    /// The target searched when none is given: `accessibility=0.8`, the industry's "80 %
    /// within the threshold" counted over every call offered, so that turning callers
    /// away cannot meet it.
    pub const DEFAULT: Target = Target {
        key: Key::Accessibility,
        value: REFERENCE_SERVICE_LEVEL,
    };

    /// Parses `KEY=VALUE`; `asa_s` and `hold_p90` also take a duration (`30s`, `1h`).
    pub fn parse(arg: &str) -> Result<Target, StaffError> {
        let fail = |message: String| StaffError::Target {
            arg: arg.to_string(),
            message,
            help: keys_help(),
        };
        let Some((key, value)) = arg.split_once('=') else {
            return Err(fail("no `=` between the key and its value".into()));
        };
        let (key, value) = (key.trim(), value.trim());
        let Some(k) = Key::from_name(key) else {
            let names = Key::ALL.map(|k| k.name());
            let near = names
                .iter()
                .map(|n| (strsim::jaro_winkler(n, key), *n))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(score, _)| *score > 0.8)
                .map(|(_, n)| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(fail(format!("unknown key `{key}`{near}")));
        };
        let v = if k.duration() {
            parse_duration(value).map_err(|e| fail(format!("`{value}` is not a duration: {e}")))?
        } else {
            value
                .parse::<f64>()
                .map_err(|_| fail(format!("`{value}` is not a number")))?
        };
        let (lo, hi) = k.range();
        if !(v.is_finite() && v >= lo && v <= hi) {
            return Err(fail(format!(
                "{} must be from {} to {}, got {value}",
                k.name(),
                lo,
                hi
            )));
        }
        Ok(Target { key: k, value: v })
    }

    /// Whether a value meets the target; an undefined value (nothing to measure) does.
    pub fn met_by(&self, v: f64) -> bool {
        if v.is_nan() {
            true
        } else if self.key.at_least() {
            v >= self.value
        } else {
            v <= self.value
        }
    }

    /// Whether value `a` is further from meeting the target than `b` (below it for a
    /// floor, above it for a ceiling); an undefined value is never worse.
    pub fn worse(&self, a: f64, b: f64) -> bool {
        if a.is_nan() {
            false
        } else if b.is_nan() {
            true
        } else if self.key.at_least() {
            a < b
        } else {
            a > b
        }
    }

    /// `service_level >= 0.8`, for messages and file headers.
    pub fn label(&self) -> String {
        let op = if self.key.at_least() { ">=" } else { "<=" };
        format!("{} {op} {}", self.key.name(), self.value)
    }
}

/// Why a search cannot be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaffError {
    /// A `--target` that is not a known key with a value in range, or given twice.
    #[error("--target `{arg}`: {message}\n  help: {help}")]
    Target {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// The accepted keys.
        help: String,
    },
    /// A target the searched team cannot be held to: a call-level one on a team that serves
    /// no type, a back-office one on a team that nothing reaches.
    #[error("--target {key}: {message}\n  help: {help}")]
    Unfit {
        /// The key.
        key: &'static str,
        /// Why it does not fit the team.
        message: String,
        /// What to do.
        help: String,
    },
    /// The searched team is staffed by a roster (shifts, lists per weekday, absence,
    /// shrinkage or adherence): the search finds one list of agents per interval, not shifts.
    #[error(
        "team `{team}` is staffed by {what}: staff searches one list of agents per interval\n  help: {help}"
    )]
    Roster {
        /// The team.
        team: String,
        /// What its roster holds.
        what: String,
        /// What to do.
        help: String,
    },
    /// A scenario the search cannot plan.
    #[error("{message}\n  help: {help}")]
    Scenario {
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
    },
    /// No team, or an unknown one, to search the staffing of.
    #[error("--team: {message}\n  help: {help}")]
    Team {
        /// What is wrong.
        message: String,
        /// The teams of the scenario.
        help: String,
    },
}
