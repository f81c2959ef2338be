//! Shards and `rappel merge`: the merged folder holds exactly the files of a run on one
//! machine, byte for byte but for the wall time (every file of both folders is compared,
//! so a file added later that merge misses fails here), and mismatched shards are refused
//! with exit 2 and nothing written.

use crate::common::{rappel, root};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (relative path → bytes), `wall_time_s` values blanked: the one
/// figure allowed to differ between two runs.
pub fn folder_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.insert(rel, blank_wall_time(&std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `"wall_time_s": 1.23` → `"wall_time_s": 0`.
fn blank_wall_time(bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let key = "\"wall_time_s\": ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = &rest[i + key.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
            .unwrap_or(rest.len());
        out.push('0');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// Asserts that two folders hold the same files with the same bytes (wall times aside).
pub fn assert_same_folders(single: &Path, merged: &Path) {
    let a = folder_files(single);
    let b = folder_files(merged);
    assert!(a.len() >= 2, "{single:?} holds {:?}", a.keys());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the merged folder has other files than the single run's"
    );
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between {} and {}",
            single.display(),
            merged.display()
        );
    }
}

/// Runs `rappel ARGS`, expecting success; returns its standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = rappel().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "rappel {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `rappel merge DIRS --out OUT`, expecting refusal: exit 2, nothing at OUT; returns
/// standard error.
fn refused(dir: &Path, dirs: &[&str]) -> String {
    let out = rappel()
        .current_dir(dir)
        .arg("merge")
        .args(dirs)
        .args(["--out", "merged"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!dir.join("merged").exists(), "merge wrote something: {err}");
    let beside: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".merged"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    err
}

/// A temporary folder holding a copy of `scenarios/`.
fn workdir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("scenarios");
    std::fs::create_dir_all(dst.join("flagship")).unwrap();
    for f in crate::common::shipped() {
        let rel = f.strip_prefix(root().join("scenarios")).unwrap();
        std::fs::copy(&f, dst.join(rel)).unwrap();
    }
    tmp
}

