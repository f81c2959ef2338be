//! Mutated shipped scenarios through the real binary: whatever a user types, `rappel validate`,
//! `rappel run` and `rappel trace` end on their own, within a time and a memory cap, with exit
//! code 0, 1 or 2 and no panic; a run that fails leaves no output folder.
//!
//! The mutations are deterministic (a fixed xorshift seed per file and case, independent of any
//! environment variable), so a failure is the same on every machine. They never make a run
//! longer by design: numbers that scale the amount of work (`rate_per_hour`, `rates_per_hour`,
//! `day_scale`, `days`, `horizon`, `replications`, word of mouth) are only replaced by smaller
//! or invalid values, and `interval` by larger or invalid ones, so a valid mutated scenario
//! runs about as fast as its original and a timeout is a hang, not a long run. See
//! docs/fuzzing.md for how to reproduce a failure.

#![cfg(unix)]

use std::fs::{self, File};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Mutated cases per shipped scenario, besides the unmutated file itself.
const CASES: usize = if cfg!(debug_assertions) { 10 } else { 120 };

/// Wall time after which a command counts as hung and is killed: a valid mutated scenario
/// runs in well under a second (release build).
const TIME_CAP: Duration = Duration::from_secs(20);

/// Address space of a command (`ulimit -v`, KiB): 512 MiB, against about 7 MB used.
const MEMORY_CAP_KIB: u64 = 512 * 1024;

/// After this many failures no new case starts (each hang costs `TIME_CAP`).
const MAX_FAILURES: usize = 10;

/// Failures shown with their whole text.
const SHOWN: usize = 5;

/// Numbers of the work a run does: never increased by a mutation.
const SCALE_KEYS: [&str; 8] = [
    "rate_per_hour",
    "rates_per_hour",
    "day_scale",
    "days",
    "horizon",
    "replications",
    "word_of_mouth",
    "word_of_mouth_gain",
];

/// Numbers whose decrease makes more work: never decreased by a mutation.
const INVERSE_SCALE_KEYS: [&str; 1] = ["interval"];

/// Replacements for a number.
const EDGE_NUMBERS: [&str; 26] = [
    "0",
    "-0",
    "-1",
    "1",
    "0.5",
    "1e-9",
    "5e-324",
    "1e308",
    "-1e308",
    "2147483647",
    "-2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "18446744073709551616",
    "99999999999999999999999",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "1_000",
    "\"x\"",
    "\"\"",
    "true",
    "[]",
    "{}",
];

/// Replacements for the text of a duration string, with how they change its length.
const EDGE_DURATIONS: [(&str, Change); 14] = [
    ("0s", Change::Shrink),
    ("0", Change::Shrink),
    ("1e-9s", Change::Shrink),
    ("1s", Change::Shrink),
    ("-1s", Change::Neutral),
    ("1e9d", Change::Grow),
    ("99999999999999999999d", Change::Grow),
    ("nan", Change::Neutral),
    ("infs", Change::Neutral),
    ("", Change::Neutral),
    ("1h1h", Change::Neutral),
    ("24:00", Change::Neutral),
    ("1.5", Change::Shrink),
    ("5 parsecs", Change::Neutral),
];

/// Distribution names, known and not.
const DISTS: [&str; 9] = [
    "exponential",
    "lognormal",
    "gamma",
    "erlang",
    "uniform",
    "constant",
    "empirical",
    "weibull",
    "",
];

/// How a replacement changes a number.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Change {
    Grow,
    Shrink,
    Neutral,
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number from 0 to `n - 1` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// FNV-1a of a name, so that a file's cases do not depend on the other files.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The key whose value holds byte `pos`: the word before the nearest `=` before it.
fn key_before(text: &str, pos: usize) -> &str {
    let Some(eq) = text[..pos].rfind('=') else {
        return "";
    };
    let head = text[..eq].trim_end();
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    &head[start..]
}

/// How replacing the number `from` by `to` changes it.
fn change(from: &str, to: &str) -> Change {
    let num = |s: &str| s.replace('_', "").parse::<f64>().ok();
    match (num(from), num(to)) {
        (Some(a), Some(b)) if b > a => Change::Grow,
        (Some(a), Some(b)) if b < a => Change::Shrink,
        _ => Change::Neutral,
    }
}

