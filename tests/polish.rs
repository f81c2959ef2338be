//! Terminal polish: help snapshots, completions, man page, template scenario, JSON Schema,
//! and no colour codes where they do not belong.
//!
//! Help snapshots live in `tests/snapshots/help-<command>.txt` (`help-rappel.txt` for
//! `rappel --help`, `help-run.txt` for `rappel run --help`, `help-generate-man.txt` for
//! `rappel generate man --help`). When a change to the command line is intended, rewrite them
//! and review the diff:
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo test --release --locked help_
//! git diff tests/snapshots/
//! ```

use crate::common::{rappel, root, shipped};
use crate::fixtures::{exponential, small_centre};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// The top-level keys of a scenario file.
const TOP_LEVEL_KEYS: [&str; 10] = [
    "name",
    "description",
    "simulation",
    "arrivals",
    "ticket_types",
    "teams",
    "entry",
    "costs",
    "satisfaction",
    "factors",
];

/// The shells `rappel generate completions` accepts.
const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

/// The distributions of the `dist` key.
const DISTRIBUTIONS: [&str; 7] = [
    "exponential",
    "lognormal",
    "gamma",
    "erlang",
    "uniform",
    "constant",
    "empirical",
];

/// Runs rappel with the given arguments as a script would: standard input, output and error
/// are pipes (assert_cmd), so not a terminal, and help texts get a fixed width of 100 columns.
fn run(args: &[&str]) -> Output {
    rappel()
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("LINES")
        .output()
        .unwrap()
}

/// Standard output of a run that must succeed.
fn stdout_of(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "rappel {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The subcommands a help text lists under `Commands:`, without `help`.
fn listed_subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| l.trim_end() != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect()
}

/// Every command path, the root first: `[]`, `["run"]`, ..., `["generate", "man"]`.
fn command_paths() -> Vec<Vec<String>> {
    let mut paths = vec![Vec::new()];
    let mut i = 0;
    while i < paths.len() {
        let path: Vec<String> = paths[i].clone();
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        for sub in listed_subcommands(&stdout_of(&args)) {
            let mut p = path.clone();
            p.push(sub);
            paths.push(p);
        }
        i += 1;
    }
    paths
}

fn snapshot_file(path: &[String]) -> PathBuf {
    let name = if path.is_empty() {
        "rappel".to_string()
    } else {
        path.join("-")
    };
    root()
        .join("tests/snapshots")
        .join(format!("help-{name}.txt"))
}