/// Runs `command` (whose last words come before `--shard`) as a single run into `single`
/// and as `n` shards merged into `merged`, shard folders given in reverse order, the odd
/// shards on one thread; returns both standard outputs.
fn single_and_merged(dir: &Path, command: &[&str], n: usize) -> (String, String) {
    let mut args = command.to_vec();
    args.extend(["--quiet", "--out", "single"]);
    let single = ok(dir, &args);
    let mut shards = Vec::new();
    for k in 0..n {
        let spec = format!("{k}/{n}");
        let out = format!("shards/{k}");
        let mut args = command.to_vec();
        args.extend(["--quiet", "--shard", &spec, "--out", &out]);
        if k % 2 == 1 {
            args.extend(["--threads", "1"]);
        }
        ok(dir, &args);
        shards.push(out);
    }
    let mut args = vec!["merge".to_string()];
    args.extend(shards.into_iter().rev());
    args.extend(["--quiet".into(), "--out".into(), "merged".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let merged = ok(dir, &args);
    assert_same_folders(&dir.join("single"), &dir.join("merged"));
    (single, merged)
}

/// The lines of a terminal view without the wall time, which may differ.
fn without_wall_time(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.to_lowercase().contains("wall time"))
        .collect()
}

/// Every flag of `rappel COMMAND --help` whose help starts with "Also write": each adds a
/// file, and a file added later must come through a merge too.
fn also_write_flags(command: &str) -> Vec<String> {
    let help = ok(&root(), &[command, "--help"]);
    let lines: Vec<&str> = help.lines().collect();
    let flags: Vec<String> = lines
        .windows(2)
        .filter(|w| w[1].trim_start().starts_with("Also write"))
        .filter_map(|w| {
            let flag = w[0].split_whitespace().last()?;
            flag.starts_with("--").then(|| flag.to_string())
        })
        .collect();
    assert!(flags.contains(&"--report".to_string()), "{help}");
    flags
}

#[test]
fn a_merged_run_is_the_single_run_with_every_file_it_can_write() {
    let tmp = workdir();
    let flags = also_write_flags("run");
    assert!(flags.contains(&"--tickets".to_string()), "{flags:?}");
    let mut command = vec![
        "run",
        "scenarios/provider-call-back-later.toml",
        "-r",
        "5",
        "--seed",
        "11",
    ];
    command.extend(flags.iter().map(String::as_str));
    let (single, merged) = single_and_merged(tmp.path(), &command, 3);
    assert_eq!(without_wall_time(&single), without_wall_time(&merged));
    let files = folder_files(&tmp.path().join("merged"));
    for f in ["tickets.csv", "report.html", "replications.csv", "run.json"] {
        assert!(files.contains_key(f), "{:?}", files.keys());
    }
}

#[test]
fn more_shards_than_replications_leave_some_empty() {
    let tmp = workdir();
    single_and_merged(
        tmp.path(),
        &["run", "scenarios/erlang-a.toml", "-r", "2", "--tickets"],
        3,
    );
}

#[test]
fn a_merged_comparison_is_the_single_one_with_effects_and_every_file() {
    let tmp = workdir();
    let mut cells: Vec<String> = std::fs::read_dir(tmp.path().join("scenarios/flagship"))
        .unwrap()
        .map(|e| {
            format!(
                "scenarios/flagship/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    cells.sort();
    let flags = also_write_flags("compare");
    let mut command = vec!["compare"];
    command.extend(cells.iter().map(String::as_str));
    command.extend(["-r", "3"]);
    command.extend(flags.iter().map(String::as_str));
    let (single, merged) = single_and_merged(tmp.path(), &command, 2);
    assert_eq!(single, merged);
    assert!(tmp.path().join("merged/effects.csv").is_file());
}

#[test]
fn a_merged_sweep_is_the_single_one_even_when_shards_split_points() {
    let tmp = workdir();
    let (single, merged) = single_and_merged(
        tmp.path(),
        &[
            "sweep",
            "scenarios/erlang-a.toml",
            "--set",
            "teams.agents.agents=92..100:4",
            "--set",
            "simulation.replications=2,3",
        ],
        4,
    );
    assert_eq!(single, merged);
}

/// Two shards of a small run in `dir`: `shards/0` and `shards/1`, with `extra` options on
/// shard 1.
fn two_shards(dir: &Path, extra: &[&str]) {
    let base = ["run", "scenarios/erlang-a.toml", "-r", "4", "--quiet"];
    let mut a = base.to_vec();
    a.extend(["--shard", "0/2", "--out", "shards/0"]);
    ok(dir, &a);
    let mut b = base.to_vec();
    b.extend(["--shard", "1/2", "--out", "shards/1"]);
    b.extend(extra);
    ok(dir, &b);
}

#[test]
fn missing_and_duplicated_shards_are_refused() {
    let tmp = workdir();
    let d = tmp.path();
    two_shards(d, &[]);
    let err = refused(d, &["shards/0"]);
    assert!(
        err.contains("1 of the 2 shards is missing: shard 1"),
        "{err}"
    );
    let err = refused(d, &["shards/0", "shards/1", "shards/0"]);
    assert!(err.contains("shard 0 of 2 is given twice"), "{err}");
    let err = refused(d, &["shards/0", "scenarios"]);
    assert!(err.contains("scenarios is not a shard folder"), "{err}");
    // Both given: it merges.
    ok(
        d,
        &[
            "merge", "shards/1", "shards/0", "--out", "merged", "--quiet",
        ],
    );
}

#[test]
fn shards_of_another_seed_count_or_options_are_refused() {
    for (extra, what) in [
        (&["--seed", "99"][..], "ran with seed 99"),
        (&["--tickets"][..], "ran with other options"),
    ] {
        let tmp = workdir();
        two_shards(tmp.path(), extra);
        let err = refused(tmp.path(), &["shards/0", "shards/1"]);
        assert!(err.contains(what), "{err}");
    }
    let tmp = workdir();
    let d = tmp.path();
    two_shards(d, &[]);
    ok(
        d,
        &[
            "run",
            "scenarios/erlang-a.toml",
            "-r",
            "4",
            "--quiet",
            "--shard",
            "2/3",
            "--out",
            "shards/2",
        ],
    );
    let err = refused(d, &["shards/0", "shards/1", "shards/2"]);
    assert!(err.contains("is one of 3 shards"), "{err}");
    let err = refused(d, &["shards/0", "shards/0", "shards/1"]);
    assert!(err.contains("given twice"), "{err}");
}

#[test]
fn a_scenario_changed_between_shards_is_refused() {
    let tmp = workdir();
    let d = tmp.path();
    let file = d.join("scenarios/erlang-a.toml");
    let base = ["run", "scenarios/erlang-a.toml", "-r", "4", "--quiet"];
    let mut a = base.to_vec();
    a.extend(["--shard", "0/2", "--out", "shards/0"]);
    ok(d, &a);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n# edited\n")).unwrap();
    let mut b = base.to_vec();
    b.extend(["--shard", "1/2", "--out", "shards/1"]);
    ok(d, &b);
    let err = refused(d, &["shards/0", "shards/1"]);
    assert!(
        err.contains("is another scenario in shards/1 (SHA-256"),
        "{err}"
    );
}

#[test]
fn shards_of_another_version_or_damaged_are_refused() {
    let tmp = workdir();
    let d = tmp.path();
    two_shards(d, &[]);
    let manifest = d.join("shards/1/shard.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let version = format!("\"rappel_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version));
    std::fs::write(
        &manifest,
        text.replace(&version, "\"rappel_version\": \"0.0.1\""),
    )
    .unwrap();
    let err = refused(d, &["shards/0", "shards/1"]);
    assert!(
        err.contains("was written by rappel 0.0.1, this is rappel"),
        "{err}"
    );
    std::fs::write(&manifest, &text).unwrap();

    // A results file cut short: refused, naming the folder, nothing written.
    let results = d.join("shards/1/results.bin");
    let bytes = std::fs::read(&results).unwrap();
    std::fs::write(&results, &bytes[..bytes.len() - 10]).unwrap();
    let err = refused(d, &["shards/0", "shards/1"]);
    assert!(err.contains("shards/1/results.bin"), "{err}");
    assert!(err.contains("run that shard again"), "{err}");
}

#[test]
fn commands_that_cannot_be_sharded_say_why() {
    let out = rappel()
        .args(["staff", "scenarios/erlang-a.toml", "--shard", "0/2"])
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`rappel staff` cannot be sharded"), "{err}");
    let out = rappel()
        .args([
            "run",
            "scenarios/erlang-a.toml",
            "--precision",
            "0.05",
            "--shard",
            "0/2",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--precision cannot be combined with --shard"),
        "{err}"
    );
    for bad in ["2/2", "1", "a/3", "0/0"] {
        let out = rappel()
            .args(["run", "scenarios/erlang-a.toml", "--shard", bad])
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

/// The shard of a run in `dir` from a job array's environment `env`.
fn shard_from(dir: &Path, from: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = rappel();
    cmd.current_dir(dir)
        .args(["run", "scenarios/erlang-a.toml", "-r", "4", "--quiet"])
        .args(["--shard-from", from, "--shards", "2", "--out", "shard"]);
    for v in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_STEP",
        "SLURM_ARRAY_TASK_COUNT",
        "JOB_COMPLETION_INDEX",
    ] {
        cmd.env_remove(v);
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn shard_index(dir: &Path) -> u64 {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("shard/shard.json")).unwrap())
            .unwrap();
    assert_eq!(m["shards"], 2);
    m["shard"].as_u64().unwrap()
}

#[test]
fn the_shard_comes_from_the_job_array_when_told() {
    let tmp = workdir();
    let d = tmp.path();
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
        ("SLURM_ARRAY_TASK_COUNT", "2"),
    ];
    assert!(shard_from(d, "slurm", &slurm).status.success());
    assert_eq!(shard_index(d), 1);
    assert!(
        shard_from(d, "k8s", &[("JOB_COMPLETION_INDEX", "0")])
            .status
            .success()
    );
    assert_eq!(shard_index(d), 0);
    for (from, env, says) in [
        ("slurm", &[][..], "SLURM_ARRAY_TASK_ID is not set"),
        ("k8s", &[][..], "JOB_COMPLETION_INDEX is not set"),
        (
            "k8s",
            &[("JOB_COMPLETION_INDEX", "2")][..],
            "makes this shard 2",
        ),
        (
            "slurm",
            &[
                ("SLURM_ARRAY_TASK_ID", "0"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ][..],
            "this Slurm array has 3 tasks",
        ),
    ] {
        let out = shard_from(d, from, env);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
    }
}
