//! Running the binary with a stream on a pseudo-terminal of a given width: what a person at
//! a terminal sees (colour, wrapping), which a pipe never shows.

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};
use std::io::Read;
use std::os::fd::OwnedFd;
use std::process::{Command, Stdio};

/// Which of the child's streams is the terminal.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// Standard output (standard error is a pipe).
    Stdout,
    /// Standard error (standard output is a pipe).
    Stderr,
}

/// What the child wrote: the terminal's text (its `\r\n` turned into `\n`), the pipe's text,
/// and the exit code.
pub struct Seen {
    pub terminal: String,
    pub pipe: String,
    pub code: Option<i32>,
}

/// Runs `cmd` with stream `on` on a new pseudo-terminal `cols` columns wide.
pub fn run(mut cmd: Command, on: On, cols: u16) -> Seen {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave: OwnedFd = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap()
        .into();
    tcsetwinsize(
        &slave,
        Winsize {
            ws_row: 24,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        },
    )
    .unwrap();
    cmd.stdin(Stdio::null());
    let tty = Stdio::from(slave.try_clone().unwrap());
    match on {
        On::Stdout => cmd.stdout(tty).stderr(Stdio::piped()),
        On::Stderr => cmd.stderr(tty).stdout(Stdio::piped()),
    };
    let mut child = cmd.spawn().expect("the binary runs");
    drop(slave);
    // Drop the command too: it holds the terminal's other copy.
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        // Linux reports EIO once the last copy of the terminal's other end is closed.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        bytes
    });
    let mut pipe = String::new();
    match on {
        On::Stdout => child.stderr.take().unwrap().read_to_string(&mut pipe),
        On::Stderr => child.stdout.take().unwrap().read_to_string(&mut pipe),
    }
    .unwrap();
    let code = child.wait().unwrap().code();
    let terminal = String::from_utf8(reader.join().unwrap())
        .unwrap()
        .replace("\r\n", "\n");
    Seen {
        terminal,
        pipe,
        code,
    }
}
