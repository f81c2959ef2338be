//! The output folder as one unit: a later run leaves no file of an earlier one, a folder of
//! other files is refused, and failed writes and renames (provoked with the `RAPPEL_FAULT`
//! testing switch) leave the earlier run whole and no debris; threads that cannot be
//! created are an error, not a panic.

use crate::common::{entries, rappel, root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A quick run of a shipped scenario into `out`, with extra arguments and environment.
fn run_into(out: &Path, seed: u64, extra: &[&str], fault: Option<&str>) -> std::process::Output {
    let mut cmd = rappel();
    cmd.arg("run")
        .arg(root().join("scenarios/erlang-c.toml"))
        .args(["--quiet", "--replications", "2", "--seed"])
        .arg(seed.to_string())
        .args(extra)
        .arg("--out")
        .arg(out);
    if let Some(f) = fault {
        cmd.env("RAPPEL_FAULT", f);
    }
    cmd.output().unwrap()
}

/// Every file of a folder and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    entries(dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// The files run.json lists, sorted.
fn listed(dir: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    let mut v: Vec<String> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// A folder `out` holding one complete run of `seed` (with tickets and report).
fn first_run(parent: &Path) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    let out = parent.join("out");
    let o = run_into(&out, 5, &["--tickets", "--report"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(entries(&out), listed(&out));
    (out.clone(), snapshot(&out))
}

#[test]
fn a_later_run_leaves_no_file_of_an_earlier_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, first) = first_run(tmp.path());
    assert!(first.contains_key("tickets.csv") && first.contains_key("report.html"));
    let o = run_into(&out, 6, &[], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(entries(&out), listed(&out));
    assert!(!out.join("tickets.csv").exists() && !out.join("report.html").exists());
    // Nothing hidden is left beside the folder.
    assert_eq!(entries(tmp.path()), ["out"]);
}

#[test]
fn a_folder_holding_other_files_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    std::fs::write(out.join("summary.csv"), "not rappel's").unwrap();
    let o = run_into(&out, 1, &[], None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("did not write"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
    assert_eq!(entries(&out), ["notes.txt", "summary.csv"]);
    assert_eq!(entries(tmp.path()), ["mine"]);
    // The same for a folder of rappel's file names with no record of rappel (run.json).
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    assert_eq!(run_into(&out, 1, &[], None).status.code(), Some(2));
    assert_eq!(entries(&out), ["summary.csv"]);
}

#[test]
fn debris_of_an_earlier_version_in_the_folder_is_removed() {
    // Versions before the atomic folder left hidden part and temporary files when killed.
    let tmp = tempfile::tempdir().unwrap();
    let (out, _) = first_run(tmp.path());
    std::fs::write(out.join(".tickets.csv.part-4242-0"), "x").unwrap();
    std::fs::write(out.join(".summary.csv.tmp-4242"), "x").unwrap();
    assert_eq!(run_into(&out, 6, &[], None).status.code(), Some(0));
    assert_eq!(entries(&out), listed(&out));
}

#[test]
fn a_failed_write_or_rename_leaves_the_earlier_run_whole_and_no_debris() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, first) = first_run(tmp.path());
    // write:1 is the first file written, write:8 a later one; rename:1 is the swap itself;
    // with no-exchange, rename:2 is the second rename of the fallback (the first is undone).
    for fault in [
        "write:1",
        "write:8",
        "rename:1",
        "no-exchange,rename:1",
        "no-exchange,rename:2",
    ] {
        let o = run_into(&out, 9, &["--tickets"], Some(fault));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{fault}: {err}");
        assert!(err.contains("RAPPEL_FAULT"), "{fault}: {err}");
        assert_eq!(snapshot(&out), first, "{fault}");
        assert_eq!(entries(tmp.path()), ["out"], "{fault}");
    }
}

#[test]
fn a_kill_between_the_renames_of_the_fallback_is_recovered_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, first) = first_run(tmp.path());
    // Killed after the old folder was set aside, before the new one took its place.
    let o = run_into(&out, 9, &[], Some("no-exchange,kill-at-rename:2"));
    assert_eq!(o.status.code(), None, "killed by a signal");
    assert!(!out.exists());
    assert_eq!(entries(tmp.path()).len(), 2, "{:?}", entries(tmp.path()));
    // The next run puts the old folder back first: here it then fails to write, so the
    // old run is what the folder holds, whole.
    let o = run_into(&out, 9, &[], Some("write:1"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), first);
    assert_eq!(entries(tmp.path()), ["out"]);
    // Killed at the exchange: the folder is the old run; the next run leaves only its own.
    let o = run_into(&out, 9, &[], Some("kill-at-rename:1"));
    assert_eq!(o.status.code(), None);
    assert_eq!(snapshot(&out), first);
    assert_eq!(run_into(&out, 9, &[], None).status.code(), Some(0));
    assert_eq!(entries(&out), listed(&out));
    assert_eq!(entries(tmp.path()), ["out"]);
}

