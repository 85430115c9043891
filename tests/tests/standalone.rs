//! `cargo xtask generate --out DIR` into a new folder writes a whole crate that builds on its own
//! (outside this workspace, with its own manifest), and into a folder with files but no
//! manifest writes nothing.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use xtask::{GenerateArgs, generate};

fn args(spec: &str, out: PathBuf) -> GenerateArgs {
    GenerateArgs {
        spec: tests::workspace_root().join("tests/fixtures/specs").join(spec),
        out,
        ..GenerateArgs::default_paths()
    }
}

fn fresh(name: &str) -> PathBuf {
    let dir = tests::workspace_root().join("target/standalone").join(name);
    if dir.exists() {
        fs::remove_dir_all(&dir).expect("clear the old crate");
    }
    dir
}

#[test]
fn a_new_folder_gets_a_crate_that_builds_alone() {
    let out = fresh("standalone-forms");
    let report = generate(&args("request_bodies.yaml", out.clone())).expect("generates");
    assert!(report.contains("wrote a crate of"), "{report}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("name = \"standalone-forms\""), "{manifest}");
    assert!(!manifest.contains("workspace = true"), "it inherits from a workspace it is not in");
    for file in ["src/lib.rs", "src/client.rs", "src/form.rs", "README.md", "src/generated/mod.rs"] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    let examples = fs::read_to_string(out.join("src/generated/files.rs")).expect("the files module");
    assert!(examples.contains("standalone_forms::Client"), "the usage examples name another crate");

    // Built as its own workspace (its manifest says so), with this workspace's versions and
    // the scratch crates' target folder and debug levels, so the dependencies are built once.
    fs::copy(tests::workspace_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("copy the lock file");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--offline", "--message-format", "short"])
        // The workspace's debug levels (its `[profile]`), which the crate's manifest lacks.
        .args(["--config", "profile.dev.debug=\"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug=false"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", proof::scratch::shared_target_dir())
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("run cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the crate does not build:\n{stderr}");
    assert!(!stderr.lines().any(|l| l.contains("warning")), "the crate builds with warnings:\n{stderr}");

    // Run again, the folder is a client crate: only its generated parts are rewritten.
    let report = generate(&args("request_bodies.yaml", out.clone())).expect("generates again");
    assert!(report.starts_with("wrote ") && !report.contains("a crate of"), "{report}");
}

#[test]
fn a_folder_with_files_but_no_manifest_is_left_alone() {
    let out = fresh("not-a-crate");
    fs::create_dir_all(&out).expect("create the folder");
    fs::write(out.join("notes.txt"), "mine").expect("write a file");
    let error = generate(&args("names.yaml", out.clone())).expect_err("refused");
    assert!(error.to_string().contains("has files but no Cargo.toml"), "{error}");
    let left: Vec<_> =
        fs::read_dir(&out).expect("list").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(left, ["notes.txt"]);
}

#[test]
fn a_folder_whose_name_is_no_crate_name_gets_one_made_from_it() {
    // A folder `mktemp` makes: a dot and capitals, neither of which a crate name takes.
    let out = fresh("tmp.AbC12");
    let report = generate(&args("request_bodies.yaml", out.clone())).expect("generates");
    assert!(report.contains("wrote a crate of"), "{report}");
    let manifest = fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("name = \"tmp-abc12\""), "{manifest}");
    let examples = fs::read_to_string(out.join("src/generated/files.rs")).expect("the files module");
    assert!(examples.contains("tmp_abc12::Client"), "the usage examples name another crate");
}

#[test]
fn a_crate_name_that_cannot_be_is_an_error_and_writes_nothing() {
    let out = fresh("named-by-flag");
    let error = generate(&GenerateArgs {
        crate_name: Some("9-lives".to_owned()),
        ..args("request_bodies.yaml", out.clone())
    })
    .expect_err("a crate name cannot start with a digit");
    assert!(error.to_string().contains("`9-lives` is not a crate name"), "{error}");
    assert!(!out.exists(), "a refused crate name wrote files");
    let out = fresh("...");
    let error = generate(&args("request_bodies.yaml", out.join("---"))).expect_err("no letter to start from");
    assert!(error.to_string().contains("--crate-name"), "{error}");
    // The generator itself refuses a name the examples could not use, with an error, not a panic.
    let text = fs::read_to_string(tests::workspace_root().join("tests/fixtures/specs/request_bodies.yaml"))
        .expect("read the fixture");
    let options = codegen::Options { crate_name: "tmp.AbC12".to_owned(), ..codegen::Options::default() };
    let diags = codegen::generate(&text, &options).expect_err("not an identifier");
    assert!(diags.to_string().contains("`tmp.AbC12` is not a Rust identifier"), "{diags}");
}
