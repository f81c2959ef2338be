//! Sweeps: one scenario run over a grid of values of its keys (`rappel sweep`).
//!
//! An [`Axis`] is one `--set KEY=VALUES`: a dotted key path into the scenario file and the
//! values it takes. [`Sweep::new`] builds the grid (the cartesian product of the axes, the
//! first varying slowest), writes each point's value into a copy of the file's TOML and
//! validates it like any scenario, so that nothing runs unless every point is valid.
//! [`Sweep::run`] runs the points one after another with the same seed and replications, so
//! every point sees the same customers; [`sweep_csv`] and [`sweep_json`] write the results.
//!
//! ```
//! use rappel::sweep::{Axis, Sweep};
//! let text = r#"
//!     name = "tiny"
//!     [simulation]
//!     horizon = "2h"
//!     replications = 2
//!     [arrivals]
//!     rate_per_hour = 60
//!     [[ticket_types]]
//!     name = "general"
//!     handle_time = { dist = "exponential", mean = "4m" }
//!     patience = { dist = "exponential", mean = "2m" }
//!     [[teams]]
//!     name = "agents"
//!     agents = 5
//!     serves = ["general"]
//! "#;
//! let axes = vec![Axis::parse("teams.agents.agents=4..6").unwrap()];
//! let sweep = Sweep::new(text, "tiny.toml", axes, None, None).unwrap();
//! assert_eq!(sweep.points.len(), 3);
//! assert_eq!(sweep.points[2].scenario.teams[0].staffing[0], 6);
//! let result = sweep.run(None, |_| {}, |_| {});
//! assert_eq!(result.points.len(), 3);
//! ```
//!
//! A key path names tables by key (`entry.max_queue`, `entry.callback.threshold`) and the
//! elements of arrays of tables by their `name` (`teams.agents.agents`) or by a 0-based
//! index (`teams.0.agents`, also `teams.agents.agents.3` for one value of a staffing list).
//! A key that the file leaves out is added; the validator then judges it like any other.

use crate::output::{SCHEMA_VERSION, num};
use crate::run::{RunResult, run_scenario};
use crate::scenario::{Scenario, ScenarioError, ScenarioErrors};
use crate::stats::Metric;
use toml::{Table, Value};

/// The largest grid a sweep runs.
pub const MAX_POINTS: usize = 10_000;

/// The columns of `sweep.csv` after the one column per swept key.
pub const METRIC_COLUMNS: [&str; 6] = [
    "metric",
    "unit",
    "mean",
    "ci95_low",
    "ci95_high",
    "replications",
];

/// Why a sweep cannot be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// A `--set` argument that is not `KEY=VALUES`, or a grid that cannot be run.
    #[error("--set `{arg}`: {message}\n  help: {help}")]
    Syntax {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// How to write it.
        help: String,
    },
    /// A key path that leads nowhere in the scenario.
    #[error("{}", path_message(key, message, help.as_deref()))]
    Path {
        /// The key path as given.
        key: String,
        /// What is wrong, and what exists there.
        message: String,
        /// The nearest existing name, or how to address the key.
        help: Option<String>,
    },
    /// The scenario file, or a point of the grid, is not a valid scenario.
    #[error("{0}")]
    Scenario(ScenarioErrors),
}

fn path_message(key: &str, message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("--set `{key}`: {message}\n  help: {h}"),
        None => format!("--set `{key}`: {message}"),
    }
}

/// One swept key and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The dotted key path as given, e.g. `teams.agents.agents`.
    pub key: String,
    /// The parts of the path.
    segments: Vec<String>,
    /// The values, in order.
    pub values: Vec<Value>,
}

const SET_HELP: &str = "write KEY=V1,V2,... or KEY=START..END[:STEP], e.g. entry.max_queue=0,5,10 or teams.agents.agents=40..60:2";

