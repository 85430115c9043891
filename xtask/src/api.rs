//! `cargo xtask api`: the client crate's public API against the listing of its version
//! (`generated/api/<version>.txt`, see [`proof::public_api`]). `--bless` records a changed API
//! as a new version: the version its semver verdict asks for, in `Cargo.toml` and `Cargo.lock`,
//! with an entry on top of the changelog for the author to complete.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use proof::public_api::{self, listing_path};
use proof::{Error, Result};

use crate::bump::{package_version, replace_lock_version, replace_package_version};
use crate::workspace_root;

/// The client crate's folder.
fn crate_dir() -> PathBuf {
    workspace_root().join("generated")
}

/// The crate's public API as its files on disk say.
pub fn current_listing(crate_dir: &Path) -> Result<BTreeSet<String>> {
    public_api::list(crate_dir, &|path| fs::read_to_string(path).map_err(Error::fs("read", path)))
}

/// The version in the client crate's manifest.
pub fn crate_version(crate_dir: &Path) -> Result<String> {
    let path = crate_dir.join("Cargo.toml");
    let manifest = fs::read_to_string(&path).map_err(Error::fs("read", &path))?;
    package_version(&manifest)
        .ok_or_else(|| Error::Invalid(format!("{} has no package version", path.display())))
}

/// `cargo xtask api`: whether the API is the one recorded for the crate's version.
pub fn check() -> Result<String> {
    let dir = crate_dir();
    let version = crate_version(&dir)?;
    let current = current_listing(&dir)?;
    let path = listing_path(&dir, &version);
    let recorded = fs::read_to_string(&path).map(|t| public_api::from_file(&t)).map_err(|e| {
        Error::Check(format!("{} cannot be read ({e}): run `cargo xtask api --bless`", path.display()))
    })?;
    let (bump, removed, added) = public_api::verdict(&recorded, &current);
    if removed.is_empty() && added.is_empty() {
        return Ok(format!("the public API is the one recorded for {version} ({} items)\n", current.len()));
    }
    Err(Error::Check(format!(
        "{}the public API differs from the one recorded for {version} in {}: run `cargo xtask api --bless` \
         to give it the version its verdict ({bump:?}) asks for, then describe the change in generated/CHANGELOG.md",
        public_api::report(&version, bump, &removed, &added),
        path.display()
    )))
}

/// `cargo xtask api --bless`: records the API. When it differs from the newest listing, the
/// crate moves to the version the verdict asks for (unless its version is already that far), and
/// the changelog gets an entry for it listing what changed.
pub fn bless() -> Result<String> {
    let root = workspace_root();
    let dir = crate_dir();
    let version = crate_version(&dir)?;
    let current = current_listing(&dir)?;
    let Some(base) = public_api::listed_versions(&dir)?.pop() else {
        write(&listing_path(&dir, &version), &public_api::to_file(&current))?;
        return Ok(format!("recorded the public API of {version} ({} items)\n", current.len()));
    };
    let base_path = listing_path(&dir, &base);
    let recorded =
        public_api::from_file(&fs::read_to_string(&base_path).map_err(Error::fs("read", &base_path))?);
    let (bump, removed, added) = public_api::verdict(&recorded, &current);
    if bump == codegen::diff::Bump::None {
        return Ok(format!("the public API is the one recorded for {base}; nothing to do\n"));
    }
    let required =
        bump.apply(&base).ok_or_else(|| Error::Invalid(format!("`{base}` is not major.minor.patch")))?;
    let new_version = if public_api::parse_version(&version) >= public_api::parse_version(&required) {
        version.clone()
    } else {
        required
    };
    let mut report = public_api::report(&base, bump, &removed, &added);
    if new_version != version {
        let manifest_path = dir.join("Cargo.toml");
        let manifest = fs::read_to_string(&manifest_path).map_err(Error::fs("read", &manifest_path))?;
        let manifest = replace_package_version(&manifest, &version, &new_version).ok_or_else(|| {
            Error::Invalid("cannot find the version line of generated/Cargo.toml".to_owned())
        })?;
        let lock_path = root.join("Cargo.lock");
        let lock = fs::read_to_string(&lock_path).map_err(Error::fs("read", &lock_path))?;
        let lock = replace_lock_version(&lock, "intercom-api", &version, &new_version)
            .ok_or_else(|| Error::Invalid("cannot find intercom-api in Cargo.lock".to_owned()))?;
        write(&manifest_path, &manifest)?;
        write(&lock_path, &lock)?;
        report.push_str(&format!("intercom-api {version} -> {new_version}\n"));
    }
    let changelog_path = dir.join("CHANGELOG.md");
    let changelog = fs::read_to_string(&changelog_path).map_err(Error::fs("read", &changelog_path))?;
    if crate::changelog::newest_version(&changelog).as_deref() != Some(new_version.as_str()) {
        let entry = crate::changelog::api_entry(&base, &new_version, bump, &removed, &added);
        write(&changelog_path, &crate::changelog::with_entry(&changelog, &entry))?;
        report.push_str("added a changelog entry to generated/CHANGELOG.md: describe the change there\n");
    }
    write(&listing_path(&dir, &new_version), &public_api::to_file(&current))?;
    Ok(report)
}

fn write(path: &Path, contents: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(Error::fs("create", parent))?;
    }
    fs::write(path, contents).map_err(Error::fs("write", path))
}
