//! One set of test fixtures: the small centres the tests run, all built by one
//! parametrised TOML builder, [`small_centre`]. A centre has one ticket type `general`
//! served by one team `agents`; each test sets the tables it needs on top.

use rappel::scenario::Scenario;
use std::fmt::Display;

/// A small centre under construction: one ticket type `general`, one team `agents`.
#[derive(Debug, Clone)]
pub struct Centre {
    name: String,
    simulation: String,
    arrivals: String,
    handle: String,
    patience: Option<String>,
    ticket: String,
    agents: String,
    team: String,
    entry: Option<String>,
    tail: String,
}

/// A centre named `name` where `rate_per_hour` tickets an hour arrive for `agents` agents,
/// with handle times `handle` and patience `patience` (TOML inline tables, see
/// [`exponential`]); no `[simulation]` keys, no `[entry]` table.
pub fn small_centre(
    name: &str,
    agents: impl Display,
    rate_per_hour: impl Display,
    handle: &str,
    patience: Option<&str>,
) -> Centre {
    Centre {
        name: name.to_string(),
        simulation: String::new(),
        arrivals: format!("rate_per_hour = {rate_per_hour}"),
        handle: handle.to_string(),
        patience: patience.map(String::from),
        ticket: String::new(),
        agents: agents.to_string(),
        team: String::new(),
        entry: None,
        tail: String::new(),
    }
}

/// An exponential distribution of mean `mean` (a duration such as `"5m"`), as TOML.
pub fn exponential(mean: &str) -> String {
    format!("{{ dist = \"exponential\", mean = \"{mean}\" }}")
}

impl Centre {
    /// The keys of the `[simulation]` table, one a line.
    pub fn simulation(mut self, keys: &str) -> Self {
        self.simulation = keys.to_string();
        self
    }

    /// The keys of the `[arrivals]` table, in place of the constant rate.
    pub fn arrivals(mut self, keys: &str) -> Self {
        self.arrivals = keys.to_string();
        self
    }

    /// More keys of the ticket type.
    pub fn ticket(mut self, keys: &str) -> Self {
        self.ticket = keys.to_string();
        self
    }

    /// More keys of the team.
    pub fn team(mut self, keys: &str) -> Self {
        self.team = keys.to_string();
        self
    }

    /// An `[entry]` table with these keys (and sub-tables).
    pub fn entry(mut self, keys: &str) -> Self {
        self.entry = Some(keys.to_string());
        self
    }

    /// Further tables after the rest (more teams, `[satisfaction]`, `[costs]`).
    pub fn tail(mut self, tables: &str) -> Self {
        self.tail = tables.to_string();
        self
    }

    /// The scenario file.
    pub fn toml(&self) -> String {
        let mut s = format!(
            "name = \"{}\"\n[simulation]\n{}\n[arrivals]\n{}\n[[ticket_types]]\nname = \"general\"\nhandle_time = {}\n",
            self.name.replace('\\', "\\\\").replace('"', "\\\""),
            self.simulation,
            self.arrivals,
            self.handle
        );
        if let Some(p) = &self.patience {
            s += &format!("patience = {p}\n");
        }
        // Empty keys add no line, so that line numbers in messages are those of the file.
        let lines = |keys: &str| {
            if keys.is_empty() {
                String::new()
            } else {
                format!("{keys}\n")
            }
        };
        s += &format!(
            "{}[[teams]]\nname = \"agents\"\nagents = {}\nserves = [\"general\"]\n{}",
            lines(&self.ticket),
            self.agents,
            lines(&self.team)
        );
        if let Some(e) = &self.entry {
            s += &format!("[entry]\n{e}\n");
        }
        s + &self.tail
    }

    /// The scenario, validated.
    pub fn scenario(&self) -> Scenario {
        let src = self.toml();
        Scenario::from_toml(&src, "fixture.toml").unwrap_or_else(|e| panic!("{e}\n{src}"))
    }
}

// ---------------------------------------------------------------------------------------
// The named centres.

/// A single-team centre at 83 % load (100 calls an hour, 5 minutes each, 10 agents),
/// callers who abandon (mean patience 4 minutes) and redial, with `team` keys added to
/// the team and `entry` to the entry table: the flows' behaviour tests.
pub fn behaviour(team: &str, entry: &str, difficulty: f64) -> String {
    small_centre(
        "behaviour",
        10,
        100,
        &exponential("5m"),
        Some(&exponential("4m")),
    )
    .simulation("horizon = \"3d\"\nwarmup = \"2h\"\nreplications = 10\nseed = 41")
    .ticket(&format!("difficulty = {difficulty}"))
    .team(team)
    .entry(&format!(
        "redial = {{ probability = 0.5, delay = {{ dist = \"exponential\", mean = \"15m\" }} }}\n{entry}"
    ))
    .toml()
}

