//! The proof machinery: what shows that the generator and the crate it makes do what they
//! claim. Conformance with Intercom's published descriptions, the contract run against a mock
//! server, the benchmarks, and the scratch crates and published files they need; `xtask` is
//! its command line, and the workspace's tests call it as a library.
//!
//! It also holds the workspace's layout (where the spec's table and the client crate's generated
//! folder are), which `xtask`'s `generate` and `bump` share with it.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::pagination::SpecTable;

pub mod bench;
pub mod conformance;
pub mod contract;
pub mod error;
pub mod files;
pub mod manifest;
pub mod memory;
pub mod public_api;
pub mod published;
pub mod scratch;
pub mod supply_chain;

pub use error::{Error, Result};

/// The folder, inside the client crate, that the generator owns entirely.
pub const OWNED_DIR: &str = "src/generated";

/// A `cargo` command: the cargo that runs this program (`$CARGO`), else the one on the path.
pub fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// The workspace root (the parent of this crate's folder, as of xtask's).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The library name of the package `package`, as Rust code names it (`intercom-api` is
/// `intercom_api`): what a manifest's `[lib]` says and what the usage examples import.
pub fn lib_name(package: &str) -> String {
    package.replace('-', "_")
}

/// The table (pagination, method and type names) of one of Intercom's published versions.
pub fn version_pagination_table(version: &str) -> PathBuf {
    workspace_root().join("xtask/pagination").join(format!("{version}.txt"))
}

/// The name of the table kept beside a spec (pagination, method and type names).
pub const PAGINATION_FILE: &str = "pagination.txt";

/// Reads and parses a pagination table; errors name the file and line.
pub fn read_pagination(path: &Path) -> Result<SpecTable> {
    let text = fs::read_to_string(path).map_err(Error::fs("read the table", path))?;
    Ok(SpecTable::parse(&text, &spec_label(path))?)
}

/// How the spec is named in generated headers: relative to the workspace when inside it, so the
/// output is the same on every machine.
pub fn spec_label(spec: &Path) -> String {
    let root = workspace_root();
    let absolute = fs::canonicalize(spec).unwrap_or_else(|_| spec.to_path_buf());
    let root = fs::canonicalize(&root).unwrap_or(root);
    match absolute.strip_prefix(&root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    }
}

/// `manifest` with everything from [`codegen::FEATURES_MARKER`] on replaced by `features` (or
/// `features` appended when the marker is missing).
pub fn with_features(manifest: &str, features: &str) -> Result<String> {
    let head = match manifest.find(codegen::FEATURES_MARKER) {
        Some(at) => &manifest[..at],
        None if manifest.lines().any(|l| l.trim() == "[features]") => {
            return Err(Error::Invalid(
                "the client crate's Cargo.toml has a [features] table of its own; the generator owns it \
                        (remove it and run `cargo xtask generate`)"
                    .to_owned(),
            ));
        }
        None => manifest,
    };
    Ok(format!("{}\n\n{features}", head.trim_end()))
}

/// Downloads a published description; blocking, on a small runtime of its own.
pub fn download(url: &str) -> Result<String> {
    let failed = |detail: String| Error::Download { url: url.to_owned(), detail };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start a runtime: {e}")))?;
    // Bounded, so that a machine without a route out fails the download instead of hanging.
    let client = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .map_err(|e| failed(format!("cannot make an HTTP client: {e}")))?;
    runtime.block_on(async {
        let response = client.get(url).send().await.map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(failed(format!("HTTP {status}")));
        }
        response.text().await.map_err(|e| failed(format!("cannot read the body: {e}")))
    })
}