/// Whether a change of `key` would make more work.
fn more_work(key: &str, c: Change) -> bool {
    (SCALE_KEYS.contains(&key) && c == Change::Grow)
        || (INVERSE_SCALE_KEYS.contains(&key) && c == Change::Shrink)
}

/// Byte ranges of the numbers outside comments.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' {
            line_start = i + 1;
        }
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b"_.".contains(&b[i - 1]));
        if b[i].is_ascii_digit() && boundary && !is_comment(&text[line_start..i]) {
            let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut j = i;
            while j < b.len()
                && (b[j].is_ascii_digit()
                    || b"._".contains(&b[j])
                    || (b"eE".contains(&b[j])
                        && j + 1 < b.len()
                        && b"0123456789+-".contains(&b[j + 1]))
                    || (b"+-".contains(&b[j]) && b"eE".contains(&b[j - 1])))
            {
                j += 1;
            }
            out.push((start, j));
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Byte ranges of the contents of the strings that look like durations ("6m", "30s", "1.5h").
fn durations(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !is_comment(line) {
            let mut parts = line.split('"');
            let mut at = offset;
            if let Some(first) = parts.next() {
                at += first.len() + 1;
            }
            let mut inside = true;
            for part in parts {
                let looks = part.starts_with(|c: char| c.is_ascii_digit())
                    && part.ends_with(|c: char| c.is_ascii_alphabetic());
                if inside && looks {
                    out.push((at, at + part.len()));
                }
                at += part.len() + 1;
                inside = !inside;
            }
        }
        offset += line.len();
    }
    out
}

/// Lines of the form `key = value` outside comments: (line index, key, value).
fn assignments(lines: &[String]) -> Vec<(usize, String, String)> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !is_comment(l) && !l.trim_start().starts_with('['))
        .filter_map(|(i, l)| {
            let (k, v) = l.split_once('=')?;
            let k = k.trim();
            let word = !k.is_empty() && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
            word.then(|| (i, k.to_string(), v.trim().to_string()))
        })
        .collect()
}

/// A `key = value` line of a shipped scenario and the table it is in (`[[teams]]`, `[entry]`,
/// empty at the top).
#[derive(Clone)]
struct Known {
    table: String,
    key: String,
    value: String,
}

