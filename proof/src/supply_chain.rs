//! `cargo xtask deny`: the supply-chain check a team adopting the crate runs. `cargo deny check`
//! with `deny.toml` checks advisories, licenses, sources and bans. Advisories are read offline
//! from a snapshot of the RustSec database, by default `../shared/advisory-db/` beside the clone.
//! cargo-deny itself is installed, pinned, under `target/cargo-deny/` the first time.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Error, Result, workspace_root};

/// The cargo-deny release the check installs.
pub const CARGO_DENY_VERSION: &str = "0.20.2";

/// The database cargo-deny reads when `deny.toml` names none: RustSec's.
const ADVISORY_DB_URL: &str = "https://github.com/rustsec/advisory-db";

/// Where `deny.toml` tells cargo-deny to look for its databases (`db-path`).
const DB_ROOT: &str = "target/advisory-dbs";

/// The cargo-deny binary, installed under `target/cargo-deny` with `cargo install` when it is
/// not there yet.
fn ensure_cargo_deny() -> Result<PathBuf> {
    let root = workspace_root().join("target/cargo-deny");
    let binary = root.join("bin").join(format!("cargo-deny{}", std::env::consts::EXE_SUFFIX));
    let installed = Command::new(&binary).arg("--version").output().ok().filter(|o| o.status.success());
    if installed.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(CARGO_DENY_VERSION)) {
        return Ok(binary);
    }
    eprintln!("==> installing cargo-deny {CARGO_DENY_VERSION} into {}", root.display());
    let status = crate::cargo()
        .args(["install", "cargo-deny", "--locked", "--quiet", "--version", CARGO_DENY_VERSION, "--root"])
        .arg(&root)
        .status()
        .map_err(Error::program(format!("cargo install cargo-deny@{CARGO_DENY_VERSION}")))?;
    if !status.success() || !binary.is_file() {
        return Err(Error::Program {
            program: format!("cargo install cargo-deny@{CARGO_DENY_VERSION}"),
            detail: status.to_string(),
        });
    }
    Ok(binary)
}

/// The RustSec snapshot: `$RUSTSEC_ADVISORY_DB` when set, else `../shared/advisory-db/` beside
/// the clone; `Err` says why there is none.
pub fn snapshot_dir() -> std::result::Result<PathBuf, String> {
    let dir = match std::env::var_os("RUSTSEC_ADVISORY_DB") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/advisory-db"),
    };
    if dir.join("crates").is_dir() {
        Ok(dir)
    } else {
        Err(format!("no RustSec advisory database at {} (set RUSTSEC_ADVISORY_DB to one)", dir.display()))
    }
}

/// The date of the snapshot, from the `(YYYY-MM-DD)` its README gives beside its commit.
fn snapshot_date(readme: &str) -> Option<&str> {
    readme.match_indices('(').map(|(at, _)| &readme[at + 1..]).find_map(|rest| {
        let date = rest.get(..10)?;
        let shape = date
            .bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        (shape && rest[10..].starts_with(')')).then_some(date)
    })
}

/// The folder cargo-deny opens for the database at `url` below `db_path`: the URL's last path
/// segment and its xxHash64, as cargo-deny 0.20 names it (`advisories::helpers::db`).
fn db_folder(url: &str) -> String {
    let name = url.rsplit('/').next().unwrap_or("empty_");
    let hash = twox_hash::XxHash64::oneshot(0xca80_de71, url.to_lowercase().as_bytes());
    format!("{name}-{hash:016x}")
}

