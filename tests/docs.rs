//! Every command shown in README.md and docs/ runs.
//!
//! The test reads README.md and every `docs/**/*.md` and goes through each page's fenced
//! code blocks in order:
//!
//! - ```` ```sh ```` and ```` ```console ```` blocks (in `console`, only lines starting with
//!   `$ ` are commands; the rest is output). A `cat > FILE <<'EOF'` ... `EOF` block writes
//!   FILE. A line that starts with `rappel ` or `cargo run --release -- ` (also after
//!   `time `) runs the built binary, `env!("CARGO_BIN_EXE_rappel")`. Any other line
//!   (`cargo test`, `python3`, `Rscript`, `man`, `cut`) is skipped.
//! - ```` ```python ```` and ```` ```r ```` blocks: every quoted name in them that looks like
//!   a column or a metric (`"service_level"`, `'ci95_low'`, `"entry.max_queue"`) must be a
//!   column, or a value of a text column, of the CSV files that block or an earlier one of
//!   the same page reads (`"summary.csv"`), as the commands above it on the page wrote them.
//!   A quoted folder (`"out/realistic-day/"`) must exist.
//!
//! Each page runs in its own fresh temporary directory holding a copy of scenarios/ and
//! data/, so `scenarios/...` and `data/...` paths work and no page leans on another. A command must exit with 0, or
//! with N when its line ends with a comment `# exit N` (bad-input examples).
//!
//! Shell features are handled simply: `> FILE` (and `>> FILE`) stores standard output in
//! FILE, `2> FILE` standard error, `< FILE` feeds standard input, `~/` is a folder of the
//! temporary directory, and everything from `|`, `&&`, `||`, `;` or `&` on is ignored: of
//! `rappel trace ... | head` only the rappel part runs. To keep the suite fast, `run`,
//! `compare`, `sweep` and `staff` get `--replications 2` when the line sets neither
//! `--replications` (`-r`) nor `--precision`; `--tickets` and `--report` run as written.
//!
//! Fixtures, files a page uses without creating them: README.md's `volumes.csv` (see
//! [`FIXTURES`]). Every other input file must be created by the page itself, with
//! `rappel example > my.toml` or a `cat > FILE <<'EOF'` block.

use crate::common::root;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Files a page uses without creating them: (page, file, contents).
const FIXTURES: &[(&str, &str, &str)] = &[(
    "README.md",
    "volumes.csv",
    "interval_start,calls\n08:00,40\n08:30,65\n09:00,90\n09:30,110\n",
)];

/// Quoted words of the pandas and R snippets that are neither columns nor values: argument
/// values of the libraries.
const NOT_COLUMNS: &[&str] = &["wide", "long", "coerce", "left", "inner", "outer"];

/// Subcommands that get `--replications 2` unless the line says how many.
const SLOW: &[&str] = &["run", "compare", "sweep", "staff"];

/// Longest a single documented command may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What checking one page did.
#[derive(Default)]
struct Report {
    /// Commands run.
    commands: usize,
    /// Python and R blocks checked.
    snippets: usize,
    /// What went wrong, one message each.
    failures: Vec<String>,
}

/// A fenced code block.
struct Block {
    /// Its language, lower case (`sh`, `console`, `python`, `r`, `toml`...).
    lang: String,
    /// Line number of its first content line (1-based).
    first: usize,
    /// Its content lines, without the fence's indentation.
    lines: Vec<String>,
}

/// The fenced code blocks of a Markdown text, in order.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Block, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let lang = info.split_whitespace().next().unwrap_or("");
                    let block = Block {
                        lang: lang.to_lowercase(),
                        first: i + 2,
                        lines: Vec::new(),
                    };
                    open = Some((block, indent));
                }
            }
            Some((mut block, fence_indent)) => {
                if trimmed.starts_with("```") && trimmed.trim_end() == "```" {
                    out.push(block);
                } else {
                    let cut = indent.min(fence_indent);
                    block.lines.push(line[cut..].to_string());
                    open = Some((block, fence_indent));
                }
            }
        }
    }
    out
}

/// A shell token: a word (quotes removed) or an operator (`|`, `&&`, `>`, `2>`...).
#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Op(String),
}