/// Every `key = value` line of the shipped scenarios, commented-out ones included: what a
/// mutation inserts or borrows values from.
fn pool(texts: &[String]) -> Vec<Known> {
    let mut out = Vec::new();
    for text in texts {
        let mut table = String::new();
        for l in text.lines() {
            if l.starts_with('[') {
                table = l.trim().to_string();
                continue;
            }
            let l = l.trim_start().trim_start_matches('#').trim();
            let Some((k, v)) = l.split_once(" = ") else {
                continue;
            };
            let word = !k.is_empty() && k.bytes().all(|c| c.is_ascii_lowercase() || c == b'_');
            // A value that ends on its line: a whole inline table or array.
            let whole = v.matches(['[', '{']).count() == v.matches([']', '}']).count();
            if word && whole && !v.is_empty() {
                out.push(Known {
                    table: table.clone(),
                    key: k.to_string(),
                    value: v.to_string(),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.table, &a.key, &a.value).cmp(&(&b.table, &b.key, &b.value)));
    out.dedup_by(|a, b| (&a.table, &a.key, &a.value) == (&b.table, &b.key, &b.value));
    out
}

/// The table of the file that line `i` is in.
fn table_of(lines: &[String], i: usize) -> &str {
    lines[..i]
        .iter()
        .rev()
        .find(|l| l.starts_with('['))
        .map_or("", |l| l.trim())
}

/// One mutation of `text`, described in `log`; `None` when it found nothing to change.
fn mutate(text: &str, pool: &[Known], rng: &mut Rng, log: &mut Vec<String>) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let join = |lines: &[String]| lines.join("\n") + "\n";
    let line_no = |pos: usize| text[..pos].matches('\n').count() + 1;
    match rng.below(14) {
        0 | 1 => {
            // A number replaced by an edge value.
            let spots = numbers(text);
            if spots.is_empty() {
                return None;
            }
            let (a, b) = *rng.pick(&spots);
            let key = key_before(text, a);
            let from = &text[a..b];
            let candidates: Vec<&str> = EDGE_NUMBERS
                .iter()
                .copied()
                .filter(|to| !more_work(key, change(from, to)))
                .collect();
            let to = rng.pick(&candidates);
            log.push(format!(
                "line {}: `{key}` number {from} -> {to}",
                line_no(a)
            ));
            Some(format!("{}{to}{}", &text[..a], &text[b..]))
        }
        2 => {
            // A duration replaced by an edge value.
            let spots = durations(text);
            if spots.is_empty() {
                return None;
            }
            let (a, b) = *rng.pick(&spots);
            let key = key_before(text, a);
            let candidates: Vec<&str> = EDGE_DURATIONS
                .iter()
                .filter(|(_, c)| !more_work(key, *c))
                .map(|(d, _)| *d)
                .collect();
            let to = rng.pick(&candidates);
            log.push(format!(
                "line {}: `{key}` duration \"{}\" -> \"{to}\"",
                line_no(a),
                &text[a..b]
            ));
            Some(format!("{}{to}{}", &text[..a], &text[b..]))
        }
        3 => {
            // A line deleted or duplicated.
            let spots: Vec<usize> = (0..lines.len())
                .filter(|&i| !is_comment(&lines[i]) && !lines[i].trim().is_empty())
                .collect();
            if spots.is_empty() {
                return None;
            }
            let i = *rng.pick(&spots);
            if rng.below(2) == 0 {
                log.push(format!("line {}: deleted `{}`", i + 1, lines[i]));
                lines.remove(i);
            } else {
                log.push(format!("line {}: duplicated `{}`", i + 1, lines[i]));
                lines.insert(i, lines[i].clone());
            }
            Some(join(&lines))
        }
        4 => {
            // A key renamed: a typo, a dotted key, or another key of the format.
            let spots = assignments(&lines);
            if spots.is_empty() {
                return None;
            }
            let (i, key, value) = rng.pick(&spots).clone();
            let to = match rng.below(5) {
                0 => format!("{key}s"),
                1 => key[..key.len() - 1].to_string(),
                2 => key.to_uppercase(),
                3 => format!("{key}.{}", rng.pick(pool).key),
                _ => rng.pick(pool).key.clone(),
            };
            if to == key
                || SCALE_KEYS.contains(&to.as_str())
                || INVERSE_SCALE_KEYS.contains(&to.as_str())
            {
                return None;
            }
            log.push(format!("line {}: key `{key}` -> `{to}`", i + 1));
            lines[i] = format!("{to} = {value}");
            Some(join(&lines))
        }
        5 => {
            // A table duplicated, in place or at the end.
            let heads: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].trim_start().starts_with('['))
                .collect();
            if heads.is_empty() {
                return None;
            }
            let start = *rng.pick(&heads);
            let end = heads
                .iter()
                .copied()
                .find(|&h| h > start)
                .unwrap_or(lines.len());
            let block: Vec<String> = lines[start..end].to_vec();
            log.push(format!(
                "line {}: table `{}` duplicated",
                start + 1,
                lines[start]
            ));
            let at = if rng.below(2) == 0 { end } else { lines.len() };
            lines.splice(at..at, block);
            Some(join(&lines))
        }
        6 => {
            // A one-line array changed: emptied, shortened, lengthened, reversed, one element replaced.
            let spots: Vec<(usize, String, String)> = assignments(&lines)
                .into_iter()
                .filter(|(_, _, v)| v.starts_with('[') && v.ends_with(']'))
                .collect();
            if spots.is_empty() {
                return None;
            }
            let (i, key, value) = rng.pick(&spots).clone();
            let mut items: Vec<String> = value[1..value.len() - 1]
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            let what = match rng.below(5) {
                0 => {
                    items.clear();
                    "emptied"
                }
                1 => {
                    items.pop();
                    "shortened"
                }
                2 => {
                    if let Some(last) = items.last().cloned() {
                        items.push(last);
                    }
                    "lengthened"
                }
                3 => {
                    items.reverse();
                    "reversed"
                }
                _ => {
                    if !items.is_empty() {
                        let j = rng.below(items.len());
                        let candidates: Vec<&str> = EDGE_NUMBERS
                            .iter()
                            .copied()
                            .filter(|to| !more_work(&key, change(&items[j], to)))
                            .collect();
                        items[j] = (*rng.pick(&candidates)).to_string();
                    }
                    "one element replaced"
                }
            };
            log.push(format!("line {}: array `{key}` {what}", i + 1));
            lines[i] = format!("{key} = [{}]", items.join(", "));
            Some(join(&lines))
        }
        7 | 13 => {
            // A key of the format inserted after a table header (or at the top).
            let Known { table, key, value } = rng.pick(pool).clone();
            if SCALE_KEYS.contains(&key.as_str()) || INVERSE_SCALE_KEYS.contains(&key.as_str()) {
                return None;
            }
            // Mostly into a table of the kind it comes from, so that it may be valid.
            let heads: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with('['))
                .collect();
            let same: Vec<usize> = heads
                .iter()
                .copied()
                .filter(|&i| lines[i].trim() == table)
                .collect();
            let at = if rng.below(4) > 0 && (table.is_empty() || !same.is_empty()) {
                if table.is_empty() {
                    0
                } else {
                    rng.pick(&same) + 1
                }
            } else if heads.is_empty() || rng.below(4) == 0 {
                0
            } else {
                rng.pick(&heads) + 1
            };
            log.push(format!("line {}: inserted `{key} = {value}`", at + 1));
            lines.insert(at, format!("{key} = {value}"));
            Some(join(&lines))
        }
        8 => {
            // A commented-out key uncommented.
            let spots: Vec<usize> = (0..lines.len())
                .filter(|&i| {
                    let l = lines[i].trim_start();
                    l.starts_with("# ")
                        && l[2..].split_once(" = ").is_some_and(|(k, _)| {
                            !k.is_empty() && k.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
                        })
                })
                .collect();
            if spots.is_empty() {
                return None;
            }
            let i = *rng.pick(&spots);
            lines[i] = lines[i].trim_start()[2..].to_string();
            log.push(format!("line {}: uncommented `{}`", i + 1, lines[i]));
            Some(join(&lines))
        }
        9 | 10 => {
            // A value replaced by another key's value: a string where a number goes, a table
            // where a list goes...
            let spots = assignments(&lines);
            if spots.is_empty() {
                return None;
            }
            let (i, key, _) = rng.pick(&spots).clone();
            if SCALE_KEYS.contains(&key.as_str()) || INVERSE_SCALE_KEYS.contains(&key.as_str()) {
                return None;
            }
            // Half the time a value the same key has elsewhere (another flow, policy,
            // distribution), else any key's value.
            let here = table_of(&lines, i);
            let same: Vec<&Known> = pool
                .iter()
                .filter(|k| k.key == key && k.table == here)
                .collect();
            let names: Vec<&str> = lines
                .iter()
                .filter_map(|l| l.trim().strip_prefix("name = "))
                .collect();
            let value = match rng.below(4) {
                0 | 1 if !same.is_empty() => rng.pick(&same).value.clone(),
                // A name of this file: a team escalating to another, or to itself.
                2 if !names.is_empty() => rng.pick(&names).to_string(),
                _ => rng.pick(pool).value.clone(),
            };
            log.push(format!("line {}: `{key}` takes `{value}`", i + 1));
            lines[i] = format!("{key} = {value}");
            Some(join(&lines))
        }
        11 => {
            // A number changed a little (halved, doubled, 10 % more or less, one more or less):
            // mutants that stay valid and reach the simulation.
            let spots = numbers(text);
            if spots.is_empty() {
                return None;
            }
            let (a, b) = *rng.pick(&spots);
            let key = key_before(text, a);
            let from = &text[a..b];
            let x: f64 = from.replace('_', "").parse().ok()?;
            let (how, y) = *rng.pick(&[
                ("halved", x * 0.5),
                ("doubled", x * 2.0),
                ("-10 %", x * 0.9),
                ("+10 %", x * 1.1),
                ("-1", x - 1.0),
                ("+1", x + 1.0),
            ]);
            let integer = !from.contains(['.', 'e', 'E']);
            let to = if integer && y.fract() == 0.0 {
                format!("{y}")
            } else {
                format!("{y:?}")
            };
            if more_work(key, change(from, &to)) {
                return None;
            }
            log.push(format!(
                "line {}: `{key}` number {from} {how} -> {to}",
                line_no(a)
            ));
            Some(format!("{}{to}{}", &text[..a], &text[b..]))
        }
        _ => {
            // A distribution swapped for another (its keys kept).
            let spots: Vec<usize> = text
                .match_indices("dist = \"")
                .map(|(i, _)| i + 8)
                .collect();
            if spots.is_empty() {
                return None;
            }
            let a = *rng.pick(&spots);
            let b = a + text[a..].find('"')?;
            let to = rng.pick(&DISTS);
            if text[a..b] == **to {
                return None;
            }
            log.push(format!(
                "line {}: dist \"{}\" -> \"{to}\"",
                line_no(a),
                &text[a..b]
            ));
            Some(format!("{}{to}{}", &text[..a], &text[b..]))
        }
    }
}

