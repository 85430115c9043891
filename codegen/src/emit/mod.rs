//! Emit: the model → parsed Rust files (each checked by `syn`, each type's items gated on the
//! features that reach it), which the format stage (`crate::format`) turns into text. The
//! pipeline (`crate::pipeline`) decides which file is made on which thread.
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

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, TypeRef};

/// Lints the generated code allows: spec prose makes long doc lists, an API has operations
/// with many parameters and unions with large branches, and a schema may nest arrays deeper
/// than clippy likes to read (a field `Vec<Vec<Vec<…>>>` is the schema's shape, not a choice).
fn allowed_lints() -> TokenStream {
    quote! {
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::large_enum_variant, clippy::too_many_arguments, clippy::type_complexity)]
    }
}

/// One emitted file: its path in the generated folder, and its items as Rust syntax.
pub(crate) struct Emitted {
    pub(crate) path: String,
    pub(crate) file: syn::File,
}

/// Parses a file's tokens as Rust, after the lints it allows when it starts a file; a failure
/// is a generator bug, reported rather than written.
fn parsed(path: &str, body: TokenStream, starts_file: bool) -> Result<Emitted, String> {
    let lints = starts_file.then(allowed_lints);
    match syn::parse2::<syn::File>(quote! { #lints #body }) {
        Ok(file) => Ok(Emitted { path: path.to_owned(), file }),
        Err(e) => Err(format!("internal error: generated `{path}` is not valid Rust: {e}")),
    }
}

/// `mod.rs`: the modules, the API's constants and the client's accessors, one per tag.
pub(crate) fn root(api: &Api) -> Result<Emitted, String> {
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
        /// The data types of requests and responses.
        ///
        /// Decoding is lenient where servers are known to differ from their description. A type
        /// that is only received remembers what leniency changed, so a value read and written back
        /// keeps the JSON kinds it came with (a field you change is written as its type says); a
        /// type that is sent is encoded as its schema says. What decoding accepts:
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
    parsed("mod.rs", root, true)
}

/// `harness.rs`: every operation called from JSON arguments, for the repository's wire tests.
pub(crate) fn harness(api: &Api) -> Result<Emitted, String> {
    parsed("harness.rs", harness::emit_harness(api), true)
}

/// One file per tag: its handle, and a request builder per operation, with usage examples
/// that name the crate `crate_name`.
pub(crate) fn tags(api: &Api, crate_name: &str) -> Vec<Result<Emitted, String>> {
    let examples = examples::Examples::new(api, crate_name);
    api.tags
        .iter()
        .map(|tag| parsed(&format!("{}.rs", tag.module), ops::emit_tag(tag, &examples), true))
        .collect()
}

/// The types `api.types[range]` of `types.rs`, each gated on the features that reach it, after
/// the file's lints when this part `starts_file`. The file can be emitted in parts, so that its
/// halves are made on two threads: prettyplease prints a file item by item, so the parts
/// formatted and joined in order are the whole file.
pub(crate) fn types(
    api: &Api,
    gates: &features::Gates,
    range: std::ops::Range<usize>,
    starts_file: bool,
) -> Result<Emitted, String> {
    parsed("types.rs", types::emit_types(api, gates, range), starts_file)
}

/// The first lines of a generated file: what made it, from which spec. Only `mod.rs` names the
/// spec's hash, so a spec change leaves every file whose code did not change byte-identical.
pub(crate) fn header(api: &Api, spec_label: &str, path: &str) -> String {
    if path == "mod.rs" {
        format!(
            "// @generated by `cargo xtask generate` from {spec_label} (sha256 {}). Do not edit by hand.\n\n",
            api.spec_sha256
        )
    } else {
        format!(
            "// @generated by `cargo xtask generate` from {spec_label} (its sha256 is in mod.rs). Do not edit by hand.\n\n"
        )
    }
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