/// Splits a shell line into words and operators, as a POSIX shell would for the simple
/// lines the docs show (quotes, backslashes, `#` comments). Returns the comment too.
fn tokenize(line: &str) -> (Vec<Tok>, Option<String>) {
    let chars: Vec<char> = line.chars().collect();
    let mut toks = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut comment = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => {
                if in_word {
                    toks.push(Tok::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
                i += 1;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '"' => {
                in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\'
                        && i + 1 < chars.len()
                        && matches!(chars[i + 1], '"' | '\\' | '$' | '`')
                    {
                        i += 1;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
                i += 1;
            }
            '\\' => {
                in_word = true;
                if i + 1 < chars.len() {
                    word.push(chars[i + 1]);
                }
                i += 2;
            }
            '#' if !in_word => {
                comment = Some(chars[i + 1..].iter().collect());
                break;
            }
            '|' | '&' | ';' | '>' | '<' => {
                let mut op = String::new();
                if c == '>' && in_word && word == "2" {
                    word.clear();
                    in_word = false;
                    op.push('2');
                } else if in_word {
                    toks.push(Tok::Word(std::mem::take(&mut word)));
                    in_word = false;
                }
                op.push(c);
                if i + 1 < chars.len() && chars[i + 1] == c && c != ';' {
                    op.push(c);
                    i += 1;
                }
                i += 1;
                toks.push(Tok::Op(op));
            }
            _ => {
                in_word = true;
                word.push(c);
                i += 1;
            }
        }
    }
    if in_word {
        toks.push(Tok::Word(word));
    }
    (toks, comment)
}

/// The exit code a line's comment announces (`# exit 2`), if any.
fn expected_exit(comment: Option<&str>) -> Option<i32> {
    let c = comment?;
    let at = c.find("exit ")?;
    let digits: String = c[at + 5..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A path of a command line inside the page's directory (`~/x` is `DIR/home/x`).
fn in_dir(dir: &Path, path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => dir.join("home").join(rest),
        None => dir.join(path),
    }
}

/// A command of a page, ready to run.
#[derive(Debug, Default)]
struct Invocation {
    args: Vec<String>,
    stdout: Option<String>,
    stderr: Option<String>,
    stdin: Option<String>,
    exit: i32,
}

/// The rappel command of a shell line, or `None` when the line runs something else.
fn invocation(line: &str) -> Option<Invocation> {
    let (toks, comment) = tokenize(line);
    let mut words = Vec::new();
    let mut inv = Invocation {
        exit: expected_exit(comment.as_deref()).unwrap_or(0),
        ..Invocation::default()
    };
    let mut it = toks.into_iter();
    while let Some(t) = it.next() {
        match t {
            Tok::Word(w) => words.push(w),
            Tok::Op(op) => {
                let target = match it.next() {
                    Some(Tok::Word(w)) => Some(w),
                    _ => None,
                };
                match op.as_str() {
                    ">" | ">>" => inv.stdout = target,
                    "2>" | "2>>" => inv.stderr = target,
                    "<" => inv.stdin = target,
                    _ => break, // |, ||, &&, ;, &: the rest is another command
                }
            }
        }
    }
    if words.first().is_some_and(|w| w == "time") {
        words.remove(0);
    }
    let args = if words.first().is_some_and(|w| w == "rappel") {
        words.split_off(1)
    } else if words.len() >= 4 && words[..4] == ["cargo", "run", "--release", "--"] {
        words.split_off(4)
    } else {
        return None;
    };
    inv.args = args;
    let sets = |flags: &[&str]| {
        inv.args.iter().any(|a| {
            flags
                .iter()
                .any(|f| a == f || a.starts_with(&format!("{f}=")))
        })
    };
    let slow = inv.args.first().is_some_and(|c| SLOW.contains(&c.as_str()));
    if slow && !sets(&["-r", "--replications", "--precision", "-h", "--help"]) {
        inv.args.extend(["--replications".into(), "2".into()]);
    }
    Some(inv)
}

/// Runs one command in `dir`; a message if it did not end as documented.
fn run(dir: &Path, inv: &Invocation) -> Option<String> {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_rappel"));
    let args: Vec<String> = inv.args.iter().flat_map(|a| glob(dir, a)).collect();
    cmd.args(&args).current_dir(dir).timeout(TIMEOUT);
    if let Some(f) = &inv.stdin {
        match std::fs::read(in_dir(dir, f)) {
            Ok(bytes) => {
                cmd.write_stdin(bytes);
            }
            Err(e) => return Some(format!("cannot read its standard input {f}: {e}")),
        }
    }
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => return Some(format!("did not finish: {e}")),
    };
    for (target, bytes) in [(&inv.stdout, &out.stdout), (&inv.stderr, &out.stderr)] {
        if let Some(f) = target {
            let path = in_dir(dir, f);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("redirection folder");
            }
            std::fs::write(&path, bytes).expect("redirection written");
        }
    }
    let code = out.status.code();
    if code == Some(inv.exit) {
        return None;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(8).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Some(format!(
        "exited with {code:?}, expected {} (mark a line `# exit N` if that is what it shows)\n      {}",
        inv.exit,
        tail.join("\n      ")
    ))
}

/// A word as a shell expands it: a `*` in its last path component matches the files of
/// that folder (sorted); any other word, or a pattern that matches nothing, is itself.
fn glob(dir: &Path, word: &str) -> Vec<String> {
    let (folder, pattern) = word.rsplit_once('/').unwrap_or(("", word));
    if !pattern.contains('*') || folder.contains('*') {
        return vec![word.to_string()];
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let matches = |name: &str| {
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        let mut rest = match name.strip_prefix(first) {
            Some(r) => r,
            None => return false,
        };
        for p in &parts[1..parts.len() - 1] {
            match rest.find(p) {
                Some(at) => rest = &rest[at + p.len()..],
                None => return false,
            }
        }
        rest.ends_with(last) && !name.starts_with('.')
    };
    let mut found: Vec<String> = std::fs::read_dir(in_dir(dir, folder))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| matches(n))
                .map(|n| {
                    if folder.is_empty() {
                        n
                    } else {
                        format!("{folder}/{n}")
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    if found.is_empty() {
        vec![word.to_string()]
    } else {
        found
    }
}

/// The `cat > FILE <<'EOF'` of a line: the file and the end marker.
fn heredoc(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("cat")?;
    let (head, marker) = rest.split_once("<<")?;
    let file = head.trim().strip_prefix('>')?.trim();
    let marker = marker.trim().trim_start_matches('-').trim();
    let marker = marker.trim_matches(|c| c == '\'' || c == '"');
    if file.is_empty() || marker.is_empty() {
        return None;
    }
    Some((file.to_string(), marker.to_string()))
}

/// Runs the commands of a `sh` or `console` block in `dir`.
fn run_block(page: &str, block: &Block, dir: &Path, report: &mut Report) {
    let console = block.lang == "console";
    let mut i = 0;
    while i < block.lines.len() {
        let at = block.first + i;
        let mut line = block.lines[i].trim().to_string();
        i += 1;
        if console {
            match line.strip_prefix("$ ") {
                Some(l) => line = l.to_string(),
                None => continue,
            }
        }
        while line.ends_with('\\') && i < block.lines.len() {
            line.pop();
            line.push(' ');
            line.push_str(block.lines[i].trim());
            i += 1;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((file, marker)) = heredoc(&line) {
            let mut text = String::new();
            while i < block.lines.len() && block.lines[i].trim_end() != marker {
                text.push_str(&block.lines[i]);
                text.push('\n');
                i += 1;
            }
            i += 1;
            let path = in_dir(dir, &file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
            std::fs::write(&path, text).expect("here-document written");
            continue;
        }
        let Some(inv) = invocation(&line) else {
            continue;
        };
        report.commands += 1;
        let start = Instant::now();
        if let Some(problem) = run(dir, &inv) {
            report
                .failures
                .push(format!("{page}:{at}: `{line}`: {problem}"));
        }
        let took = start.elapsed();
        if took > Duration::from_secs(5) {
            eprintln!("note: {page}:{at} took {took:.1?}: `{line}`");
        }
    }
}

/// The quoted strings of a Python or R snippet, with the line of each, `#` comments left out.
fn quoted(block: &Block) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in block.lines.iter().enumerate() {
        let mut quote: Option<char> = None;
        let mut cur = String::new();
        for c in line.chars() {
            match quote {
                Some(q) if c == q => {
                    out.push((block.first + n, std::mem::take(&mut cur)));
                    quote = None;
                }
                Some(_) => cur.push(c),
                None if c == '#' => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                None => {}
            }
        }
    }
    out
}

/// Whether a quoted string reads like a column or metric name (`ci95_low`, `entry.max_queue`).
fn is_name(s: &str) -> bool {
    let known_ext = [".csv", ".toml", ".json", ".html", ".py", ".r", ".md"];
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && !known_ext.iter().any(|e| s.to_lowercase().ends_with(e))
}

/// Whether a quoted string of a snippet names a folder (`"out/realistic-day/"`).
fn is_folder(s: &str) -> bool {
    s.contains('/')
        && !s.contains(' ')
        && s.rsplit('/').next().is_none_or(|last| !last.contains('.'))
}

/// The column names an R snippet takes with `$` (`intervals$service_level`), with their lines.
fn dollar_names(block: &Block) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in block.lines.iter().enumerate() {
        let code = line.split('#').next().unwrap_or("");
        for part in code.split('$').skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            if !name.is_empty() {
                out.push((block.first + n, name));
            }
        }
    }
    out
}

/// Files named `name` under `dir`, at any depth.
fn find_files(dir: &Path, name: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            find_files(&p, name, found);
        } else if p.file_name().is_some_and(|f| f == name) {
            found.push(p);
        }
    }
}

/// The header and the text cells (first rows) of a CSV file.
fn names_in_csv(path: &Path, names: &mut BTreeSet<String>) -> Result<(), String> {
    let mut r = csv::Reader::from_path(path).map_err(|e| e.to_string())?;
    names.extend(
        r.headers()
            .map_err(|e| e.to_string())?
            .iter()
            .map(String::from),
    );
    for rec in r.records().take(20_000) {
        let rec = rec.map_err(|e| e.to_string())?;
        for cell in rec.iter() {
            if !cell.is_empty() && cell.parse::<f64>().is_err() {
                names.insert(cell.to_string());
            }
        }
    }
    Ok(())
}

/// Checks a Python or R snippet against the files the page's commands wrote. `names`
/// gathers the columns and values of the files read so far on the page.
fn check_snippet(
    page: &str,
    block: &Block,
    dir: &Path,
    names: &mut BTreeSet<String>,
    report: &mut Report,
) {
    report.snippets += 1;
    let mut strings = quoted(block);
    let folders: Vec<&str> = strings
        .iter()
        .map(|(_, s)| s.as_str())
        .filter(|s| is_folder(s))
        .collect();
    for (at, s) in &strings {
        if is_folder(s) && !in_dir(dir, s).is_dir() {
            report.failures.push(format!(
                "{page}:{at}: the snippet reads the folder {s:?}, which no command above it wrote"
            ));
        }
    }
    for (at, s) in strings.iter().filter(|(_, s)| s.ends_with(".csv")) {
        let mut files = Vec::new();
        if s.contains('/') {
            files.push(in_dir(dir, s));
        } else {
            files.extend(folders.iter().map(|f| in_dir(dir, f).join(s)));
            if files.is_empty() {
                find_files(dir, s, &mut files);
            }
        }
        files.retain(|f| f.is_file());
        if files.is_empty() {
            report.failures.push(format!(
                "{page}:{at}: the snippet reads {s}, which no command above it wrote"
            ));
        }
        for f in files {
            if let Err(e) = names_in_csv(&f, names) {
                report
                    .failures
                    .push(format!("{page}:{at}: {} does not read: {e}", f.display()));
            }
        }
    }
    if block.lang == "r" {
        strings.extend(dollar_names(block));
    }
    for (at, s) in &strings {
        if is_name(s) && !names.contains(s) && !NOT_COLUMNS.contains(&s.as_str()) {
            report.failures.push(format!(
                "{page}:{at}: the snippet uses {s:?}, which is no column (nor value) of the CSV files it reads"
            ));
        }
    }
}

/// Copies the files of `from` into `to`, and its folders (such as scenarios/forecast/, the
/// forecast file of scenarios/forecast.toml) with theirs.
fn copy_files(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).expect("scenarios/") {
        let p = e.expect("entry").path();
        let target = to.join(p.file_name().expect("name"));
        if p.is_file() {
            std::fs::copy(&p, target).expect("copied");
        } else if p.is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
            copy_files(&p, &target);
        }
    }
}

