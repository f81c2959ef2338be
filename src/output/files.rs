//! Writes a set of files whole or not at all: each goes to a temporary name, and only
//! once all are written are they renamed into place.

use std::io;
use std::path::{Path, PathBuf};

/// Files to be written into one folder.
#[derive(Debug, Default)]
pub struct AtomicDir {
    dir: PathBuf,
    files: Vec<(String, Vec<u8>)>,
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
        self.files.push((name.to_string(), content));
    }

    /// Names of the files added so far.
    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Writes every file under a temporary name, then renames them all; on any error
    /// the temporary files are removed and no final file is touched.
    pub fn commit(self) -> io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(&self.dir)?;
        let mut temps = Vec::new();
        let result = (|| {
            for (name, content) in &self.files {
                let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
                temps.push(tmp.clone());
                std::fs::write(&tmp, content)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            for t in &temps {
                let _ = std::fs::remove_file(t);
            }
            return Err(e);
        }
        // Renames within one folder do not fail short of the disk going away; if one
        // does, the temporaries not yet renamed are removed rather than left behind.
        let mut out = Vec::new();
        for (k, ((name, _), tmp)) in self.files.iter().zip(&temps).enumerate() {
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
