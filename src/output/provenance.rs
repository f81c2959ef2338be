//! What produced a set of output files, recorded the same way in every `*.json` file.

/// The SHA-256 of a text, in lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
