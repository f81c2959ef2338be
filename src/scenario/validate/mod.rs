//! Turns a raw scenario into a validated [`Scenario`], collecting every problem with its place.
//! This file parses, collects the problems and runs the checks of each part in file order
//! (the order of the messages); the checks themselves live in one file per part.

mod arrivals;
mod channels;
mod entry;
pub(super) mod factors;
mod forecast;
mod grid;
mod journeys;
mod resolution;
mod roster;
mod satisfaction;
mod skills;
mod stability;
mod teams;
mod ticket_types;

use super::text;

use super::distribution::RawDist;
use super::error::{ScenarioError, ScenarioErrors, line_col};
use super::locate::Locator;
use super::raw::{RawProbabilities, RawRedial, RawScenario};
use super::{Options, Redial, Scenario};

/// Priorities are kept within ± this, so that sums of priorities never overflow.
const PRIORITY_LIMIT: i32 = 1_000_000;

/// Upper bound on simulated intervals, so that per-interval statistics stay small.
const MAX_INTERVALS: f64 = 5_000_000.0;

/// Collects problems, each with a key path resolved to a line.
struct Problems<'a> {
    file: &'a str,
    src: &'a str,
    locator: Locator<'a>,
    list: Vec<ScenarioError>,
    /// Set-ups refused as unstable, which `allow_unstable` downgrades to warnings.
    unstable: Vec<ScenarioError>,
}

impl Problems<'_> {
    fn add(&mut self, key: &str, message: impl Into<String>, help: impl Into<String>) {
        let e = self.error(key, message, help);
        self.list.push(e);
    }

    /// An unstable set-up: refused unless unstable set-ups are allowed, then a warning.
    fn unstable(&mut self, key: &str, message: impl Into<String>, help: impl Into<String>) {
        let help: String = help.into();
        let e = self.error(
            key,
            message,
            format!("{help}; to run it anyway (for teaching), use --allow-unstable"),
        );
        self.unstable.push(e);
    }

    fn error(
        &self,
        key: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ScenarioError {
        let (line, column) = match self.locator.offset(key) {
            Some(o) => {
                let (l, c) = line_col(self.src, o);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let help: String = help.into();
        ScenarioError {
            file: self.file.to_string(),
            line,
            column,
            key: Some(key.to_string()),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        }
    }
}

/// Parses TOML text, then validates it; returns the scenario and the warnings (unstable
/// set-ups when `opts.allow_unstable`, else they are errors).
pub(super) fn parse(
    src: &str,
    file: &str,
    opts: &Options,
) -> Result<(Scenario, Vec<ScenarioError>), ScenarioErrors> {
    let raw = deserialize(src, file)?;
    let mut p = Problems {
        file,
        src,
        locator: Locator::new(src),
        list: Vec::new(),
        unstable: Vec::new(),
    };
    let scenario = build(&raw, &mut p);
    let warnings = if opts.allow_unstable {
        std::mem::take(&mut p.unstable)
    } else {
        p.list.append(&mut p.unstable);
        Vec::new()
    };
    match scenario {
        Some(s) if p.list.is_empty() => Ok((s, warnings)),
        _ => Err(ScenarioErrors(p.list)),
    }
}

fn deserialize(src: &str, file: &str) -> Result<RawScenario, ScenarioErrors> {
    let de = toml::de::Deserializer::parse(src).map_err(|e| {
        if let (Some(span), true) = (e.span(), e.message().trim() == "duplicate key") {
            return ScenarioErrors(vec![text::duplicate_key(src, file, span)]);
        }
        let (line, column) = e.span().map(|s| line_col(src, s.start)).unzip();
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            line,
            column,
            key: None,
            message: format!("TOML syntax error: {}", e.message().trim()),
            help: Some("check quotes, brackets and `key = value` pairs on that line".into()),
        }])
    })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let written = inner.span().and_then(|s| src.get(s)).unwrap_or("");
        let (mut path, mut message, help) =
            text::plain(&e.path().to_string(), inner.message().trim(), written);
        // A distribution names the sub-key it refuses as "`k`: ..." (serde cannot see inside it).
        let mut offset = inner.span().map(|s| s.start);
        if let Some((sub, rest)) = message
            .strip_prefix('`')
            .and_then(|m| m.split_once("`: "))
            .filter(|(sub, _)| !sub.contains(' '))
            .map(|(sub, rest)| (sub.to_string(), rest.to_string()))
        {
            path = format!("{path}.{sub}");
            message = rest;
            offset = Locator::new(src).offset(&path).or(offset);
        }
        let offset = offset.or_else(|| Locator::new(src).offset(&path));
        let (line, column) = offset.map(|o| line_col(src, o)).unzip();
        let help = help.or_else(|| help_for(&message));
        let key = (path != ".").then_some(path);
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            line,
            column,
            key,
            message,
            help,
        }])
    })
}

