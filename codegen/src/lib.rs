//! The Intercom client generator: OpenAPI text in, Rust source files out, or located errors.
//!
//! The pipeline is load → lower → emit → format (`pipeline` runs them); see `ARCHITECTURE.md`. This crate does no I/O:
//! the caller reads the spec and writes the files.

#![deny(missing_docs)]

pub mod diag;
pub mod diff;
mod emit;
mod format;
mod load;
mod lower;
pub mod model;
pub mod names;
mod options;
mod output;
pub mod pagination;
mod pipeline;
pub mod shell;

pub use diag::{Diagnostic, Diagnostics, Location, Severity};
pub use model::is_json_media_type;
pub use options::{DanglingRefs, Options, Timings};
pub use output::{FEATURES_MARKER, Generated, GeneratedFile};

/// The text of a spec read as bytes, or an error saying where the bytes stop being UTF-8
/// (YAML and JSON documents are Unicode text; the generator reads UTF-8).
pub fn spec_text(bytes: &[u8]) -> Result<&str, Diagnostics> {
    // A byte-order mark is not part of the document (editors on Windows write one).
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let before = &bytes[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        // The column counts characters; the bytes before `at` on this line are valid UTF-8.
        let column = std::str::from_utf8(&before[line_start..]).map_or(0, |s| s.chars().count()) + 1;
        let mut diags = Diagnostics::default();
        diags.error_hint(
            "#",
            format!("the spec is not UTF-8 text: byte {at} (line {line}, column {column}) starts an invalid sequence"),
            "save the file as UTF-8",
        );
        diags
    })
}

/// Parses and lowers a spec into the model, or returns every error found.
pub fn model(spec_text: &str, options: &Options) -> Result<(model::Api, Diagnostics), Diagnostics> {
    pipeline::model(spec_text, options, &mut Timings::default())
}

/// The cargo features (tags) that compile each named type of `api`, by type name.
pub fn type_features(
    api: &model::Api,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    emit::features::type_features(api)
}

/// Generates the client's source files from the text of a spec.
pub fn generate(spec_text: &str, options: &Options) -> Result<Generated, Diagnostics> {
    generate_timed(spec_text, options, &mut Timings::default())
}

/// [`generate`], recording the time of each phase in `timings`.
pub fn generate_timed(
    spec_text: &str,
    options: &Options,
    timings: &mut Timings,
) -> Result<Generated, Diagnostics> {
    // The usage examples name the crate: a name that is not an identifier would panic there.
    if syn::parse_str::<syn::Ident>(&options.crate_name).is_err() {
        let mut diags = Diagnostics::default();
        diags.error("#", format!("the crate name `{}` is not a Rust identifier", options.crate_name));
        return Err(diags);
    }
    let (api, warnings) = pipeline::model(spec_text, options, timings)?;
    let label = if options.spec_label.is_empty() { "an OpenAPI description" } else { &options.spec_label };
    let files = pipeline::files(&api, label, &options.crate_name, timings)?;
    let features = emit::features::features_toml(&api);
    Ok(Generated { files, features, warnings: warnings.into_sorted(), api })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      tags: [Things]\n      responses:\n        '204': {description: Done.}\n";

    #[test]
    fn a_byte_order_mark_before_the_document_is_skipped() {
        let bytes = [&[0xEF, 0xBB, 0xBF][..], SPEC.as_bytes()].concat();
        let text = spec_text(&bytes).expect("UTF-8");
        assert_eq!(text, SPEC);
        let generated = generate(text, &Options::default()).expect("a document after a BOM generates");
        assert_eq!(generated.api.tags.len(), 1);
        // Only at the start: a second one inside the text is the document's own business.
        assert!(spec_text("a\u{feff}".as_bytes()).is_ok_and(|t| t.ends_with('\u{feff}')));
    }

    #[test]
    fn an_integer_beyond_64_bits_is_a_number_where_it_only_illustrates() {
        let schema = "        '200':\n          description: Done.\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n";
        let with = |property: &str| {
            SPEC.replace("        '204': {description: Done.}\n", &format!("{schema}{property}"))
        };
        let example =
            with("                  id: {type: integer, example: 100000000000000000000000000000}\n");
        generate(&example, &Options::default()).expect("a long example is no error");
        let count = with("                  id: {type: string, maxLength: 100000000000000000000000000000}\n");
        let diags = generate(&count, &Options::default()).expect_err("a count that large cannot be one");
        assert!(diags.to_string().contains("#/paths/~1things/get"), "{diags}");
    }
}