/// Runs the commands of one page and checks its snippets.
fn check_page(page: &str, text: &str) -> Report {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let dir = tmp.path();
    let scenarios = dir.join("scenarios");
    std::fs::create_dir(&scenarios).expect("scenarios folder");
    // The shipped scenarios, and those of their folders (scenarios/flagship/, forecast/).
    copy_files(&root().join("scenarios"), &scenarios);
    // The shipped data (data/: the Anonymous Bank log and its excerpt), for `rappel fit`.
    let data = dir.join("data");
    std::fs::create_dir(&data).expect("data folder");
    copy_files(&root().join("data"), &data);
    for (p, file, contents) in FIXTURES {
        if *p == page {
            std::fs::write(dir.join(file), contents).expect("fixture written");
        }
    }
    let mut report = Report::default();
    let mut names = BTreeSet::new();
    for block in blocks(text) {
        match block.lang.as_str() {
            "sh" | "console" => run_block(page, &block, dir, &mut report),
            "python" | "py" | "r" => check_snippet(page, &block, dir, &mut names, &mut report),
            _ => {}
        }
    }
    report
}

/// README.md and every Markdown file under docs/, as paths relative to the root.
fn pages() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("docs/") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("docs"), &mut files);
    files.sort();
    let mut pages = vec!["README.md".to_string()];
    pages.extend(files.iter().map(|p| {
        p.strip_prefix(root())
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/")
    }));
    pages
}