/// Lays the snapshot out where cargo-deny looks, as the git repository it expects: one commit
/// of the snapshot's files, dated as the snapshot. Done again only when the snapshot changes.
fn install_snapshot(snapshot: &Path) -> Result<()> {
    let readme_path = snapshot.join("README.md");
    let readme = fs::read_to_string(&readme_path).map_err(Error::fs("read", &readme_path))?;
    let date = snapshot_date(&readme).ok_or_else(|| {
        Error::Invalid(format!("{} does not give the snapshot's date as (YYYY-MM-DD)", readme_path.display()))
    })?;
    let db = workspace_root().join(DB_ROOT).join(db_folder(ADVISORY_DB_URL));
    let marker = db.join(".snapshot-readme");
    if fs::read_to_string(&marker).is_ok_and(|seen| seen == readme) {
        return Ok(());
    }
    if db.exists() {
        fs::remove_dir_all(&db).map_err(Error::fs("remove", &db))?;
    }
    for part in ["crates", "rust"] {
        copy_tree(&snapshot.join(part), &db.join(part))?;
    }
    let stamp = format!("{date}T00:00:00Z");
    let git = |args: &[&str]| -> Result<()> {
        let output = Command::new("git")
            .current_dir(&db)
            .args(args)
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .env("GIT_AUTHOR_NAME", "snapshot")
            .env("GIT_AUTHOR_EMAIL", "snapshot@localhost")
            .env("GIT_COMMITTER_NAME", "snapshot")
            .env("GIT_COMMITTER_EMAIL", "snapshot@localhost")
            .output()
            .map_err(Error::program(format!("git {}", args.join(" "))))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(Error::Program {
                program: format!("git {}", args.join(" ")),
                detail: String::from_utf8_lossy(&output.stderr).into_owned(),
            })
        }
    };
    git(&["init", "--quiet", "--initial-branch=main"])?;
    git(&["add", "crates", "rust"])?;
    git(&["commit", "--quiet", "--no-gpg-sign", "-m", &format!("RustSec advisory database as of {date}")])?;
    fs::write(&marker, &readme).map_err(Error::fs("write", &marker))
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(Error::fs("create", to))?;
    for entry in fs::read_dir(from).map_err(Error::fs("read", from))? {
        let entry = entry.map_err(Error::fs("read", from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            fs::copy(&source, &target).map_err(Error::fs("copy", &source))?;
        }
    }
    Ok(())
}

/// Runs the check on this workspace: every part where the snapshot is there, all but
/// advisories (said in the report) where it is not; under CI its absence is a failure.
pub fn run() -> Result<String> {
    let checks: &[&str] = match snapshot_dir() {
        Ok(snapshot) => {
            install_snapshot(&snapshot)?;
            &["advisories", "bans", "licenses", "sources"]
        }
        Err(why) if std::env::var_os("CI").is_some() => {
            return Err(Error::Check(format!(
                "CI needs the RustSec snapshot for the advisories check: {why}"
            )));
        }
        Err(why) => {
            eprintln!("skipped the advisories check: {why}");
            &["bans", "licenses", "sources"]
        }
    };
    let (passed, printed) = check(&workspace_root(), &workspace_root().join("deny.toml"), checks)?;
    let verdict = format!("cargo deny check {}", checks.join(" "));
    if passed {
        Ok(format!("{printed}{verdict}: ok\n"))
    } else {
        Err(Error::Check(format!("{printed}{verdict} failed")))
    }
}

/// Runs `cargo deny check CHECKS` on the project in `dir` with the configuration `config`,
/// offline, against the snapshot laid out by [`prepare`]: whether it passed, and what it printed.
pub fn check(dir: &Path, config: &Path, checks: &[&str]) -> Result<(bool, String)> {
    let deny = ensure_cargo_deny()?;
    // cargo-deny reads the graph offline, so every package of the lock file must be here, those
    // of features and targets no build here uses included.
    let fetched = crate::cargo()
        .current_dir(dir)
        .args(["fetch", "--quiet"])
        .status()
        .map_err(Error::program("cargo fetch"))?;
    if !fetched.success() {
        return Err(Error::Program { program: "cargo fetch".to_owned(), detail: fetched.to_string() });
    }
    // `--offline`: the advisories come from the snapshot only, and the index is not fetched.
    let output = Command::new(&deny)
        .current_dir(workspace_root())
        .arg("deny")
        .args(["--offline", "--all-features", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--config")
        .arg(config)
        .args(["check", "--show-stats", "--hide-inclusion-graph"])
        .args(checks)
        .output()
        .map_err(Error::program("cargo-deny"))?;
    let printed =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Ok((output.status.success(), printed))
}

/// Lays the RustSec snapshot out where `deny.toml` points cargo-deny; `Err` says why it cannot.
pub fn prepare() -> std::result::Result<Result<()>, String> {
    snapshot_dir().map(|snapshot| install_snapshot(&snapshot))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_date_is_read_from_its_readme() {
        let readme = "as of commit `bf5c0d2` (2026-08-21), unchanged. Licence: CC0-1.0 (`LICENSE.txt`).";
        assert_eq!(snapshot_date(readme), Some("2026-08-21"));
        assert_eq!(snapshot_date("no date (here)"), None);
    }
}
