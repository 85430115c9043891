//! `cargo xtask diff` on Intercom's consecutive published versions: pinned by snapshots, and
//! entries checked by hand against the two specs asserted one by one.

use std::path::{Path, PathBuf};

use tests::check_snapshot;
use xtask::bump::DiffArgs;

const VERSIONS: [&str; 9] = ["2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15"];

fn spec(dir: &Path, version: &str) -> PathBuf {
    dir.join(format!("{version}.yaml"))
}

/// A change as `--json` prints it.
struct Entry {
    breaking: bool,
    kind: String,
    item: String,
    detail: String,
}

/// What `cargo xtask diff --json` says, read back.
struct Log {
    bump: String,
    changes: Vec<Entry>,
}

fn changelog(dir: &Path, old: &str, new: &str) -> Log {
    let json =
        xtask::bump::diff_files(&DiffArgs { json: true, ..DiffArgs::new(spec(dir, old), spec(dir, new)) })
            .expect("diff runs");
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON output");
    let text = |v: &serde_json::Value| v.as_str().expect("a string").to_owned();
    let changes = value["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| Entry {
            breaking: c["breaking"].as_bool().expect("breaking"),
            kind: text(&c["kind"]),
            item: text(&c["item"]),
            detail: text(&c["detail"]),
        })
        .collect();
    Log { bump: text(&value["bump"]), changes }
}

fn find<'a>(log: &'a Log, kind: &str, item: &str) -> Vec<&'a Entry> {
    log.changes.iter().filter(|c| c.kind == kind && c.item == item).collect()
}

#[test]
fn consecutive_versions_match_their_snapshots() {
    let Some(dir) = tests::published_dir() else { return };
    let mut problems = Vec::new();
    for pair in VERSIONS.windows(2) {
        let markdown = xtask::bump::diff_files(&DiffArgs::new(spec(&dir, pair[0]), spec(&dir, pair[1])))
            .expect("diff runs");
        let path = tests::fixtures().join(format!("snapshots/diff/{}-{}.md", pair[0], pair[1]));
        problems.extend(check_snapshot(&path, &markdown));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The twelve operations 2.15 adds, read off the two files by method and path.
#[test]
fn operations_added_by_2_15() {
    let Some(dir) = tests::published_dir() else { return };
    let log = changelog(&dir, "2.14", "2.15");
    let mut added: Vec<&str> = log
        .changes
        .iter()
        .filter(|c| c.kind == "operation-added")
        .map(|c| c.detail.rsplit('`').nth(1).expect("the operationId in backquotes"))
        .collect();
    added.sort_unstable();
    assert_eq!(
        added,
        [
            "collectFinVoiceCallByExternalId",
            "collectFinVoiceCallById",
            "collectFinVoiceCallByPhoneNumber",
            "collectFinVoiceCallsByConversationId",
            "exportWorkflow",
            "listBrands",
            "listCompanyNotes",
            "listEmails",
            "listHandlingEvents",
            "registerFinVoiceCall",
            "retrieveBrand",
            "retrieveEmail",
        ]
    );
    assert!(log.changes.iter().filter(|c| c.kind == "operation-added").all(|c| !c.breaking));
    assert!(!log.changes.iter().any(|c| c.kind == "operation-removed"));
    // 2.15 drops two values of the AI agent resolution state: breaking, so a major bump.
    assert!(find(&log, "enum-value-removed", "types::AiAgentResolutionState").len() == 2);
    assert_eq!(log.bump, "major");
}

/// 2.11 renames `/admins/{id}` to `/admins/{admin_id}` (and 51 more), changes `admin.avatar`
/// from a string to an object, and fixes the `lisDataAttributes` typo.
#[test]
fn renames_and_type_changes_of_2_11() {
    let Some(dir) = tests::published_dir() else { return };
    let log = changelog(&dir, "2.10", "2.11");
    let renamed = find(&log, "path-parameter-renamed", "admins().retrieve_admin()");
    assert_eq!(renamed.len(), 1);
    assert!(renamed[0].detail.contains("`{id}` is now `{admin_id}`"), "{}", renamed[0].detail);
    assert!(!renamed[0].breaking, "a positional argument's new name breaks no caller");
    assert_eq!(log.changes.iter().filter(|c| c.kind == "path-parameter-renamed").count(), 52);

    let avatar = find(&log, "field-type-changed", "types::Admin::avatar");
    assert_eq!(avatar.len(), 1);
    assert!(avatar[0].breaking);
    assert!(
        avatar[0].detail.contains("is now `Option<AdminAvatar>`, was `Option<String>`"),
        "{}",
        avatar[0].detail
    );

    let typo = find(&log, "operation-renamed", "data_attributes().lis_data_attributes()");
    assert_eq!(typo.len(), 1);
    assert!(typo[0].breaking && typo[0].detail.contains("list_data_attributes()"), "{}", typo[0].detail);
}

/// 2.10 drops the Help Center sections endpoints.
#[test]
fn operations_removed_by_2_10() {
    let Some(dir) = tests::published_dir() else { return };
    let log = changelog(&dir, "2.9", "2.10");
    let mut removed: Vec<&str> = log
        .changes
        .iter()
        .filter(|c| c.kind == "operation-removed")
        .map(|c| c.detail.rsplit('`').nth(1).expect("the operationId in backquotes"))
        .collect();
    removed.sort_unstable();
    assert_eq!(
        removed,
        ["createSection", "deleteSection", "listAllSections", "retrieveSection", "updateSection"]
    );
    assert!(log.changes.iter().filter(|c| c.kind == "operation-removed").all(|c| c.breaking));
}

#[test]
fn a_spec_against_itself_has_no_changes() {
    let Some(dir) = tests::published_dir() else { return };
    let log = changelog(&dir, "2.15", "2.15");
    assert!(log.changes.is_empty(), "{:?}", log.changes.first().map(|c| &c.detail));
    assert_eq!(log.bump, "none");
}
