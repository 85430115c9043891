//! The client crate's manifest for another crate of generated code: the checked-in crate's
//! `Cargo.toml` under another name, edited as TOML (not as text), with what it inherits from this
//! workspace written in when the crate stands alone.

use std::fs;
use std::path::Path;

use codegen::GeneratedFile;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::{Error, OWNED_DIR, Result, workspace_root};

/// Where the other crate lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// A member of a workspace that copies this one's dependency table (a scratch workspace):
    /// inherited entries stay inherited.
    Member,
    /// A crate of its own anywhere (`generate --out DIR`): every inherited entry is written in,
    /// and the manifest declares its own workspace so that it builds where it is put.
    Standalone,
}

/// This workspace's manifest `ours` made a scratch workspace's: the same settings and
/// dependency table, with `members` as its members.
pub fn scratch_workspace_manifest(ours: &str, members: &[String]) -> Result<String> {
    let mut doc: DocumentMut = ours.parse().map_err(|e| invalid(format!("Cargo.toml is not TOML: {e}")))?;
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| invalid("Cargo.toml has no [workspace]"))?;
    workspace.insert("members", toml_edit::value(members.iter().map(String::as_str).collect::<Array>()));
    Ok(doc.to_string())
}

/// The file every runner package builds as its binary: `proof/runner/main.rs`, which calls
/// `client::test_harness::main()`.
pub fn runner_main() -> std::path::PathBuf {
    workspace_root().join("proof/runner/main.rs")
}

/// The manifest of the runner package of the scratch member `client`: a binary named after the
/// member (`runner_main`), depending on the member, with its test harness, as `client`. The
/// binary is not documented, since its name would take the member library's docs folder.
pub fn runner_manifest(client: &str, main: &Path) -> String {
    let mut doc = DocumentMut::new();
    let mut package = Table::new();
    package.insert("name", toml_edit::value(format!("{client}-runner")));
    package.insert("version", toml_edit::value("0.0.0"));
    package.insert("edition", toml_edit::value("2024"));
    package.insert("publish", toml_edit::value(false));
    doc.insert("package", Item::Table(package));
    let mut bin = Table::new();
    bin.insert("name", toml_edit::value(client));
    bin.insert("path", toml_edit::value(main.to_string_lossy().into_owned()));
    bin.insert("doc", toml_edit::value(false));
    bin.insert("test", toml_edit::value(false));
    let mut bins = toml_edit::ArrayOfTables::new();
    bins.push(bin);
    doc.insert("bin", Item::ArrayOfTables(bins));
    let mut dependency = InlineTable::new();
    dependency.insert("package", client.into());
    dependency.insert("path", format!("../{client}").into());
    dependency.insert("features", Value::Array(["test-harness"].into_iter().collect()));
    let mut dependencies = Table::new();
    dependencies.insert("client", toml_edit::value(dependency));
    doc.insert("dependencies", Item::Table(dependencies));
    doc.to_string()
}

/// The checked-in crate's manifest `ours`, made the manifest of the crate `name` (a package
/// name; its library is the same with `_`). Its examples are dropped, since they are written
/// against the checked-in crate's types; a standalone crate also drops the dev-dependencies,
/// which only they and the tests use, while a scratch member keeps them for the tests that are
/// copied into it. `workspace` is this workspace's manifest, read for [`Home::Standalone`].
pub fn client_manifest(ours: &str, workspace: &str, name: &str, home: Home) -> Result<String> {
    let mut doc: DocumentMut =
        ours.parse().map_err(|e| invalid(format!("generated/Cargo.toml is not TOML: {e}")))?;
    let package = doc
        .get_mut("package")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| invalid("generated/Cargo.toml has no [package]"))?;
    package.insert("name", toml_edit::value(name));
    let lib = doc
        .get_mut("lib")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| invalid("generated/Cargo.toml has no [lib]"))?;
    lib.insert("name", toml_edit::value(crate::lib_name(name)));
    doc.remove("example");
    if home == Home::Standalone {
        doc.remove("dev-dependencies");
        let ws: DocumentMut =
            workspace.parse().map_err(|e| invalid(format!("Cargo.toml is not TOML: {e}")))?;
        let ws = ws
            .get("workspace")
            .and_then(Item::as_table)
            .ok_or_else(|| invalid("Cargo.toml has no [workspace]"))?;
        write_in(&mut doc, ws)?;
        // Right after `[package]`: everything from the generated `[features]` table on is
        // rewritten by `with_features`.
        let mut own = Table::new();
        let after_package = doc.get("package").and_then(Item::as_table).and_then(Table::position);
        own.set_position(after_package.unwrap_or(0));
        own.decor_mut().set_prefix("\n# A workspace of its own, so that it builds wherever it is put.\n");
        doc.insert("workspace", Item::Table(own));
    }
    Ok(doc.to_string())
}