/// A hint for common serde messages: the closest known key for a typo, the expected type otherwise.
fn help_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`')?;
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let best = expected
            .iter()
            .map(|k| (strsim::damerau_levenshtein(field, k), *k))
            .min()?;
        return Some(if best.0 <= 3 {
            format!("did you mean `{}`?", best.1)
        } else {
            format!("the keys allowed here are: {}", expected.join(", "))
        });
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return Some(format!("use one of: {}", expected.join(", ")));
    }
    if message.starts_with("missing field") {
        return Some("add this key; see docs/scenario.md for what it means".into());
    }
    None
}

fn build(raw: &RawScenario, p: &mut Problems) -> Option<Scenario> {
    if raw.name.trim().is_empty() {
        p.add(
            "name",
            "the scenario name is empty",
            "give it a short name, e.g. name = \"my-centre\"",
        );
    }
    let day = grid::day_grid(raw, p)?;
    let simulation = grid::simulation(raw, &day, p);
    let arrivals = arrivals::arrivals(raw, &day, p);
    let ticket_types = ticket_types::ticket_types(raw, p);
    let teams = teams::teams(raw, &day, p);
    let entry = entry::entry(raw, &day, p);
    let outbound_call_cost = cost(raw.costs.outbound_call, "costs.outbound_call", p);
    let per_call_minute = cost(raw.costs.per_call_minute, "costs.per_call_minute", p);
    let lost_ticket_value = cost(raw.costs.lost_ticket_value, "costs.lost_ticket_value", p);
    let lost_customer_value = cost(
        raw.costs.lost_customer_value,
        "costs.lost_customer_value",
        p,
    );
    let satisfaction = satisfaction::satisfaction(raw, p);
    let factors = factors::factors(raw, p);
    let (simulation, arrivals, mut ticket_types, teams, entry, satisfaction) = (
        simulation?,
        arrivals?,
        ticket_types?,
        teams?,
        entry?,
        satisfaction?,
    );
    let (outbound_call_cost, per_call_minute, lost_ticket_value, lost_customer_value) = (
        outbound_call_cost?,
        per_call_minute?,
        lost_ticket_value?,
        lost_customer_value?,
    );
    skills::overflow(raw, &mut ticket_types, &teams, p);
    // A forecast per type gives each type's share of the calls.
    if let Some(shares) = arrivals.type_shares() {
        for (t, share) in ticket_types.iter_mut().zip(shares) {
            t.share = share;
        }
    }
    let scenario = Scenario {
        name: raw.name.trim().to_string(),
        description: raw.description.clone(),
        simulation,
        day,
        arrivals,
        ticket_types,
        teams,
        entry,
        outbound_call_cost,
        per_call_minute,
        lost_ticket_value,
        lost_customer_value,
        satisfaction,
        factors,
    };
    journeys::check(&scenario, p);
    if p.unstable.is_empty() {
        stability::check_whole(&scenario, p);
    }
    Some(scenario)
}

fn probability(v: f64, key: &str, p: &mut Problems) -> Option<f64> {
    if (0.0..=1.0).contains(&v) {
        Some(v)
    } else {
        p.add(
            key,
            format!("{v} is not a probability"),
            "use a number from 0 to 1, e.g. 0.3 for 30 %",
        );
        None
    }
}

/// A priority within ±[`PRIORITY_LIMIT`] (so that sums of two cannot overflow); `false`,
/// with the problem added, when it is outside.
fn priority(v: Option<i32>, key: &str, help: &str, p: &mut Problems) -> bool {
    match v {
        Some(x) if !(-PRIORITY_LIMIT..=PRIORITY_LIMIT).contains(&x) => {
            p.add(
                key,
                format!("a priority must be from -{PRIORITY_LIMIT} to {PRIORITY_LIMIT}, not {x}"),
                help,
            );
            false
        }
        _ => true,
    }
}

fn dist(d: &RawDist, key: &str, p: &mut Problems) -> Option<super::Dist> {
    d.validate()
        .map_err(|(sub, msg)| p.add(&format!("{key}.{sub}"), msg, ""))
        .ok()
}

/// Index of the team called `name`, or a problem at `key` naming the teams.
fn team_index(raw: &RawScenario, name: &str, key: &str, p: &mut Problems) -> Option<usize> {
    let found = raw.teams.iter().position(|t| t.name == name);
    if found.is_none() {
        let names: Vec<&str> = raw.teams.iter().map(|t| t.name.as_str()).collect();
        p.add(
            key,
            format!("`{name}` is not a team"),
            format!("the teams are: {}", names.join(", ")),
        );
    }
    found
}

fn cost(v: Option<f64>, key: &str, p: &mut Problems) -> Option<f64> {
    let v = v.unwrap_or(0.0);
    if v.is_finite() && (0.0..=1e9).contains(&v) {
        Some(v)
    } else {
        p.add(
            key,
            format!("a cost must be from 0 to 1000000000, not {v}"),
            "costs are in one currency unit of your choice, e.g. cost_per_hour = 35",
        );
        None
    }
}

fn redial(r: &RawRedial, key: &str, p: &mut Problems) -> Option<Redial> {
    let list = match &r.probability {
        RawProbabilities::One(v) => vec![*v],
        RawProbabilities::PerAttempt(v) => v.clone(),
    };
    if list.is_empty() {
        p.add(
            &format!("{key}.probability"),
            "the list is empty",
            "give at least one probability",
        );
        return None;
    }
    let mut ok = true;
    for (i, v) in list.iter().enumerate() {
        let k = match r.probability {
            RawProbabilities::One(_) => format!("{key}.probability"),
            RawProbabilities::PerAttempt(_) => format!("{key}.probability[{i}]"),
        };
        ok &= probability(*v, &k, p).is_some();
    }
    let delay = dist(&r.delay, &format!("{key}.delay"), p);
    // A zero delay with a probability of 1 would retry forever without time moving.
    if delay.as_ref().is_some_and(|d| d.mean() <= 0.0) {
        p.add(
            &format!("{key}.delay"),
            "the delay before trying again must be longer than 0 s on average",
            "e.g. delay = { dist = \"exponential\", mean = \"10m\" }",
        );
        return None;
    }
    match (ok, delay) {
        (true, Some(delay)) => Some(Redial {
            probabilities: list,
            delay,
        }),
        _ => None,
    }
}
