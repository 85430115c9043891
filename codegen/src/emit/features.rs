//! One cargo feature per tag: which types each tag's operations reach, and the `[features]`
//! table of the client crate's manifest.
//!
//! A user who needs two tags compiles their modules and only the types those reach. A type is
//! compiled when any tag that reaches it is on; a type no operation reaches (a component only
//! other specs' operations used) is compiled with any tag, and so is everything it refers to.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, TypeRef, reachable};

/// The features that enable each named type, by type name: the tags that reach it.
pub(crate) fn type_features(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let defs = crate::model::index(&api.types);
    let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for tag in &api.tags {
        let roots =
            tag.operations.iter().flat_map(|op| [op.sent_types(), op.received_types()]).flatten().collect();
        for name in reachable(&defs, roots) {
            features.entry(name).or_default().insert(tag.module.clone());
        }
    }
    // Types no operation reaches are compiled with any tag, and so must be all they refer to.
    let all: BTreeSet<String> = api.tags.iter().map(|t| t.module.clone()).collect();
    let orphans: Vec<TypeRef> = api
        .types
        .iter()
        .filter(|d| !features.contains_key(&d.name))
        .map(|d| TypeRef::named(&d.name))
        .collect();
    for name in reachable(&defs, orphans.iter().collect()) {
        features.insert(name, all.clone());
    }
    features
}

/// The features each type of `types.rs` is gated on.
pub(crate) struct Gates {
    by_type: BTreeMap<String, BTreeSet<String>>,
    all: BTreeSet<String>,
}

impl Gates {
    pub(crate) fn new(api: &Api) -> Self {
        Gates { by_type: type_features(api), all: api.tags.iter().map(|t| t.module.clone()).collect() }
    }

    /// The `#[cfg(...)]` of the type `name`.
    pub(crate) fn cfg(&self, name: &str) -> Option<TokenStream> {
        self.by_type.get(name).map(|features| cfg_any(features, &self.all))
    }
}

/// `#[cfg(...)]` for code that needs any of `features`, where `all` are every tag's.
fn cfg_any(features: &BTreeSet<String>, all: &BTreeSet<String>) -> TokenStream {
    if features.len() > 1 && features == all {
        let feature = crate::shell::ANY_TAG_FEATURE;
        return quote!(#[cfg(feature = #feature)]);
    }
    match features.len() {
        1 => {
            let feature = features.iter().next().map(String::as_str).unwrap_or_default();
            quote!(#[cfg(feature = #feature)])
        }
        _ => {
            let features = features.iter();
            quote!(#[cfg(any(#( feature = #features ),*))])
        }
    }
}

/// The `[features]` table of the client crate: one feature per tag, all on by default.
pub(crate) fn features_toml(api: &Api) -> String {
    let modules: Vec<&str> = api.tags.iter().map(|t| t.module.as_str()).collect();
    let quoted: Vec<String> = modules.iter().map(|m| format!("\"{m}\"")).collect();
    let mut out = String::from(crate::output::FEATURES_MARKER);
    let defaults: Vec<String> =
        ["full"].iter().chain(crate::shell::DEFAULT_SHELL_FEATURES).map(|f| format!("\"{f}\"")).collect();
    out.push_str(&format!("\n[features]\ndefault = [{}]\n", defaults.join(", ")));
    out.push_str(&format!("full = [{}]\n", quoted.join(", ")));
    let any = crate::shell::ANY_TAG_FEATURE;
    for module in modules {
        out.push_str(&format!("{module} = [\"{any}\"]\n"));
    }
    out.push_str(&format!("# On with any tag: gates what every tag uses.\n{any} = []\n"));
    for (comment, line) in crate::shell::SHELL_FEATURES {
        out.push_str(&format!("# {comment}\n{line}\n"));
    }
    out
}
