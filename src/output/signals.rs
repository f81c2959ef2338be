//! SIGINT and SIGTERM: the paths an unfinished output set occupies (a hidden staging folder,
//! a folder set aside, temporary files) are registered here, and a signal removes them
//! before the process exits with 128 + the signal's number (130, 143).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Paths to remove if a signal ends the process.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry, locked. Holding the guard keeps a signal's clean-up waiting, so that a
/// sequence of renames is seen by it either not started or finished.
pub(crate) fn lock() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Registers `path` (a file or a folder) for removal on a signal.
pub(crate) fn register(path: &Path) {
    lock().push(path.to_path_buf());
}

/// No longer removes `path` on a signal.
pub(crate) fn forget(path: &Path) {
    lock().retain(|p| p != path);
}

/// Removes a file or a folder and everything in it; a folder still being written into (by
/// replications that have not noticed yet) is retried a few times.
pub(crate) fn remove(path: &Path) {
    for _ in 0..20 {
        let gone = match std::fs::symlink_metadata(path) {
            Err(_) => true,
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(path).is_ok(),
            Ok(_) => std::fs::remove_file(path).is_ok(),
        };
        if gone {
            return;
        }
    }
}

/// Installs the handlers of SIGINT and SIGTERM on a thread of their own. Without that
/// thread (it could not be created), the signals keep their default action and the next
/// run removes what this one leaves.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let (tx, rx) = std::sync::mpsc::channel();
        // The handlers are registered by the thread itself, so that no signal is caught
        // with nobody to act on it.
        let spawned = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                    let _ = tx.send(());
                    return;
                };
                let _ = tx.send(());
                if let Some(sig) = signals.forever().next() {
                    let pending = lock();
                    for p in pending.iter() {
                        remove(p);
                    }
                    // The guard stays held: nothing may rename while the process exits.
                    std::process::exit(128 + sig);
                }
            });
        if spawned.is_ok() {
            let _ = rx.recv();
        }
    }
}
