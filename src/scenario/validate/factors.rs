//! `[factors]`: the cell of a designed comparison a scenario declares (docs/scenario.md).

use super::Problems;
use crate::scenario::raw::RawScenario;

/// The longest factor name, in characters.
pub const NAME_MAX: usize = 16;
/// The longest level, in characters.
pub const LEVEL_MAX: usize = 24;

/// Whether `name` can name a factor: 1 to [`NAME_MAX`] ASCII letters, digits, `-` or `_`,
/// starting with a letter (it heads a column of effects.csv and a `--factor` flag).
pub fn valid_name(name: &str) -> bool {
    name.len() <= NAME_MAX
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether `level` can be a level: 1 to [`LEVEL_MAX`] characters, no control character,
/// no comma (a `--factor` flag separates levels by commas), not blank.
pub fn valid_level(level: &str) -> bool {
    !level.trim().is_empty()
        && level.chars().count() <= LEVEL_MAX
        && !level.chars().any(|c| c.is_control() || c == ',')
}

/// The declared (factor, level) pairs in name order; every bad one is a problem.
pub(super) fn factors(raw: &RawScenario, p: &mut Problems) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, level) in &raw.factors {
        let key = format!("factors.{name}");
        if !valid_name(name) {
            p.add(
                &key,
                format!("`{name}` cannot name a factor"),
                format!(
                    "use a short name of at most {NAME_MAX} letters, digits, - or _, starting \
                     with a letter, e.g. flow = \"call back later\""
                ),
            );
        } else if !valid_level(level) {
            p.add(
                &key,
                format!("{level:?} cannot be a level of factor {name}"),
                format!(
                    "use a short text of 1 to {LEVEL_MAX} characters without commas, e.g. \
                     {name} = \"call back later\""
                ),
            );
        } else {
            out.push((name.clone(), level.trim().to_string()));
        }
    }
    out
}
