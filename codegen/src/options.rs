//! What a generation run is asked to do, and where its time went.

use std::time::Duration;

use crate::pagination;

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
#[derive(Debug, Clone)]
pub struct Options {
    /// How the spec is named in the `@generated` header (a path relative to the workspace).
    pub spec_label: String,
    /// What to do with dangling `$ref`s.
    pub dangling_refs: DanglingRefs,
    /// The spec's table: which operations page and how, and the names of methods and types.
    pub pagination: pagination::SpecTable,
    /// Leave out an operation whose own parts (parameters, bodies, responses) cannot be
    /// generated, its errors becoming warnings, instead of failing the whole spec. Errors in
    /// shared schemas still fail it. Off by default: a spec generates whole or not at all.
    pub partial: bool,
    /// The library name of the crate the code goes into, which the usage examples in the docs
    /// (doctests) name: `intercom_api` by default.
    pub crate_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spec_label: String::new(),
            dangling_refs: DanglingRefs::default(),
            pagination: pagination::SpecTable::default(),
            partial: false,
            crate_name: "intercom_api".to_owned(),
        }
    }
}

/// Where the time of one generation run went, phase by phase.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// YAML text to `serde_yaml::Value`.
    pub parse_yaml: Duration,
    /// Checking and normalizing the document, and reading it as `openapiv3`.
    pub normalize: Duration,
    /// `openapiv3` to the model.
    pub lower: Duration,
    /// The model to parsed Rust files (quote and syn).
    pub emit: Duration,
    /// Parsed files to text (prettyplease, and blank lines between items).
    pub format: Duration,
}
