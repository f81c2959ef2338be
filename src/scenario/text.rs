//! The scenario's text before it is TOML: bytes decoded as UTF-8 with the place of the first
//! bad byte, and the parser's and serde's terse messages rewritten in the user's words.

use super::error::{ScenarioError, ScenarioErrors, line_col};
use super::locate::Locator;
use std::path::Path;

/// Reads a scenario file as UTF-8 text; an unreadable file or a bad byte is a located error.
pub fn read_text(path: &Path) -> Result<String, ScenarioErrors> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        ScenarioErrors(vec![ScenarioError {
            file: shown.clone(),
            line: None,
            column: None,
            key: None,
            message: format!("cannot read the scenario file: {e}"),
            help: Some(
                "check the path; `rappel run` with no file runs the built-in default".into(),
            ),
        }])
    })?;
    decode(bytes, &shown)
}

/// Decodes a scenario's bytes as UTF-8; `file` names it in the message that gives the line
/// and column of the first byte that is not UTF-8.
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<String, ScenarioErrors> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(prefix, valid);
        ScenarioErrors(vec![ScenarioError {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            key: None,
            message: format!(
                "the file is not UTF-8 text: byte 0x{:02X} at line {line}, column {column} \
                 is not part of a UTF-8 character",
                bytes[valid]
            ),
            help: Some(
                "save the file as UTF-8 (in most editors: save with encoding UTF-8); text in \
                 Latin-1 or Windows-1252, such as an accented letter in a comment, must be \
                 converted"
                    .into(),
            ),
        }])
    })
}

/// A "duplicate key" syntax error whose second key stands at `span`: names the key and the
/// lines of both definitions.
pub(super) fn duplicate_key(src: &str, file: &str, span: std::ops::Range<usize>) -> ScenarioError {
    let at = span.start.min(src.len());
    let (line, column) = line_col(src, at);
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_text = src[line_start..].lines().next().unwrap_or("");
    let before = &src[line_start..at];
    let name = src.get(span).unwrap_or("").trim().to_string();
    let trimmed = line_text.trim_start();
    let (path, first) = if trimmed.starts_with('[') {
        // `[x]` twice: the first header of that name.
        let header = header_name(trimmed);
        let first = first_header(src, &header, line_start);
        (header, first)
    } else if before.contains('{') {
        // Inside an inline table: the earlier key is on the same line.
        let first = before.contains(&name).then_some(line);
        (name, first)
    } else {
        let own = trimmed.split('=').next().unwrap_or("").trim();
        let prefix = &src[..line_start];
        let path = match enclosing_table(src, line_start) {
            Some(table) => locator_path(prefix, &format!("{table}.{own}")),
            None => own.to_string(),
        };
        let first = Locator::new(prefix)
            .offset(&path)
            .map(|o| line_col(prefix, o).0);
        (path, first)
    };
    let message = match first {
        Some(l) if l == line => format!("duplicate key: given twice on line {line}"),
        Some(l) => format!("duplicate key: first given on line {l}, again on line {line}"),
        None => format!("duplicate key: given a second time on line {line}"),
    };
    ScenarioError {
        file: file.to_string(),
        line: Some(line),
        column: Some(column),
        key: Some(path),
        message,
        help: Some("keep one of the two and delete the other".into()),
    }
}

/// The name in a table header line: `teams` for `[[teams]]`, `entry.callback` for `[entry.callback]`.
fn header_name(line: &str) -> String {
    line.trim_start()
        .trim_start_matches('[')
        .split(']')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The name of the table header in force at `line_start` (`teams` for `[[teams]]`).
fn enclosing_table(src: &str, line_start: usize) -> Option<String> {
    src[..line_start]
        .lines()
        .rev()
        .map(str::trim_start)
        .find(|l| l.starts_with('['))
        .map(header_name)
}

/// The line of the first header `[name]` before `end`.
fn first_header(src: &str, name: &str, end: usize) -> Option<usize> {
    src[..end].lines().enumerate().find_map(|(i, l)| {
        (l.trim_start().starts_with('[') && header_name(l) == name).then_some(i + 1)
    })
}

/// A dotted path whose first part is an array of tables (`[[teams]]`) gets the index of the
/// last element before the end of `prefix`, as [`Locator`] wants it.
fn locator_path(prefix: &str, path: &str) -> String {
    let (head, rest) = path.split_once('.').unwrap_or((path, ""));
    let arrays = prefix
        .lines()
        .filter(|l| l.trim_start().starts_with("[[") && header_name(l) == head)
        .count();
    if arrays == 0 || rest.is_empty() {
        return path.to_string();
    }
    format!("{head}[{}].{rest}", arrays - 1)
}

/// The name serde gives a TOML date-time inside a table.
const DATETIME_FIELD: &str = "$__toml_private_datetime";

const NO_DATES: &str = "rappel has no dates: write durations such as \"4m\" and times of day \
                        such as \"08:30\" in quotes; see docs/scenario.md for this key";

/// What each key holding a fixed set of words accepts, with an example.
const WORD_KEYS: &[(&str, &str)] = &[
    (
        "flow",
        "one of \"queue\", \"call_back_later\" or \"callback\", in quotes, e.g. flow = \"queue\"",
    ),
    (
        "routing",
        "one of \"priority\" or \"longest_waiting\", in quotes, e.g. routing = \"priority\"",
    ),
    (
        "resolution",
        "one of \"standard\" or \"immediate_resolution\", in quotes, e.g. resolution = \"standard\"",
    ),
    (
        "unresolved",
        "one of \"customer_calls_again\", \"escalate\" or \"agent_callback\", in quotes, e.g. \
         unresolved = \"escalate\"",
    ),
    (
        "kind",
        "one of \"virtual_hold\" or \"appointment\", in quotes, e.g. kind = \"virtual_hold\"",
    ),
];

/// Rewrites a serde message at `path` in plain words: returns the path to show, the message
/// and the help (`None` keeps the caller's own help).
/// `written` is the value's text in the file, when known.
pub(super) fn plain(path: &str, message: &str, written: &str) -> (String, String, Option<String>) {
    let w = written.as_bytes();
    let is_date = w.len() >= 5 && w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-';
    if let (true, Some(wanted)) = (
        is_date,
        message.strip_prefix("invalid type: map, expected "),
    ) {
        return (
            path.to_string(),
            format!("a date-time is not allowed here: this key takes {wanted}"),
            Some(NO_DATES.into()),
        );
    }
    if let Some(i) = path.find(DATETIME_FIELD) {
        let key = path[..i].trim_end_matches('.').to_string();
        let keys: Vec<&str> = message
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let wants = if keys.is_empty() {
            "a table".to_string()
        } else {
            format!("a table with the keys {}", keys.join(", "))
        };
        return (
            key,
            format!("a date-time is not allowed here: this key takes {wants}"),
            Some(NO_DATES.into()),
        );
    }
    let last = path
        .rsplit('.')
        .next()
        .unwrap_or(path)
        .split('[')
        .next()
        .unwrap_or("");
    if let Some((_, accepts)) = WORD_KEYS.iter().find(|(k, _)| *k == last)
        && (message == "wanted string or table" || message.starts_with("invalid type"))
    {
        return (
            path.to_string(),
            format!("`{last}` takes {accepts}"),
            Some("see docs/scenario.md for what each choice means".into()),
        );
    }
    if message == "wanted string or table" {
        return (
            path.to_string(),
            "this key takes a word in quotes or a table, not this value".into(),
            Some("see docs/scenario.md for what this key accepts".into()),
        );
    }
    (path.to_string(), message.to_string(), None)
}
