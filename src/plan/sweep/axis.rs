//! One `--set KEY=VALUES`: the key path and the values it takes.

use super::*;
use crate::output::num;
use toml::{Table, Value};

/// One swept key and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The dotted key path as given, e.g. `teams.agents.agents`.
    pub key: String,
    /// The parts of the path.
    pub(super) segments: Vec<String>,
    /// The values, in order.
    pub values: Vec<Value>,
    /// `KEY+=VALUES`: each value is added to the file's own (a number, or every number of a
    /// list, e.g. `teams.agents.agents+=2` for two more agents in every interval).
    pub change: bool,
}

const SET_HELP: &str = "write KEY=V1,V2,... or KEY=START..END[:STEP], e.g. entry.max_queue=0,5,10 or teams.agents.agents=40..60:2; a list is one value (arrivals.day_scale=[1.0,1.2],[1,1]); KEY+=V adds V to the file's value (teams.agents.agents+=-1..2)";

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
        let (key, change) = match key.trim().strip_suffix('+') {
            Some(k) => (k.trim(), true),
            None => (key.trim(), false),
        };
        let segments = split_key(key).map_err(syntax)?;
        let values = parse_values(values).map_err(syntax)?;
        if change
            && let Some(v) = values
                .iter()
                .find(|v| !matches!(v, Value::Integer(_) | Value::Float(_)))
        {
            return Err(syntax(format!(
                "`+=` adds a number to the file's value, and `{}` is not a number",
                value_text(v)
            )));
        }
        Ok(Axis {
            key: key.to_string(),
            segments,
            values,
            change,
        })
    }

    /// A value as `sweep.csv`, labels and messages show it: `+2` for a change.
    pub fn text(&self, v: &Value) -> String {
        let t = value_text(v);
        if self.change && !t.starts_with('-') {
            format!("+{t}")
        } else {
            t
        }
    }

    /// The file's value `old` changed by this axis's `value`: the value itself, or for
    /// `+=` the sum (with a list, every element); `None` when `+=` meets something that is
    /// not a number.
    pub(super) fn applied(&self, old: Option<&Value>, value: Value) -> Option<Value> {
        if !self.change {
            return Some(value);
        }
        fn add(old: &Value, d: &Value) -> Option<Value> {
            Some(match (old, d) {
                (Value::Integer(a), Value::Integer(b)) => Value::Integer(a.checked_add(*b)?),
                (Value::Integer(a), Value::Float(b)) => Value::Float(*a as f64 + b),
                (Value::Float(a), Value::Integer(b)) => Value::Float(a + *b as f64),
                (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
                (Value::Array(items), d) => Value::Array(
                    items
                        .iter()
                        .map(|i| add(i, d))
                        .collect::<Option<Vec<_>>>()?,
                ),
                _ => return None,
            })
        }
        add(old?, &value)
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
pub(super) fn parse_values(text: &str) -> Result<Vec<Value>, String> {
    if text.trim().is_empty() {
        return Err("no values after `=`".into());
    }
    let mut out = Vec::new();
    for item in split_top(text) {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!("an empty value in `{text}`"));
        }
        if !item.starts_with(['"', '\'', '[']) && item.contains("..") {
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

/// `text` split at the commas outside brackets: `[1,2],[3]` is two items.
fn split_top(text: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

/// A TOML value written on the command line: an integer, a float, a boolean, a quoted
/// string or a list of those, as TOML reads them; anything else is taken as a string.
fn scalar(item: &str) -> Value {
    if let Ok(mut t) = format!("v = {item}").parse::<Table>()
        && t.len() == 1
        && let Some(v) = t.remove("v")
        && matches!(
            v,
            Value::Integer(_)
                | Value::Float(_)
                | Value::Boolean(_)
                | Value::String(_)
                | Value::Array(_)
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
