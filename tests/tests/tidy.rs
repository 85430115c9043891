//! Small checks that keep the code base's own claims true: the generator's lists of what the
//! client crate's shell holds match the shell's sources, and every source file says what it is
//! for in a header.

use std::collections::BTreeSet;
use std::fs;

use codegen::shell::{CLIENT_METHODS, GENERATED_MODULES, SHELL_MODULES};
use tests::workspace_root;

fn read(path: &str) -> String {
    fs::read_to_string(workspace_root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The name a line declares with `keyword`, such as `mod client;` or `pub fn raw(`.
fn declared<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let line = line.trim_start();
    let line = line.strip_prefix("pub(crate) ").or_else(|| line.strip_prefix("pub ")).unwrap_or(line);
    let line = line.strip_prefix("async ").unwrap_or(line);
    let rest = line.strip_prefix(keyword)?.strip_prefix(' ')?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// `codegen::shell::SHELL_MODULES` are the modules the crate root declares by hand.
#[test]
fn the_shell_modules_are_those_of_the_crate_root() {
    let root = read("generated/src/lib.rs");
    let declared: BTreeSet<&str> = root.lines().filter_map(|l| declared(l, "mod")).collect();
    let listed: BTreeSet<&str> = SHELL_MODULES.iter().chain(&["generated"]).copied().collect();
    assert_eq!(declared, listed, "generated/src/lib.rs declares other modules than codegen::shell lists");
    assert!(GENERATED_MODULES.contains(&"generated"));
}

/// `codegen::shell::CLIENT_METHODS` are the methods of `Client`, which a tag's accessor must not shadow.
#[test]
fn the_client_methods_are_those_of_client_rs() {
    let text = read("generated/src/client.rs");
    let mut methods = BTreeSet::new();
    let mut in_impl = false;
    for line in text.lines() {
        if line.starts_with("impl Client {") {
            in_impl = true;
        } else if line.starts_with('}') {
            in_impl = false;
        } else if in_impl && line.starts_with("    ") && !line.starts_with("     ") {
            methods.extend(declared(line, "fn"));
        }
    }
    assert!(!methods.is_empty(), "no `impl Client` found in client.rs");
    let listed: BTreeSet<&str> = CLIENT_METHODS.iter().copied().collect();
    assert_eq!(methods, listed, "Client's methods differ from codegen::shell::CLIENT_METHODS");
}

/// Every dependency of the client crate is a name no tag module may take
/// (`codegen::names::reserved::MODULES`): a module of that name would make it ambiguous at the
/// crate root.
#[test]
fn the_client_crate_dependencies_are_reserved_module_names() {
    let manifest: toml_edit::DocumentMut = read("generated/Cargo.toml").parse().expect("a TOML manifest");
    let dependencies = manifest["dependencies"].as_table().expect("[dependencies]");
    let missing: Vec<String> = dependencies
        .iter()
        .map(|(name, _)| name.replace('-', "_"))
        .filter(|name| !codegen::names::reserved::MODULES.contains(&name.as_str()))
        .collect();
    assert!(missing.is_empty(), "dependencies a tag module could shadow: {missing:?}");
}

/// Every hand-written source file starts with a header that says what it is for: a `//!`
/// comment, or the crate root's `#![doc]` (which is its README).
#[test]
fn every_source_file_has_a_header() {
    let mut missing = Vec::new();
    for folder in [
        "codegen/src",
        "xtask/src",
        "proof/src",
        "tests/src",
        "tests/tests",
        "tests/benches",
        "generated/src",
        "generated/examples",
    ] {
        for file in tests::files_below(&workspace_root().join(folder)) {
            let path = format!("{folder}/{file}");
            if !path.ends_with(".rs") || path.starts_with("generated/src/generated/") {
                continue;
            }
            let text = read(&path);
            let first = text.lines().find(|l| !l.starts_with("// ") && !l.is_empty()).unwrap_or_default();
            if !(text.starts_with("//!") || first.starts_with("#![doc")) {
                missing.push(path);
            }
        }
    }
    assert!(missing.is_empty(), "files without a `//!` header: {missing:?}");
}