/// `--help` of rappel and of every subcommand, nested ones included, compared with
/// `tests/snapshots/help-<command>.txt`; `UPDATE_SNAPSHOTS=1` rewrites the files instead (and
/// removes those of commands that no longer exist).
#[test]
fn help_snapshots_match() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let dir = root().join("tests/snapshots");
    let paths = command_paths();
    assert!(paths.len() >= 11, "{paths:?}");
    let mut expected_files = BTreeSet::new();
    let mut failures = Vec::new();
    for path in &paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout_of(&args);
        let file = snapshot_file(path);
        expected_files.insert(file.clone());
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &help).unwrap();
            continue;
        }
        match std::fs::read_to_string(&file) {
            Err(_) => failures.push(format!(
                "no snapshot {} for `rappel {}`",
                file.display(),
                args.join(" ")
            )),
            Ok(saved) if saved != help => {
                let (n, (want, got)) = saved
                    .lines()
                    .chain(std::iter::repeat("<end of text>"))
                    .zip(help.lines().chain(std::iter::repeat("<end of text>")))
                    .enumerate()
                    .find(|(_, (a, b))| a != b)
                    .expect("texts differ somewhere");
                failures.push(format!(
                    "`rappel {}` differs from {} at line {}:\n  snapshot: {want}\n  now:      {got}",
                    args.join(" "),
                    file.display(),
                    n + 1
                ));
            }
            Ok(_) => {}
        }
    }
    // Snapshots of commands that are gone.
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let file = entry.unwrap().path();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("help-") && name.ends_with(".txt") && !expected_files.contains(&file) {
            if update {
                std::fs::remove_file(&file).unwrap();
            } else {
                failures.push(format!("{} belongs to no command", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nIf the change is intended: UPDATE_SNAPSHOTS=1 cargo test --release --locked help_ \
         and review `git diff tests/snapshots/`",
        failures.join("\n\n")
    );
}

/// Every subcommand's help ends with examples (the `after_help` of src/cli/mod.rs).
#[test]
fn help_of_every_subcommand_has_an_example_section() {
    let subs = listed_subcommands(&stdout_of(&["--help"]));
    for want in [
        "run", "validate", "erlang", "compare", "sweep", "staff", "trace", "example", "schema",
        "generate",
    ] {
        assert!(
            subs.iter().any(|s| s == want),
            "`{want}` not listed: {subs:?}"
        );
    }
    let mut missing = Vec::new();
    for sub in &subs {
        let help = stdout_of(&[sub.as_str(), "--help"]);
        let example = help
            .lines()
            .position(|l| l == "Example:" || l == "Examples:");
        match example {
            Some(i)
                if help
                    .lines()
                    .nth(i + 1)
                    .is_some_and(|l| l.contains("rappel ")) => {}
            _ => missing.push(sub.clone()),
        }
    }
    assert!(
        missing.is_empty(),
        "no Example section in the help of: {missing:?} (add an after_help to src/cli/mod.rs)"
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in SHELLS {
        let script = stdout_of(&["generate", "completions", shell]);
        assert!(script.len() > 1000, "{shell}: {script}");
        for word in ["rappel", "validate", "sweep", "completions", "replications"] {
            assert!(script.contains(word), "{shell} completions lack `{word}`");
        }
    }
}

#[test]
fn completions_for_an_unknown_shell_name_the_accepted_ones() {
    let out = run(&["generate", "completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    for shell in SHELLS {
        assert!(err.contains(shell), "`{shell}` not named:\n{err}");
    }
    let out = run(&["generate", "completions"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_covers_rappel_and_every_subcommand() {
    let page = stdout_of(&["generate", "man"]);
    assert!(
        page.lines().any(|l| l.starts_with(".TH rappel 1")),
        "{page}"
    );
    assert_eq!(page.matches(".TH ").count(), 1, "one page");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS"] {
        assert!(page.contains(section), "no `{section}`");
    }
    for path in command_paths().iter().skip(1) {
        let heading = format!(".SH \"RAPPEL {}\"", path.join(" ").to_uppercase());
        assert!(page.contains(&heading), "no section `{heading}`");
    }
    // Options and examples of the subcommands are in it, examples one per line.
    assert!(page.contains(r"\-\-replications"));
    assert!(page.contains(".SS EXAMPLES\n.nf\n"));
    assert!(page.contains(r"rappel validate scenarios/realistic\-day.toml"));

    // --dir: one page per command.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("man");
    let out = run(&["generate", "man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    for path in command_paths() {
        let mut name = vec!["rappel".to_string()];
        name.extend(path);
        let file = dir.join(format!("{}.1", name.join("-")));
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(text.contains(".TH "), "{}", file.display());
    }
}

/// Writes the output of `rappel example` into a temporary folder.
fn template_file() -> (TempDir, PathBuf, String) {
    let text = stdout_of(&["example"]);
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("my.toml");
    std::fs::write(&file, &text).unwrap();
    (tmp, file, text)
}

#[test]
fn example_prints_a_template_that_validates_and_runs() {
    let (tmp, file, text) = template_file();
    assert_eq!(
        text,
        std::fs::read_to_string(root().join("scenarios/template.toml")).unwrap(),
        "`rappel example` prints scenarios/template.toml"
    );
    let out = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tmp.path().join("out");
    let out = run(&[
        "run",
        file.to_str().unwrap(),
        "--replications",
        "2",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("summary.csv").is_file());
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 replications"));
}

#[test]
fn example_has_every_top_level_table_explained() {
    let (_tmp, _file, text) = template_file();
    // Present as keys, not only in comments.
    let parsed: toml::Table = toml::from_str(&text).unwrap();
    for key in TOP_LEVEL_KEYS {
        assert!(parsed.contains_key(key), "the template has no `{key}`");
    }
    for header in [
        "[simulation]",
        "[arrivals]",
        "[[ticket_types]]",
        "[[teams]]",
        "[entry]",
        "[entry.redial]",
        "[costs]",
        "[satisfaction]",
        "[factors]",
    ] {
        let line = text
            .lines()
            .position(|l| l.trim() == header)
            .unwrap_or_else(|| panic!("no `{header}` line"));
        let before = text.lines().nth(line - 1).unwrap();
        assert!(
            before.trim_start().starts_with('#'),
            "`{header}` has no comment above it"
        );
    }
    // Most lines are explanations.
    let comments = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();
    assert!(comments > 100, "only {comments} comment lines");
    // The satisfaction defaults are shown (commented out) for every key of the schema.
    let schema = schema();
    let satisfaction = resolve(&schema, &schema["properties"]["satisfaction"]);
    for key in satisfaction["properties"].as_object().unwrap().keys() {
        assert!(
            text.contains(&format!("# {key} = ")),
            "the template does not show `{key}`'s default"
        );
    }
    // Every key of the format appears in the template, as a key or in a comment.
    let mut missing = BTreeSet::new();
    for key in schema_keys(&schema) {
        if !text.contains(&key) {
            missing.insert(key);
        }
    }
    assert!(
        missing.is_empty(),
        "the template never mentions {missing:?}"
    );
}

/// The schema `rappel schema` prints.
fn schema() -> Value {
    serde_json::from_str(&stdout_of(&["schema"])).expect("the schema is JSON")
}

/// A schema with its `$ref` (to `#/$defs/...`) followed.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = root
                .pointer(r.strip_prefix('#').expect("a local reference"))
                .unwrap_or_else(|| panic!("dangling {r}"));
            resolve(root, target)
        }
        None => schema,
    }
}

/// Every property name anywhere in the schema.
fn schema_keys(schema: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, keys: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    keys.extend(props.keys().cloned());
                }
                map.values().for_each(|v| walk(v, keys));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, keys)),
            _ => {}
        }
    }
    let mut keys = BTreeSet::new();
    walk(schema, &mut keys);
    keys
}

