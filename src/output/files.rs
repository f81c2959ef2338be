//! Writes a set of files whole or not at all, as one folder: the files go into a hidden
//! staging folder beside the target (see [`super::folder`]), which replaces the target in one
//! swap once every file is written. A later run leaves no file of an earlier one.

use super::fault;
use super::folder::{FolderError, Target};
use super::signals;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a file is made of.
#[derive(Debug)]
enum Content {
    /// Bytes held in memory.
    Bytes(Vec<u8>),
    /// A header, then the contents of files already on disk, so that large files such as
    /// `tickets.csv` never sit in memory. Each part is removed as soon as it is appended,
    /// so the disk never holds the file twice.
    Parts {
        header: Vec<u8>,
        parts: Vec<PathBuf>,
    },
    /// A header, then copies of files that stay where they are (the shards' rows that
    /// `rappel merge` joins: its inputs are never changed).
    Copies {
        header: Vec<u8>,
        files: Vec<PathBuf>,
    },
}

/// Files to be written into one folder.
#[derive(Debug, Default)]
pub struct AtomicDir {
    dir: PathBuf,
    /// The resolved target and this process's staging folder, once created.
    staged: Option<(Target, PathBuf)>,
    files: Vec<(String, Content)>,
}

impl AtomicDir {
    /// A set of files for folder `dir`; nothing is checked or created until
    /// [`AtomicDir::open`] or the commit.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            staged: None,
            files: Vec::new(),
        }
    }

    /// A set of files for folder `dir`, checked and prepared now, before any work: debris
    /// of killed runs beside it is removed, a folder holding files rappel did not write is
    /// refused, and the hidden staging folder is created (so an unwritable place fails
    /// first).
    pub fn open(dir: &Path) -> Result<Self, FolderError> {
        let mut d = Self::new(dir);
        d.stage()?;
        Ok(d)
    }

    /// Creates the staging folder if not done yet.
    fn stage(&mut self) -> Result<&Path, FolderError> {
        if self.staged.is_none() {
            let target = Target::resolve(&self.dir)?;
            target.recover();
            target.check_ours()?;
            let staging = target.staging();
            std::fs::create_dir(&staging)?;
            signals::register(&staging);
            self.staged = Some((target, staging));
        }
        Ok(&self.staged.as_ref().expect("staged above").1)
    }

    /// Where a part `index` of file `name` goes: inside the staging folder once
    /// [`AtomicDir::open`] has run (so a kill leaves nothing in the target), else in the
    /// target folder.
    pub fn part_path(&self, name: &str, index: u32) -> PathBuf {
        let dir = match &self.staged {
            Some((_, staging)) => staging.as_path(),
            None => self.dir.as_path(),
        };
        dir.join(format!(".{name}.part-{index}"))
    }

    /// Adds a file.
    pub fn add(&mut self, name: &str, content: Vec<u8>) {
        self.files.push((name.to_string(), Content::Bytes(content)));
    }

    /// Adds a file made of `header` followed by the files `parts`, which are removed when
    /// the set is committed or dropped.
    pub fn add_parts(&mut self, name: &str, header: Vec<u8>, parts: Vec<PathBuf>) {
        self.files
            .push((name.to_string(), Content::Parts { header, parts }));
    }

    /// Adds a file made of `header` followed by copies of the files `files`, which are left
    /// as they are.
    pub fn add_copies(&mut self, name: &str, header: Vec<u8>, files: Vec<PathBuf>) {
        self.files
            .push((name.to_string(), Content::Copies { header, files }));
    }

    /// Names of the files added so far.
    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Writes every file into the staging folder, then swaps it in for the target: the
    /// target then holds exactly these files. On any error the staging folder is removed
    /// and the target is untouched. Returns the final paths.
    pub fn commit(mut self) -> io::Result<Vec<PathBuf>> {
        let files = std::mem::take(&mut self.files);
        let written = self.write_all(&files);
        remove_parts(&files);
        written?;
        let (target, staging) = self.staged.take().expect("staged by write_all");
        // The target may have gained files of someone else's while the work ran.
        let swapped = target
            .check_ours()
            .map_err(|e| match e {
                FolderError::Io(e) => e,
                FolderError::Refused(m) => io::Error::other(m),
            })
            .and_then(|()| target.swap_in(&staging));
        if let Err(e) = swapped {
            signals::remove(&staging);
            signals::forget(&staging);
            return Err(e);
        }
        let dir = target.path();
        Ok(files.iter().map(|(name, _)| dir.join(name)).collect())
    }

    fn write_all(&mut self, files: &[(String, Content)]) -> io::Result<()> {
        let staging = self.stage().map_err(|e| match e {
            FolderError::Io(e) => e,
            FolderError::Refused(m) => io::Error::other(m),
        })?;
        for (name, content) in files {
            let path = staging.join(name);
            fault::before_write()?;
            match content {
                Content::Bytes(bytes) => std::fs::write(&path, bytes)?,
                Content::Parts { header, parts } => {
                    let mut out = std::fs::File::create(&path)?;
                    out.write_all(header)?;
                    for part in parts {
                        io::copy(&mut std::fs::File::open(part)?, &mut out)?;
                        std::fs::remove_file(part)?;
                    }
                    out.flush()?;
                }
                Content::Copies { header, files } => {
                    let mut out = std::fs::File::create(&path)?;
                    out.write_all(header)?;
                    for file in files {
                        io::copy(&mut std::fs::File::open(file)?, &mut out)?;
                    }
                    out.flush()?;
                }
            }
        }
        Ok(())
    }
}

