//! The drift check as a test: plain `cargo test` fails when `generated/` is stale, and
//! `--check` catches hand edits, spec changes, extra files; failed runs write nothing.

use std::fs;
use std::path::{Path, PathBuf};

use tests::{files_below, workspace_root};
use xtask::{GenerateArgs, GenerateError, OWNED_DIR, generate};

/// The checked-in crate matches the checked-in spec and the current generator.
#[test]
fn checked_in_crate_is_up_to_date() {
    let args = GenerateArgs { check: true, ..GenerateArgs::default_paths() };
    if let Err(e) = generate(&args) {
        panic!("{e}");
    }
}

/// A copy of the spec and of the generated files in a fresh folder under `target/`.
fn sandbox(name: &str) -> (PathBuf, GenerateArgs) {
    let dir = workspace_root().join("target/drift-tests").join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("clean sandbox");
    }
    fs::create_dir_all(dir.join("crate").join(OWNED_DIR)).expect("sandbox");
    let spec = dir.join("intercom.yaml");
    fs::copy(workspace_root().join("spec/intercom.yaml"), &spec).expect("copy spec");
    fs::copy(workspace_root().join("spec/pagination.txt"), dir.join("pagination.txt")).expect("copy table");
    let source = workspace_root().join("generated").join(OWNED_DIR);
    for file in files_below(&source) {
        fs::copy(source.join(&file), dir.join("crate").join(OWNED_DIR).join(&file)).expect("copy file");
    }
    let args = GenerateArgs {
        spec,
        out: dir.join("crate"),
        spec_label: Some("spec/intercom.yaml".to_owned()),
        ..GenerateArgs::default_paths()
    };
    // The copy must pass first, or the failures below would prove nothing.
    generate(&GenerateArgs { check: true, ..args.clone() }).expect("fresh copy is up to date");
    (dir, args)
}

fn check_fails(args: &GenerateArgs, expect: &[&str]) {
    match generate(&GenerateArgs { check: true, ..args.clone() }) {
        Err(GenerateError::Stale(report)) => {
            for needle in expect {
                assert!(report.contains(needle), "report lacks `{needle}`:\n{report}");
            }
            assert!(report.contains("cargo xtask generate"), "report names no fix:\n{report}");
        }
        other => panic!("expected a stale report, got {other:?}"),
    }
}

fn owned(args: &GenerateArgs, file: &str) -> PathBuf {
    args.out.join(OWNED_DIR).join(file)
}

#[test]
fn check_fails_after_a_hand_edit() {
    let (_dir, args) = sandbox("hand-edit");
    let path = owned(&args, "types.rs");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replacen("pub struct Contact {", "pub struct Contact {\n    pub hacked: bool,", 1))
        .expect("edit");
    check_fails(&args, &["stale:", "types.rs", "-    pub hacked: bool,"]);
}

#[test]
fn check_fails_after_a_spec_change() {
    let (_dir, args) = sandbox("spec-change");
    let text = fs::read_to_string(&args.spec).expect("read");
    assert!(text.contains("summary: List contacts"), "the edit below needs this summary");
    fs::write(&args.spec, text.replacen("summary: List contacts", "summary: List every contact", 1))
        .expect("edit");
    check_fails(&args, &["stale:", "contacts.rs", "+    /// List every contact"]);
}

#[test]
fn check_fails_on_missing_and_extra_files() {
    let (_dir, args) = sandbox("missing-extra");
    fs::remove_file(owned(&args, "segments.rs")).expect("remove");
    fs::write(owned(&args, "leftover.rs"), "// an old tag module\n").expect("write");
    check_fails(&args, &["missing:", "segments.rs", "extra:", "leftover.rs"]);
}

