//! Emit: the model → parsed Rust files (each checked by `syn`, the types gated on features), which
//! the format stage (`crate::format`) turns into text.
//!
//! Emitters read only [`crate::model`]; every path they write is fully qualified
//! (`::std::option::Option`) so that a schema named `Option` or `Result` cannot clash.

mod docs;
mod examples;
pub(crate) mod features;
mod harness;
mod ops;
mod search;
mod types;

use std::time::{Duration, Instant};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::diag::Diagnostics;
use crate::model::{Api, TypeRef};
use crate::output::GeneratedFile;

/// Lints the generated code allows: spec prose makes long doc lists, an API has operations
/// with many parameters and unions with large branches, and a schema may nest arrays deeper
/// than clippy likes to read (a field `Vec<Vec<Vec<…>>>` is the schema's shape, not a choice).
fn allowed_lints() -> TokenStream {
    quote! {
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant, clippy::too_many_arguments, clippy::type_complexity)]
    }
}

/// Emits every generated file, or the diagnostics of a file that did not parse as Rust (a
/// generator bug, reported rather than written).
pub(crate) fn emit(
    api: &Api,
    spec_label: &str,
    crate_name: &str,
    timings: &mut crate::options::Timings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let started = Instant::now();
    let mut files = Vec::new();
    let mut diags = Diagnostics::default();
    let header = header(api, spec_label);
    let lints = allowed_lints();

    let modules: Vec<Ident> = api.tags.iter().map(|t| ident(&t.module)).collect();
    let handles: Vec<Ident> = api.tags.iter().map(|t| ident(&t.handle)).collect();
    let accessor_docs =
        api.tags.iter().map(|t| docs::doc_attrs(&format!("The operations tagged `{}`.", t.wire)));
    let module_docs = api.tags.iter().map(|t| docs::doc_attrs(&format!("Operations tagged `{}`.", t.wire)));
    let module_cfgs: Vec<TokenStream> = api
        .tags
        .iter()
        .map(|t| {
            let feature = &t.module;
            quote!(#[cfg(feature = #feature)])
        })
        .collect();
    let accessor_cfgs = module_cfgs.clone();
    let version = &api.api_version;
    let version_header = &api.version_header;
    let server_urls = api.servers.iter().map(|s| s.url.as_str());
    let root = quote! {
        #lints

        /// The data types of requests and responses.
        ///
        /// Decoding is lenient where servers are known to differ from their description, and
        /// encoding follows the schema:
        /// - a string field also takes a number or a boolean (as its text), and so do the values
        ///   of a map of strings; an integer field also takes a string that holds one;
        /// - absent and `null` both decode to `None`; a required value sent as `null` or left
        ///   out decodes as its type's default, where it has one;
        /// - keys a struct does not declare are kept in its `extra` (or `additional`) map and
        ///   encoded back;
        /// - an optional object property sent as a string is kept in `extra` under its own
        ///   name, unless its type is a link with extras (one `…url` property), which takes the
        ///   string as that URL;
        /// - a union value of a JSON kind no branch takes is its `Other` variant.
        pub mod types;

        #( #module_docs #module_cfgs pub mod #modules; )*

        /// Calls any operation from JSON arguments, and round-trips examples through the types:
        /// the repository's wire tests use it. Not part of the crate's API.
        #[cfg(feature = "test-harness")]
        #[doc(hidden)]
        pub mod harness;

        /// The API version this crate was generated for, sent in every request by default.
        pub const API_VERSION: &str = #version;

        /// The header that carries the API version.
        pub const VERSION_HEADER: &str = #version_header;

        /// The servers the spec lists, first the default.
        pub const SERVERS: &[&str] = &[ #( #server_urls ),* ];

        impl crate::Client {
            #(
                #accessor_docs
                #accessor_cfgs
                pub fn #modules(&self) -> #modules::#handles<'_> {
                    #modules::#handles::new(self)
                }
            )*
        }
    };
    files.push(("mod.rs".to_owned(), root));
    let harness = harness::emit_harness(api);
    files.push(("harness.rs".to_owned(), quote! { #lints #harness }));
    // `types.rs` is the largest file: its first half is emitted and formatted on a thread of its
    // own while this one does the tags and the second half. Token streams cannot cross threads,
    // so each side makes its own; prettyplease prints a file item by item, so the two halves
    // joined are the whole file formatted at once.
    let gates = features::Gates::new(api);
    let gates = Some(&gates);
    let half = api.types.len() / 2;
    let files = std::thread::scope(|scope| {
        let job = scope.spawn(|| {
            let started = Instant::now();
            let lints = allowed_lints();
            let body = types::emit_types(api, 0..half);
            let tokens = quote! { #lints #body };
            let emitted = started.elapsed();
            let text = format_file("types.rs", tokens, gates);
            (text, emitted, started.elapsed() - emitted)
        });
        let examples = examples::Examples::new(api, crate_name);
        for tag in &api.tags {
            let body = ops::emit_tag(tag, &examples);
            files.push((format!("{}.rs", tag.module), quote! { #lints #body }));
        }
        let second_half = types::emit_types(api, half..api.types.len());
        let formatting = Instant::now();
        timings.emit = formatting - started;
        let mut out: Vec<Result<GeneratedFile, String>> = files
            .into_iter()
            .map(|(path, tokens)| {
                let text = format_file(&path, tokens, None)?;
                Ok(GeneratedFile { path, contents: format!("{header}{text}") })
            })
            .collect();
        let second_half = format_file("types.rs", second_half, gates);
        timings.format = formatting.elapsed();
        let (first_half, emitted, formatted) = job.join().unwrap_or_else(|_| {
            (
                Err("internal error: the thread emitting types.rs panicked".to_owned()),
                Duration::ZERO,
                Duration::ZERO,
            )
        });
        timings.emit += emitted;
        timings.format += formatted;
        let types_file = first_half.and_then(|first| {
            Ok(GeneratedFile {
                path: "types.rs".to_owned(),
                contents: format!("{header}{first}{}", second_half?),
            })
        });
        // Files keep their order: mod.rs, types.rs, the harness, then the tags.
        out.insert(1.min(out.len()), types_file);
        out
    });
    let mut out = Vec::new();
    for file in files {
        match file {
            Ok(file) => {
                out.push(GeneratedFile { contents: crate::format::space_items(&file.contents), ..file })
            }
            Err(message) => diags.error("#", message),
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(out) }
}

/// Parses a file's tokens as Rust (a failure is a generator bug), gates the types of
/// `types.rs` on their features, and hands the file to the format stage.
fn format_file(path: &str, tokens: TokenStream, gates: Option<&features::Gates>) -> Result<String, String> {
    match syn::parse2::<syn::File>(tokens) {
        Ok(mut file) => {
            if let Some(gates) = gates {
                gate_types(&mut file, gates);
            }
            Ok(crate::format::unparse(&file))
        }
        Err(e) => Err(format!("internal error: generated `{path}` is not valid Rust: {e}")),
    }
}

/// Puts each item of `types.rs` (a type, or an impl for one) behind the features of the tags
/// that reach its type.
fn gate_types(file: &mut syn::File, gates: &features::Gates) {
    for item in &mut file.items {
        let (attrs, name) = match item {
            syn::Item::Struct(s) => (&mut s.attrs, s.ident.to_string()),
            syn::Item::Enum(e) => (&mut e.attrs, e.ident.to_string()),
            syn::Item::Type(t) => (&mut t.attrs, t.ident.to_string()),
            syn::Item::Impl(i) => {
                let name = match &*i.self_ty {
                    syn::Type::Path(p) => {
                        p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                (&mut i.attrs, name)
            }
            _ => continue,
        };
        if let Some(cfg) = gates.cfg(&name) {
            attrs.insert(0, syn::parse_quote!(#cfg));
        }
    }
}

fn header(api: &Api, spec_label: &str) -> String {
    format!(
        "// @generated by `cargo xtask generate` from {spec_label} (sha256 {}). Do not edit by hand.\n\n",
        api.spec_sha256
    )
}

/// An identifier for a name the model has already made valid.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a use of `ty`; `qualified` names the types through `crate::types`.
pub(crate) fn rust_type(ty: &TypeRef, qualified: bool) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 | TypeRef::UnixTime => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named { name, boxed } => {
            let name = ident(name);
            let path = if qualified { quote!(crate::types::#name) } else { quote!(#name) };
            if *boxed { quote!(::std::boxed::Box<#path>) } else { path }
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(inner, qualified);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner, qualified);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, qualified);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}
