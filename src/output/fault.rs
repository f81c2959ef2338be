//! A testing switch: the environment variable `RAPPEL_FAULT` makes the Nth file write or
//! rename of the output mechanism fail (or the process die there), so that tests can provoke
//! a full disk, a failing rename or a kill between two renames without privileges.
//!
//! `RAPPEL_FAULT` is a comma-separated list of:
//! - `write:N`: the Nth file written (1-based, counted per process) fails with "No space left
//!   on device";
//! - `rename:N`: the Nth rename fails with "Input/output error";
//! - `kill-at-rename:N`: the process kills itself with SIGKILL just before the Nth rename;
//! - `no-exchange`: the atomic exchange of two folders is taken as unsupported, so the
//!   fallback (rename aside, rename in) runs.

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The faults asked for.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Faults {
    write: Option<u32>,
    rename: Option<u32>,
    kill_at_rename: Option<u32>,
    no_exchange: bool,
}

static WRITES: AtomicU32 = AtomicU32::new(0);
static RENAMES: AtomicU32 = AtomicU32::new(0);

fn faults() -> Faults {
    static FAULTS: OnceLock<Faults> = OnceLock::new();
    *FAULTS.get_or_init(|| match std::env::var("RAPPEL_FAULT") {
        Ok(text) => parse(&text).unwrap_or_else(|bad| {
            let _ = io::Write::write_all(
                &mut io::stderr(),
                format!("warning: RAPPEL_FAULT: `{bad}` is not a fault; ignored\n").as_bytes(),
            );
            Faults::default()
        }),
        Err(_) => Faults::default(),
    })
}

/// Parses the switch's value; the first item not understood is the error.
fn parse(text: &str) -> Result<Faults, String> {
    let mut f = Faults::default();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item == "no-exchange" {
            f.no_exchange = true;
            continue;
        }
        let (what, n) = item.split_once(':').ok_or_else(|| item.to_string())?;
        let n: u32 = n
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| item.to_string())?;
        match what {
            "write" => f.write = Some(n),
            "rename" => f.rename = Some(n),
            "kill-at-rename" => f.kill_at_rename = Some(n),
            _ => return Err(item.to_string()),
        }
    }
    Ok(f)
}

/// Called before each file write: fails the one `RAPPEL_FAULT` names.
pub(crate) fn before_write() -> io::Result<()> {
    let Some(n) = faults().write else {
        return Ok(());
    };
    if WRITES.fetch_add(1, Ordering::SeqCst) + 1 == n {
        return Err(io::Error::new(
            io::ErrorKind::StorageFull,
            "No space left on device (RAPPEL_FAULT)",
        ));
    }
    Ok(())
}

/// Called before each rename: fails, or kills the process at, the one `RAPPEL_FAULT` names.
pub(crate) fn before_rename() -> io::Result<()> {
    let f = faults();
    if f.rename.is_none() && f.kill_at_rename.is_none() {
        return Ok(());
    }
    let k = RENAMES.fetch_add(1, Ordering::SeqCst) + 1;
    if f.kill_at_rename == Some(k) {
        kill_self();
    }
    if f.rename == Some(k) {
        return Err(io::Error::other("Input/output error (RAPPEL_FAULT)"));
    }
    Ok(())
}

/// Whether the atomic exchange of folders is to be taken as unsupported.
pub(crate) fn no_exchange() -> bool {
    faults().no_exchange
}

/// Dies at once, as SIGKILL would: no clean-up runs.
fn kill_self() -> ! {
    #[cfg(unix)]
    {
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
    }
    std::process::abort()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_is_parsed_item_by_item() {
        let f = parse("write:3, no-exchange,kill-at-rename:2").unwrap();
        assert_eq!(
            f,
            Faults {
                write: Some(3),
                rename: None,
                kill_at_rename: Some(2),
                no_exchange: true
            }
        );
        assert_eq!(parse("rename:0"), Err("rename:0".into()));
        assert_eq!(parse("disk:1"), Err("disk:1".into()));
        assert_eq!(parse(""), Ok(Faults::default()));
    }
}