impl Drop for AtomicDir {
    /// A set never committed leaves no part file and no staging folder behind.
    fn drop(&mut self) {
        remove_parts(&self.files);
        if let Some((_, staging)) = self.staged.take() {
            signals::remove(&staging);
            signals::forget(&staging);
        }
    }
}

fn remove_parts(files: &[(String, Content)]) {
    for (_, content) in files {
        if let Content::Parts { parts, .. } = content {
            for p in parts {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// Writes files into an existing folder shared with other files (such as a man page
/// folder): each goes to a temporary name first and is renamed once all are written, so a
/// failure (a full disk) leaves no file half-written and the folder's other files untouched.
pub fn write_in_place(dir: &Path, files: &[(String, Vec<u8>)]) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let temps: Vec<PathBuf> = files
        .iter()
        .map(|(name, _)| dir.join(format!(".{name}.tmp-{}", std::process::id())))
        .collect();
    for t in &temps {
        signals::register(t);
    }
    let result = (|| {
        for ((_, bytes), tmp) in files.iter().zip(&temps) {
            fault::before_write()?;
            std::fs::write(tmp, bytes)?;
        }
        let mut out = Vec::new();
        for ((name, _), tmp) in files.iter().zip(&temps) {
            let dest = dir.join(name);
            super::folder::rename(tmp, &dest)?;
            signals::forget(tmp);
            out.push(dest);
        }
        Ok(out)
    })();
    for t in &temps {
        if result.is_err() {
            let _ = std::fs::remove_file(t);
        }
        signals::forget(t);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn parts_are_joined_under_the_header_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut dir = AtomicDir::open(&out).unwrap();
        let a = dir.part_path("x.csv", 0);
        let b = dir.part_path("x.csv", 1);
        std::fs::write(&a, "1\n").unwrap();
        std::fs::write(&b, "2\n").unwrap();
        dir.add_parts("x.csv", b"n\n".to_vec(), vec![a.clone(), b.clone()]);
        dir.add("y.txt", b"y".to_vec());
        dir.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("x.csv")).unwrap(),
            "n\n1\n2\n"
        );
        assert_eq!(entries(&out), ["x.csv", "y.txt"]);
        assert_eq!(entries(tmp.path()), ["out"]);
    }

    #[test]
    fn a_missing_part_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut dir = AtomicDir::new(&out);
        dir.add("y.txt", b"y".to_vec());
        dir.add_parts("x.csv", b"n\n".to_vec(), vec![tmp.path().join("missing")]);
        assert!(dir.commit().is_err());
        assert!(entries(tmp.path()).is_empty());
    }

    #[test]
    fn a_second_set_replaces_the_first_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut first = AtomicDir::open(&out).unwrap();
        first.add("run.json", br#"{"files": ["a.csv", "run.json"]}"#.to_vec());
        first.add("a.csv", b"1".to_vec());
        first.commit().unwrap();
        let mut second = AtomicDir::open(&out).unwrap();
        second.add("run.json", br#"{"files": ["run.json"]}"#.to_vec());
        second.commit().unwrap();
        assert_eq!(entries(&out), ["run.json"]);
        assert_eq!(entries(tmp.path()), ["out"]);
    }

    #[test]
    fn a_folder_of_other_files_is_refused_and_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let err = AtomicDir::open(tmp.path()).unwrap_err();
        assert!(
            matches!(&err, FolderError::Refused(m) if m.contains("notes.txt")),
            "{err}"
        );
        assert_eq!(entries(tmp.path()), ["notes.txt"]);
    }

    #[test]
    fn files_in_place_are_whole_or_absent() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("other.1"), "x").unwrap();
        let files = vec![
            ("a.1".to_string(), b"a".to_vec()),
            ("b.1".to_string(), b"b".to_vec()),
        ];
        write_in_place(tmp.path(), &files).unwrap();
        assert_eq!(entries(tmp.path()), ["a.1", "b.1", "other.1"]);
    }
}
