//! Writing a generated folder whole or not at all, and listing what a folder holds: what
//! `cargo xtask generate` and `bump` write with, and what the drift check compares.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::GeneratedFile;

/// A file system operation that failed: what was done, to which path, and the system's reason.
#[derive(Debug)]
pub struct FsError {
    /// What was being done (`write`, `list`, `move into place`, …).
    pub what: &'static str,
    /// The path it was done to.
    pub path: PathBuf,
    /// The system's reason.
    pub source: std::io::Error,
}

impl FsError {
    pub(crate) fn new(what: &'static str, path: &Path, source: std::io::Error) -> Self {
        FsError { what, path: path.to_path_buf(), source }
    }
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot {} {}: {}", self.what, self.path.display(), self.source)
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Files below `dir`, relative to it, sorted (none when `dir` does not exist).
pub fn existing_files(dir: &Path) -> Result<Vec<String>, FsError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(FsError::new("list", &current, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| FsError::new("list", &current, e))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Replaces the folder `dir` with `files` (and, when given, the file at `manifest`'s path
/// with its text): everything is written into a fresh sibling first, then swapped in with
/// renames, so that a failure part-way leaves the old folder and manifest as they were.
pub fn write_atomically(
    dir: &Path,
    files: &[GeneratedFile],
    manifest: Option<(&Path, &str)>,
) -> Result<(), FsError> {
    let io = FsError::new;
    let no_parent = || std::io::Error::new(std::io::ErrorKind::InvalidInput, "it has no parent folder");
    let parent = dir.parent().ok_or_else(|| io("write into", dir, no_parent()))?;
    fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = parent.join(format!(".{name}.new"));
    let backup = parent.join(format!(".{name}.old"));
    let manifest_staging = manifest.map(|(path, _)| path.with_extension("toml.new"));
    for leftover in [&staging, &backup] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| io("remove", leftover, e))?;
        }
    }
    // Everything is written beside its place first; a failure there leaves nothing behind.
    let staged = (|| -> Result<(), FsError> {
        for file in files {
            let path = staging.join(&file.path);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
            }
            fs::write(&path, &file.contents).map_err(|e| io("write", &path, e))?;
        }
        if let (Some((_, contents)), Some(path)) = (manifest, &manifest_staging) {
            fs::write(path, contents).map_err(|e| io("write", path, e))?;
        }
        Ok(())
    })();
    let discard_staged = || {
        let _ = fs::remove_dir_all(&staging);
        if let Some(path) = &manifest_staging {
            let _ = fs::remove_file(path);
        }
    };
    if let Err(e) = staged {
        discard_staged();
        return Err(e);
    }
    if dir.exists()
        && let Err(e) = fs::rename(dir, &backup)
    {
        discard_staged();
        return Err(io("move aside", dir, e));
    }
    // Then two renames: the folder, and the manifest. If the second fails, the first is undone,
    // so the crate is either wholly old or wholly new.
    let swapped =
        fs::rename(&staging, dir).map_err(|e| io("move into place", dir, e)).and_then(|()| {
            match (manifest, &manifest_staging) {
                (Some((path, _)), Some(staged)) => fs::rename(staged, path).map_err(|e| {
                    let _ = fs::rename(dir, &staging);
                    io("move into place", path, e)
                }),
                _ => Ok(()),
            }
        });
    if let Err(e) = swapped {
        if backup.exists() {
            let _ = fs::rename(&backup, dir);
        }
        discard_staged();
        return Err(e);
    }
    if backup.exists() {
        fs::remove_dir_all(&backup).map_err(|e| io("remove", &backup, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("proof-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src/generated")).expect("create a scratch folder");
        fs::write(dir.join("src/generated/mod.rs"), "old").expect("write the old file");
        fs::write(dir.join("Cargo.toml"), "old manifest").expect("write the old manifest");
        dir
    }

    fn file(path: &str) -> GeneratedFile {
        GeneratedFile { path: path.to_owned(), contents: "new".to_owned() }
    }

    fn left_in(dir: &Path) -> Vec<String> {
        existing_files(dir).unwrap_or_default()
    }

    #[test]
    fn a_file_that_cannot_be_written_leaves_the_crate_as_it_was() {
        let dir = scratch("write");
        let generated = dir.join("src/generated");
        // A NUL byte is not allowed in a path, so the second file cannot be written.
        let result = write_atomically(&generated, &[file("mod.rs"), file("bad\0.rs")], None);
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(generated.join("mod.rs")).ok().as_deref(), Some("old"));
        assert_eq!(left_in(&dir), ["Cargo.toml", "src/generated/mod.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_manifest_that_cannot_be_replaced_undoes_the_folder() {
        let dir = scratch("manifest");
        let generated = dir.join("src/generated");
        // A folder where the manifest should go: the rename onto it fails.
        let manifest = dir.join("Manifest.toml");
        fs::create_dir_all(manifest.join("occupied")).expect("create the obstacle");
        let result =
            write_atomically(&generated, &[file("mod.rs"), file("types.rs")], Some((&manifest, "new")));
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(generated.join("mod.rs")).ok().as_deref(), Some("old"));
        assert!(manifest.join("occupied").is_dir());
        assert_eq!(left_in(&dir), ["Cargo.toml", "src/generated/mod.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn folder_and_manifest_are_replaced_together() {
        let dir = scratch("both");
        let generated = dir.join("src/generated");
        let manifest = dir.join("Cargo.toml");
        write_atomically(&generated, &[file("mod.rs"), file("types.rs")], Some((&manifest, "new manifest")))
            .expect("write");
        assert_eq!(fs::read_to_string(&manifest).ok().as_deref(), Some("new manifest"));
        assert_eq!(left_in(&dir), ["Cargo.toml", "src/generated/mod.rs", "src/generated/types.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