#[test]
fn generate_rewrites_a_stale_crate() {
    let (_dir, args) = sandbox("rewrite");
    fs::write(owned(&args, "leftover.rs"), "// an old tag module\n").expect("write");
    fs::write(owned(&args, "types.rs"), "// hand edit\n").expect("write");
    generate(&args).expect("generate");
    assert!(!owned(&args, "leftover.rs").exists(), "stale extra file survived");
    generate(&GenerateArgs { check: true, ..args }).expect("up to date after generate");
}

/// A spec with errors leaves every generated file exactly as it was.
#[test]
fn failed_generation_writes_nothing() {
    let (_dir, args) = sandbox("atomic");
    let before = snapshot(&args.out);
    let text = fs::read_to_string(&args.spec).expect("read");
    fs::write(
        &args.spec,
        text.replacen("$ref: '#/components/schemas/contact'", "$ref: '#/components/schemas/nope'", 1),
    )
    .expect("edit");
    match generate(&args) {
        Err(GenerateError::Spec(diags)) => assert!(format!("{diags}").contains("#/components/schemas/nope")),
        other => panic!("expected spec errors, got {other:?}"),
    }
    assert_eq!(before, snapshot(&args.out), "a failed run changed the crate");
}

fn snapshot(dir: &Path) -> Vec<(String, String)> {
    files_below(dir)
        .into_iter()
        .map(|f| (f.clone(), fs::read_to_string(dir.join(&f)).unwrap_or_default()))
        .collect()
}

/// The README's examples are the example files that `cargo test` compiles, so they cannot rot.
#[test]
fn readme_examples_are_the_compiled_examples() {
    let readme = fs::read_to_string(workspace_root().join("README.md")).expect("README");
    for name in ["quickstart", "tag_by_email", "webhook_axum"] {
        let path = workspace_root().join(format!("generated/examples/{name}.rs"));
        let example = fs::read_to_string(&path).expect("example");
        let code =
            example.split_once("\nuse ").map(|(_, rest)| format!("use {rest}")).expect("example has code");
        assert!(readme.contains(&code), "README's example differs from {}", path.display());
    }
}

/// Every method of the checked-in crate has a usage example in its docs; `cargo test` compiles
/// them as doctests, so each one calls its method with arguments of the right types.
#[test]
fn every_operation_has_a_usage_example() {
    let text = fs::read_to_string(workspace_root().join("spec/intercom.yaml")).expect("spec");
    let (api, _) = codegen::model(&text, &codegen::Options::default()).expect("the spec lowers");
    let operations: usize = api.tags.iter().map(|t| t.operations.len()).sum();
    let mut examples = 0;
    for tag in &api.tags {
        let path = workspace_root().join(format!("generated/{OWNED_DIR}/{}.rs", tag.module));
        let module = fs::read_to_string(&path).expect("tag module");
        assert!(!module.contains("No usage example"), "{} has a method without an example", path.display());
        examples += module.matches("/// # Example").count();
    }
    assert_eq!(examples, operations);
}

/// Issue 24: the eleven everyday tasks of `examples/everyday.rs` (compiled by the workspace's
/// tests) need no `unwrap`, `expect` or `ok_or`: ids and bodies Intercom always sends are typed so.
#[test]
fn the_everyday_example_unwraps_nothing() {
    let path = workspace_root().join("generated/examples/everyday.rs");
    let example = fs::read_to_string(&path).expect("example");
    let code: Vec<&str> = example.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
    for banned in [".unwrap()", ".expect(", ".ok_or(", ".ok_or_else("] {
        let hits: Vec<&&str> = code.iter().filter(|l| l.contains(banned)).collect();
        assert!(hits.is_empty(), "{} uses `{banned}`: {hits:?}", path.display());
    }
    let tasks = example
        .lines()
        .filter(|l| {
            l.starts_with("/// ") && l[4..].split('.').next().is_some_and(|n| n.parse::<u8>().is_ok())
        })
        .count();
    // Task 8 (a call through `raw()`) is in `main`.
    assert_eq!(tasks, 10, "the example's numbered tasks");
}
