//! Bad scenarios that do not parse: TOML syntax, unknown keys and tables, wrong types,
//! missing keys and files, and several problems reported at once. Each is refused with
//! exit code 2, a message naming the file, the line and the key, and no output folder.

use crate::common::{BASE, expect, line_of, rappel, refuse, replace_once};
use rappel::scenario::Scenario;
use tempfile::TempDir;

#[test]
fn the_base_scenario_is_valid() {
    // Each case below breaks one thing in BASE, so BASE itself must pass.
    Scenario::from_toml(BASE, "base.toml").unwrap_or_else(|e| panic!("{e}"));
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("base.toml");
    std::fs::write(&file, BASE).unwrap();
    rappel()
        .arg("validate")
        .arg(&file)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("valid scenario `base`"));
}

#[test]
fn toml_syntax_error() {
    let text = replace_once(BASE, r#"name = "agents""#, r#"name = "agents"#);
    let line = line_of(&text, r#"name = "agents"#);
    refuse(
        "syntax",
        &text,
        &[expect(
            line,
            None,
            "TOML syntax error",
            Some("check quotes"),
        )],
    );
}

#[test]
fn unknown_key_suggests_the_closest() {
    let text = replace_once(BASE, r#"horizon = "1d""#, r#"horizn = "1d""#);
    refuse(
        "unknown-key",
        &text,
        &[expect(
            line_of(&text, "horizn"),
            Some("simulation.horizn"),
            "unknown field `horizn`",
            Some("did you mean `horizon`?"),
        )],
    );
}

#[test]
fn unknown_top_level_table() {
    let text = format!("{BASE}\n[simulaton]\nseed = 4\n");
    refuse(
        "unknown-table",
        &text,
        &[expect(
            line_of(&text, "[simulaton]"),
            Some("simulaton"),
            "unknown field `simulaton`",
            Some("did you mean `simulation`?"),
        )],
    );
}

#[test]
fn wrong_type_of_value() {
    let text = replace_once(BASE, "replications = 2", r#"replications = "two""#);
    refuse(
        "wrong-type",
        &text,
        &[expect(
            line_of(&text, "replications ="),
            Some("simulation.replications"),
            "invalid type",
            None,
        )],
    );
}

#[test]
fn missing_key() {
    let text = replace_once(BASE, "rate_per_hour = 100\n", "");
    refuse(
        "no-rate",
        &text,
        &[expect(
            line_of(&text, "[arrivals]"),
            Some("arrivals"),
            "no arrival rate",
            Some("rate_per_hour = 100"),
        )],
    );
}

#[test]
fn missing_scenario_file() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("no-such-scenario.toml");
    let out_dir = tmp.path().join("out");
    let shown = file.display().to_string();

    let run = rappel()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out_dir)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&shown), "path not named:\n{stderr}");
    assert!(stderr.contains("help: check the path"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out_dir.exists());

    let validate = rappel().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&validate.stderr);
    assert_eq!(validate.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {shown}: ")),
        "path not named first:\n{stderr}"
    );
    assert!(stderr.contains("help: check the path"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn several_problems_are_all_reported() {
    let text = replace_once(BASE, "rate_per_hour = 100", "rate_per_hour = -5");
    let text = replace_once(&text, "cv = 1.2", "cv = 0");
    let text = replace_once(
        &text,
        r#"serves = ["general", "billing"]"#,
        r#"serves = ["genral", "billing"]"#,
    );
    refuse(
        "several",
        &text,
        &[
            expect(
                line_of(&text, "rate_per_hour"),
                Some("arrivals.rate_per_hour"),
                "not -5",
                Some("rate_per_hour = 120"),
            ),
            expect(
                line_of(&text, "cv = 0"),
                Some("ticket_types[1].handle_time.cv"),
                "coefficient of variation",
                None,
            ),
            expect(
                line_of(&text, "serves"),
                Some("teams[0].serves[0]"),
                "`genral`",
                Some("did you mean `general`?"),
            ),
        ],
    );
    let errors = Scenario::from_toml(&text, "x.toml").unwrap_err();
    assert_eq!(errors.0.len(), 3, "{errors}");
    assert!(
        errors
            .to_string()
            .ends_with("3 problems found in the scenario")
    );
}