/// Damage at the byte level: a flipped bit, invalid UTF-8, a NUL, a cut, a byte-order mark.
fn damage(bytes: &mut Vec<u8>, rng: &mut Rng, log: &mut Vec<String>) {
    let at = rng.below(bytes.len() + 1);
    match rng.below(5) {
        0 if at < bytes.len() => {
            let bit = 1u8 << rng.below(8);
            log.push(format!(
                "byte {at}: {:#04x} -> {:#04x}",
                bytes[at],
                bytes[at] ^ bit
            ));
            bytes[at] ^= bit;
        }
        1 => {
            const BAD: [&[u8]; 4] = [&[0xff], &[0xc3], &[0xed, 0xa0, 0x80], &[0xe2, 0x82]];
            let bad = *rng.pick(&BAD);
            log.push(format!("byte {at}: inserted invalid UTF-8 {bad:02x?}"));
            bytes.splice(at..at, bad.iter().copied());
        }
        2 => {
            log.push(format!("byte {at}: inserted NUL"));
            bytes.insert(at, 0);
        }
        3 => {
            log.push(format!("cut at byte {at}"));
            bytes.truncate(at);
        }
        _ => {
            log.push("byte-order mark added".into());
            bytes.splice(0..0, [0xef, 0xbb, 0xbf]);
        }
    }
}