#[test]
fn every_documented_command_runs() {
    let start = Instant::now();
    let mut failures = Vec::new();
    let (mut commands, mut snippets) = (0, 0);
    let pages = pages();
    for needed in ["README.md", "docs/tutorial.md", "docs/howto.md"] {
        assert!(pages.iter().any(|p| p == needed), "{needed} is missing");
    }
    for page in pages {
        let text = std::fs::read_to_string(root().join(&page)).expect("page reads");
        let t = Instant::now();
        let r = check_page(&page, &text);
        eprintln!(
            "{page}: {} commands, {} snippets checked in {:.1?}",
            r.commands,
            r.snippets,
            t.elapsed()
        );
        // The pages written for people to follow must keep showing commands: a parser that
        // found none would pass without testing anything.
        let needs = match page.as_str() {
            "README.md" => 5,
            "docs/tutorial.md" | "docs/howto.md" => 10,
            _ => 0,
        };
        assert!(
            r.commands >= needs,
            "{page}: only {} commands found, expected at least {needs}",
            r.commands
        );
        commands += r.commands;
        snippets += r.snippets;
        failures.extend(r.failures);
    }
    eprintln!(
        "{commands} documented commands and {snippets} snippets in {:.1?}",
        start.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} documented commands or snippets do not work:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    assert!(snippets >= 4, "only {snippets} pandas and R snippets found");
}