#[test]
fn the_output_folder_is_checked_before_the_simulation() {
    // A folder under a file cannot be created: the run is refused at once, exit 2 naming
    // the file, and writes nothing (the simulation would take far longer than the check).
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let o = rappel()
        .arg("run")
        .arg(root().join("scenarios/erlang-c.toml"))
        .args(["--quiet", "--replications", "100000", "--out"])
        .arg(file.join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert_eq!(entries(tmp.path()), ["file"]);
    // A place where no folder can be made, even by root (/proc): the run fails at once,
    // exit 1, before 100,000 replications would have run.
    let o = rappel()
        .arg("run")
        .arg(root().join("scenarios/erlang-c.toml"))
        .args(["--quiet", "--replications", "100000", "--out"])
        .arg("/proc/rappel-cannot-be-here/out")
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot prepare the output folder"), "{err}");
}

#[test]
fn generate_man_on_a_full_disk_leaves_no_page_and_the_folder_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("ls.1"), "someone else's page").unwrap();
    for fault in ["write:1", "write:3", "rename:2"] {
        let o = rappel()
            .args(["generate", "man", "--dir"])
            .arg(tmp.path())
            .env("RAPPEL_FAULT", fault)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{fault}: {err}");
        assert!(
            err.contains("No space left") || err.contains("Input/output"),
            "{err}"
        );
        let left = entries(tmp.path());
        // A failed rename may leave the pages renamed before it, each whole; never a
        // temporary or an empty page.
        assert!(
            left.iter().all(|n| !n.starts_with('.')),
            "{fault}: {left:?}"
        );
        for n in &left {
            assert!(
                std::fs::metadata(tmp.path().join(n)).unwrap().len() > 0,
                "{n}"
            );
        }
        assert!(left.contains(&"ls.1".to_string()));
    }
    let o = rappel()
        .args(["generate", "man", "--dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(entries(tmp.path()).contains(&"rappel-run.1".to_string()));
}

#[cfg(unix)]
#[test]
fn threads_that_cannot_be_created_are_an_error_naming_the_flag() {
    use std::os::unix::process::CommandExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // 1024 thread stacks do not fit in 256 MiB of address space.
    let limited = |threads: &str| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rappel"));
        cmd.arg("run")
            .arg(root().join("scenarios/erlang-c.toml"))
            .args([
                "--quiet",
                "--replications",
                "2",
                "--threads",
                threads,
                "--out",
            ])
            .arg(&out);
        // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                let limit = 256 << 20;
                rustix::process::setrlimit(
                    rustix::process::Resource::As,
                    rustix::process::Rlimit {
                        current: Some(limit),
                        maximum: Some(limit),
                    },
                )
                .map_err(std::io::Error::from)
            });
        }
        cmd.output().unwrap()
    };
    let o = limited("1024");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot start 1024 worker threads"), "{err}");
    assert!(err.contains("--threads 1"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
    // The fix the message names works under the same limit.
    let o = limited("1");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