/// One input of the test: a name, what was done to it, and its bytes.
struct Case {
    name: String,
    log: Vec<String>,
    bytes: Vec<u8>,
}

/// Case `k` of a shipped scenario; case 0 is the file unchanged.
fn case(file: &str, text: &str, pool: &[Known], k: usize) -> Case {
    let mut rng = Rng::new(fnv(file) ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut log = Vec::new();
    let mut text = text.to_string();
    if k > 0 {
        let wanted = *rng.pick(&[1, 1, 1, 2, 2, 3]);
        let mut tries = 0;
        while log.len() < wanted && tries < 50 {
            tries += 1;
            if let Some(t) = mutate(&text, pool, &mut rng, &mut log) {
                text = t;
            }
        }
    }
    let mut bytes = text.into_bytes();
    if k > 0 && rng.below(8) == 0 {
        damage(&mut bytes, &mut rng, &mut log);
    }
    Case {
        name: format!("{file}-{k}"),
        log,
        bytes,
    }
}

/// How one command ended.
struct Ending {
    code: Option<i32>,
    signal: Option<i32>,
    hung: bool,
    stderr: String,
}

/// Runs the binary with `args` in `dir` under the caps; its output goes to files, so that a
/// full pipe cannot stall it.
fn exec(dir: &Path, args: &[&str]) -> Ending {
    let out = File::create(dir.join("stdout")).expect("stdout file");
    let err = File::create(dir.join("stderr")).expect("stderr file");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_CAP_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_rappel"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("sh starts");
    let start = Instant::now();
    let mut nap = Duration::from_millis(1);
    let (status, hung) = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break (status, false);
        }
        if start.elapsed() > TIME_CAP {
            child.kill().expect("kill");
            break (child.wait().expect("wait"), true);
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    };
    let stderr = fs::read(dir.join("stderr")).unwrap_or_default();
    Ending {
        code: status.code(),
        signal: status.signal(),
        hung,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// What is wrong with how a command ended, if anything.
fn verdict(e: &Ending) -> Option<String> {
    let tail = || {
        let s = e.stderr.trim_end();
        let cut = s.char_indices().rev().nth(600).map_or(0, |(i, _)| i);
        format!("stderr: {}", &s[cut..])
    };
    if e.hung {
        return Some(format!("hung: killed after {} s", TIME_CAP.as_secs()));
    }
    if let Some(sig) = e.signal {
        return Some(format!(
            "killed by signal {sig} (memory cap {MEMORY_CAP_KIB} KiB?); {}",
            tail()
        ));
    }
    if e.code == Some(101) || e.stderr.contains("panicked") {
        return Some(format!("panicked; {}", tail()));
    }
    match e.code {
        Some(0..=2) => None,
        c => Some(format!("exit code {c:?}; {}", tail())),
    }
}

/// The problems of one input, run through `validate`, `run` and (when valid) `trace`; also
/// whether `validate` accepted it.
fn check(bytes: &[u8]) -> (Vec<String>, bool) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("case.toml");
    fs::write(&file, bytes).expect("write case");
    let file = file.to_str().expect("UTF-8 path");
    let out = dir.path().join("out");
    let out_arg = out.to_str().expect("UTF-8 path");
    let mut problems = Vec::new();
    let v = exec(dir.path(), &["validate", file]);
    problems.extend(verdict(&v).map(|p| format!("`validate`: {p}")));
    let valid = v.code == Some(0);
    let r = exec(
        dir.path(),
        &[
            "run",
            file,
            "--replications",
            "1",
            "-j",
            "1",
            "--quiet",
            "--tickets",
            "--report",
            "--out",
            out_arg,
        ],
    );
    problems.extend(verdict(&r).map(|p| format!("`run -r 1 --tickets --report`: {p}")));
    let debris = out.exists() && fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some());
    if r.code.is_some_and(|c| c != 0) && debris {
        problems.push(format!(
            "`run` failed with exit code {:?} but left files in its output folder",
            r.code
        ));
    }
    if valid {
        let t = exec(dir.path(), &["trace", file, "--customers", "3"]);
        problems.extend(verdict(&t).map(|p| format!("`trace -n 3`: {p}")));
    }
    (problems, valid)
}