impl Axis {
    /// Parses `KEY=VALUES`: a comma list (`0,5,10`, `30s,1m`) or a numeric range
    /// (`40..60:2`, both ends included when the step lands on the end; `1..5` has step 1).
    /// Items of a comma list may be ranges too. Numbers stay numbers, `true`/`false` are
    /// booleans, anything else is a string (quote it to force a string: `'"10"'`).
    pub fn parse(arg: &str) -> Result<Axis, SweepError> {
        let syntax = |message: String| SweepError::Syntax {
            arg: arg.to_string(),
            message,
            help: SET_HELP.to_string(),
        };
        let Some((key, values)) = arg.split_once('=') else {
            return Err(syntax("no `=` between the key and its values".into()));
        };
        let key = key.trim();
        let segments = split_key(key).map_err(syntax)?;
        let values = parse_values(values).map_err(syntax)?;
        Ok(Axis {
            key: key.to_string(),
            segments,
            values,
        })
    }
}

/// Splits `a.b."c.d"` into its parts.
fn split_key(key: &str) -> Result<Vec<String>, String> {
    if key.is_empty() {
        return Err("the key is empty".into());
    }
    let mut out = Vec::new();
    let mut part = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    for c in key.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                if part.is_empty() && !was_quoted {
                    return Err(format!("the key `{key}` has an empty part"));
                }
                out.push(std::mem::take(&mut part));
                was_quoted = false;
            }
            _ => part.push(c),
        }
    }
    if quoted {
        return Err(format!("the key `{key}` has an unclosed quote"));
    }
    if part.is_empty() && !was_quoted {
        return Err(format!("the key `{key}` has an empty part"));
    }
    out.push(part);
    Ok(out)
}

/// Parses a comma list whose items are scalars or ranges.
fn parse_values(text: &str) -> Result<Vec<Value>, String> {
    if text.trim().is_empty() {
        return Err("no values after `=`".into());
    }
    let mut out = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!("an empty value in `{text}`"));
        }
        if !item.starts_with(['"', '\'']) && item.contains("..") {
            out.extend(parse_range(item)?);
        } else {
            out.push(scalar(item));
        }
        if out.len() > MAX_POINTS {
            return Err(format!("more than {MAX_POINTS} values"));
        }
    }
    Ok(out)
}

/// A TOML scalar: an integer, a float, a boolean or a quoted string as TOML reads them;
/// anything else is taken as a string.
fn scalar(item: &str) -> Value {
    if let Ok(mut t) = format!("v = {item}").parse::<Table>()
        && t.len() == 1
        && let Some(v) = t.remove("v")
        && matches!(
            v,
            Value::Integer(_) | Value::Float(_) | Value::Boolean(_) | Value::String(_)
        )
    {
        return v;
    }
    Value::String(item.to_string())
}

/// Parses `START..END` or `START..END:STEP`.
fn parse_range(item: &str) -> Result<Vec<Value>, String> {
    let (start, rest) = item.split_once("..").expect("checked by the caller");
    let (end, step) = match rest.split_once(':') {
        Some((e, s)) => (e.trim(), Some(s.trim())),
        None => (rest.trim(), None),
    };
    let start = start.trim();
    if start.is_empty() {
        return Err(format!("the range `{item}` has no start"));
    }
    if end.is_empty() {
        return Err(format!("the range `{item}` has no end"));
    }
    if step == Some("") {
        return Err(format!("the range `{item}` has no step after `:`"));
    }
    let step_text = step.unwrap_or("1");
    let number = |s: &str| -> Result<f64, String> {
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("`{s}` in the range `{item}` is not a number")),
        }
    };
    let (a, b, d) = (number(start)?, number(end)?, number(step_text)?);
    if d <= 0.0 {
        return Err(format!("the step of the range `{item}` must be above 0"));
    }
    let dir = if b >= a { 1.0 } else { -1.0 };
    let span = (b - a).abs() / d;
    if span > MAX_POINTS as f64 {
        return Err(format!(
            "the range `{item}` has more than {MAX_POINTS} values"
        ));
    }
    let n = (span + 1e-9).floor() as i64;
    let ints = [start, end, step_text]
        .iter()
        .all(|s| s.parse::<i64>().is_ok());
    if ints {
        let (a, d) = (
            start.parse::<i64>().expect("checked"),
            step_text.parse::<i64>().expect("checked"),
        );
        let dir = dir as i64;
        return Ok((0..=n).map(|i| Value::Integer(a + dir * i * d)).collect());
    }
    // Round to the decimals written, so that 0.1..0.3:0.1 gives 0.1, 0.2, 0.3 exactly.
    let decimals = [start, end, step_text]
        .iter()
        .map(|s| match (s.contains(['e', 'E']), s.split_once('.')) {
            (true, _) => 12,
            (false, Some((_, frac))) => frac.len().min(12),
            (false, None) => 0,
        })
        .max()
        .unwrap_or(0);
    let scale = 10f64.powi(decimals as i32);
    Ok((0..=n)
        .map(|i| {
            let v = a + dir * i as f64 * d;
            Value::Float((v * scale).round() / scale)
        })
        .collect())
}

