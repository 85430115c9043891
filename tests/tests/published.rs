//! The manifest of Intercom's published descriptions, and their download into a clone that has
//! no copy: each file fetched from its repository at its commit, checked against its sha256,
//! and written whole or not at all.

use std::path::Path;

use proof::published::{Entry, check_dir, fetch, manifest, parse_manifest, sha256_hex};
use tests::server::{MockServer, Scripted};

fn entry(version: &str, text: &str) -> Entry {
    Entry {
        version: version.to_owned(),
        repo: "intercom/Intercom-OpenAPI".to_owned(),
        commit: "8889625".to_owned(),
        path: format!("descriptions/{version}/api.intercom.io.yaml"),
        sha256: sha256_hex(text.as_bytes()),
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = tests::workspace_root().join("target/tmp/published").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_manifest_lists_every_version_conformance_reports() {
    let entries = manifest().expect("the manifest parses");
    let report = std::fs::read_to_string(tests::workspace_root().join("CONFORMANCE.md")).expect("report");
    for entry in &entries {
        assert!(report.contains(&format!("\n| {} |", entry.version)), "{} has no row", entry.version);
        assert_eq!(entry.path, format!("descriptions/{}/api.intercom.io.yaml", entry.version));
    }
    assert_eq!(entries.len(), report.lines().filter(|l| l.starts_with("| 2.")).count());
    // Where the team's copies are beside the clone, they are the files the manifest pins.
    let shared = tests::workspace_root().join("../shared/specs/intercom");
    if shared.is_dir() {
        check_dir(&shared, &entries).expect("the shared copies match the manifest");
    } else {
        println!("skipped the hash check: {} is not here", shared.display());
    }
}

#[test]
fn manifest_errors_name_the_line() {
    let sha = "a".repeat(64);
    let ok = format!(
        "# comment\n\n2.16 intercom/Intercom-OpenAPI 8889625 descriptions/2.16/api.intercom.io.yaml {sha}\n"
    );
    assert_eq!(parse_manifest(&ok, "m.txt").expect("parses").len(), 1);
    let short = "2.16 intercom/Intercom-OpenAPI 8889625 descriptions/2.16/api.intercom.io.yaml\n";
    assert!(parse_manifest(short, "m.txt").expect_err("four words").to_string().starts_with("m.txt:1:"));
    let bad_hash = "\n2.16 r c p ABC\n";
    assert!(parse_manifest(bad_hash, "m.txt").expect_err("not a sha256").to_string().starts_with("m.txt:2:"));
    let twice = format!("2.16 r c p {sha}\n2.16 r c p {sha}\n");
    assert!(parse_manifest(&twice, "m.txt").expect_err("twice").to_string().contains("listed twice"));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_files_are_downloaded_and_checked() {
    let server = MockServer::start().await.expect("server");
    let (a, b) = ("openapi: 3.0.1 # a\n", "openapi: 3.0.1 # b\n");
    let entries = vec![entry("2.15", a), entry("2.16", b)];
    let dir = scratch("download");
    server.push(Scripted::raw(200, "text/plain", a));
    server.push(Scripted::raw(200, "text/plain", b));
    let base = server.url();
    let (dir, entries) = tokio::task::spawn_blocking(move || {
        fetch(&dir, &entries, &base).expect("downloads");
        // Files already there with their hash are not fetched again.
        fetch(&dir, &entries, &base).expect("nothing to do");
        (dir, entries)
    })
    .await
    .expect("join");
    let paths: Vec<String> = server.requests().iter().map(|r| r.path().to_owned()).collect();
    assert_eq!(
        paths,
        [
            "/intercom/Intercom-OpenAPI/8889625/descriptions/2.15/api.intercom.io.yaml",
            "/intercom/Intercom-OpenAPI/8889625/descriptions/2.16/api.intercom.io.yaml"
        ]
    );
    assert_eq!(std::fs::read_to_string(dir.join("2.16.yaml")).expect("written"), b);
    check_dir(&dir, &entries).expect("the folder now matches");
    assert_eq!(leftovers(&dir), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_with_another_hash_is_not_written() {
    let server = MockServer::start().await.expect("server");
    let entries = vec![entry("2.16", "openapi: 3.0.1 # the pinned one\n")];
    let dir = scratch("mismatch");
    server.push(Scripted::raw(200, "text/plain", "openapi: 3.0.1 # changed upstream\n"));
    server.push(Scripted::raw(404, "text/plain", "Not Found"));
    let base = server.url();
    let (dir, first, second) = tokio::task::spawn_blocking(move || {
        let first = fetch(&dir, &entries, &base).expect_err("a different file");
        let second = fetch(&dir, &entries, &base).expect_err("not found");
        (dir, first, second)
    })
    .await
    .expect("join");
    // Both are download failures, which say why.
    assert!(matches!(first, proof::Error::Download { .. }) && first.to_string().contains("pins"), "{first}");
    assert!(
        matches!(second, proof::Error::Download { .. }) && second.to_string().contains("404"),
        "{second}"
    );
    assert!(!dir.join("2.16.yaml").exists());
    assert_eq!(leftovers(&dir), Vec::<String>::new());
    // A folder holding a different file is named with both hashes.
    std::fs::write(dir.join("2.16.yaml"), "something else").expect("write");
    let error = check_dir(&dir, &[entry("2.16", "openapi: 3.0.1 # the pinned one\n")]).expect_err("differs");
    assert!(error.to_string().contains(&sha256_hex(b"something else")), "{error}");
}

/// Files other than the descriptions left in `dir` (half-written downloads).
fn leftovers(dir: &Path) -> Vec<String> {
    tests::files_below(dir).into_iter().filter(|f| !f.ends_with(".yaml")).collect()
}
