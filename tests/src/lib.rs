//! Helpers shared by the workspace-level tests in `tests/tests/`.

pub mod server;

use std::fs;
use std::path::{Path, PathBuf};

pub use xtask::workspace_root;

/// The folder of test fixtures.
pub fn fixtures() -> PathBuf {
    workspace_root().join("tests/fixtures")
}

/// Whether snapshots should be rewritten instead of compared (`UPDATE_SNAPSHOTS=1`).
pub fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some()
}

/// Compares `actual` with the snapshot at `path`, or rewrites it when updating. Returns a
/// description of the mismatch, if any.
pub fn check_snapshot(path: &Path, actual: &str) -> Option<String> {
    if updating() {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).ok()?;
        }
        fs::write(path, actual).ok()?;
        return None;
    }
    match fs::read_to_string(path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => {
            let first = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
            Some(format!(
                "{} differs from the snapshot (first at line {}):\n  snapshot:  {}\n  generated: {}",
                path.display(),
                first + 1,
                expected.lines().nth(first).unwrap_or(""),
                actual.lines().nth(first).unwrap_or("")
            ))
        }
        Err(_) => Some(format!("{} is missing; run with UPDATE_SNAPSHOTS=1 to create it", path.display())),
    }
}

/// The files below `dir`, relative to it, sorted (none when it cannot be read).
pub fn files_below(dir: &Path) -> Vec<String> {
    xtask::existing_files(dir).unwrap_or_default()
}
