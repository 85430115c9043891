//! The Intercom client generator: OpenAPI text in, Rust source files out, or located errors.
//!
//! The pipeline is load → lower → emit → format; see `ARCHITECTURE.md`. This crate does no I/O:
//! the caller reads the spec and writes the files.

#![deny(missing_docs)]

pub mod diag;
pub mod diff;
mod emit;
mod load;
mod lower;
pub mod model;
pub mod names;
pub mod pagination;

use sha2::{Digest, Sha256};

pub use diag::{Diagnostic, Diagnostics, Severity};

/// Whether a media type (`application/json; charset=utf-8`, `application/problem+json`) is JSON.
pub fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// What to do with a `$ref` to a component schema that does not exist.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DanglingRefs {
    /// Report an error (the default).
    #[default]
    Error,
    /// Read such values as untyped JSON, with a warning. Intercom's 2.7–2.11 descriptions refer
    /// to a `custom_attributes` schema they do not define.
    Json,
}

/// Settings of one generation run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How the spec is named in the `@generated` header (a path relative to the workspace).
    pub spec_label: String,
    /// What to do with dangling `$ref`s.
    pub dangling_refs: DanglingRefs,
    /// Which operations page, and how.
    pub pagination: pagination::PaginationTable,
}

/// One generated file: a path relative to the output folder, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the folder the generator owns, with `/` separators.
    pub path: String,
    /// The formatted Rust source.
    pub contents: String,
}

/// A successful run: the files, and the warnings met on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The files, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Warnings, sorted by pointer.
    pub warnings: Vec<Diagnostic>,
    /// The model the files were emitted from.
    pub api: model::Api,
}

/// Parses and lowers a spec into the model, or returns every error found.
pub fn model(spec_text: &str, options: &Options) -> Result<(model::Api, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let Some(spec) = load::load(spec_text, &mut diags) else { return Err(diags) };
    let sha = format!("{:x}", Sha256::digest(spec_text.as_bytes()));
    let api = lower::lower(&spec, sha, options, &mut diags);
    if diags.has_errors() { Err(diags) } else { Ok((api, diags)) }
}

/// The conformance harness of a generated crate: `check(operation, part, json)` decodes an
/// example into the operation's generated type and encodes it again. Not part of the client.
pub fn conformance_harness(api: &model::Api, spec_label: &str) -> Result<GeneratedFile, Diagnostics> {
    emit::emit_harness(api, spec_label)
}

/// Generates the client's source files from the text of a spec.
pub fn generate(spec_text: &str, options: &Options) -> Result<Generated, Diagnostics> {
    let (api, warnings) = model(spec_text, options)?;
    let label = if options.spec_label.is_empty() { "an OpenAPI description" } else { &options.spec_label };
    let files = emit::emit(&api, label)?;
    Ok(Generated { files, warnings: warnings.into_sorted(), api })
}