/// Whether `name` can name a crate whose library builds without warnings: lowercase ASCII
/// letters, digits, `-` and `_`, starting with a letter.
pub fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Every file of a new standalone client crate named `name`: a manifest of its own, the
/// checked-in crate's shell, and the generated files under `src/generated/`.
pub fn standalone_crate(name: &str, generated: &codegen::Generated) -> Result<Vec<GeneratedFile>> {
    if !is_crate_name(name) {
        return Err(invalid(format!(
            "`{name}` is not a crate name (lowercase letters, digits, `-`, `_`, from a letter on)"
        )));
    }
    let root = workspace_root();
    let read = |path: &Path| fs::read_to_string(path).map_err(Error::fs("read", path));
    let ours = read(&root.join("generated/Cargo.toml"))?;
    let workspace = read(&root.join("Cargo.toml"))?;
    let manifest = client_manifest(&ours, &workspace, name, Home::Standalone)
        .and_then(|manifest| crate::with_features(&manifest, &generated.features))?;
    let mut files = vec![GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest }];
    for path in crate::scratch::shell_files() {
        files.push(GeneratedFile { contents: read(&root.join("generated").join(&path))?, path });
    }
    files.extend(generated.files.iter().map(|file| GeneratedFile {
        path: format!("{OWNED_DIR}/{}", file.path),
        contents: file.contents.clone(),
    }));
    Ok(files)
}

/// Whether `item` is an inherited entry (`x.workspace = true`, `x = { workspace = true, … }`).
fn inherits(item: &Item) -> bool {
    item.get("workspace").and_then(Item::as_bool) == Some(true)
}

/// Replaces every inherited entry of `doc` by the workspace's `ws`: package fields, dependencies
/// (with the crate's own features and `optional` added) and lints.
fn write_in(doc: &mut DocumentMut, ws: &Table) -> Result<()> {
    let ws_package = ws.get("package").and_then(Item::as_table_like);
    if let Some(package) = doc.get_mut("package").and_then(Item::as_table_like_mut) {
        let keys: Vec<String> =
            package.iter().filter(|(_, v)| inherits(v)).map(|(k, _)| k.to_owned()).collect();
        for key in keys {
            let value = ws_package
                .and_then(|p| p.get(&key))
                .and_then(Item::as_value)
                .ok_or_else(|| invalid(format!("the workspace has no package.{key} to inherit")))?;
            package.insert(&key, Item::Value(value.clone()));
        }
    }
    let ws_deps = ws.get("dependencies").and_then(Item::as_table_like);
    if let Some(deps) = doc.get_mut("dependencies").and_then(Item::as_table_like_mut) {
        let keys: Vec<String> = deps.iter().filter(|(_, v)| inherits(v)).map(|(k, _)| k.to_owned()).collect();
        for key in keys {
            let base = ws_deps
                .and_then(|d| d.get(&key))
                .ok_or_else(|| invalid(format!("the workspace has no dependency `{key}` to inherit")))?;
            let own = deps.get(&key).cloned().unwrap_or(Item::None);
            deps.insert(&key, Item::Value(Value::InlineTable(merged(&key, base, &own)?)));
        }
    }
    if doc.get("lints").is_some_and(inherits) {
        let lints = ws
            .get("lints")
            .cloned()
            .ok_or_else(|| invalid("the workspace has no [workspace.lints] to inherit"))?;
        doc.insert("lints", lints);
    }
    Ok(())
}