/// The checker itself can fail: a misspelt flag, a wrong exit code, an unknown column.
#[test]
fn a_page_with_a_mistake_fails() {
    let page = "```sh\n\
        rappel validate scenarios/erlang-c.toml\n\
        rappel run scenarios/erlang-c.toml --replicatons 2\n\
        rappel validate missing.toml   # exit 2: no such file\n\
        rappel validate scenarios/erlang-c.toml   # exit 2\n\
        rappel run scenarios/erlang-c.toml --out out/c --quiet | head -3\n\
        ```\n\
        ```python\n\
        s = pd.read_csv(\"out/c/summary.csv\")\n\
        s[s[\"metric\"] == \"service_level\"][\"ci95_lo\"]\n\
        ```\n";
    let r = check_page("test.md", page);
    assert_eq!(r.commands, 5);
    assert_eq!(r.snippets, 1);
    assert_eq!(r.failures.len(), 3, "{:#?}", r.failures);
    assert!(r.failures[0].contains("test.md:3:") && r.failures[0].contains("--replicatons"));
    assert!(r.failures[1].contains("test.md:5:") && r.failures[1].contains("expected 2"));
    assert!(r.failures[2].contains("\"ci95_lo\""));
}

#[test]
fn shell_lines_are_split_as_a_shell_would() {
    let inv = invocation(
        "rappel sweep x.toml --set 'teams.\"tier.2\".agents=1,2' > out.txt 2> err.txt | head  # note",
    )
    .expect("a rappel line");
    assert_eq!(
        inv.args,
        [
            "sweep",
            "x.toml",
            "--set",
            "teams.\"tier.2\".agents=1,2",
            "--replications",
            "2"
        ]
    );
    assert_eq!(inv.stdout.as_deref(), Some("out.txt"));
    assert_eq!(inv.stderr.as_deref(), Some("err.txt"));
    assert_eq!(inv.exit, 0);
    let inv = invocation("cargo run --release -- run -r 3 --tickets   # exit 1").expect("cargo");
    assert_eq!(inv.args, ["run", "-r", "3", "--tickets"]);
    assert_eq!(inv.exit, 1);
    let inv = invocation("time rappel run --precision 0.05 && man x").expect("time");
    assert_eq!(inv.args, ["run", "--precision", "0.05"]);
    assert!(invocation("cargo test --release --locked").is_none());
    assert!(invocation("python3 analysis.py").is_none());
    assert_eq!(
        heredoc("cat > volumes.csv <<'EOF'"),
        Some(("volumes.csv".into(), "EOF".into()))
    );
}
