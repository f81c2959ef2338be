//! Random text, TOML-like text and mutations of the valid base: the library and
//! `rappel validate` never panic, and every problem points inside the text.

use crate::common::{BASE, rappel};
use proptest::prelude::*;
use rappel::scenario::Scenario;
use tempfile::TempDir;

/// Bytes that matter in TOML, so that random insertions often change the structure.
const TOML_BYTES: &[u8] = b"\"'=[]{},.-+_#:\n 0123456789esmhdx";

/// Random byte deletions and insertions applied to `BASE`.
fn mutated_base() -> impl Strategy<Value = Vec<u8>> {
    let edit = (
        any::<bool>(),
        any::<prop::sample::Index>(),
        prop_oneof![any::<u8>(), prop::sample::select(TOML_BYTES.to_vec())],
    );
    prop::collection::vec(edit, 1..8).prop_map(|edits| {
        let mut bytes = BASE.as_bytes().to_vec();
        for (insert, at, byte) in edits {
            if insert {
                let i = at.index(bytes.len() + 1);
                bytes.insert(i, byte);
            } else if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes.remove(i);
            }
        }
        bytes
    })
}

/// Arbitrary text, TOML-like text, and mutations of the valid base.
fn scenario_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<String>().prop_map(String::into_bytes),
        "[a-z_\\[\\]=\"{}.,0-9 \n-]{0,200}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..200),
        mutated_base(),
        mutated_base(),
        mutated_base(),
    ]
}

/// Checks what the library says about `text`: a scenario, or problems that each say something
/// and point inside the text.
fn check_library(text: &str) -> Result<(), TestCaseError> {
    match Scenario::from_toml(text, "x.toml") {
        Ok(s) => {
            prop_assert!(s.day.intervals() >= 1);
            prop_assert!(s.simulation.replications >= 1);
            prop_assert!(!s.teams.is_empty() && !s.ticket_types.is_empty());
        }
        Err(errors) => {
            prop_assert!(!errors.0.is_empty(), "an error without a problem");
            let lines = text.matches('\n').count() + 1;
            for e in &errors.0 {
                prop_assert!(!e.message.trim().is_empty(), "empty message: {:?}", e);
                prop_assert_eq!(&e.file, "x.toml");
                if let Some(line) = e.line {
                    prop_assert!(
                        (1..=lines).contains(&line),
                        "line {} outside the {} lines",
                        line,
                        lines
                    );
                }
                prop_assert!(e.column.is_none_or(|c| c >= 1));
            }
            prop_assert!(errors.to_string().starts_with("error: x.toml"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn library_never_panics_on_any_text(bytes in scenario_bytes()) {
        check_library(&String::from_utf8_lossy(&bytes))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn validate_never_panics_on_any_file(bytes in scenario_bytes()) {
        let tmp = TempDir::new().unwrap();
        let file = tmp.path().join("fuzz.toml");
        std::fs::write(&file, &bytes).unwrap();
        let out = rappel().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "panic:\n{}", stderr);
        match out.status.code() {
            Some(0) => prop_assert!(
                String::from_utf8_lossy(&out.stdout).contains("valid scenario")
            ),
            Some(2) => prop_assert!(
                stderr.starts_with(&format!("error: {}", file.display())),
                "error not naming the file:\n{}",
                stderr
            ),
            other => prop_assert!(false, "exit code {:?}:\n{}", other, stderr),
        }
    }
}