/// The workspace's entry for a dependency, with the features and `optional` of the crate's own.
fn merged(key: &str, base: &Item, own: &Item) -> Result<InlineTable> {
    let mut table = match base {
        Item::Value(Value::String(version)) => {
            let mut table = InlineTable::new();
            table.insert("version", Value::from(version.value().as_str()));
            table
        }
        Item::Value(Value::InlineTable(table)) => table.clone(),
        Item::Table(table) => table.clone().into_inline_table(),
        _ => {
            return Err(invalid(format!(
                "the workspace's dependency `{key}` is neither a version nor a table"
            )));
        }
    };
    let own_features: Vec<String> = own
        .get("features")
        .and_then(Item::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    if !own_features.is_empty() {
        let mut features: Vec<String> = table
            .get("features")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        for feature in own_features {
            if !features.contains(&feature) {
                features.push(feature);
            }
        }
        table.insert("features", Value::Array(features.iter().map(String::as_str).collect::<Array>()));
    }
    if let Some(optional) = own.get("optional").and_then(Item::as_bool) {
        table.insert("optional", Value::from(optional));
    }
    table.fmt();
    Ok(table)
}

/// A manifest that is not as this module needs it.
fn invalid(message: impl Into<String>) -> Error {
    Error::Invalid(message.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &str = r#"[package]
name = "intercom-api"
version = "0.2.0"
edition.workspace = true
license.workspace = true

[lib]
name = "intercom_api"

[dependencies]
bytes = "1"
serde.workspace = true
reqwest = { workspace = true, features = ["stream"] }
rustls = { workspace = true, optional = true }

[lints]
workspace = true

[dev-dependencies]
axum = "0.8"

[[example]]
name = "webhook_axum"

# @generated by `cargo xtask generate`
[features]
default = []
"#;

    const WORKSPACE: &str = r#"[workspace]
members = ["generated"]

[workspace.package]
edition = "2024"
license = "MIT OR Apache-2.0"

[workspace.dependencies]
serde = { version = "1", features = ["derive"] }
reqwest = { version = "0.13", default-features = false, features = ["json"] }
rustls = "0.23"

[workspace.lints.rust]
unsafe_code = "forbid"
"#;

    fn parsed(text: &str) -> DocumentMut {
        text.parse().expect("TOML")
    }

    #[test]
    fn a_runner_depends_on_its_client_as_client_and_is_named_after_it() {
        let doc = parsed(&runner_manifest("conformance-2-16", Path::new("/r/main.rs")));
        assert_eq!(doc["package"]["name"].as_str(), Some("conformance-2-16-runner"));
        let bin = &doc["bin"].as_array_of_tables().expect("[[bin]]").get(0).expect("one bin");
        assert_eq!(bin["name"].as_str(), Some("conformance-2-16"));
        assert_eq!(bin["path"].as_str(), Some("/r/main.rs"));
        assert_eq!(bin["doc"].as_bool(), Some(false));
        let client = &doc["dependencies"]["client"];
        assert_eq!(client["package"].as_str(), Some("conformance-2-16"));
        assert_eq!(client["path"].as_str(), Some("../conformance-2-16"));
        assert_eq!(
            client["features"].as_array().and_then(|a| a.get(0)).and_then(|v| v.as_str()),
            Some("test-harness")
        );
        assert!(runner_main().is_file(), "proof/runner/main.rs is the runner's program");
    }

    #[test]
    fn a_scratch_workspace_has_its_own_members_and_keeps_the_rest() {
        let members = vec!["conformance-2-15".to_owned(), "conformance-2-16".to_owned()];
        let doc = parsed(&scratch_workspace_manifest(WORKSPACE, &members).expect("a manifest"));
        let listed: Vec<&str> = doc["workspace"]["members"]
            .as_array()
            .expect("members")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(listed, ["conformance-2-15", "conformance-2-16"]);
        assert_eq!(doc["workspace"]["dependencies"]["rustls"].as_str(), Some("0.23"));
        assert_eq!(doc["workspace"]["lints"]["rust"]["unsafe_code"].as_str(), Some("forbid"));
        assert!(scratch_workspace_manifest("[package]\nname = \"x\"\n", &members).is_err());
    }

    #[test]
    fn a_member_is_renamed_and_keeps_what_it_inherits() {
        let doc =
            parsed(&client_manifest(OURS, WORKSPACE, "conformance-2-16", Home::Member).expect("a manifest"));
        assert_eq!(doc["package"]["name"].as_str(), Some("conformance-2-16"));
        assert_eq!(doc["lib"]["name"].as_str(), Some("conformance_2_16"));
        assert!(inherits(&doc["dependencies"]["serde"]));
        assert!(doc.get("example").is_none());
        assert!(doc.get("dev-dependencies").is_some(), "copied tests need them");
        assert!(doc.get("workspace").is_none());
        assert!(doc.to_string().contains("# @generated"), "the features marker is kept");
    }

    #[test]
    fn a_standalone_crate_writes_in_what_it_inherited() {
        let doc =
            parsed(&client_manifest(OURS, WORKSPACE, "my-client", Home::Standalone).expect("a manifest"));
        assert_eq!(doc["package"]["edition"].as_str(), Some("2024"));
        assert_eq!(doc["package"]["license"].as_str(), Some("MIT OR Apache-2.0"));
        let deps = &doc["dependencies"];
        assert_eq!(deps["bytes"].as_str(), Some("1"));
        assert_eq!(deps["serde"]["version"].as_str(), Some("1"));
        let features: Vec<&str> = deps["reqwest"]["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(features, ["json", "stream"]);
        assert_eq!(deps["reqwest"]["default-features"].as_bool(), Some(false));
        assert_eq!(deps["rustls"]["version"].as_str(), Some("0.23"));
        assert_eq!(deps["rustls"]["optional"].as_bool(), Some(true));
        assert_eq!(doc["lints"]["rust"]["unsafe_code"].as_str(), Some("forbid"));
        assert!(doc["workspace"].is_table(), "a workspace of its own");
        let text = doc.to_string();
        let at = |header: &str| text.find(header).unwrap_or_else(|| panic!("no {header}"));
        assert!(at("[workspace]") < at("# @generated"), "the generated table would replace it");
        assert!(doc.get("example").is_none() && doc.get("dev-dependencies").is_none());
        assert!(!doc.to_string().contains("workspace = true"));
    }

    #[test]
    fn an_inherited_dependency_the_workspace_lacks_is_an_error() {
        let ours = OURS.replace("bytes = \"1\"", "bytes.workspace = true");
        let error = client_manifest(&ours, WORKSPACE, "x", Home::Standalone)
            .expect_err("bytes is not in the workspace");
        assert!(error.to_string().contains("`bytes`"), "{error}");
    }
}
