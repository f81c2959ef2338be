//! Turns a raw scenario into a validated [`Scenario`], collecting every problem with its place.

use super::clock::DAY;
use super::distribution::RawDist;
use super::error::{ScenarioError, ScenarioErrors, line_col};
use super::locate::Locator;
use super::raw::{
    RawAgents, RawCallbackKind, RawFlow, RawProbabilities, RawRedial, RawResolution, RawRouting,
    RawScenario, RawTeam, RawUnresolved,
};
use super::{
    Announce, Arrivals, CallbackKind, CallbackOffer, DayGrid, Dist, Entry, Flow, Learning, Redial,
    Resolution, Routing, Scenario, Simulation, Team, TicketType, Unresolved,
};

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
}

impl Problems<'_> {
    fn add(&mut self, key: &str, message: impl Into<String>, help: impl Into<String>) {
        let (line, column) = match self.locator.offset(key) {
            Some(o) => {
                let (l, c) = line_col(self.src, o);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        let help: String = help.into();
        self.list.push(ScenarioError {
            file: self.file.to_string(),
            line,
            column,
            key: Some(key.to_string()),
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        });
    }
}

/// Parses TOML text, then validates it.
pub(super) fn parse(src: &str, file: &str) -> Result<Scenario, ScenarioErrors> {
    let raw = deserialize(src, file)?;
    let mut p = Problems {
        file,
        src,
        locator: Locator::new(src),
        list: Vec::new(),
    };
    let scenario = build(&raw, &mut p);
    match scenario {
        Some(s) if p.list.is_empty() => Ok(s),
        _ => Err(ScenarioErrors(p.list)),
    }
}

fn deserialize(src: &str, file: &str) -> Result<RawScenario, ScenarioErrors> {
    let de = toml::de::Deserializer::parse(src).map_err(|e| {
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
        let path = e.path().to_string();
        let inner = e.inner();
        let message = inner.message().trim().to_string();
        let offset = inner
            .span()
            .map(|s| s.start)
            .or_else(|| Locator::new(src).offset(&path));
        let (line, column) = offset.map(|o| line_col(src, o)).unzip();
        let help = help_for(&message);
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
    let day = day_grid(raw, p)?;
    let simulation = simulation(raw, &day, p);
    let arrivals = arrivals(raw, &day, p);
    let ticket_types = ticket_types(raw, p);
    let teams = teams(raw, &day, p);
    let entry = entry(raw, &day, p);
    let outbound_call_cost = cost(raw.costs.outbound_call, "costs.outbound_call", p);
    let satisfaction = satisfaction(raw, p);
    let (simulation, arrivals, ticket_types, teams, entry, outbound_call_cost, satisfaction) = (
        simulation?,
        arrivals?,
        ticket_types?,
        teams?,
        entry?,
        outbound_call_cost?,
        satisfaction?,
    );
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
        satisfaction,
    };
    check_whole(&scenario, p);
    Some(scenario)
}

fn day_grid(raw: &RawScenario, p: &mut Problems) -> Option<DayGrid> {
    let s = &raw.simulation;
    let open = s.open.map_or(0.0, |c| c.0);
    let close = s.close.map_or(DAY, |c| c.0);
    let interval = s.interval.map_or(1800.0, |d| d.0);
    if close <= open {
        p.add(
            "simulation.close",
            "the centre must close after it opens",
            "e.g. open = \"08:00\", close = \"20:00\"",
        );
        return None;
    }
    // Below a minute per-interval figures are noise, and the per-interval vectors built
    // from the grid must stay small whatever a user types.
    if interval.is_nan() || interval < 60.0 {
        p.add(
            "simulation.interval",
            format!("the interval must be at least 1 minute, not {interval} s"),
            "e.g. interval = \"15m\"",
        );
        return None;
    }
    let n = (close - open) / interval;
    if (n - n.round()).abs() > 1e-9 || n.round() < 1.0 {
        p.add(
            "simulation.interval",
            format!(
                "the open day ({} s) is not a whole number of intervals of {} s",
                close - open,
                interval
            ),
            "choose an interval that divides the opening hours, e.g. \"15m\" or \"30m\"",
        );
        return None;
    }
    Some(DayGrid {
        open,
        close,
        interval,
    })
}

fn simulation(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Simulation> {
    let s = &raw.simulation;
    let horizon = match (s.horizon, s.days) {
        (Some(_), Some(_)) => {
            p.add(
                "simulation.days",
                "both `horizon` and `days` are given",
                "keep one of them",
            );
            return None;
        }
        (Some(h), None) => h.0,
        (None, Some(d)) => f64::from(d) * DAY,
        (None, None) => DAY,
    };
    let key = if s.days.is_some() {
        "simulation.days"
    } else {
        "simulation.horizon"
    };
    if horizon <= 0.0 {
        p.add(
            key,
            "the run must last longer than 0 s",
            "e.g. horizon = \"1d\" or days = 7",
        );
        return None;
    }
    if horizon / day.interval > MAX_INTERVALS {
        p.add(
            key,
            format!("the run has more than {MAX_INTERVALS} intervals"),
            "shorten the horizon or lengthen `simulation.interval`",
        );
        return None;
    }
    let warmup = s.warmup.map_or(0.0, |d| d.0);
    if warmup >= horizon {
        p.add(
            "simulation.warmup",
            format!("the warm-up ({warmup} s) is not shorter than the run ({horizon} s)"),
            "shorten the warm-up or lengthen the horizon",
        );
    }
    let replications = s.replications.unwrap_or(10);
    if !(1..=100_000).contains(&replications) {
        p.add(
            "simulation.replications",
            format!("{replications} replications: it must be from 1 to 100000"),
            "10 to 30 replications are usual",
        );
    }
    Some(Simulation {
        horizon,
        warmup,
        replications,
        seed: s.seed.unwrap_or(1),
        service_level_threshold: s.service_level_threshold.map_or(20.0, |d| d.0),
    })
}

fn arrivals(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Arrivals> {
    let a = &raw.arrivals;
    let n = day.intervals();
    let rates = match (&a.rate_per_hour, &a.rates_per_hour) {
        (Some(_), Some(_)) => {
            p.add(
                "arrivals.rates_per_hour",
                "both `rate_per_hour` and `rates_per_hour` are given",
                "keep one: a constant rate or a profile",
            );
            return None;
        }
        (None, None) => {
            p.add(
                "arrivals",
                "no arrival rate",
                "add rate_per_hour = 100, or rates_per_hour = [...] with one rate per interval",
            );
            return None;
        }
        (Some(r), None) => {
            check_rate(*r, "arrivals.rate_per_hour", p)?;
            vec![*r; n]
        }
        (None, Some(rs)) => {
            if rs.len() != n {
                p.add(
                    "arrivals.rates_per_hour",
                    format!(
                        "{} rates given, but the open day has {n} intervals",
                        rs.len()
                    ),
                    "give one rate per interval from `simulation.open` to `simulation.close`",
                );
                return None;
            }
            for (i, r) in rs.iter().enumerate() {
                check_rate(*r, &format!("arrivals.rates_per_hour[{i}]"), p)?;
            }
            rs.clone()
        }
    };
    let day_scale = a.day_scale.clone().unwrap_or_else(|| vec![1.0]);
    if day_scale.is_empty() {
        p.add(
            "arrivals.day_scale",
            "the list is empty",
            "give one multiplier per day, e.g. [1.0, 0.9]",
        );
        return None;
    }
    for (i, f) in day_scale.iter().enumerate() {
        if !f.is_finite() || *f < 0.0 {
            p.add(
                &format!("arrivals.day_scale[{i}]"),
                format!("a day multiplier must be 0 or more, not {f}"),
                "1.0 leaves the day as it is",
            );
            return None;
        }
    }
    if rates.iter().all(|r| *r == 0.0) || day_scale.iter().all(|f| *f == 0.0) {
        p.add(
            "arrivals",
            "no customer ever arrives (every rate is 0)",
            "give a rate above 0",
        );
    }
    Some(Arrivals {
        rates_per_hour: rates,
        day_scale,
    })
}

fn check_rate(r: f64, key: &str, p: &mut Problems) -> Option<()> {
    if !r.is_finite() || r < 0.0 {
        p.add(
            key,
            format!("a rate must be 0 or more calls per hour, not {r}"),
            "e.g. rate_per_hour = 120",
        );
        return None;
    }
    if r > 1e8 {
        p.add(
            key,
            format!("{r} calls per hour is beyond what rappel simulates"),
            "use at most 100000000 per hour",
        );
        return None;
    }
    Some(())
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

fn dist(d: &RawDist, key: &str, p: &mut Problems) -> Option<super::Dist> {
    d.validate()
        .map_err(|(sub, msg)| p.add(&format!("{key}.{sub}"), msg, ""))
        .ok()
}

fn ticket_types(raw: &RawScenario, p: &mut Problems) -> Option<Vec<TicketType>> {
    if raw.ticket_types.is_empty() {
        p.add(
            "ticket_types",
            "no ticket type",
            "add a [[ticket_types]] table",
        );
        return None;
    }
    let given = raw
        .ticket_types
        .iter()
        .filter(|t| t.share.is_some())
        .count();
    let n = raw.ticket_types.len();
    if given != 0 && given != n {
        p.add(
            "ticket_types",
            "some ticket types have a `share` and some do not",
            "give every type a share (they must add up to 1), or none for equal shares",
        );
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let mut ok = true;
    for (i, t) in raw.ticket_types.iter().enumerate() {
        let key = format!("ticket_types[{i}]");
        if t.name.trim().is_empty() {
            p.add(
                &format!("{key}.name"),
                "the name is empty",
                "give each type a name",
            );
            ok = false;
        }
        if raw.ticket_types[..i].iter().any(|o| o.name == t.name) {
            p.add(
                &format!("{key}.name"),
                format!("the name `{}` is used twice", t.name),
                "give each type its own name",
            );
            ok = false;
        }
        let share = match t.share {
            Some(s) => probability(s, &format!("{key}.share"), p),
            None => Some(1.0 / n as f64),
        };
        let difficulty = probability(t.difficulty.unwrap_or(0.0), &format!("{key}.difficulty"), p);
        if t.priority.is_some_and(|x| x.abs() > PRIORITY_LIMIT) {
            p.add(
                &format!("{key}.priority"),
                format!("a priority must be within ± {PRIORITY_LIMIT}"),
                "higher is answered first, e.g. priority = 1",
            );
            ok = false;
        }
        let handle = dist(&t.handle_time, &format!("{key}.handle_time"), p);
        let patience = match &t.patience {
            Some(d) => dist(d, &format!("{key}.patience"), p).map(Some),
            None => Some(None),
        };
        match (share, difficulty, handle, patience) {
            (Some(share), Some(difficulty), Some(handle_time), Some(patience)) => {
                out.push(TicketType {
                    name: t.name.clone(),
                    share,
                    handle_time,
                    patience,
                    difficulty,
                    priority: t
                        .priority
                        .unwrap_or(0)
                        .clamp(-PRIORITY_LIMIT, PRIORITY_LIMIT),
                    expected_wait: t.expected_wait.map_or(60.0, |d| d.0),
                })
            }
            _ => ok = false,
        }
    }
    let sum: f64 = out.iter().map(|t| t.share).sum();
    if ok && (sum - 1.0).abs() > 1e-6 {
        p.add(
            "ticket_types",
            format!("the shares add up to {sum}, not 1"),
            "make the `share` values of all ticket types add up to 1",
        );
        ok = false;
    }
    ok.then_some(out)
}

fn teams(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Vec<Team>> {
    if raw.teams.is_empty() {
        p.add(
            "teams",
            "no team",
            "add a [[teams]] table with agents and the types it serves",
        );
        return None;
    }
    let n = day.intervals();
    let names: Vec<&str> = raw.ticket_types.iter().map(|t| t.name.as_str()).collect();
    let mut out = Vec::new();
    let mut ok = true;
    for (i, t) in raw.teams.iter().enumerate() {
        let key = format!("teams[{i}]");
        if t.name.trim().is_empty() {
            p.add(
                &format!("{key}.name"),
                "the name is empty",
                "give each team a name",
            );
            ok = false;
        }
        if raw.teams[..i].iter().any(|o| o.name == t.name) {
            p.add(
                &format!("{key}.name"),
                format!("the name `{}` is used twice", t.name),
                "give each team its own name",
            );
            ok = false;
        }
        let staffing: Option<Vec<u32>> = match &t.agents {
            RawAgents::Constant(a) => agents(*a, &format!("{key}.agents"), p).map(|a| vec![a; n]),
            RawAgents::Profile(list) if list.len() != n => {
                p.add(
                    &format!("{key}.agents"),
                    format!(
                        "{} staffing values given, but the open day has {n} intervals",
                        list.len()
                    ),
                    "give one number of agents per interval, or a single number",
                );
                None
            }
            RawAgents::Profile(list) => list
                .iter()
                .enumerate()
                .map(|(j, a)| agents(*a, &format!("{key}.agents[{j}]"), p))
                .collect(),
        };
        // A team may serve no inbound type when it only takes work sent to it: a tier 2
        // that receives escalations, a team that places callbacks.
        let receives = raw.teams.iter().any(|o| {
            o.escalate_to.as_deref() == Some(t.name.as_str())
                || o.agent_callback
                    .as_ref()
                    .is_some_and(|cb| cb.team.as_deref() == Some(t.name.as_str()))
        }) || raw
            .entry
            .callback
            .as_ref()
            .is_some_and(|cb| cb.team.as_deref() == Some(t.name.as_str()));
        if t.serves.is_empty() && !receives {
            p.add(
                &format!("{key}.serves"),
                format!("team `{}` serves no ticket type", t.name),
                "list the types it serves, e.g. serves = [\"billing\"], or send it escalations or callbacks",
            );
            ok = false;
        }
        let mut serves = Vec::new();
        for (j, s) in t.serves.iter().enumerate() {
            match names.iter().position(|n| n == s) {
                Some(idx) if serves.contains(&idx) => {
                    p.add(
                        &format!("{key}.serves[{j}]"),
                        format!("`{s}` is listed twice"),
                        "list each type once",
                    );
                    ok = false;
                }
                Some(idx) => serves.push(idx),
                None => {
                    let near = names
                        .iter()
                        .map(|n| (strsim::damerau_levenshtein(s, n), *n))
                        .min()
                        .filter(|(d, _)| *d <= 3)
                        .map(|(_, n)| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    p.add(
                        &format!("{key}.serves[{j}]"),
                        format!("team `{}` serves `{s}`, which is not a ticket type", t.name),
                        format!("{near}the ticket types are: {}", names.join(", ")),
                    );
                    ok = false;
                }
            }
        }
        let speed = t.speed.unwrap_or(1.0);
        if !(speed.is_finite() && speed > 0.0 && speed <= 100.0) {
            p.add(
                &format!("{key}.speed"),
                format!("the speed factor must be above 0 and at most 100, not {speed}"),
                "1.0 keeps the type's handle time",
            );
            ok = false;
        }
        let resolution = team_resolution(t, &key, p);
        let unresolved = team_unresolved(raw, t, &key, p);
        let cost_per_hour = cost(t.cost_per_hour, &format!("{key}.cost_per_hour"), p);
        let competence = probability(t.competence.unwrap_or(1.0), &format!("{key}.competence"), p);
        let spread = t.competence_spread.unwrap_or(0.0);
        if !(0.0..=0.5).contains(&spread) {
            p.add(
                &format!("{key}.competence_spread"),
                format!("the spread must be from 0 to 0.5, not {spread}"),
                "a standard deviation such as 0.05 spreads agents around the team's competence",
            );
            ok = false;
        }
        let learning = match &t.learning {
            None => Some(None),
            Some(l) => {
                let initial = probability(l.initial, &format!("{key}.learning.initial"), p);
                if !(l.half_life.is_finite() && l.half_life > 0.0 && l.half_life <= 1e9) {
                    p.add(
                        &format!("{key}.learning.half_life"),
                        format!(
                            "the half-life must be above 0 contacts, not {}",
                            l.half_life
                        ),
                        "e.g. half_life = 50: half of the gap is closed after 50 contacts",
                    );
                    None
                } else {
                    initial.map(|initial| {
                        Some(Learning {
                            initial,
                            half_life: l.half_life,
                        })
                    })
                }
            }
        };
        let routing = match t.routing {
            None | Some(RawRouting::Priority) => Routing::Priority,
            Some(RawRouting::LongestWaiting) => Routing::LongestWaiting,
        };
        match (
            staffing,
            resolution,
            unresolved,
            cost_per_hour,
            competence,
            learning,
        ) {
            (
                Some(staffing),
                Some(resolution),
                Some(unresolved),
                Some(cost_per_hour),
                Some(competence),
                Some(learning),
            ) => out.push(Team {
                name: t.name.clone(),
                staffing,
                serves,
                speed,
                routing,
                competence,
                competence_spread: spread,
                learning,
                resolution,
                unresolved,
                cost_per_hour,
            }),
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    for (i, t) in raw.ticket_types.iter().enumerate() {
        if !out.iter().any(|team| team.serves.contains(&i)) {
            p.add(
                &format!("ticket_types[{i}].name"),
                format!("no team serves the ticket type `{}`", t.name),
                format!("add \"{}\" to the `serves` list of a team", t.name),
            );
            ok = false;
        }
    }
    if out.iter().all(|t| t.staffing.iter().all(|a| *a == 0)) {
        p.add(
            "teams",
            "the centre has no agent at any time",
            "give at least one team some agents",
        );
        ok = false;
    }
    ok.then_some(out)
}

fn agents(a: i64, key: &str, p: &mut Problems) -> Option<u32> {
    if (0..=100_000).contains(&a) {
        Some(a as u32)
    } else {
        p.add(
            key,
            format!("{a} agents: a team has from 0 to 100000 agents"),
            "",
        );
        None
    }
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

fn team_resolution(t: &RawTeam, key: &str, p: &mut Problems) -> Option<Resolution> {
    match t.resolution.unwrap_or(RawResolution::Standard) {
        RawResolution::Standard => {
            for (given, name) in [
                (t.goodwill_probability.is_some(), "goodwill_probability"),
                (t.goodwill_cost.is_some(), "goodwill_cost"),
            ] {
                if given {
                    p.add(
                        &format!("{key}.{name}"),
                        "goodwill applies only to immediate resolution",
                        "add resolution = \"immediate_resolution\", or remove this key",
                    );
                    return None;
                }
            }
            Some(Resolution::Standard)
        }
        RawResolution::ImmediateResolution => {
            let goodwill_probability = probability(
                t.goodwill_probability.unwrap_or(1.0),
                &format!("{key}.goodwill_probability"),
                p,
            );
            let goodwill_cost = cost(t.goodwill_cost, &format!("{key}.goodwill_cost"), p);
            Some(Resolution::ImmediateResolution {
                goodwill_probability: goodwill_probability?,
                goodwill_cost: goodwill_cost?,
            })
        }
    }
}

/// The default `call_again`: 80 % call again, after an exponential delay of 2 hours.
fn default_call_again() -> Redial {
    Redial {
        probabilities: vec![0.8],
        delay: Dist::Exponential { mean: 7200.0 },
    }
}

fn team_unresolved(
    raw: &RawScenario,
    t: &RawTeam,
    key: &str,
    p: &mut Problems,
) -> Option<Unresolved> {
    let policy = t.unresolved.unwrap_or(RawUnresolved::CustomerCallsAgain);
    let call_again = match &t.call_again {
        Some(r) => redial(r, &format!("{key}.call_again"), p)?,
        None => default_call_again(),
    };
    let stray = |given: bool, name: &str, wanted: &str, p: &mut Problems| {
        if given {
            p.add(
                &format!("{key}.{name}"),
                format!("`{name}` applies only with unresolved = \"{wanted}\""),
                format!("set unresolved = \"{wanted}\", or remove this key"),
            );
        }
        given
    };
    match policy {
        RawUnresolved::CustomerCallsAgain => {
            if stray(t.escalate_to.is_some(), "escalate_to", "escalate", p)
                | stray(t.transfer_delay.is_some(), "transfer_delay", "escalate", p)
                | stray(
                    t.agent_callback.is_some(),
                    "agent_callback",
                    "agent_callback",
                    p,
                )
            {
                return None;
            }
            Some(Unresolved::CustomerCallsAgain(call_again))
        }
        RawUnresolved::Escalate => {
            if stray(
                t.agent_callback.is_some(),
                "agent_callback",
                "agent_callback",
                p,
            ) {
                return None;
            }
            let Some(name) = &t.escalate_to else {
                p.add(
                    &format!("{key}.unresolved"),
                    "escalation needs a team to escalate to",
                    "add escalate_to = \"tier2\" (the name of another team)",
                );
                return None;
            };
            let team = team_index(raw, name, &format!("{key}.escalate_to"), p)?;
            if raw.teams[team].name == t.name {
                p.add(
                    &format!("{key}.escalate_to"),
                    "a team cannot escalate to itself",
                    "name another team, e.g. a tier-2 team",
                );
                return None;
            }
            let transfer_delay = match &t.transfer_delay {
                Some(d) => dist(d, &format!("{key}.transfer_delay"), p)?,
                None => Dist::Constant { value: 0.0 },
            };
            Some(Unresolved::Escalate {
                team,
                transfer_delay,
            })
        }
        RawUnresolved::AgentCallback => {
            if stray(t.escalate_to.is_some(), "escalate_to", "escalate", p)
                | stray(t.transfer_delay.is_some(), "transfer_delay", "escalate", p)
            {
                return None;
            }
            let Some(cb) = &t.agent_callback else {
                p.add(
                    &format!("{key}.unresolved"),
                    "an agent callback needs its settings",
                    "add agent_callback = { delay = { dist = \"exponential\", mean = \"2h\" }, promise = \"4h\" }",
                );
                return None;
            };
            let k = format!("{key}.agent_callback");
            let delay = dist(&cb.delay, &format!("{k}.delay"), p);
            if cb.promise.0 <= 0.0 {
                p.add(
                    &format!("{k}.promise"),
                    "the promised time must be longer than 0 s",
                    "e.g. promise = \"4h\": later than this, the callback is late",
                );
                return None;
            }
            let broken = probability(
                cb.broken_probability.unwrap_or(0.0),
                &format!("{k}.broken_probability"),
                p,
            );
            let team = match &cb.team {
                Some(name) => team_index(raw, name, &format!("{k}.team"), p)?,
                None => raw.teams.iter().position(|o| o.name == t.name)?,
            };
            Some(Unresolved::AgentCallback {
                delay: delay?,
                promise: cb.promise.0,
                broken_probability: broken?,
                team,
                call_again,
            })
        }
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

fn entry(raw: &RawScenario, day: &DayGrid, p: &mut Problems) -> Option<Entry> {
    let e = &raw.entry;
    let flow = match e.flow {
        RawFlow::Queue => Flow::Queue,
        RawFlow::CallBackLater => Flow::CallBackLater,
        RawFlow::Callback => Flow::Callback,
    };
    let redial = match &e.redial {
        None => None,
        Some(r) => Some(redial(r, "entry.redial", p)?),
    };
    let mut ok = true;
    let only = |given: bool, name: &str, wanted: &str, p: &mut Problems| {
        if given {
            p.add(
                &format!("entry.{name}"),
                format!("`{name}` applies only with flow = \"{wanted}\""),
                format!("set flow = \"{wanted}\", or remove this key"),
            );
        }
        !given
    };
    if flow != Flow::CallBackLater {
        ok &= only(e.max_queue.is_some(), "max_queue", "call_back_later", p);
        ok &= only(
            e.max_predicted_wait.is_some(),
            "max_predicted_wait",
            "call_back_later",
            p,
        );
    }
    if flow != Flow::Callback {
        ok &= only(e.callback.is_some(), "callback", "callback", p);
    }
    let max_queue = match e.max_queue {
        None => None,
        Some(k) if (0..=1_000_000).contains(&k) => Some(k as u32),
        Some(k) => {
            p.add(
                "entry.max_queue",
                format!("{k} is not a queue length from 0 to 1000000"),
                "0 means nobody waits: every caller who finds all agents busy is told to call back later",
            );
            ok = false;
            None
        }
    };
    let max_predicted_wait = e.max_predicted_wait.map(|d| d.0);
    if flow == Flow::CallBackLater && max_queue.is_none() && max_predicted_wait.is_none() && ok {
        p.add(
            "entry.flow",
            "call_back_later needs a threshold",
            "add max_queue = 10 (callers waiting) or max_predicted_wait = \"5m\"",
        );
        ok = false;
    }
    let announce = if e.announce_wait.unwrap_or(false) {
        let balk_factor = e.balk_factor.unwrap_or(1.0);
        let informed = e.informed_patience_factor.unwrap_or(1.0);
        for (v, name) in [
            (balk_factor, "balk_factor"),
            (informed, "informed_patience_factor"),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= 100.0) {
                p.add(
                    &format!("entry.{name}"),
                    format!("the factor must be above 0 and at most 100, not {v}"),
                    "1.0 leaves the caller's patience as it is",
                );
                ok = false;
            }
        }
        Some(Announce {
            balk_factor,
            informed_patience_factor: informed,
        })
    } else {
        for (given, name) in [
            (e.balk_factor.is_some(), "balk_factor"),
            (
                e.informed_patience_factor.is_some(),
                "informed_patience_factor",
            ),
        ] {
            if given {
                p.add(
                    &format!("entry.{name}"),
                    format!("`{name}` applies only when callers hear the wait"),
                    "add announce_wait = true, or remove this key",
                );
                ok = false;
            }
        }
        None
    };
    let callback = match (&e.callback, flow) {
        (Some(cb), Flow::Callback) => Some(callback_offer(raw, cb, day, p)?),
        (None, Flow::Callback) => {
            p.add(
                "entry.flow",
                "the callback flow needs its settings",
                "add an [entry.callback] table with kind = \"virtual_hold\" or \"appointment\"",
            );
            return None;
        }
        _ => None,
    };
    ok.then_some(Entry {
        flow,
        redial,
        max_queue,
        max_predicted_wait,
        announce,
        callback,
    })
}

fn callback_offer(
    raw: &RawScenario,
    cb: &super::raw::RawCallback,
    day: &DayGrid,
    p: &mut Problems,
) -> Option<CallbackOffer> {
    let k = "entry.callback";
    let mut ok = true;
    let threshold = cb.threshold.map_or(120.0, |d| d.0);
    let accept = probability(cb.accept.unwrap_or(0.6), &format!("{k}.accept"), p);
    let per_minute = cb.accept_per_minute.unwrap_or(0.0);
    if !(per_minute.is_finite() && (0.0..=1.0).contains(&per_minute)) {
        p.add(
            &format!("{k}.accept_per_minute"),
            format!("{per_minute} is not a probability per minute from 0 to 1"),
            "e.g. 0.02: two points more likely to accept per minute of predicted wait",
        );
        ok = false;
    }
    let reach = probability(
        cb.reach_probability.unwrap_or(0.9),
        &format!("{k}.reach_probability"),
        p,
    );
    let retry_delay = match &cb.retry_delay {
        Some(d) => dist(d, &format!("{k}.retry_delay"), p),
        None => Some(Dist::Constant { value: 600.0 }),
    };
    let max_attempts = cb.max_attempts.unwrap_or(3);
    if !(1..=100).contains(&max_attempts) {
        p.add(
            &format!("{k}.max_attempts"),
            format!("{max_attempts} attempts: it must be from 1 to 100"),
            "3 attempts are usual before a callback is given up",
        );
        ok = false;
    }
    let missed_call_time = cb.missed_call_time.map_or(30.0, |d| d.0);
    if cb.priority.is_some_and(|x| x.abs() > PRIORITY_LIMIT) {
        p.add(
            &format!("{k}.priority"),
            format!("a priority must be within ± {PRIORITY_LIMIT}"),
            "added to the type's priority for callbacks, e.g. priority = 1",
        );
        ok = false;
    }
    let team = match &cb.team {
        Some(name) => {
            let t = team_index(raw, name, &format!("{k}.team"), p);
            ok &= t.is_some();
            t
        }
        None => None,
    };
    let appointment_only = [
        (cb.slot_length.is_some(), "slot_length"),
        (cb.slots_per_interval.is_some(), "slots_per_interval"),
        (cb.booking_horizon.is_some(), "booking_horizon"),
    ];
    let kind = match cb.kind {
        RawCallbackKind::VirtualHold => {
            for (given, name) in appointment_only {
                if given {
                    p.add(
                        &format!("{k}.{name}"),
                        format!("`{name}` applies only to appointments"),
                        "set kind = \"appointment\", or remove this key",
                    );
                    ok = false;
                }
            }
            CallbackKind::VirtualHold
        }
        RawCallbackKind::Appointment => {
            let slot_length = cb.slot_length.map_or(900.0, |d| d.0);
            if slot_length < 60.0
                || slot_length > day.interval
                || (day.interval / slot_length).fract() != 0.0
            {
                p.add(
                    &format!("{k}.slot_length"),
                    format!(
                        "a slot of {slot_length} s does not divide the interval of {} s",
                        day.interval
                    ),
                    "choose a slot length of at least a minute that divides `simulation.interval`",
                );
                ok = false;
            }
            let per_interval = cb.slots_per_interval.unwrap_or(10);
            if !(1..=1_000_000).contains(&per_interval) {
                p.add(
                    &format!("{k}.slots_per_interval"),
                    format!(
                        "{per_interval} appointments per interval: it must be from 1 to 1000000"
                    ),
                    "e.g. slots_per_interval = 10",
                );
                ok = false;
            }
            let booking_horizon = cb.booking_horizon.map_or(DAY, |d| d.0);
            if !(booking_horizon > 0.0 && booking_horizon <= 30.0 * DAY) {
                p.add(
                    &format!("{k}.booking_horizon"),
                    "the booking horizon must be above 0 and at most 30 days",
                    "e.g. booking_horizon = \"1d\"",
                );
                ok = false;
            }
            CallbackKind::Appointment {
                slot_length,
                slots_per_interval: per_interval.clamp(1, 1_000_000) as u32,
                booking_horizon,
            }
        }
    };
    let (accept, reach, retry_delay) = (accept?, reach?, retry_delay?);
    ok.then_some(CallbackOffer {
        kind,
        threshold,
        accept,
        accept_per_minute: per_minute,
        reach_probability: reach,
        retry_delay,
        max_attempts: max_attempts.clamp(1, 100) as u32,
        missed_call_time,
        team,
        priority: cb
            .priority
            .unwrap_or(0)
            .clamp(-PRIORITY_LIMIT, PRIORITY_LIMIT),
    })
}

fn satisfaction(raw: &RawScenario, p: &mut Problems) -> Option<crate::satisfaction::Params> {
    let r = &raw.satisfaction;
    let d = crate::satisfaction::Params::default();
    let mut ok = true;
    let mut num = |v: Option<f64>, default: f64, name: &str, lo: f64, hi: f64, help: &str| {
        let v = v.unwrap_or(default);
        if !(v.is_finite() && (lo..=hi).contains(&v)) {
            p.add(
                &format!("satisfaction.{name}"),
                format!("{v} is outside {lo} to {hi}"),
                format!("{help} (default {default})"),
            );
            ok = false;
        }
        v
    };
    let points = "a number of latent score points";
    let params = crate::satisfaction::Params {
        uncertainty_factor: num(
            r.uncertainty_factor,
            d.uncertainty_factor,
            "uncertainty_factor",
            1.0,
            5.0,
            "how much longer an unannounced wait feels, e.g. 1.36",
        ),
        wait_weight: num(
            r.wait_weight,
            d.wait_weight,
            "wait_weight",
            0.0,
            10.0,
            points,
        ),
        loss_aversion: num(
            r.loss_aversion,
            d.loss_aversion,
            "loss_aversion",
            1.0,
            10.0,
            "how much more a longer wait hurts than a shorter one pleases, e.g. 2.25",
        ),
        tolerance: num(
            r.tolerance.map(|x| x.0),
            d.tolerance,
            "tolerance",
            0.0,
            DAY,
            "seconds either side of the expected wait that go unnoticed",
        ),
        wait_scale: num(
            r.wait_scale.map(|x| x.0),
            d.wait_scale,
            "wait_scale",
            1.0,
            DAY,
            "seconds over which the wait term saturates",
        ),
        rejection_penalty: num(
            r.rejection_penalty,
            d.rejection_penalty,
            "rejection_penalty",
            0.0,
            10.0,
            points,
        ),
        contact_penalty: num(
            r.contact_penalty,
            d.contact_penalty,
            "contact_penalty",
            0.0,
            10.0,
            points,
        ),
        transfer_penalty: num(
            r.transfer_penalty,
            d.transfer_penalty,
            "transfer_penalty",
            0.0,
            10.0,
            points,
        ),
        broken_promise_penalty: num(
            r.broken_promise_penalty,
            d.broken_promise_penalty,
            "broken_promise_penalty",
            0.0,
            10.0,
            points,
        ),
        fcr_delight: num(
            r.fcr_delight,
            d.fcr_delight,
            "fcr_delight",
            0.0,
            10.0,
            points,
        ),
        callback_delight: num(
            r.callback_delight,
            d.callback_delight,
            "callback_delight",
            0.0,
            10.0,
            points,
        ),
        goodwill_delight: num(
            r.goodwill_delight,
            d.goodwill_delight,
            "goodwill_delight",
            0.0,
            10.0,
            points,
        ),
        unresolved_cap: num(
            r.unresolved_cap,
            d.unresolved_cap,
            "unresolved_cap",
            -10.0,
            0.0,
            "the highest latent score of an unresolved ticket, at most 0",
        ),
        noise: num(
            r.noise,
            d.noise,
            "noise",
            0.0,
            5.0,
            "a standard deviation in points",
        ),
        expectation_improve_rate: num(
            r.expectation_improve_rate,
            d.expectation_improve_rate,
            "expectation_improve_rate",
            0.0,
            1.0,
            "a share per day from 0 (never) to 1 (at once)",
        ),
        expectation_worsen_rate: num(
            r.expectation_worsen_rate,
            d.expectation_worsen_rate,
            "expectation_worsen_rate",
            0.0,
            1.0,
            "a share per day from 0 (never) to 1 (at once)",
        ),
        word_of_mouth: r.word_of_mouth.unwrap_or(d.word_of_mouth),
        word_of_mouth_gain: num(
            r.word_of_mouth_gain,
            d.word_of_mouth_gain,
            "word_of_mouth_gain",
            0.0,
            2.0,
            "relative change of the next day's arrivals per unit of net promoter share",
        ),
    };
    ok.then_some(params)
}

/// Checks that need the whole scenario: a set-up that can never reach a steady state.
fn check_whole(s: &Scenario, p: &mut Problems) {
    // Turning callers away above a threshold bounds the queue, whatever the load.
    if s.entry.flow == Flow::CallBackLater {
        return;
    }
    let patient: Vec<usize> = (0..s.ticket_types.len())
        .filter(|&i| s.ticket_types[i].patience.is_none())
        .collect();
    if patient.is_empty() {
        return;
    }
    let max_scale = s.arrivals.day_scale.iter().cloned().fold(0.0, f64::max);
    let daily_calls: f64 =
        s.arrivals.rates_per_hour.iter().sum::<f64>() * s.day.interval / 3600.0 * max_scale;
    // Work brought by the customers who never leave, at the fastest speed of a team serving them.
    let work: f64 = patient
        .iter()
        .map(|&i| {
            let t = &s.ticket_types[i];
            let speed = s
                .teams
                .iter()
                .filter(|team| team.serves.contains(&i))
                .map(|team| team.speed)
                .fold(f64::INFINITY, f64::min);
            daily_calls * t.share * t.handle_time.mean() * speed
        })
        .sum();
    let capacity: f64 = s
        .teams
        .iter()
        .filter(|team| team.serves.iter().any(|i| patient.contains(i)))
        .map(|team| team.staffing.iter().map(|a| f64::from(*a)).sum::<f64>() * s.day.interval)
        .sum();
    if work >= capacity {
        let names: Vec<&str> = patient
            .iter()
            .map(|&i| s.ticket_types[i].name.as_str())
            .collect();
        p.add(
            "arrivals",
            format!(
                "unstable set-up: callers of type {} never give up (no `patience`) and bring {:.1} \
                 agent-hours of work a day, but the teams serving them are staffed for only {:.1} \
                 agent-hours; the queue would grow without end",
                names.join(", "),
                work / 3600.0,
                capacity / 3600.0
            ),
            "add agents, lower the arrival rate, or give these ticket types a `patience` distribution",
        );
    }
}
