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

/// The folder of Intercom's published descriptions (found, or downloaded as the manifest
/// `proof/published-specs.txt` pins them; see `proof::published`), or `None` where there is
/// none: the test that asked prints that it is skipped and why. Under CI (`CI` set) they are
/// required, so their absence fails instead.
pub fn published_dir() -> Option<PathBuf> {
    match proof::published::dir() {
        Ok(dir) => Some(dir),
        Err(why) => {
            assert!(!proof::published::required(), "CI needs Intercom's published descriptions: {why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// The path of Intercom's published description of `version`, or `None` (with the reason
/// printed, and a failure under CI) where the descriptions are not here.
pub fn published_spec(version: &str) -> Option<PathBuf> {
    let path = published_dir()?.join(format!("{version}.yaml"));
    if path.is_file() {
        return Some(path);
    }
    assert!(!proof::published::required(), "{} is missing, and CI needs it", path.display());
    eprintln!("skipped: {} is not there", path.display());
    None
}

/// Every `*.yaml` of Intercom's published descriptions, or none (with the reason printed, and a
/// failure under CI) where they are not here.
pub fn published_specs() -> Vec<PathBuf> {
    let Some(dir) = published_dir() else { return Vec::new() };
    let mut found: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    if found.is_empty() {
        assert!(!proof::published::required(), "{} has no descriptions, and CI needs them", dir.display());
        eprintln!("skipped: {} has no published descriptions", dir.display());
    }
    found
}

/// What generating a spec on a thread of its own did.
pub enum Outcome {
    /// A crate.
    Generated(Box<codegen::Generated>),
    /// Located errors.
    Failed(codegen::Diagnostics),
    /// A panic, with its message.
    Panicked(String),
    /// No answer within the time limit.
    Hung,
}

/// Generates `text` on a thread of its own, catching a panic and giving up after `limit`. A
/// hung generation keeps its thread until the test process ends; the others go on. The thread
/// has the stack a program's main thread has (8 MiB on Linux), as `cargo xtask generate` runs
/// the generator there.
pub fn generate_isolated(text: String, options: codegen::Options, limit: std::time::Duration) -> Outcome {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let (send, receive) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().stack_size(8 << 20).spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(|| codegen::generate(&text, &options)));
        let _ = send.send(result);
    });
    if let Err(e) = spawned {
        return Outcome::Panicked(format!("cannot start a thread: {e}"));
    }
    match receive.recv_timeout(limit) {
        Ok(Ok(Ok(generated))) => Outcome::Generated(Box::new(generated)),
        Ok(Ok(Err(diags))) => Outcome::Failed(diags),
        Ok(Err(payload)) => Outcome::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
        Err(_) => Outcome::Hung,
    }
}