/// The shipped scenarios: (file name, text).
fn shipped() -> Vec<(String, String)> {
    crate::common::shipped()
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                fs::read_to_string(&p).expect("shipped scenario reads"),
            )
        })
        .collect()
}

/// Runs `cases` on two threads; returns the failures and how many cases were valid.
fn check_all(cases: &[Case]) -> (Vec<(usize, Vec<String>)>, usize) {
    let next = AtomicUsize::new(0);
    let valid = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= cases.len() || failures.lock().unwrap().len() >= MAX_FAILURES {
                        break;
                    }
                    let (problems, ok) = check(&cases[i].bytes);
                    if ok {
                        valid.fetch_add(1, Ordering::Relaxed);
                    }
                    if !problems.is_empty() {
                        failures.lock().unwrap().push((i, problems));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort_by_key(|f| f.0);
    (failures, valid.into_inner())
}

/// Where failing inputs are saved for reproduction.
fn saved_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("robustness")
}

/// A readable account of the failures; saves each failing input beside the others.
fn report(cases: &[Case], failures: &[(usize, Vec<String>)]) -> String {
    let dir = saved_dir();
    fs::create_dir_all(&dir).expect("folder for failing inputs");
    let mut msg = format!(
        "{} of {} inputs broke the contract (saved in {}; stopped after {MAX_FAILURES}):\n",
        failures.len(),
        cases.len(),
        dir.display()
    );
    for (n, (i, problems)) in failures.iter().enumerate() {
        let c = &cases[*i];
        let saved = dir.join(format!("{}.toml", c.name));
        fs::write(&saved, &c.bytes).expect("save failing input");
        msg += &format!("\n== {} ({})\n", c.name, saved.display());
        for m in &c.log {
            msg += &format!("  mutation: {m}\n");
        }
        for p in problems {
            msg += &format!("  problem: {p}\n");
        }
        if n < SHOWN {
            msg += &format!("  text:\n{}\n", String::from_utf8_lossy(&c.bytes));
        }
    }
    msg
}

