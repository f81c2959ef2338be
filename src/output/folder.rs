//! The output folder as one unit: a run's files are written into a hidden staging folder
//! beside the target, which is then swapped in whole, so that after any kill the target
//! holds one complete set of files, old or new, and nothing else.
//!
//! Names beside a target `NAME`: `.NAME.rappel-PID` (staging: the new set; after an
//! exchange, the old one on its way out) and `.NAME.rappel-PID.old` (the old set, set aside
//! by the fallback swap). A later run removes those of processes no longer alive, and puts a
//! set-aside folder back when a kill left the target missing.

use super::{fault, signals};
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::{Path, PathBuf};

/// The files rappel writes in an output folder, by any command, now or in earlier versions.
pub const KNOWN_FILES: &[&str] = &[
    "summary.csv",
    "replications.csv",
    "wait_distribution.csv",
    "satisfaction_distribution.csv",
    "satisfaction_drivers.csv",
    "intervals.csv",
    "breakdown.csv",
    "tickets.csv",
    "calls.csv",
    "scenario.toml",
    "forecast.csv",
    "estimates.csv",
    "fitted_staffing.csv",
    "type_mix.csv",
    "backtest.csv",
    "fit.json",
    "report.html",
    "run.json",
    "compare.csv",
    "compare.json",
    "effects.csv",
    "sweep.csv",
    "sweep.json",
    "staffing.csv",
    "staffing.toml",
    "staff.json",
    "shard.json",
    "results.bin",
];

/// The files whose list of files marks a folder as written by rappel.
const MANIFESTS: &[&str] = &[
    "run.json",
    "compare.json",
    "sweep.json",
    "staff.json",
    "shard.json",
    "fit.json",
];

/// Why an output folder cannot be written.
#[derive(Debug)]
pub enum FolderError {
    /// The folder holds files rappel did not write; the message lists some.
    Refused(String),
    /// The file system failed.
    Io(io::Error),
}

impl std::fmt::Display for FolderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FolderError::Refused(m) => f.write_str(m),
            FolderError::Io(e) => e.fmt(f),
        }
    }
}

impl From<io::Error> for FolderError {
    fn from(e: io::Error) -> Self {
        FolderError::Io(e)
    }
}

/// A target folder, resolved to its real parent and name.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    parent: PathBuf,
    name: OsString,
}

