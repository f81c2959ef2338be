//! `rappel slurm` on a real Slurm cluster of one node, started by hand as root (Debian's
//! `slurmctld`, `slurmd` and `munge`; no systemd): the job array of shards and the merge
//! job it submits write the very files of a local run, byte for byte but wall times.
//!
//! Where Slurm cannot start (not root, not installed) the test says so and passes; under
//! CI (`CI=true`), where `.ci/run` installs it, it must run, so it fails instead.

use crate::common::{rappel, root};
use crate::shards::assert_same_folders;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long the cluster may take to come up, and the jobs to finish.
const START: Duration = Duration::from_secs(60);
const JOBS: Duration = Duration::from_secs(300);

/// A program of Slurm or munge: in PATH or in /usr/sbin.
fn program(name: &str) -> Result<PathBuf, String> {
    let dirs = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&dirs)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            format!("{name} is not installed (apt-get install slurmctld slurmd slurm-client munge)")
        })
}

/// A free TCP port on the loopback address.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A single-node cluster in a temporary folder: munged, slurmctld and slurmd, stopped
/// when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    conf: PathBuf,
    munged: PathBuf,
}

impl Cluster {
    /// Starts the daemons, or says why they cannot start.
    fn start() -> Result<Cluster, String> {
        if !rustix::process::getuid().is_root() {
            return Err("the daemons are started as root, and this is not root".into());
        }
        let [munged, slurmctld, slurmd] = ["munged", "slurmctld", "slurmd"].map(program);
        let (munged, slurmctld, slurmd) = (munged?, slurmctld?, slurmd?);
        program("sbatch")?;
        program("sinfo")?;
        // A short path: a Unix socket's name has at most 107 bytes.
        let dir = tempfile::Builder::new()
            .prefix("rappel-slurm-")
            .tempdir_in("/tmp")
            .map_err(|e| e.to_string())?;
        let d = dir.path();
        // munge's key: random bytes, readable by root alone.
        let mut key = vec![0u8; 1024];
        std::io::Read::read_exact(
            &mut std::fs::File::open("/dev/urandom").map_err(|e| e.to_string())?,
            &mut key,
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(d.join("munge.key"), key).map_err(|e| e.to_string())?;
        run(Command::new("chmod").args(["600"]).arg(d.join("munge.key")))?;
        let socket = d.join("munge.sock");
        run(Command::new(&munged)
            .arg("--force")
            .arg(format!("--socket={}", socket.display()))
            .arg(format!("--key-file={}", d.join("munge.key").display()))
            .arg(format!("--pid-file={}", d.join("munged.pid").display()))
            .arg(format!("--log-file={}", d.join("munged.log").display()))
            .arg(format!("--seed-file={}", d.join("munged.seed").display())))?;
        let host = String::from_utf8_lossy(
            &Command::new("hostname")
                .arg("-s")
                .output()
                .map_err(|e| format!("hostname: {e}"))?
                .stdout,
        )
        .trim()
        .to_string();
        for sub in ["state", "spool", "log"] {
            std::fs::create_dir_all(d.join(sub)).map_err(|e| e.to_string())?;
        }
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let conf = d.join("slurm.conf");
        let p = |s: &str| d.join(s).display().to_string();
        std::fs::write(
            &conf,
            format!(
                "ClusterName=rappeltest\n\
                 SlurmctldHost={host}(127.0.0.1)\n\
                 SlurmUser=root\n\
                 SlurmdUser=root\n\
                 SlurmctldPort={ctld}\n\
                 SlurmdPort={slurmd_port}\n\
                 AuthType=auth/munge\n\
                 CredType=cred/munge\n\
                 AuthInfo=socket={socket}\n\
                 StateSaveLocation={state}\n\
                 SlurmdSpoolDir={spool}\n\
                 SlurmctldPidFile={ctld_pid}\n\
                 SlurmdPidFile={slurmd_pid}\n\
                 SlurmctldLogFile={ctld_log}\n\
                 SlurmdLogFile={slurmd_log}\n\
                 ProctrackType=proctrack/linuxproc\n\
                 TaskPlugin=task/none\n\
                 SelectType=select/cons_tres\n\
                 SelectTypeParameters=CR_Core\n\
                 JobCompType=jobcomp/none\n\
                 AccountingStorageType=accounting_storage/none\n\
                 JobAcctGatherType=jobacct_gather/none\n\
                 MpiDefault=none\n\
                 ReturnToService=2\n\
                 InactiveLimit=0\n\
                 KillWait=5\n\
                 MinJobAge=300\n\
                 NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN\n\
                 PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n",
                ctld = free_port(),
                slurmd_port = free_port(),
                socket = socket.display(),
                state = p("state"),
                spool = p("spool"),
                ctld_pid = p("slurmctld.pid"),
                slurmd_pid = p("slurmd.pid"),
                ctld_log = p("log/slurmctld.log"),
                slurmd_log = p("log/slurmd.log"),
            ),
        )
        .map_err(|e| e.to_string())?;
        let cluster = Cluster {
            dir,
            conf: conf.clone(),
            munged,
        };
        run(Command::new(&slurmctld).arg("-f").arg(&conf))?;
        run(Command::new(&slurmd).arg("-f").arg(&conf))?;
        let start = Instant::now();
        loop {
            let state = cluster
                .command("sinfo")
                .args(["-h", "-o", "%t"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default();
            if state == "idle" {
                return Ok(cluster);
            }
            if start.elapsed() > START {
                return Err(format!(
                    "the node is not idle after {START:?} (sinfo says {state:?}):\n{}",
                    cluster.logs()
                ));
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// A Slurm command that reads this cluster's configuration.
    fn command(&self, name: &str) -> Command {
        let mut c = Command::new(program(name).unwrap_or_else(|_| PathBuf::from(name)));
        c.env("SLURM_CONF", &self.conf);
        c
    }

    /// The daemons' logs, for a failure's message.
    fn logs(&self) -> String {
        let mut out = String::new();
        for f in ["log/slurmctld.log", "log/slurmd.log", "munged.log"] {
            let text = std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default();
            let tail: Vec<&str> = text.lines().rev().take(15).collect();
            out.push_str(&format!("--- {f}\n"));
            for l in tail.into_iter().rev() {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.command("scontrol").arg("shutdown").output();
        let d = self.dir.path().to_path_buf();
        std::thread::sleep(Duration::from_secs(1));
        for pid in ["slurmd.pid", "slurmctld.pid", "munged.pid"] {
            if let Some(pid) = std::fs::read_to_string(d.join(pid))
                .ok()
                .and_then(|p| p.trim().parse::<i32>().ok())
                .and_then(rustix::process::Pid::from_raw)
            {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
            }
        }
        let _ = &self.munged;
    }
}

/// Runs a command that must succeed.
fn run(c: &mut Command) -> Result<(), String> {
    let out = c.output().map_err(|e| format!("{c:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{c:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A cluster, or `None` (with a message) where Slurm cannot start outside CI.
fn cluster() -> Option<Cluster> {
    match Cluster::start() {
        Ok(c) => Some(c),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true, so the Slurm test must run, but Slurm cannot start: {why}")
        }
        Err(why) => {
            eprintln!(
                "skipped: the Slurm test needs a single-node cluster, which cannot start here: {why}"
            );
            None
        }
    }
}

/// Copies the shipped scenarios into `dir`.
fn scenarios_in(dir: &Path) {
    std::fs::create_dir_all(dir.join("scenarios/flagship")).unwrap();
    for f in crate::common::shipped() {
        let rel = f.strip_prefix(root()).unwrap();
        std::fs::copy(&f, dir.join(rel)).unwrap();
    }
}

#[test]
fn a_slurm_job_array_and_its_merge_write_the_files_of_a_local_run() {
    let Some(cluster) = cluster() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    scenarios_in(d);
    let command = [
        "run",
        "scenarios/provider-call-back-later.toml",
        "-r",
        "6",
        "--seed",
        "5",
        "--tickets",
    ];
    let local = rappel()
        .current_dir(d)
        .args(command)
        .args(["--quiet", "--out", "local"])
        .output()
        .unwrap();
    assert!(local.status.success());

    let submitted = rappel()
        .current_dir(d)
        .env("SLURM_CONF", &cluster.conf)
        .args([
            "slurm", "--shards", "3", "--out", "merged", "--submit", "--",
        ])
        .args(command)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&submitted.stdout).to_string()
        + &String::from_utf8_lossy(&submitted.stderr);
    assert!(submitted.status.success(), "{said}\n{}", cluster.logs());
    assert!(said.contains("submitted the 3 shards as job"), "{said}");

    // The merged folder appears whole, swapped in once every file is written.
    let start = Instant::now();
    while !d.join("merged/run.json").exists() {
        if start.elapsed() > JOBS {
            let jobs = d.join("merged.slurm/logs");
            let mut logs = String::new();
            for e in std::fs::read_dir(&jobs).into_iter().flatten().flatten() {
                logs += &format!(
                    "--- {}\n{}\n",
                    e.path().display(),
                    std::fs::read_to_string(e.path()).unwrap_or_default()
                );
            }
            let queue = cluster
                .command("squeue")
                .output()
                .map(|o| o.stdout)
                .unwrap_or_default();
            panic!(
                "no merged folder after {JOBS:?}\nsqueue:\n{}\n{logs}\n{}",
                String::from_utf8_lossy(&queue),
                cluster.logs()
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_same_folders(&d.join("local"), &d.join("merged"));
    for k in 0..3 {
        let shard = d.join(format!("merged.slurm/shards/{k}/shard.json"));
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&shard).unwrap()).unwrap();
        assert_eq!(m["shard"], k, "{}", shard.display());
    }
}

#[test]
fn slurm_writes_the_scripts_and_refuses_what_the_scripts_set() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    scenarios_in(d);
    let out = rappel()
        .current_dir(d)
        .args([
            "slurm",
            "--shards",
            "4",
            "--max-parallel",
            "2",
            "--sbatch=--time=00:10:00",
        ])
        .args(["--out", "big", "--", "sweep", "scenarios/erlang-a.toml"])
        .args(["--set", "teams.agents.agents=90..100:5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shards = std::fs::read_to_string(d.join("big.slurm/shards.sbatch")).unwrap();
    assert!(shards.contains("#SBATCH --array=0-3%2\n"), "{shards}");
    assert!(shards.contains("#SBATCH --time=00:10:00\n"), "{shards}");
    assert!(shards.contains(" sweep scenarios/erlang-a.toml --set teams.agents.agents=90..100:5 --shard-from slurm --shards 4 "), "{shards}");
    let merge = std::fs::read_to_string(d.join("big.slurm/merge.sbatch")).unwrap();
    assert!(
        merge.contains("merge ") && merge.contains("/big.slurm/shards/{0..3} --out "),
        "{merge}"
    );
    let submit = std::fs::read_to_string(d.join("big.slurm/submit.sh")).unwrap();
    assert!(submit.contains("--dependency=afterok:"), "{submit}");

    for (args, says) in [
        (&["--", "run", "x.toml", "--out", "y"][..], "gives --out"),
        (
            &["--", "staff", "scenarios/erlang-a.toml"][..],
            "`rappel staff` cannot be sharded",
        ),
        (&["--", "run", "--no-such-flag"][..], "does not parse"),
        (
            &["--", "run", "scenarios/missing.toml"][..],
            "cannot read the scenario file",
        ),
    ] {
        let out = rappel()
            .current_dir(d)
            .args(["slurm", "--shards", "2", "--out", "z"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(!d.join("z.slurm").exists());
    }
}
