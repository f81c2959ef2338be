//! `rappel schema`: prints the JSON Schema of the scenario format, for editors.
//!
//! The schema is derived (schemars, draft 2020-12) from the very serde structs that read a
//! scenario file (`src/scenario/raw.rs`), so it cannot drift from the format: durations are a
//! number of seconds or a string matching the accepted units, distributions a union tagged by
//! `dist`, and every table refuses unknown keys (`additionalProperties: false`). TOML has no
//! null, so the `null` schemars allows for optional keys is removed.

use super::{Failure, print_out};
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// Arguments of `rappel schema`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_a: Args) -> Result<(), Failure> {
    print_out(&(rappel::output::json::pretty(&schema()) + "\n"))
}

/// The JSON Schema of a scenario file.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut value = generator
        .into_root_schema_for::<rappel::scenario::Scenario>()
        .to_value();
    tidy(&mut value);
    if let Value::Object(root) = &mut value {
        root.insert("title".into(), "rappel scenario".into());
        root.insert(
            "description".into(),
            format!(
                "A rappel {} scenario file (TOML): one support organisation. Every key is \
                 described in docs/scenario.md; `rappel validate FILE` checks the rules a \
                 schema cannot express (lists of one value per interval, shares adding up to \
                 1, names that refer to teams and types).",
                env!("CARGO_PKG_VERSION")
            )
            .into(),
        );
    }
    value
}

/// Removes `null` from every schema: from `type` lists, and `{"type": "null"}` from `anyOf`
/// (an `anyOf` left with one branch is merged into its schema); unwraps descriptions.
fn tidy(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(tidy),
        Value::Object(map) => {
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = unwrap_lines(text);
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
                branches.retain(|b| b.get("type").is_none_or(|t| t != "null"));
                if branches.len() == 1
                    && let Some(Value::Object(only)) = branches.pop()
                {
                    map.remove("anyOf");
                    for (k, v) in only {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            map.values_mut().for_each(tidy);
        }
        _ => {}
    }
}

/// Joins the lines of each paragraph with a space, keeping blank lines between paragraphs.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|paragraph| {
            paragraph
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}
