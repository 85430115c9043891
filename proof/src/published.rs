//! Intercom's published descriptions, which conformance, contract and some tests read: which
//! files (the manifest `proof/published-specs.txt`, each pinned by sha256), where a clone finds
//! them, and their download when it has no copy.
//!
//! The folder is, in order: `$INTERCOM_SPECS_DIR`; `../shared/specs/intercom/` beside the
//! workspace; `target/published-specs/`, filled by downloading each file of the manifest from
//! its repository at its commit and checking its hash. Without any of them the caller is told
//! why, and decides: tests skip with that reason printed, and under CI (`CI` set) fail.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::{Error, Result, workspace_root};

/// The manifest, relative to the workspace.
pub const MANIFEST: &str = "proof/published-specs.txt";

/// Where the raw files are downloaded from: `{base}/{repo}/{commit}/{path}`.
pub const DEFAULT_BASE_URL: &str = "https://raw.githubusercontent.com";

/// One published description: a line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The API version (`2.16`); the file is `<version>.yaml` in the folder.
    pub version: String,
    /// The GitHub repository (`intercom/Intercom-OpenAPI`).
    pub repo: String,
    /// The commit the file is taken at.
    pub commit: String,
    /// The file's path in the repository.
    pub path: String,
    /// The file's sha256, in lowercase hex.
    pub sha256: String,
}

impl Entry {
    /// The file's name in a folder of descriptions.
    pub fn file_name(&self) -> String {
        format!("{}.yaml", self.version)
    }

    /// The address the file is downloaded from.
    pub fn url(&self, base: &str) -> String {
        format!("{}/{}/{}/{}", base.trim_end_matches('/'), self.repo, self.commit, self.path)
    }
}

/// Parses a manifest: one entry per line (`version repo commit path sha256`, separated by
/// spaces); blank lines and `#` comments are skipped. Errors name the line.
pub fn parse_manifest(text: &str, label: &str) -> Result<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let [version, repo, commit, path, sha256] = words[..] else {
            return Err(Error::Invalid(format!(
                "{label}:{}: expected `version repo commit path sha256`, found {} words",
                number + 1,
                words.len()
            )));
        };
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(Error::Invalid(format!(
                "{label}:{}: `{sha256}` is not a lowercase hex sha256",
                number + 1
            )));
        }
        if entries.iter().any(|e| e.version == version) {
            return Err(Error::Invalid(format!("{label}:{}: version {version} is listed twice", number + 1)));
        }
        entries.push(Entry {
            version: version.to_owned(),
            repo: repo.to_owned(),
            commit: commit.to_owned(),
            path: path.to_owned(),
            sha256: sha256.to_owned(),
        });
    }
    Ok(entries)
}

/// The workspace's manifest.
pub fn manifest() -> Result<Vec<Entry>> {
    let path = workspace_root().join(MANIFEST);
    let text = fs::read_to_string(&path).map_err(Error::fs("read", &path))?;
    parse_manifest(&text, MANIFEST)
}

/// The sha256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Whether `dir` holds every entry's file with its hash; otherwise, the first that is missing
/// or different.
pub fn check_dir(dir: &Path, entries: &[Entry]) -> Result<()> {
    for entry in entries {
        let path = dir.join(entry.file_name());
        let bytes = fs::read(&path).map_err(Error::fs("read", &path))?;
        let found = sha256_hex(&bytes);
        if found != entry.sha256 {
            return Err(Error::Invalid(format!(
                "{} has sha256 {found}, and {MANIFEST} pins {} for version {}",
                path.display(),
                entry.sha256,
                entry.version
            )));
        }
    }
    Ok(())
}

/// Downloads each entry missing from `dir` (or different there) from `base`, checks its hash,
/// and writes it (a temporary file renamed into place, so a reader never sees half of one).
pub fn fetch(dir: &Path, entries: &[Entry], base: &str) -> Result<()> {
    fs::create_dir_all(dir).map_err(Error::fs("create", dir))?;
    for entry in entries {
        let path = dir.join(entry.file_name());
        if fs::read(&path).is_ok_and(|bytes| sha256_hex(&bytes) == entry.sha256) {
            continue;
        }
        let url = entry.url(base);
        let text = crate::download(&url)?;
        let found = sha256_hex(text.as_bytes());
        if found != entry.sha256 {
            let detail = format!("it has sha256 {found}, and {MANIFEST} pins {}", entry.sha256);
            return Err(Error::Download { url, detail });
        }
        // Each process writes a temporary file of its own: tests download in parallel.
        let partial = dir.join(format!(".{}.{}.partial", entry.file_name(), std::process::id()));
        fs::write(&partial, &text).map_err(Error::fs("write", &partial))?;
        fs::rename(&partial, &path).map_err(Error::fs("move into place", &path))?;
    }
    Ok(())
}

/// Whether the published descriptions are required: under CI they are, so a run without them
/// fails there instead of skipping.
pub fn required() -> bool {
    std::env::var_os("CI").is_some()
}

/// What a command that needs the descriptions does without them: fails under CI, and elsewhere
/// succeeds saying that it did not run and why.
pub fn not_run(why: &Error) -> Result<String> {
    if required() { Err(Error::Invalid(why.to_string())) } else { Ok(format!("not run: {why}\n")) }
}

/// The folder of Intercom's published descriptions, or why there is none (see the module docs).
pub fn dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("INTERCOM_SPECS_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_dir() {
            Ok(dir)
        } else {
            Err(Error::Invalid(format!("INTERCOM_SPECS_DIR {} is not a folder", dir.display())))
        };
    }
    let shared = workspace_root().join("../shared/specs/intercom");
    if shared.is_dir() {
        return Ok(shared);
    }
    let entries = manifest()?;
    let cache = workspace_root().join("target/published-specs");
    if check_dir(&cache, &entries).is_ok() {
        return Ok(cache);
    }
    let base = std::env::var("INTERCOM_SPECS_BASE_URL").unwrap_or_else(|_| DEFAULT_BASE_URL.to_owned());
    match fetch(&cache, &entries, &base) {
        Ok(()) => Ok(cache),
        Err(e) => Err(Error::Invalid(format!(
            "Intercom's published descriptions are not here: no INTERCOM_SPECS_DIR, no {}, and downloading them into {} failed: {e}",
            shared.display(),
            cache.display()
        ))),
    }
}
