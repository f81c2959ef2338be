//! The one JSON writer: pretty-printed with two-space indents, as every JSON rappel writes.

use serde::Serialize;

/// `value` as pretty JSON text (no final newline).
pub fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("plain data serialises")
}

/// `value` as the bytes of a JSON file: pretty JSON and a final newline.
pub fn file_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut json = pretty(value).into_bytes();
    json.push(b'\n');
    json
}