#[test]
fn schema_is_draft_2020_12_and_names_every_top_level_key() {
    let schema = schema();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{schema}"
    );
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["additionalProperties"], false);
    let keys: BTreeSet<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, TOP_LEVEL_KEYS.into_iter().collect());
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        required,
        ["name", "arrivals", "ticket_types", "teams"]
            .into_iter()
            .collect()
    );
}

#[test]
fn schema_describes_durations_distributions_and_closed_tables() {
    let schema = schema();
    let defs = &schema["$defs"];
    // Durations: a number of seconds or a string with units.
    let duration = &defs["Duration"];
    let branches = duration["anyOf"].as_array().expect("Duration is a union");
    assert!(
        branches
            .iter()
            .any(|b| b["type"] == "number" && b["minimum"] == 0)
    );
    let pattern = branches
        .iter()
        .find(|b| b["type"] == "string")
        .and_then(|b| b["pattern"].as_str())
        .expect("a string pattern for durations");
    for unit in ["d", "h", "min", "s", "ms"] {
        assert!(pattern.contains(unit), "{pattern}");
    }
    assert!(duration["description"].as_str().unwrap().contains("4m30s"));
    assert!(defs["TimeOfDay"]["pattern"].is_string());
    // Distributions: one branch per `dist`, each closed, each requiring `dist`.
    let dists: BTreeSet<&str> = defs["Distribution"]["oneOf"]
        .as_array()
        .expect("Distribution is a tagged union")
        .iter()
        .map(|b| {
            assert_eq!(b["additionalProperties"], false, "{b}");
            assert!(b["required"].as_array().unwrap().contains(&"dist".into()));
            b["properties"]["dist"]["const"]
                .as_str()
                .expect("a const dist")
        })
        .collect();
    assert_eq!(dists, DISTRIBUTIONS.into_iter().collect());
    // Every table refuses unknown keys.
    fn closed(v: &Value, at: &str) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    assert_eq!(
                        map.get("additionalProperties"),
                        Some(&Value::Bool(false)),
                        "{at}"
                    );
                }
                for (k, v) in map {
                    closed(v, &format!("{at}/{k}"));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    closed(v, &format!("{at}/{i}"));
                }
            }
            _ => {}
        }
    }
    closed(&schema, "#");
    // No `null`: TOML has none.
    assert!(!schema.to_string().contains("\"null\""));
}