/// A value as it appears in `sweep.csv`, labels and messages.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => num(*f),
        Value::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Where a key path leads, for messages.
#[derive(Debug, Clone, Default)]
struct Place {
    /// The user's dotted path so far.
    dotted: String,
    /// The same place as the validator names it, e.g. `teams[0].agents`.
    serde: String,
}

impl Place {
    fn key(&self, seg: &str) -> Place {
        let join = |a: &str| {
            if a.is_empty() {
                seg.to_string()
            } else {
                format!("{a}.{seg}")
            }
        };
        Place {
            dotted: join(&self.dotted),
            serde: join(&self.serde),
        }
    }

    fn index(&self, seg: &str, i: usize) -> Place {
        Place {
            dotted: format!("{}.{seg}", self.dotted),
            serde: format!("{}[{i}]", self.serde),
        }
    }

    /// How the table at this place is called in messages.
    fn table(&self) -> String {
        if self.dotted.is_empty() {
            "the top level of the file".into()
        } else {
            format!("[{}]", self.dotted)
        }
    }
}

/// A key the file did not have and the sweep added.
#[derive(Debug, Clone)]
struct Inserted {
    /// The key's path as the validator names it.
    serde: String,
    /// The path of the table it went into, as the validator names it.
    parent: String,
    /// The key.
    key: String,
    /// The table it went into, for messages.
    table: String,
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date or time",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

fn is_table_array(a: &[Value]) -> bool {
    !a.is_empty() && a.iter().all(Value::is_table)
}

/// The nearest of `names` to `word`, if near enough to be a typo.
fn nearest<'a>(word: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names
        .into_iter()
        .map(|n| (strsim::damerau_levenshtein(word, n), n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

fn keys_of(t: &Table) -> String {
    t.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// Sets `value` at the path of `axis` in `root`, adding missing keys and tables.
fn set_path(root: &mut Table, axis: &Axis, value: Value) -> Result<Vec<Inserted>, SweepError> {
    let fail = |message: String, help: Option<String>| SweepError::Path {
        key: axis.key.clone(),
        message,
        help,
    };
    let mut inserted = Vec::new();
    let mut place = Place::default();
    let mut value = Some(value);
    let n = axis.segments.len();
    // The root is a table; walk down through tables and arrays.
    enum Node<'t> {
        Table(&'t mut Table),
        Array(&'t mut Vec<Value>),
    }
    let mut node = Node::Table(root);
    for (i, seg) in axis.segments.iter().enumerate() {
        let last = i + 1 == n;
        let next: &mut Value = match node {
            Node::Table(t) => {
                let here = place.key(seg);
                if !t.contains_key(seg.as_str()) {
                    inserted.push(Inserted {
                        serde: here.serde.clone(),
                        parent: place.serde.clone(),
                        key: seg.clone(),
                        table: place.table(),
                    });
                    t.insert(seg.clone(), Value::Table(Table::new()));
                } else if last {
                    match &t[seg.as_str()] {
                        Value::Table(inner) => {
                            return Err(fail(
                                format!("`{}` is a table, not a value", here.dotted),
                                Some(format!(
                                    "name a key inside it; it holds: {}",
                                    keys_of(inner)
                                )),
                            ));
                        }
                        Value::Array(a) if is_table_array(a) => {
                            return Err(fail(
                                format!("`{}` is a list of tables, not a value", here.dotted),
                                Some(format!(
                                    "name an element and a key inside it, e.g. `{}.0.name`",
                                    here.dotted
                                )),
                            ));
                        }
                        _ => {}
                    }
                }
                place = here;
                t.get_mut(seg.as_str()).expect("present or inserted")
            }
            Node::Array(a) => {
                let idx = if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                    match seg.parse::<usize>() {
                        Ok(i) if i < a.len() => i,
                        _ => {
                            return Err(fail(
                                format!(
                                    "index {seg} is out of range: `{}` has {} element{}",
                                    place.dotted,
                                    a.len(),
                                    if a.len() == 1 { "" } else { "s" }
                                ),
                                Some(match a.len() {
                                    0 => "the list is empty".into(),
                                    1 => "the only index is 0".into(),
                                    n => format!("use an index from 0 to {}", n - 1),
                                }),
                            ));
                        }
                    }
                } else if is_table_array(a) {
                    let names: Vec<&str> = a
                        .iter()
                        .filter_map(|v| v.get("name").and_then(Value::as_str))
                        .collect();
                    match a
                        .iter()
                        .position(|v| v.get("name").and_then(Value::as_str) == Some(seg))
                    {
                        Some(i) => i,
                        None => {
                            let key = place.dotted.rsplit('.').next().unwrap_or_default();
                            let plural = key.replace('_', " ");
                            let singular = plural.strip_suffix('s').unwrap_or(&plural);
                            let help = match nearest(seg, names.iter().copied()) {
                                Some(n) => format!("did you mean `{n}`?"),
                                None => format!(
                                    "name an element by its `name` or its 0-based index, e.g. `{}.0`",
                                    place.dotted
                                ),
                            };
                            return Err(fail(
                                format!(
                                    "there is no {singular} named `{seg}`; the {plural} are: {}",
                                    names.join(", ")
                                ),
                                Some(help),
                            ));
                        }
                    }
                } else {
                    return Err(fail(
                        format!(
                            "`{}` is a list of values, which have no names",
                            place.dotted
                        ),
                        Some(format!(
                            "pick a value by its 0-based index, e.g. `{}.0`, or set the whole list's key",
                            place.dotted
                        )),
                    ));
                };
                let here = place.index(seg, idx);
                if last && let Value::Table(inner) = &a[idx] {
                    return Err(fail(
                        format!("`{}` is a table, not a value", here.dotted),
                        Some(format!(
                            "name a key inside it; it holds: {}",
                            keys_of(inner)
                        )),
                    ));
                }
                place = here;
                &mut a[idx]
            }
        };
        if last {
            *next = value.take().expect("set once");
            return Ok(inserted);
        }
        node = match next {
            Value::Table(t) => Node::Table(t),
            Value::Array(a) => Node::Array(a),
            other => {
                return Err(fail(
                    format!(
                        "`{}` is {}, not a table: it holds no key `{}`",
                        place.dotted,
                        kind(other),
                        axis.segments[i + 1]
                    ),
                    Some(format!(
                        "set `{}` itself, or check the key path",
                        place.dotted
                    )),
                ));
            }
        };
    }
    unreachable!("a key path has at least one part")
}

/// Turns the validator's "unknown field" about a key the sweep added into a message about
/// the key path.
fn unknown_key(axis: &Axis, errors: &ScenarioErrors, inserted: &[Inserted]) -> Option<SweepError> {
    for e in &errors.0 {
        let Some((field, rest)) = e
            .message
            .strip_prefix("unknown field `")
            .and_then(|r| r.split_once('`'))
        else {
            continue;
        };
        // The validator names the key itself, or (inside a distribution) its table.
        let Some(ins) = inserted.iter().find(|i| {
            i.key == field
                && (e.key.as_deref() == Some(&i.serde) || e.key.as_deref() == Some(&i.parent))
        }) else {
            continue;
        };
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        let list = if expected.is_empty() {
            format!("{} takes no keys", ins.table)
        } else {
            format!("the keys of {} are: {}", ins.table, expected.join(", "))
        };
        let help = match nearest(&ins.key, expected.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? {list}"),
            None => list,
        };
        return Some(SweepError::Path {
            key: axis.key.clone(),
            message: format!("no key `{}` in {}", ins.key, ins.table),
            help: Some(help),
        });
    }
    None
}

/// One point of the grid: a value per axis and the scenario they make.
#[derive(Debug, Clone)]
pub struct Point {
    /// One value per axis, in axis order.
    pub values: Vec<Value>,
    /// The validated scenario, with the seed and replications of the sweep.
    pub scenario: Scenario,
}

/// A validated grid, ready to run.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The swept keys, in the order given.
    pub axes: Vec<Axis>,
    /// Every point, the first axis varying slowest.
    pub points: Vec<Point>,
}

/// `key=value, key=value` for one point.
pub fn label(axes: &[Axis], values: &[Value]) -> String {
    axes.iter()
        .zip(values)
        .map(|(a, v)| format!("{}={}", a.key, value_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many invalid points are reported in full.
const SHOWN_INVALID: usize = 3;

impl Sweep {
    /// Builds and validates the grid of `axes` over the scenario `text` (named `file` in
    /// messages). `seed` and `replications`, when given, replace the file's at every point.
    pub fn new(
        text: &str,
        file: &str,
        axes: Vec<Axis>,
        seed: Option<u64>,
        replications: Option<u32>,
    ) -> Result<Sweep, SweepError> {
        let usage = |arg: &str, message: String, help: &str| SweepError::Syntax {
            arg: arg.to_string(),
            message,
            help: help.to_string(),
        };
        if axes.is_empty() {
            return Err(usage(
                "",
                "nothing to sweep".into(),
                "give at least one --set KEY=VALUES",
            ));
        }
        for (i, a) in axes.iter().enumerate() {
            if axes[..i].iter().any(|b| b.segments == a.segments) {
                return Err(usage(
                    &a.key,
                    "this key is swept twice".into(),
                    "give all its values in one --set, e.g. KEY=1,2,3",
                ));
            }
            let flag = match a.segments.as_slice() {
                [s, k] if s == "simulation" && k == "seed" && seed.is_some() => "--seed",
                [s, k] if s == "simulation" && k == "replications" && replications.is_some() => {
                    "--replications"
                }
                _ => continue,
            };
            return Err(usage(
                &a.key,
                format!("this key is swept and also given by {flag}"),
                &format!("drop {flag} or this --set"),
            ));
        }
        let size = axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
            .filter(|n| *n <= MAX_POINTS);
        let Some(size) = size else {
            return Err(usage(
                &axes
                    .iter()
                    .map(|a| a.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" × "),
                format!("the grid has more than {MAX_POINTS} points"),
                "sweep fewer values, or split the sweep",
            ));
        };

        let base: Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                return Err(SweepError::Scenario(
                    match Scenario::from_toml(text, file) {
                        Err(errors) => errors,
                        Ok(_) => ScenarioErrors(vec![ScenarioError {
                            file: file.to_string(),
                            line: None,
                            column: None,
                            key: None,
                            message: format!("TOML syntax error: {}", e.message()),
                            help: None,
                        }]),
                    },
                ));
            }
        };
        // Check each path alone first, so that a typo is reported as such.
        for a in &axes {
            let mut t = base.clone();
            let inserted = set_path(&mut t, a, a.values[0].clone())?;
            if inserted.is_empty() {
                continue;
            }
            if let Err(errors) = Scenario::from_toml(&serialise(&t, a)?, file)
                && let Some(e) = unknown_key(a, &errors, &inserted)
            {
                return Err(e);
            }
        }
        // The file's own problems keep their lines.
        let own = Scenario::from_toml(text, file).err();
        let mut points = Vec::with_capacity(size);
        let mut errors = Vec::new();
        let mut invalid = 0;
        for k in 0..size {
            let mut rest = k;
            let mut idx = vec![0; axes.len()];
            for (i, a) in axes.iter().enumerate().rev() {
                idx[i] = rest % a.values.len();
                rest /= a.values.len();
            }
            let values: Vec<Value> = axes
                .iter()
                .zip(&idx)
                .map(|(a, i)| a.values[*i].clone())
                .collect();
            let mut t = base.clone();
            for (a, v) in axes.iter().zip(&values) {
                set_path(&mut t, a, v.clone())?;
            }
            let shown = format!("{file} with {}", label(&axes, &values));
            match Scenario::from_toml(&serialise(&t, &axes[0])?, &shown) {
                Ok(mut s) => {
                    if let Some(seed) = seed {
                        s.simulation.seed = seed;
                    }
                    if let Some(r) = replications {
                        s.simulation.replications = r;
                    }
                    points.push(Point {
                        values,
                        scenario: s,
                    });
                }
                Err(e) => {
                    invalid += 1;
                    if invalid <= SHOWN_INVALID {
                        errors.extend(e.0.into_iter().map(|mut e| {
                            let from_file = own.as_ref().and_then(|o| {
                                o.0.iter()
                                    .find(|x| x.key == e.key && x.message == e.message)
                            });
                            match from_file {
                                Some(o) => o.clone(),
                                None => {
                                    // Lines of the edited text are not lines of the file.
                                    e.line = None;
                                    e.column = None;
                                    e
                                }
                            }
                        }));
                    }
                }
            }
        }
        if invalid > SHOWN_INVALID {
            errors.push(ScenarioError {
                file: file.to_string(),
                line: None,
                column: None,
                key: None,
                message: format!(
                    "{} more of the {size} grid points are invalid",
                    invalid - SHOWN_INVALID
                ),
                help: None,
            });
        }
        if invalid > 0 {
            errors.dedup();
            return Err(SweepError::Scenario(ScenarioErrors(errors)));
        }
        Ok(Sweep { axes, points })
    }

    /// Replications run over the whole grid.
    pub fn replications(&self) -> u64 {
        self.points
            .iter()
            .map(|p| u64::from(p.scenario.simulation.replications))
            .sum()
    }

    /// Runs the points one after another (each point's replications in parallel on
    /// `threads` threads, all cores when `None`), calling `start` with each point's index
    /// before it runs and `progress` after each replication.
    pub fn run(
        &self,
        threads: Option<usize>,
        mut start: impl FnMut(usize),
        progress: impl Fn(u32) + Sync,
    ) -> SweepResult {
        let clock = std::time::Instant::now();
        let points = self
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                start(i);
                (
                    p.values.clone(),
                    run_scenario(&p.scenario, threads, &progress),
                )
            })
            .collect();
        SweepResult {
            axes: self.axes.clone(),
            points,
            wall_time_s: clock.elapsed().as_secs_f64(),
        }
    }
}

fn serialise(t: &Table, axis: &Axis) -> Result<String, SweepError> {
    toml::to_string(t).map_err(|e| SweepError::Path {
        key: axis.key.clone(),
        message: format!("the edited scenario cannot be written as TOML: {e}"),
        help: None,
    })
}

/// The results of a sweep.
#[derive(Debug, Clone)]
pub struct SweepResult {
    /// The swept keys.
    pub axes: Vec<Axis>,
    /// Each point's values (one per axis) and results, in grid order.
    pub points: Vec<(Vec<Value>, RunResult)>,
    /// Wall-clock seconds of the whole sweep.
    pub wall_time_s: f64,
}

/// `sweep.csv`: one column per swept key, then [`METRIC_COLUMNS`]; a row per point and metric.
pub fn sweep_csv(r: &SweepResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = r.axes.iter().map(|a| a.key.as_str()).chain(METRIC_COLUMNS);
    // Writing to memory cannot fail.
    w.write_record(header).expect("in-memory write");
    for (values, run) in &r.points {
        let n = run.replications.len().to_string();
        for m in Metric::ALL {
            let e = run.estimate(m);
            let row = values.iter().map(value_text).chain([
                m.name().to_string(),
                m.unit().to_string(),
                num(e.mean),
                num(e.ci95_low),
                num(e.ci95_high),
                n.clone(),
            ]);
            w.write_record(row).expect("in-memory write");
        }
    }
    w.into_inner().expect("in-memory flush")
}

/// One swept key in `sweep.json`.
#[derive(Debug, serde::Serialize)]
struct KeyInfo<'a> {
    key: &'a str,
    values: &'a [Value],
}

/// What produced `sweep.csv` (`sweep.json`).
#[derive(Debug, serde::Serialize)]
struct SweepInfo<'a> {
    schema_version: u32,
    rappel_version: &'static str,
    scenario: &'a str,
    scenario_path: &'a str,
    scenario_sha256: String,
    seed: u64,
    replications: u32,
    keys: Vec<KeyInfo<'a>>,
    points: usize,
    events: u64,
    wall_time_s: f64,
    files: [&'static str; 2],
}

/// `sweep.json`: version, scenario path and hash, seed, replications, the keys and their
/// values, the number of points, events and wall time.
pub fn sweep_json(r: &SweepResult, scenario_path: &str, scenario_text: &str) -> Vec<u8> {
    let first = r.points.first().map(|(_, run)| &run.scenario);
    let info = SweepInfo {
        schema_version: SCHEMA_VERSION,
        rappel_version: env!("CARGO_PKG_VERSION"),
        scenario: first.map_or("", |s| s.name.as_str()),
        scenario_path,
        scenario_sha256: crate::output::sha256_hex(scenario_text),
        seed: first.map_or(0, |s| s.simulation.seed),
        replications: first.map_or(0, |s| s.simulation.replications),
        keys: r
            .axes
            .iter()
            .map(|a| KeyInfo {
                key: &a.key,
                values: &a.values,
            })
            .collect(),
        points: r.points.len(),
        events: r.points.iter().map(|(_, run)| run.events()).sum(),
        wall_time_s: r.wall_time_s,
        files: ["sweep.csv", "sweep.json"],
    };
    let mut json = serde_json::to_vec_pretty(&info).expect("plain struct serialises");
    json.push(b'\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        parse_values(text).unwrap().iter().map(value_text).collect()
    }

    #[test]
    fn ranges_include_their_end_when_the_step_lands_on_it() {
        assert_eq!(values("40..46:2"), ["40", "42", "44", "46"]);
        assert_eq!(values("40..45:2"), ["40", "42", "44"]);
        assert_eq!(values("1..3"), ["1", "2", "3"]);
        assert_eq!(values("3..1"), ["3", "2", "1"]);
        assert_eq!(values("0.1..0.5:0.1"), ["0.1", "0.2", "0.3", "0.4", "0.5"]);
        assert_eq!(values("0..1:0.25"), ["0", "0.25", "0.5", "0.75", "1"]);
        assert_eq!(values("0,2..3,10"), ["0", "2", "3", "10"]);
        assert!(matches!(
            parse_values("1..2").unwrap()[0],
            Value::Integer(1)
        ));
        assert!(matches!(
            parse_values("1.0..2").unwrap()[0],
            Value::Float(_)
        ));
    }

    #[test]
    fn scalars_keep_their_toml_type() {
        let v = parse_values("3, 2.5, true, 30s, 1m, \"7\", 08:00").unwrap();
        assert_eq!(v[0], Value::Integer(3));
        assert_eq!(v[1], Value::Float(2.5));
        assert_eq!(v[2], Value::Boolean(true));
        assert_eq!(v[3], Value::String("30s".into()));
        assert_eq!(v[4], Value::String("1m".into()));
        assert_eq!(v[5], Value::String("7".into()));
        assert_eq!(v[6], Value::String("08:00".into()));
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            "", " ", "1,,2", "1,", "40..", "..5", "a..b", "1..5:0", "1..5:-1", "1..5:", "0..1e9",
        ] {
            assert!(parse_values(bad).is_err(), "`{bad}` was accepted");
        }
        for bad in ["=1", "a..b=1", "x", ".a=1", "a.=1"] {
            assert!(Axis::parse(bad).is_err(), "`{bad}` was accepted");
        }
        assert_eq!(
            Axis::parse("teams.\"tier.2\".agents=1").unwrap().segments,
            ["teams", "tier.2", "agents"]
        );
    }
}