/// The files named by `RAPPEL_ROBUSTNESS_FILES` (paths separated by `:`; a folder stands for
/// the files in it), checked unmutated besides the mutants: a way to put a finding of the
/// fuzzer or a bug report through the same checks.
fn extra_files() -> Vec<Case> {
    let Some(list) = std::env::var_os("RAPPEL_ROBUSTNESS_FILES") else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    for p in std::env::split_paths(&list) {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = fs::read_dir(&p)
                .expect("RAPPEL_ROBUSTNESS_FILES folder reads")
                .map(|e| e.expect("folder entry").path())
                .filter(|f| f.is_file())
                .collect();
            inside.sort();
            paths.extend(inside);
        } else {
            paths.push(p);
        }
    }
    paths
        .into_iter()
        .map(|p| Case {
            name: p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            log: vec![format!("unmutated {}", p.display())],
            bytes: fs::read(&p).expect("RAPPEL_ROBUSTNESS_FILES file reads"),
        })
        .collect()
}

#[test]
fn mutated_shipped_scenarios_never_panic_hang_or_exhaust_memory() {
    let files = shipped();
    let texts: Vec<String> = files.iter().map(|(_, t)| t.clone()).collect();
    let pool = pool(&texts);
    let mut cases: Vec<Case> = files
        .iter()
        .flat_map(|(name, text)| {
            (0..=CASES)
                .map(|k| case(name, text, &pool, k))
                .collect::<Vec<_>>()
        })
        .collect();
    cases.extend(extra_files());
    let start = Instant::now();
    let (failures, valid) = check_all(&cases);
    eprintln!(
        "robustness: {} inputs ({valid} valid) in {:.1} s",
        cases.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", report(&cases, &failures));
    // The unmutated files are valid, and enough mutants are valid to reach the simulation.
    assert!(
        valid >= files.len() + cases.len() / 10,
        "only {valid} of {} inputs valid",
        cases.len()
    );
}

#[test]
fn the_mutations_are_deterministic_and_change_the_text() {
    let files = shipped();
    let texts: Vec<String> = files.iter().map(|(_, t)| t.clone()).collect();
    let pool = pool(&texts);
    let (name, text) = &files[0];
    assert_eq!(
        case(name, text, &pool, 0).bytes,
        text.as_bytes(),
        "case 0 is the file itself"
    );
    for k in 1..=CASES {
        let a = case(name, text, &pool, k);
        let b = case(name, text, &pool, k);
        assert_eq!(a.bytes, b.bytes, "case {k} is the same every time");
        assert!(!a.log.is_empty(), "case {k} mutates something");
    }
}

#[test]
fn the_checker_catches_a_panic_a_signal_and_a_hang() {
    let ending = |code, signal, hung, stderr: &str| Ending {
        code,
        signal,
        hung,
        stderr: stderr.into(),
    };
    assert!(verdict(&ending(Some(0), None, false, "")).is_none());
    assert!(verdict(&ending(Some(2), None, false, "error: x.toml:3:1: ...")).is_none());
    assert!(verdict(&ending(Some(101), None, false, "")).is_some());
    assert!(
        verdict(&ending(
            Some(1),
            None,
            false,
            "thread 'main' panicked at src/x.rs"
        ))
        .is_some()
    );
    assert!(
        verdict(&ending(
            None,
            Some(6),
            false,
            "memory allocation of 8 bytes failed"
        ))
        .is_some()
    );
    assert!(verdict(&ending(None, Some(9), true, "")).is_some());
    assert!(verdict(&ending(Some(3), None, false, "")).is_some());
}
