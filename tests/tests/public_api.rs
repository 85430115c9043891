//! Versions that tell the truth: the client crate's public API is the one listed for its
//! version in `generated/api/`, the version moved from the one before at least as far as the
//! API's semver verdict asks, the changelog's newest entry is that version, and every method an
//! entry names exists in that version. `cargo xtask api` prints the same comparison, and
//! `cargo xtask api --bless` records a change.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proof::public_api::{self, listing_path, parse_version};

fn crate_dir() -> PathBuf {
    tests::workspace_root().join("generated")
}

fn version() -> String {
    xtask::api::crate_version(&crate_dir()).expect("the crate's version")
}

fn recorded(version: &str) -> BTreeSet<String> {
    let path = listing_path(&crate_dir(), version);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} ({e}): run `cargo xtask api --bless`", path.display()));
    public_api::from_file(&text)
}

#[test]
fn the_public_api_is_the_one_recorded_for_the_version() {
    // The same comparison `cargo xtask api` prints, failing with its report.
    if let Err(e) = xtask::api::check() {
        panic!("{e}");
    }
}

#[test]
fn the_version_moved_as_far_as_the_api_asks() {
    let version = version();
    let listed = public_api::listed_versions(&crate_dir()).expect("the listings");
    assert!(listed.contains(&version), "no listing for {version} in {listed:?}");
    let older: Vec<&String> = listed.iter().filter(|v| parse_version(v) < parse_version(&version)).collect();
    let Some(previous) = older.last() else {
        println!("{version} is the first version with a listing: nothing to compare it with");
        return;
    };
    let (bump, removed, added) = public_api::verdict(&recorded(previous), &recorded(&version));
    let required = bump.apply(previous).expect("a major.minor.patch version");
    assert!(
        parse_version(&version) >= parse_version(&required),
        "{}the API since {previous} calls for {required} at least, but the crate is {version}",
        public_api::report(previous, bump, &removed, &added)
    );
}

#[test]
fn the_newest_changelog_entry_is_the_crate_version() {
    let changelog = std::fs::read_to_string(crate_dir().join("CHANGELOG.md")).expect("read the changelog");
    assert_eq!(xtask::changelog::newest_version(&changelog), Some(version()), "generated/CHANGELOG.md");
}

/// `handle().method()` exists in a listing: `Client::handle` returns a tag's type, which has
/// `method`.
fn has_method(listing: &BTreeSet<String>, handle: &str, method: &str) -> bool {
    let prefix = format!("method Client::{handle}(&self) -> ");
    let Some(returned) = listing.iter().find_map(|line| line.strip_prefix(&prefix)) else { return false };
    let api = returned.split('<').next().unwrap_or(returned);
    listing.iter().any(|line| line.starts_with(&format!("method {api}::{method}(")))
}

#[test]
fn the_changelog_names_methods_that_exist() {
    let changelog = std::fs::read_to_string(crate_dir().join("CHANGELOG.md")).expect("read the changelog");
    let listed = public_api::listed_versions(&crate_dir()).expect("the listings");
    let mut missing = Vec::new();
    let mut checked = 0;
    for (version, text) in xtask::changelog::entries(&changelog) {
        if !listed.contains(&version) {
            continue;
        }
        let listing = recorded(&version);
        for (handle, method) in xtask::changelog::method_references(&text) {
            checked += 1;
            if !has_method(&listing, &handle, &method) {
                missing.push(format!("{version}: `{handle}().{method}()`"));
            }
        }
    }
    assert!(checked > 0, "no entry with a listing names a method");
    assert!(missing.is_empty(), "the changelog names methods its version does not have: {missing:#?}");
}