/// A small JSON Schema validator for the keywords the scenario schema uses. `pattern` is not
/// checked (no regex engine among the dependencies); any other keyword it does not know fails
/// the test, so the schema cannot grow a constraint this check silently ignores.
struct Validator<'a> {
    root: &'a Value,
}

/// Keywords that only annotate.
const ANNOTATIONS: [&str; 8] = [
    "$schema",
    "$defs",
    "title",
    "description",
    "examples",
    "format",
    "default",
    "pattern",
];

impl Validator<'_> {
    fn errors(&self, schema: &Value, value: &Value, at: &str) -> Vec<String> {
        let mut errors = Vec::new();
        let map = match schema {
            Value::Bool(true) => return errors,
            Value::Bool(false) => return vec![format!("{at}: not allowed")],
            Value::Object(map) => map,
            other => panic!("not a schema: {other}"),
        };
        for (keyword, arg) in map {
            match keyword.as_str() {
                "$ref" => {
                    let r = arg.as_str().expect("a reference");
                    let target = self
                        .root
                        .pointer(r.strip_prefix('#').expect("a local reference"))
                        .unwrap_or_else(|| panic!("dangling {r}"));
                    errors.extend(self.errors(target, value, at));
                }
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("bad type {arg}"),
                    };
                    if !types.iter().any(|t| has_type(value, t)) {
                        errors.push(format!("{at}: {value} is not of type {arg}"));
                    }
                }
                "const" => {
                    if value != arg {
                        errors.push(format!("{at}: {value} is not {arg}"));
                    }
                }
                "enum" => {
                    if !arg.as_array().unwrap().contains(value) {
                        errors.push(format!("{at}: {value} is not one of {arg}"));
                    }
                }
                "minimum" => {
                    if value.as_f64().is_some_and(|v| v < arg.as_f64().unwrap()) {
                        errors.push(format!("{at}: {value} is below {arg}"));
                    }
                }
                "maximum" => {
                    if value.as_f64().is_some_and(|v| v > arg.as_f64().unwrap()) {
                        errors.push(format!("{at}: {value} is above {arg}"));
                    }
                }
                "required" => {
                    if let Value::Object(obj) = value {
                        for key in arg.as_array().unwrap() {
                            if !obj.contains_key(key.as_str().unwrap()) {
                                errors
                                    .push(format!("{at}: `{}` is missing", key.as_str().unwrap()));
                            }
                        }
                    }
                }
                "properties" => {
                    if let Value::Object(obj) = value {
                        for (key, sub) in arg.as_object().unwrap() {
                            if let Some(v) = obj.get(key) {
                                errors.extend(self.errors(sub, v, &format!("{at}.{key}")));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Value::Object(obj) = value {
                        let known = map.get("properties").and_then(Value::as_object);
                        for (key, v) in obj {
                            if !known.is_some_and(|k| k.contains_key(key)) {
                                errors.extend(self.errors(arg, v, &format!("{at}.{key}")));
                            }
                        }
                    }
                }
                "items" => {
                    if let Value::Array(items) = value {
                        for (i, v) in items.iter().enumerate() {
                            errors.extend(self.errors(arg, v, &format!("{at}[{i}]")));
                        }
                    }
                }
                "anyOf" | "oneOf" | "allOf" => {
                    let results: Vec<Vec<String>> = arg
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|b| self.errors(b, value, at))
                        .collect();
                    let passing = results.iter().filter(|r| r.is_empty()).count();
                    let ok = match keyword.as_str() {
                        "anyOf" => passing >= 1,
                        "oneOf" => passing == 1,
                        _ => passing == results.len(),
                    };
                    if !ok {
                        errors.push(format!(
                            "{at}: {passing} branches of {keyword} match {value}: {:?}",
                            results.concat()
                        ));
                    }
                }
                k if ANNOTATIONS.contains(&k) => {}
                other => panic!("the schema uses `{other}`, which this check does not know"),
            }
        }
        errors
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        other => panic!("unknown type {other}"),
    }
}