impl Target {
    /// Resolves `dir` (relative, through symbolic links) and creates its parent.
    pub(crate) fn resolve(dir: &Path) -> io::Result<Self> {
        let real = if std::fs::symlink_metadata(dir).is_ok() {
            std::fs::canonicalize(dir)?
        } else {
            let abs = std::path::absolute(dir)?;
            let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
                return Err(io::Error::other("not a folder name"));
            };
            std::fs::create_dir_all(parent)?;
            std::fs::canonicalize(parent)?.join(name)
        };
        match (real.parent(), real.file_name()) {
            (Some(parent), Some(name)) => Ok(Self {
                parent: parent.to_path_buf(),
                name: name.to_os_string(),
            }),
            _ => Err(io::Error::other("the root folder cannot be replaced")),
        }
    }

    /// The target's path.
    pub(crate) fn path(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    /// The prefix of the hidden names beside the target.
    fn prefix(&self) -> String {
        format!(".{}.rappel-", self.name.to_string_lossy())
    }

    /// The staging folder of this process.
    pub(crate) fn staging(&self) -> PathBuf {
        self.parent
            .join(format!("{}{}", self.prefix(), std::process::id()))
    }

    /// Where the fallback swap sets the old folder aside.
    fn aside(&self) -> PathBuf {
        self.parent
            .join(format!("{}{}.old", self.prefix(), std::process::id()))
    }

    /// Removes what killed runs left beside the target; puts a folder set aside back when a
    /// kill between the two renames of the fallback swap left the target missing.
    pub(crate) fn recover(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return;
        };
        let prefix = self.prefix();
        let mut debris = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
                continue;
            };
            let (pid, old) = match rest.strip_suffix(".old") {
                Some(pid) => (pid, true),
                None => (rest, false),
            };
            let Ok(pid) = pid.parse::<u32>() else {
                continue;
            };
            if pid != std::process::id() && alive(pid) {
                continue; // another run is writing this folder right now
            }
            debris.push((e.path(), old));
        }
        let target = self.path();
        for (path, old) in debris {
            if old && std::fs::symlink_metadata(&target).is_err() {
                let _ = std::fs::rename(&path, &target);
            }
            signals::remove(&path);
        }
    }

    /// Checks that the target, if it exists, holds only files rappel wrote; rappel replaces
    /// it whole, so a folder of other files is refused rather than deleted.
    pub(crate) fn check_ours(&self) -> Result<(), FolderError> {
        let path = self.path();
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
                return Err(FolderError::Refused(format!(
                    "{} is a file, not a folder",
                    path.display()
                )));
            }
            Err(e) => return Err(e.into()),
        };
        let mut names = Vec::new();
        for e in entries {
            let e = e?;
            names.push((e.file_name(), e.file_type()?.is_file()));
        }
        let listed = listed_files(&path);
        let mut foreign = Vec::new();
        let mut manifest = false;
        let mut only_debris = true;
        for (name, is_file) in &names {
            let is_file = *is_file;
            let text = name.to_string_lossy();
            let debris = is_file && old_debris(&text);
            let ours = is_file
                && (debris
                    || KNOWN_FILES.contains(&text.as_ref())
                    || listed.iter().any(|l| OsStr::new(l) == name));
            manifest |= is_file && MANIFESTS.contains(&text.as_ref());
            only_debris &= debris;
            if !ours {
                foreign.push(if is_file {
                    text.into_owned()
                } else {
                    format!("{text}/")
                });
            }
        }
        if foreign.is_empty() && (manifest || only_debris) {
            return Ok(());
        }
        if foreign.is_empty() {
            foreign = names
                .iter()
                .map(|(n, _)| n.to_string_lossy().into_owned())
                .collect();
        }
        foreign.sort();
        let shown: Vec<&str> = foreign.iter().take(3).map(String::as_str).collect();
        let more = if foreign.len() > 3 {
            format!(" and {} more", foreign.len() - 3)
        } else {
            String::new()
        };
        Err(FolderError::Refused(format!(
            "{} holds files rappel did not write ({}{more}); rappel replaces its output folder \
             whole, so it will not write there",
            path.display(),
            shown.join(", ")
        )))
    }

    /// Swaps the complete folder `staging` in for the target. A signal's clean-up waits
    /// until the renames are done; afterwards the old set is removed.
    pub(crate) fn swap_in(&self, staging: &Path) -> io::Result<()> {
        let target = self.path();
        let aside = self.aside();
        let leftover = {
            let _guard = signals::lock();
            if std::fs::symlink_metadata(&target).is_err() {
                rename(staging, &target)?;
                None
            } else if exchange(staging, &target)? {
                // `staging` now holds the old set.
                Some(staging.to_path_buf())
            } else {
                rename(&target, &aside)?;
                if let Err(e) = rename(staging, &target) {
                    let _ = std::fs::rename(&aside, &target);
                    return Err(e);
                }
                Some(aside)
            }
        };
        signals::forget(staging);
        if let Some(old) = leftover {
            signals::remove(&old);
        }
        Ok(())
    }
}

/// The `files` lists of the manifests in `dir`.
fn listed_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for m in MANIFESTS {
        let Ok(text) = std::fs::read_to_string(dir.join(m)) else {
            continue;
        };
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if let Some(files) = json.get("files").and_then(|f| f.as_array()) {
            out.extend(files.iter().filter_map(|f| f.as_str()).map(String::from));
        }
    }
    out
}

/// The hidden files earlier versions of rappel left in an output folder when killed:
/// `.NAME.tmp-PID` and `.tickets.csv.part-PID-R`.
fn old_debris(name: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = name.strip_prefix(".tickets.csv.part-") {
        return rest
            .split_once('-')
            .is_some_and(|(a, b)| digits(a) && digits(b));
    }
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(file, pid)| digits(pid) && KNOWN_FILES.contains(&&file[1..]))
}

/// Whether process `pid` is alive.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        match i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            Some(p) => !matches!(
                rustix::process::test_kill_process(p),
                Err(rustix::io::Errno::SRCH)
            ),
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// A rename, through the fault-injection switch.
pub(crate) fn rename(from: &Path, to: &Path) -> io::Result<()> {
    fault::before_rename()?;
    std::fs::rename(from, to)
}

/// Exchanges two existing folders atomically; `false` when the system cannot (the
/// fallback then runs).
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    if fault::no_exchange() {
        return Ok(false);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        fault::before_rename()?;
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            Err(e)
                if e == rustix::io::Errno::INVAL
                    || e == rustix::io::Errno::NOSYS
                    || e == rustix::io::Errno::NOTSUP =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debris_of_earlier_versions_is_recognised() {
        assert!(old_debris(".tickets.csv.part-123-4"));
        assert!(old_debris(".run.json.tmp-99"));
        assert!(!old_debris(".notes.txt.tmp-99"));
        assert!(!old_debris(".tickets.csv.part-x-4"));
        assert!(!old_debris("run.json"));
    }
}