/// One team serving `rate_per_hour` calls of exponential handle times (`handle_s`
/// seconds) with exponential patience of mean `patience_s` seconds (or none): the M/M/c
/// and M/M/c+M centre of the validity tests, 12 replications after a 3-hour warm-up.
pub fn erlang(
    rate_per_hour: f64,
    handle_s: f64,
    agents: u32,
    patience_s: Option<f64>,
    horizon: &str,
) -> Centre {
    let number = |mean: f64| format!("{{ dist = \"exponential\", mean = {mean} }}");
    small_centre(
        "theory",
        agents,
        rate_per_hour,
        &number(handle_s),
        patience_s.map(number).as_deref(),
    )
    .simulation(&format!(
        "horizon = \"{horizon}\"\nwarmup = \"3h\"\nreplications = 12\nseed = 11\nservice_level_threshold = \"20s\""
    ))
}

/// One team, one type, Poisson arrivals, `call_back_later` at `max_queue`, no redials:
/// the loss systems (Erlang B, M/M/c/K) of the flows' theory tests, 20 replications.
pub fn loss(
    rate_per_hour: f64,
    handle: &str,
    agents: u32,
    max_queue: u32,
    patience_s: Option<f64>,
    horizon: &str,
) -> String {
    let patience = patience_s.map(|p| format!("{{ dist = \"exponential\", mean = {p} }}"));
    small_centre(
        "theory-loss",
        agents,
        rate_per_hour,
        handle,
        patience.as_deref(),
    )
    .simulation(&format!(
        "horizon = \"{horizon}\"\nwarmup = \"3h\"\nreplications = 20\nseed = 23"
    ))
    .entry(&format!(
        "flow = \"call_back_later\"\nmax_queue = {max_queue}"
    ))
    .toml()
}

/// Callers without patience (exponential handle times of 5 minutes) on `agents` agents at
/// `rate_per_hour`, 2 replications of 3 days with `seed`: the journeys of the redial and
/// call-again tests, with `team` keys and an optional `entry`.
pub fn journeys(
    name: &str,
    agents: u32,
    rate_per_hour: u32,
    seed: u32,
    team: &str,
    entry: Option<&str>,
) -> String {
    let c = small_centre(name, agents, rate_per_hour, &exponential("5m"), None)
        .simulation(&format!(
            "horizon = \"3d\"\nreplications = 2\nseed = {seed}"
        ))
        .team(team);
    match entry {
        Some(e) => c.entry(e),
        None => c,
    }
    .toml()
}

/// An Erlang-A centre of `agents` agents (540 calls an hour of 5 minutes, patience 3
/// minutes), a day of 12 replications: the comparisons.
pub fn erlang_a_day(agents: u32) -> String {
    small_centre(
        &format!("agents-{agents}"),
        agents,
        540,
        &exponential("5m"),
        Some(&exponential("3m")),
    )
    .simulation("horizon = \"1d\"\nwarmup = \"1h\"\nreplications = 12\nseed = 5")
    .toml()
}

/// A centre named `name` open 08:00 to 14:00, overloaded at its peak, so that calls wait,
/// abandon and leave tickets unresolved: the HTML report.
pub fn peaked_morning(name: &str, agents: u32) -> String {
    small_centre(name, agents, 0, &exponential("4m"), Some(&exponential("3m")))
        .simulation("days = 1\nopen = \"08:00\"\nclose = \"14:00\"\ninterval = \"30m\"\nreplications = 4\nseed = 11")
        .arrivals("rates_per_hour = [60, 120, 180, 180, 120, 90, 60, 60, 60, 60, 60, 60]")
        .toml()
}

/// A small centre that runs in a blink: 8 hours at 120 calls an hour on 9 agents, 5
/// replications (the command line tests).
pub fn blink() -> String {
    small_centre(
        "small",
        9,
        120,
        &exponential("4m"),
        Some(&exponential("3m")),
    )
    .simulation("horizon = \"8h\"\nreplications = 5\nseed = 11")
    .toml()
}

/// Two teams escalating to each other; nobody resolves; conversations of 0 s (the repro
/// `escalation_zero_loop.toml`); `transfer` is a line added to team `a`, such as a
/// `transfer_delay`.
pub fn ping_pong(transfer: &str) -> String {
    format!(
        r#"name = "escalation-ping-pong"
[simulation]
horizon = "1h"
replications = 1
[arrivals]
rate_per_hour = 10
[[ticket_types]]
name = "general"
handle_time = {{ dist = "constant", value = "0s" }}
difficulty = 1.0
[[teams]]
name = "a"
agents = 1
serves = ["general"]
unresolved = "escalate"
escalate_to = "b"
{transfer}
[[teams]]
name = "b"
agents = 1
serves = []
unresolved = "escalate"
escalate_to = "a"
"#
    )
}

/// The repro of an invisible back office (`transfer-hold-invisible.toml`): tier 1 (ample)
/// resolves half the tickets and escalates the rest to a tier 2 that can serve about 2/3.
pub const TRANSFER_HOLD: &str = r#"name = "transfer-hold-invisible"
[simulation]
days = 1
replications = 10
seed = 4
open = "00:00"
close = "24:00"
interval = "1h"
[arrivals]
rate_per_hour = 60
[[ticket_types]]
name = "a"
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }
[[teams]]
name = "tier1"
agents = 10
serves = ["a"]
competence = 0.5
unresolved = "escalate"
escalate_to = "tier2"
[[teams]]
name = "tier2"
agents = 1
serves = []
competence = 1.0
speed = 1.5
"#;