/// A TOML file as the JSON an editor's schema check sees.
fn toml_as_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The whole scenarios of docs/scenario.md (its ```toml blocks that have a `name`).
fn documented_scenarios() -> Vec<(String, Value)> {
    let doc = std::fs::read_to_string(root().join("docs/scenario.md")).unwrap();
    let mut out = Vec::new();
    for (i, block) in doc.split("```toml\n").skip(1).enumerate() {
        let block = block.split("```").next().unwrap();
        // Fragments (a `[[teams]]` table, an `[entry]`) are not whole scenarios.
        let Ok(value) = toml::from_str::<Value>(block) else {
            continue;
        };
        if value.get("name").is_some() && value.get("arrivals").is_some() {
            out.push((format!("docs/scenario.md, block {}", i + 1), value));
        }
    }
    out
}

#[test]
fn every_shipped_scenario_validates_against_the_schema() {
    let schema = schema();
    let v = Validator { root: &schema };
    let mut files: Vec<(String, Value)> = shipped()
        .iter()
        .map(|p| (p.display().to_string(), toml_as_json(p)))
        .collect();
    assert!(files.len() >= 9, "the shipped scenarios and the template");
    let docs = documented_scenarios();
    assert!(
        docs.len() >= 2,
        "the first and the complete example of docs/scenario.md"
    );
    files.extend(docs);
    for (name, value) in &files {
        let errors = v.errors(&schema, value, "");
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
    }
    // Between them, the files use almost every key the schema knows: a key renamed in the
    // format but not in the schema (or the other way round) cannot hide.
    let mut used = BTreeSet::new();
    fn keys(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    for (_, value) in &files {
        keys(value, &mut used);
    }
    let unused: Vec<String> = schema_keys(&schema).difference(&used).cloned().collect();
    assert!(unused.len() <= 30, "keys no file uses: {unused:?}");
}

#[test]
fn the_schema_refuses_what_the_format_refuses() {
    let schema = schema();
    let v = Validator { root: &schema };
    let good = toml_as_json(&root().join("scenarios/two-tier-escalation.toml"));
    assert!(v.errors(&schema, &good, "").is_empty());
    let bad = |edit: &dyn Fn(&mut Value), what: &str| {
        let mut value = good.clone();
        edit(&mut value);
        assert!(
            !v.errors(&schema, &value, "").is_empty(),
            "the schema accepts {what}"
        );
    };
    bad(
        &|s| s["simulation"]["replicatons"] = 5.into(),
        "a misspelt key",
    );
    bad(&|s| s["typo"] = true.into(), "an unknown top-level key");
    bad(
        &|s| s["teams"][0]["agent"] = 3.into(),
        "an unknown team key",
    );
    bad(
        &|s| s["ticket_types"][0]["handle_time"]["dist"] = "weibull".into(),
        "an unknown distribution",
    );
    bad(
        &|s| s["ticket_types"][0]["handle_time"]["k"] = 3.into(),
        "a parameter of another distribution",
    );
    bad(
        &|s| s["simulation"]["open"] = 8.into(),
        "a time of day as a number",
    );
    bad(
        &|s| s["simulation"]["interval"] = (-5).into(),
        "a negative duration",
    );
    bad(&|s| s["entry"]["flow"] = "hold".into(), "an unknown flow");
    bad(
        &|s| {
            s.as_object_mut().unwrap().remove("teams");
        },
        "a scenario without teams",
    );
}

/// A small scenario that runs in a blink: 4 hours at 60 calls an hour on 5 agents.
fn small() -> String {
    small_centre("small", 5, 60, &exponential("4m"), Some(&exponential("3m")))
        .simulation("horizon = \"4h\"\nreplications = 2")
        .toml()
}

/// `NO_COLOR=1`, or a standard output that is not a terminal, gives plain text: no ANSI escape
/// codes in what `rappel run` (and `rappel erlang`) print.
#[test]
fn no_colour_codes_off_a_terminal() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("small.toml");
    std::fs::write(&file, small()).unwrap();
    for no_color in [true, false] {
        let out_dir = tmp.path().join(format!("out-{no_color}"));
        let mut cmd = rappel();
        cmd.args([
            "run",
            file.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("small"), "{stdout}");
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(
                !text.contains(&0x1b),
                "ANSI escape in {stream} (NO_COLOR {no_color}):\n{}",
                String::from_utf8_lossy(text)
            );
        }
        let mut cmd = rappel();
        cmd.args([
            "erlang",
            "--rate-per-hour",
            "100",
            "--handle-time",
            "3m",
            "--agents",
            "7",
        ])
        .env_remove("CLICOLOR_FORCE");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(!out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b));
    }
}
