//! Setting one key of the scenario's TOML to a value, and explaining a key that does not
//! exist.

use super::*;
use crate::scenario::ScenarioErrors;
use toml::{Table, Value};

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
pub(super) struct Inserted {
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
pub(super) fn set_path(
    root: &mut Table,
    axis: &Axis,
    value: Value,
) -> Result<Vec<Inserted>, SweepError> {
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
            let value = value.take().expect("set once");
            if axis.change && !inserted.is_empty() {
                return Err(fail(
                    format!(
                        "`+=` changes a value the file has, and it has no `{}`",
                        axis.key
                    ),
                    Some("give the key a value in the file, or set it with `=`".into()),
                ));
            }
            *next = axis.applied(Some(next), value).ok_or_else(|| {
                fail(
                    format!(
                        "`+=` adds a number, and `{}` is {} in the file",
                        axis.key,
                        kind(next)
                    ),
                    Some("use `=` to set it, or `+=` on a number or a list of numbers".into()),
                )
            })?;
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
pub(super) fn unknown_key(
    axis: &Axis,
    errors: &ScenarioErrors,
    inserted: &[Inserted],
) -> Option<SweepError> {
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
