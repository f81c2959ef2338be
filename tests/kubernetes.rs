//! The Kubernetes manifests of `docs/kubernetes/` and the `Dockerfile`, as far as this
//! machine allows (no container engine, no cluster): the manifests validate against the
//! Kubernetes schema offline (PyPI's `kubernetes-validate`, which `.ci/run` installs), and
//! the image's command — the Dockerfile's entry point and folder with each pod's `args` —
//! runs here, shard by shard and then the merge, into the files of a local run.

use crate::common::{rappel, root};
use crate::shards::assert_same_folders;
use std::path::{Path, PathBuf};

/// `kubernetes-validate`: $KUBERNETES_VALIDATE, the one `.ci/run` installs in
/// target/ci-tools, or one in PATH.
fn validator() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KUBERNETES_VALIDATE") {
        return Some(PathBuf::from(p));
    }
    let ci_tools = root().join("target/ci-tools/venv/bin/kubernetes-validate");
    if ci_tools.is_file() {
        return Some(ci_tools);
    }
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("kubernetes-validate"))
        .find(|p| p.is_file())
}

fn manifest(name: &str) -> PathBuf {
    root().join("docs/kubernetes").join(name)
}

#[test]
fn the_manifests_validate_against_the_kubernetes_schema() {
    let Some(validate) = validator() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true, but kubernetes-validate is not installed (.ci/run installs it)");
        }
        eprintln!(
            "skipped: kubernetes-validate is not installed (pip install kubernetes-validate, \
             or run .ci/run)"
        );
        return;
    };
    let run = |files: &[PathBuf]| {
        std::process::Command::new(&validate)
            .arg("--strict")
            .args(files)
            .output()
            .unwrap()
    };
    let files = [manifest("rappel-job.yaml"), manifest("rappel-merge.yaml")];
    let out = run(&files);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    for resource in [
        "job/rappel-shards",
        "job/rappel-merge",
        "persistentvolumeclaim/rappel-results",
    ] {
        assert!(
            said.contains(&format!("passed for resource {resource}")),
            "{said}"
        );
    }
    // The validator does reject a manifest that is wrong.
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yaml");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    std::fs::write(
        &bad,
        text.replace("completionMode: Indexed", "completionMod: Indexed"),
    )
    .unwrap();
    assert!(!run(&[bad]).status.success());
}

/// The `args: [...]` of a manifest (written as one JSON-like list).
fn args_of(text: &str) -> Vec<String> {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("args: ["))
        .expect("an args line");
    let list = line.trim_start().trim_start_matches("args: ");
    serde_json::from_str(list).expect("args as a list of strings")
}

/// The number after `key: ` in a manifest.
fn number_of(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {key}"))
}

/// Runs the image's command with `args` as the pod would: in the image's folder (`work`,
/// with the shipped scenarios), `/results` being `results`.
fn pod(work: &Path, results: &Path, args: &[String], index: Option<u64>) {
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            let a = match index {
                Some(k) => a.replace("$(SHARD_INDEX)", &k.to_string()),
                None => a.clone(),
            };
            a.replace("/results", &results.display().to_string())
        })
        .collect();
    let mut cmd = rappel();
    cmd.current_dir(work)
        .args(&args)
        .env_remove("JOB_COMPLETION_INDEX");
    if let Some(k) = index {
        cmd.env("JOB_COMPLETION_INDEX", k.to_string());
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "rappel {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_images_command_runs_the_shards_and_the_merge_into_a_local_runs_files() {
    let docker = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    assert!(docker.contains("ENTRYPOINT [\"rappel\"]"), "{docker}");
    assert!(docker.contains("WORKDIR /work"), "{docker}");
    assert!(
        docker.contains("COPY scenarios /work/scenarios"),
        "{docker}"
    );
    assert!(
        docker.contains("cargo build --release --locked --bin rappel"),
        "{docker}"
    );

    let job = std::fs::read_to_string(manifest("rappel-job.yaml")).unwrap();
    let merge = std::fs::read_to_string(manifest("rappel-merge.yaml")).unwrap();
    let shard_args = args_of(&job);
    let merge_args = args_of(&merge);
    let n = number_of(&job, "completions");
    let at = shard_args.iter().position(|a| a == "--shards").unwrap();
    assert_eq!(
        shard_args[at + 1],
        n.to_string(),
        "--shards is the completions"
    );
    assert!(shard_args.contains(&"--shard-from".to_string()));
    assert_eq!(
        merge_args
            .iter()
            .filter(|a| a.starts_with("/results/shards/"))
            .count() as u64,
        n,
        "the merge names every shard"
    );

    // The image's folder: the shipped scenarios under /work.
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    let results = tmp.path().join("results");
    std::fs::create_dir_all(work.join("scenarios/flagship")).unwrap();
    for f in crate::common::shipped() {
        std::fs::copy(&f, work.join(f.strip_prefix(root()).unwrap())).unwrap();
    }
    for k in 0..n {
        pod(&work, &results, &shard_args, Some(k));
    }
    pod(&work, &results, &merge_args, None);

    // The same command on one machine: without the shard's options.
    let mut local = Vec::new();
    let mut words = shard_args.iter();
    while let Some(w) = words.next() {
        match w.as_str() {
            "--shard-from" | "--shards" | "--out" => {
                words.next();
            }
            _ => local.push(w.clone()),
        }
    }
    local.extend(["--out".into(), "local".into()]);
    let out = rappel().current_dir(&work).args(&local).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_same_folders(&work.join("local"), &results.join("merged"));
}
