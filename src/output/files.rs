//! Writes a set of files whole or not at all: each goes to a temporary name, and only
//! once all are written are they renamed into place.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a file is made of.
#[derive(Debug)]
enum Content {
    /// Bytes held in memory.
    Bytes(Vec<u8>),
    /// A header, then the contents of files already on disk (removed once copied), so
    /// that large files such as `tickets.csv` never sit in memory.
    Parts {
        header: Vec<u8>,
        parts: Vec<PathBuf>,
    },
}

/// Files to be written into one folder.
#[derive(Debug, Default)]
pub struct AtomicDir {
    dir: PathBuf,
    files: Vec<(String, Content)>,
}

impl AtomicDir {
    /// A set of files for folder `dir` (created when committed).
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
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

    /// Names of the files added so far.
    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Writes every file under a temporary name, then renames them all; on any error
    /// the temporary files are removed and no final file is touched.
    pub fn commit(mut self) -> io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(&self.dir)?;
        let files = std::mem::take(&mut self.files);
        let mut temps = Vec::new();
        let result = (|| {
            for (name, content) in &files {
                let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
                temps.push(tmp.clone());
                match content {
                    Content::Bytes(bytes) => std::fs::write(&tmp, bytes)?,
                    Content::Parts { header, parts } => {
                        let mut out = io::BufWriter::new(std::fs::File::create(&tmp)?);
                        out.write_all(header)?;
                        for part in parts {
                            io::copy(&mut std::fs::File::open(part)?, &mut out)?;
                        }
                        out.flush()?;
                    }
                }
            }
            Ok(())
        })();
        remove_parts(&files);
        if let Err(e) = result {
            for t in &temps {
                let _ = std::fs::remove_file(t);
            }
            return Err(e);
        }
        // Renames within one folder do not fail short of the disk going away; if one
        // does, the temporaries not yet renamed are removed rather than left behind.
        let mut out = Vec::new();
        for (k, ((name, _), tmp)) in files.iter().zip(&temps).enumerate() {
            let dest = self.dir.join(name);
            if let Err(e) = std::fs::rename(tmp, &dest) {
                for t in &temps[k..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(e);
            }
            out.push(dest);
        }
        Ok(out)
    }
}

impl Drop for AtomicDir {
    /// A set never committed leaves no part file behind.
    fn drop(&mut self) {
        remove_parts(&self.files);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_joined_under_the_header_and_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let a = tmp.path().join(".a.part");
        let b = tmp.path().join(".b.part");
        std::fs::write(&a, "1\n").unwrap();
        std::fs::write(&b, "2\n").unwrap();
        let mut dir = AtomicDir::new(tmp.path());
        dir.add_parts("x.csv", b"n\n".to_vec(), vec![a.clone(), b.clone()]);
        dir.add("y.txt", b"y".to_vec());
        dir.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("x.csv")).unwrap(),
            "n\n1\n2\n"
        );
        assert!(!a.exists() && !b.exists());
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_missing_part_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut dir = AtomicDir::new(&out);
        dir.add("y.txt", b"y".to_vec());
        dir.add_parts("x.csv", b"n\n".to_vec(), vec![tmp.path().join("missing")]);
        assert!(dir.commit().is_err());
        let names: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
        assert!(names.is_empty());
    }
}
