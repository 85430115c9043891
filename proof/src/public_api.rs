//! The public API of the client crate as a listing: one item a line, sorted, read from its
//! source with syn. A listing is checked in for each version (`generated/api/<version>.txt`), so
//! that a change of the API, whether it comes from the spec or from the generator, cannot land
//! without a new version and a changelog entry: `tests/tests/public_api.rs` compares the crate
//! with its version's listing, and [`verdict`] says how far the version must move from the one
//! before.
//!
//! What is listed is what a user can name: items of public modules, and items of private
//! modules that a `pub use` re-exports, under the path the user writes. Each struct, enum, trait
//! and type alias; each public field, variant, method, associated constant and trait method;
//! each trait implementation (written or derived); constants, statics, functions and
//! re-exports of other crates' items. Feature gates are not part of a line: every item is listed
//! whatever the features that compile it. Items under `#[cfg(test)]` or `#[doc(hidden)]` are not
//! API and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::diff::Bump;
use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, TraitItem, UseTree, Visibility};

use crate::{Error, Result};

/// The folder of listings inside the client crate.
pub const API_DIR: &str = "api";

/// The first line of every listing file.
const HEADER: &str = "# The public API of this version of the crate, one item a line, as `cargo xtask api` lists it from the source.";

/// The listing file of `version` in the crate folder `crate_dir`.
pub fn listing_path(crate_dir: &Path, version: &str) -> PathBuf {
    crate_dir.join(API_DIR).join(format!("{version}.txt"))
}

/// A listing as the file holds it.
pub fn to_file(lines: &BTreeSet<String>) -> String {
    let mut out = format!("{HEADER}\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The lines of a listing file.
pub fn from_file(text: &str) -> BTreeSet<String> {
    text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_owned).collect()
}

/// The versions that have a listing in `crate_dir`, oldest first.
pub fn listed_versions(crate_dir: &Path) -> Result<Vec<String>> {
    let dir = crate_dir.join(API_DIR);
    let mut versions = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let name = entry.map_err(Error::fs("read", &dir))?.file_name().to_string_lossy().into_owned();
            if let Some(version) = name.strip_suffix(".txt").filter(|v| parse_version(v).is_some()) {
                versions.push(version.to_owned());
            }
        }
    }
    versions.sort_by_key(|v| parse_version(v));
    Ok(versions)
}

/// `major.minor.patch` as numbers.
pub fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) => Some((major, minor, patch)),
        _ => None,
    }
}

/// How far the version must move from the API `old` to `new`, with the lines removed and the
/// lines added. A removed line breaks users; so does a field or variant added to a struct or
/// enum that is not `#[non_exhaustive]`, and a method added to a trait. Any other addition is
/// compatible.
pub fn verdict(old: &BTreeSet<String>, new: &BTreeSet<String>) -> (Bump, Vec<String>, Vec<String>) {
    let removed: Vec<String> = old.difference(new).cloned().collect();
    let added: Vec<String> = new.difference(old).cloned().collect();
    // The containers of `old`, and whether a new member breaks code that uses them.
    let mut closed = BTreeMap::new();
    for line in old {
        for kind in ["struct ", "enum ", "trait "] {
            if let Some(rest) = line.strip_prefix(kind) {
                let name = rest.split(['<', ' ']).next().unwrap_or(rest);
                let exhaustive = kind == "trait " || !rest.ends_with(NON_EXHAUSTIVE);
                closed.insert(name.to_owned(), exhaustive);
            }
        }
    }
    let breaks = |line: &String| {
        let Some(member) = ["field ", "variant ", "trait-fn "].iter().find_map(|k| line.strip_prefix(k))
        else {
            return false;
        };
        // `Parent::member`, up to what follows the member's name (`: T`, `(…)`, ` {…}`, `<…>`).
        let path = member[..member.find([' ', '(', '<', '{']).unwrap_or(member.len())].trim_end_matches(':');
        let parent = path.rfind("::").map_or("", |at| &path[..at]);
        closed.get(parent).copied().unwrap_or(false)
    };
    let bump = if !removed.is_empty() || added.iter().any(breaks) {
        Bump::Major
    } else if !added.is_empty() {
        Bump::Minor
    } else {
        Bump::None
    };
    (bump, removed, added)
}

/// The marker a struct or enum line ends with when it is `#[non_exhaustive]`.
const NON_EXHAUSTIVE: &str = " #[non_exhaustive]";

/// The public API of the crate whose `src/lib.rs` is at `src/lib.rs` below `crate_dir`, its
/// files read with `read` (so a caller can list files not yet written).
pub fn list(crate_dir: &Path, read: &dyn Fn(&Path) -> Result<String>) -> Result<BTreeSet<String>> {
    let mut modules = Vec::new();
    let root = crate_dir.join("src/lib.rs");
    load_module(&root, &read(&root)?, crate_dir.join("src"), Vec::new(), read, &mut modules)?;
    Ok(Lister::new(&modules).lines())
}

/// One module of the crate: its path from the root, and its items.
struct Module {
    path: Vec<String>,
    items: Vec<Item>,
}

/// Reads the module whose source `text` is the file `file` (its child modules live in `dir`)
/// and, recursively, the modules it declares.
fn load_module(
    file: &Path,
    text: &str,
    dir: PathBuf,
    path: Vec<String>,
    read: &dyn Fn(&Path) -> Result<String>,
    out: &mut Vec<Module>,
) -> Result<()> {
    let parsed = syn::parse_file(text)
        .map_err(|e| Error::Invalid(format!("{}: not valid Rust: {e}", file.display())))?;
    load_items(parsed.items, &dir, path, read, out)
}

fn load_items(
    items: Vec<Item>,
    dir: &Path,
    path: Vec<String>,
    read: &dyn Fn(&Path) -> Result<String>,
    out: &mut Vec<Module>,
) -> Result<()> {
    let mut kept = Vec::new();
    for mut item in items {
        if let Item::Mod(module) = &mut item
            && !hidden(&module.attrs)
        {
            let name = module.ident.to_string();
            let mut child = path.clone();
            child.push(name.clone());
            match module.content.take() {
                Some((_, inner)) => load_items(inner, &dir.join(&name), child, read, out)?,
                None => {
                    // `name.rs`, else `name/mod.rs`; each file is read once.
                    let flat = dir.join(format!("{name}.rs"));
                    let (file, text) = match read(&flat) {
                        Ok(text) => (flat, text),
                        Err(_) => {
                            let nested = dir.join(&name).join("mod.rs");
                            let text = read(&nested)?;
                            (nested, text)
                        }
                    };
                    load_module(&file, &text, dir.join(&name), child, read, out)?;
                }
            }
        }
        // A module stays an item of its parent, for its own line.
        kept.push(item);
    }
    out.push(Module { path, items: kept });
    Ok(())
}

/// Whether attributes make an item not part of the API: `#[cfg(test)]` or `#[doc(hidden)]`.
fn hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let words = attr.meta.to_token_stream().to_string().replace(' ', "");
        words == "cfg(test)" || words == "doc(hidden)"
    })
}

fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("non_exhaustive"))
}

/// The traits an item derives, by their last path segment.
fn derived(attrs: &[Attribute]) -> Vec<String> {
    let mut traits = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                traits.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    traits
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Token text with the spaces a reader would not write taken out.
fn tidy(tokens: impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    for (from, to) in [
        // A leading `::` after `impl` or `dyn` opens a path; it is not a separator to join.
        ("impl ::", "impl "),
        ("dyn ::", "dyn "),
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" [", "["),
        ("[ ", "["),
        (" ]", "]"),
        (" ;", ";"),
        (" ?", "?"),
        (" : ", ": "),
        // A binding's `mut` is the body's business, not the signature's.
        ("(mut ", "("),
        (", mut ", ", "),
        (",)", ")"),
        (",>", ">"),
        // A path is listed as a reader names it: the prelude's types by their names, and no
        // leading `::` or `crate::`, however the source spells them.
        ("::std::", "std::"),
        ("::core::", "core::"),
        ("::serde_json::", "serde_json::"),
        ("::serde::", "serde::"),
        ("std::option::", ""),
        ("std::string::", ""),
        ("std::vec::", ""),
        ("std::boxed::", ""),
        ("std::result::", ""),
        ("crate::", ""),
    ] {
        while text.contains(from) {
            text = text.replace(from, to);
        }
    }
    if let Some(rest) = text.strip_prefix("::") {
        text = rest.to_owned();
    }
    text = text
        .replace("->", " -> ")
        .replace(',', ", ")
        .replace("(::", "(")
        .replace("<::", "<")
        .replace(" ::", " ");
    while text.contains("  ") {
        text = text.replace("  ", " ");
    }
    text
}

/// Walks the modules and writes the listing.
struct Lister<'a> {
    modules: &'a [Module],
    /// The path a user names each module's items by, for modules whose items are reachable.
    visible: BTreeMap<Vec<String>, String>,
    /// Items of private modules re-exported one by one: (module, item name) to its public path.
    named: BTreeMap<(Vec<String>, String), String>,
    /// Where each type is named, by its own name: the impls of a type find it here.
    types: BTreeMap<String, Vec<(Vec<String>, String)>>,
    /// The crate's `macro_rules!` whose bodies declare `pub` items, by name, with their bodies.
    public_macros: BTreeMap<String, String>,
    lines: BTreeSet<String>,
}

impl<'a> Lister<'a> {
    fn new(modules: &'a [Module]) -> Self {
        let mut lister = Lister {
            modules,
            visible: BTreeMap::new(),
            named: BTreeMap::new(),
            types: BTreeMap::new(),
            public_macros: BTreeMap::new(),
            lines: BTreeSet::new(),
        };
        for module in modules {
            for item in &module.items {
                if let Item::Macro(m) = item
                    && let Some(name) = &m.ident
                    && declares_pub(m.mac.tokens.clone())
                {
                    lister.public_macros.insert(name.to_string(), tidy(without_docs(m.mac.tokens.clone())));
                }
            }
        }
        lister.resolve();
        lister
    }

    fn module(&self, path: &[String]) -> Option<&'a Module> {
        self.modules.iter().find(|m| m.path == path)
    }

    /// Which modules' items a user reaches, and by which path; repeated until nothing changes,
    /// since a re-export may name a module that is itself reached through another.
    fn resolve(&mut self) {
        self.visible.insert(Vec::new(), String::new());
        loop {
            let before = (self.visible.len(), self.named.len());
            for module in self.modules {
                let Some(prefix) = self.visible.get(&module.path).cloned() else { continue };
                for item in &module.items {
                    match item {
                        Item::Mod(child) if is_pub(&child.vis) && !hidden(&child.attrs) => {
                            let mut path = module.path.clone();
                            path.push(child.ident.to_string());
                            self.visible
                                .entry(path)
                                .or_insert_with(|| join(&prefix, &child.ident.to_string()));
                        }
                        Item::Use(use_item) if is_pub(&use_item.vis) && !hidden(&use_item.attrs) => {
                            self.reexports(&module.path, &prefix, &use_item.tree, Vec::new());
                        }
                        _ => {}
                    }
                }
            }
            if before == (self.visible.len(), self.named.len()) {
                break;
            }
        }
        for module in self.modules {
            for item in &module.items {
                let name = match item {
                    Item::Struct(i) => i.ident.to_string(),
                    Item::Enum(i) => i.ident.to_string(),
                    Item::Type(i) => i.ident.to_string(),
                    Item::Trait(i) => i.ident.to_string(),
                    _ => continue,
                };
                if let Some(public) = self.public_path(&module.path, &name, item_vis(item)) {
                    self.types.entry(name).or_default().push((module.path.clone(), public));
                }
            }
        }
    }

    /// Records what a `pub use` in `module` re-exports: a module of this crate (glob) or its
    /// items (by name); re-exports of other crates become lines of their own.
    fn reexports(&mut self, module: &[String], prefix: &str, tree: &UseTree, mut source: Vec<String>) {
        match tree {
            UseTree::Path(p) => {
                source.push(p.ident.to_string());
                self.reexports(module, prefix, &p.tree, source);
            }
            UseTree::Group(g) => {
                for tree in &g.items {
                    self.reexports(module, prefix, tree, source.clone());
                }
            }
            UseTree::Glob(_) => {
                let target = self.local(module, &source);
                match target {
                    Some(target) => {
                        self.visible.entry(target).or_insert_with(|| prefix.to_owned());
                    }
                    None => {
                        self.lines.insert(format!(
                            "reexport {}* = {}::*",
                            join_prefix(prefix),
                            source.join("::")
                        ));
                    }
                }
            }
            UseTree::Name(n) => {
                self.reexport_one(module, prefix, source, n.ident.to_string(), n.ident.to_string())
            }
            UseTree::Rename(r) => {
                self.reexport_one(module, prefix, source, r.ident.to_string(), r.rename.to_string());
            }
        }
    }

    fn reexport_one(
        &mut self,
        module: &[String],
        prefix: &str,
        source: Vec<String>,
        name: String,
        alias: String,
    ) {
        match self.local(module, &source) {
            Some(target) => {
                let mut as_module = target.clone();
                as_module.push(name.clone());
                if self.module(&as_module).is_some() {
                    self.visible.entry(as_module).or_insert_with(|| join(prefix, &alias));
                } else {
                    self.named.entry((target, name)).or_insert_with(|| join(prefix, &alias));
                }
            }
            None => {
                let mut full = source;
                full.push(name);
                self.lines.insert(format!("reexport {} = {}", join(prefix, &alias), full.join("::")));
            }
        }
    }

    /// The module of this crate that `source`, written in `module`, names; `None` for another
    /// crate's path.
    fn local(&self, module: &[String], source: &[String]) -> Option<Vec<String>> {
        let (mut base, rest) = match source.first().map(String::as_str) {
            Some("crate") => (Vec::new(), &source[1..]),
            Some("self") => (module.to_vec(), &source[1..]),
            Some("super") => (module[..module.len().saturating_sub(1)].to_vec(), &source[1..]),
            _ => (module.to_vec(), source),
        };
        base.extend(rest.iter().cloned());
        self.module(&base).map(|_| base)
    }

    /// The path a user names `name`, declared in `module` with `vis`, by; `None` when it is out
    /// of reach.
    fn public_path(&self, module: &[String], name: &str, vis: Option<&Visibility>) -> Option<String> {
        if let Some(path) = self.named.get(&(module.to_vec(), name.to_owned())) {
            return Some(path.clone());
        }
        let prefix = self.visible.get(module)?;
        vis.filter(|v| is_pub(v)).map(|_| join(prefix, name))
    }

    /// The public path of the type an impl names: the one of that name in the impl's module,
    /// else the only one of that name in the crate.
    fn type_path(&self, module: &[String], self_ty: &syn::Type) -> Option<String> {
        let syn::Type::Path(path) = self_ty else { return None };
        let name = path.path.segments.last()?.ident.to_string();
        // A type of the impl's own module shadows any other of its name, public or not.
        let declared_here = self.module(module).is_some_and(|m| {
            m.items.iter().any(|item| match item {
                Item::Struct(i) => i.ident == name,
                Item::Enum(i) => i.ident == name,
                Item::Type(i) => i.ident == name,
                _ => false,
            })
        });
        let candidates = self.types.get(&name)?;
        if declared_here {
            return candidates.iter().find(|(m, _)| m == module).map(|(_, public)| public.clone());
        }
        candidates
            .iter()
            .find(|(m, _)| m == module)
            .or_else(|| (candidates.len() == 1).then(|| &candidates[0]))
            .map(|(_, public)| public.clone())
    }

    fn lines(mut self) -> BTreeSet<String> {
        for module in self.modules {
            for item in &module.items {
                self.item(module, item);
            }
        }
        self.lines
    }

    fn item(&mut self, module: &Module, item: &Item) {
        match item {
            Item::Struct(s) if !hidden(&s.attrs) => {
                let Some(path) = self.container(module, "struct", &s.ident, &s.vis, &s.generics, &s.attrs)
                else {
                    return;
                };
                match &s.fields {
                    Fields::Named(fields) => {
                        for field in fields.named.iter().filter(|f| is_pub(&f.vis) && !hidden(&f.attrs)) {
                            let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                            self.lines.insert(format!("field {path}::{name}: {}", tidy(&field.ty)));
                        }
                    }
                    Fields::Unnamed(fields) => {
                        for (i, field) in fields.unnamed.iter().enumerate().filter(|(_, f)| is_pub(&f.vis)) {
                            self.lines.insert(format!("field {path}::{i}: {}", tidy(&field.ty)));
                        }
                    }
                    Fields::Unit => {}
                }
            }
            Item::Enum(e) if !hidden(&e.attrs) => {
                let Some(path) = self.container(module, "enum", &e.ident, &e.vis, &e.generics, &e.attrs)
                else {
                    return;
                };
                for variant in e.variants.iter().filter(|v| !hidden(&v.attrs)) {
                    let shape = match &variant.fields {
                        Fields::Unit => String::new(),
                        fields => tidy(fields),
                    };
                    let shape = if shape.starts_with('{') { format!(" {shape}") } else { shape };
                    self.lines.insert(format!("variant {path}::{}{shape}", variant.ident));
                }
            }
            Item::Type(t) if !hidden(&t.attrs) => {
                let Some(path) = self.public_path(&module.path, &t.ident.to_string(), Some(&t.vis)) else {
                    return;
                };
                self.lines.insert(format!("type {path}{} = {}", tidy(&t.generics), tidy(&t.ty)));
            }
            Item::Trait(t) if !hidden(&t.attrs) => {
                let Some(path) = self.public_path(&module.path, &t.ident.to_string(), Some(&t.vis)) else {
                    return;
                };
                self.lines.insert(format!("trait {path}{}", tidy(&t.generics)));
                for member in &t.items {
                    match member {
                        TraitItem::Fn(f) => {
                            self.lines.insert(format!(
                                "trait-fn {path}::{}",
                                tidy(&f.sig).trim_start_matches("fn ")
                            ));
                        }
                        TraitItem::Type(ty) => {
                            self.lines.insert(format!("trait-type {path}::{}", ty.ident));
                        }
                        TraitItem::Const(c) => {
                            self.lines.insert(format!("trait-const {path}::{}: {}", c.ident, tidy(&c.ty)));
                        }
                        _ => {}
                    }
                }
            }
            Item::Fn(f) if !hidden(&f.attrs) => {
                let Some(path) = self.public_path(&module.path, &f.sig.ident.to_string(), Some(&f.vis))
                else {
                    return;
                };
                let signature = tidy(&f.sig);
                let after_name =
                    signature.split_once(&format!("fn {}", f.sig.ident)).map_or("", |(_, rest)| rest);
                self.lines.insert(format!("fn {path}{after_name}"));
            }
            Item::Const(c) if !hidden(&c.attrs) => {
                let Some(path) = self.public_path(&module.path, &c.ident.to_string(), Some(&c.vis)) else {
                    return;
                };
                self.lines.insert(format!("const {path}: {}", tidy(&c.ty)));
            }
            Item::Static(s) if !hidden(&s.attrs) => {
                let Some(path) = self.public_path(&module.path, &s.ident.to_string(), Some(&s.vis)) else {
                    return;
                };
                self.lines.insert(format!("static {path}: {}", tidy(&s.ty)));
            }
            Item::Mod(m) if is_pub(&m.vis) && !hidden(&m.attrs) => {
                let mut child = module.path.clone();
                child.push(m.ident.to_string());
                if let Some(path) =
                    self.visible.get(&child).filter(|_| self.visible.contains_key(&module.path))
                {
                    self.lines.insert(format!("mod {path}"));
                }
            }
            Item::Impl(i) if !hidden(&i.attrs) => self.implementation(module, i),
            Item::Macro(m) if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) => {
                if let Some(name) = &m.ident {
                    self.lines.insert(format!("macro {name}!"));
                }
            }
            // What a macro of the crate declares cannot be read without expanding it, so a
            // macro whose body declares `pub` items is listed as its body and each call as its
            // input: any change to either is a change of the API.
            Item::Macro(m) if m.ident.is_none() && !hidden(&m.attrs) => {
                let Some(name) = m.mac.path.get_ident().map(ToString::to_string) else { return };
                if let Some(body) = self.public_macros.get(&name) {
                    let line = format!("macro-rules {name}! {body}");
                    self.lines.insert(line);
                    self.lines.insert(format!("macro-call {name}! {}", tidy(&m.mac.tokens)));
                }
            }
            _ => {}
        }
    }

    /// Lists a struct or enum (`kind`) with the traits it derives, when a user can name it, and
    /// returns its path.
    fn container(
        &mut self,
        module: &Module,
        kind: &str,
        ident: &syn::Ident,
        vis: &Visibility,
        generics: &syn::Generics,
        attrs: &[Attribute],
    ) -> Option<String> {
        let path = self.public_path(&module.path, &ident.to_string(), Some(vis))?;
        let marker = if non_exhaustive(attrs) { NON_EXHAUSTIVE } else { "" };
        self.lines.insert(format!("{kind} {path}{}{marker}", tidy(generics)));
        for name in derived(attrs) {
            self.lines.insert(format!("impl {name} for {path}"));
        }
        Some(path)
    }

    fn implementation(&mut self, module: &Module, block: &syn::ItemImpl) {
        let Some(path) = self.type_path(&module.path, &block.self_ty) else { return };
        if let Some((trait_path, _)) = &block.trait_ {
            // Written as a derive names it: `Deserialize`, not `Deserialize<'de>` or `impl<T>`.
            let Some(last) = trait_path.segments.last() else { return };
            let types_given = match &last.arguments {
                syn::PathArguments::AngleBracketed(args) => {
                    args.args.iter().any(|a| !matches!(a, syn::GenericArgument::Lifetime(_)))
                }
                _ => true,
            };
            let name = if types_given { tidy(last) } else { last.ident.to_string() };
            self.lines.insert(format!("impl {name} for {path}"));
            return;
        }
        for member in &block.items {
            match member {
                ImplItem::Fn(f) if is_pub(&f.vis) && !hidden(&f.attrs) => {
                    let signature = tidy(&f.sig);
                    let after_fn = signature.split_once("fn ").map_or(signature.as_str(), |(_, rest)| rest);
                    self.lines.insert(format!("method {path}::{after_fn}"));
                }
                ImplItem::Const(c) if is_pub(&c.vis) && !hidden(&c.attrs) => {
                    self.lines.insert(format!("const {path}::{}: {}", c.ident, tidy(&c.ty)));
                }
                ImplItem::Macro(m) => {
                    let line = match setter_signature(&m.mac) {
                        Some(signature) => {
                            let signature = tidy(&signature);
                            let after_fn =
                                signature.split_once("fn ").map_or(signature.as_str(), |(_, rest)| rest);
                            format!("method {path}::{after_fn}")
                        }
                        // A macro the lister cannot expand still shows in the listing.
                        None => format!("macro {path}::{}", tidy(&m.mac)),
                    };
                    self.lines.insert(line);
                }
                _ => {}
            }
        }
    }
}

/// The method the runtime's `setter!(kind, field, T[, name])` writes, as its signature: every
/// generated struct describes its setters through it.
fn setter_signature(mac: &syn::Macro) -> Option<syn::Signature> {
    use syn::parse::Parser;
    if mac.path.segments.last()?.ident != "setter" {
        return None;
    }
    let parser = |input: syn::parse::ParseStream<'_>| {
        input.call(Attribute::parse_outer)?;
        let kind: syn::Ident = input.parse()?;
        input.parse::<syn::Token![,]>()?;
        let field: syn::Ident = input.parse()?;
        input.parse::<syn::Token![,]>()?;
        let ty: syn::Type = input.parse()?;
        // A setter not named as its field names itself last.
        let name = if input.parse::<Option<syn::Token![,]>>()?.is_some() { input.parse()? } else { field };
        Ok((kind, name, ty))
    };
    let (kind, field, ty) = parser.parse2(mac.tokens.clone()).ok()?;
    let param = match kind.to_string().as_str() {
        "req" | "opt" => quote::quote!(#ty),
        "null" => quote::quote!(crate::Nullable<#ty>),
        _ => return None,
    };
    syn::parse2(quote::quote!(fn #field(mut self, value: impl ::std::convert::Into<#param>) -> Self)).ok()
}

/// Tokens without their doc attributes (`#[doc = "…"]`, what `///` becomes): prose is not API.
fn without_docs(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Delimiter, Group, TokenTree};
    let is_doc = |tree: Option<&TokenTree>| {
        matches!(tree, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket
            && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc"))
    };
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '#' && is_doc(tokens.peek()) => {
                tokens.next();
            }
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), without_docs(g.stream()));
                inner.set_span(g.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// Whether tokens hold a `pub` that is not `pub(…)`, at any depth.
fn declares_pub(tokens: proc_macro2::TokenStream) -> bool {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            proc_macro2::TokenTree::Ident(ident) if ident == "pub" => {
                let restricted = matches!(
                    tokens.peek(),
                    Some(proc_macro2::TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis
                );
                if !restricted {
                    return true;
                }
            }
            proc_macro2::TokenTree::Group(group) if declares_pub(group.stream()) => return true,
            _ => {}
        }
    }
    false
}

fn item_vis(item: &Item) -> Option<&Visibility> {
    match item {
        Item::Struct(i) => Some(&i.vis),
        Item::Enum(i) => Some(&i.vis),
        Item::Type(i) => Some(&i.vis),
        Item::Trait(i) => Some(&i.vis),
        _ => None,
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}::{name}") }
}

fn join_prefix(prefix: &str) -> String {
    if prefix.is_empty() { String::new() } else { format!("{prefix}::") }
}

/// The report of two listings: the verdict and each line removed and added.
pub fn report(old_version: &str, bump: Bump, removed: &[String], added: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "public API since {old_version}: {} removed, {} added; verdict {bump:?}",
        removed.len(),
        added.len()
    );
    for line in removed {
        let _ = writeln!(out, "- {line}");
    }
    for line in added {
        let _ = writeln!(out, "+ {line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(lines: &[&str]) -> BTreeSet<String> {
        lines.iter().map(|l| (*l).to_owned()).collect()
    }

    #[test]
    fn the_verdict_follows_cargo_semver_rules() {
        let old = set(&[
            "struct Open #[non_exhaustive]",
            "struct Closed",
            "enum Kind #[non_exhaustive]",
            "enum Fixed",
            "trait Speak",
            "field Open::a: u8",
            "field Closed::a: u8",
        ]);
        let with = |line: &str| {
            let mut new = old.clone();
            new.insert(line.to_owned());
            verdict(&old, &new).0
        };
        assert_eq!(verdict(&old, &old).0, Bump::None);
        assert_eq!(with("field Open::b: u8"), Bump::Minor);
        assert_eq!(with("field Closed::b: u8"), Bump::Major);
        assert_eq!(with("variant Kind::New"), Bump::Minor);
        assert_eq!(with("variant Fixed::New(String)"), Bump::Major);
        assert_eq!(with("variant Fixed::New { a: u8 }"), Bump::Major);
        assert_eq!(with("trait-fn Speak::shout(&self)"), Bump::Major);
        assert_eq!(with("struct Fresh"), Bump::Minor);
        assert_eq!(with("field Fresh::a: u8"), Bump::Minor, "a field of a new struct is part of an addition");
        let mut fewer = old.clone();
        fewer.remove("field Open::a: u8");
        assert_eq!(verdict(&old, &fewer).0, Bump::Major);
    }

    /// A crate of three files in memory.
    fn listing(files: &[(&str, &str)]) -> BTreeSet<String> {
        let files: BTreeMap<PathBuf, String> =
            files.iter().map(|(p, t)| (Path::new("/c/src").join(p), (*t).to_owned())).collect();
        let read = |path: &Path| {
            files.get(path).cloned().ok_or_else(|| Error::Invalid(format!("{}", path.display())))
        };
        list(Path::new("/c"), &read).expect("lists")
    }

    #[test]
    fn what_a_user_can_name_is_listed_under_the_path_they_name_it_by() {
        let lines = listing(&[
            (
                "lib.rs",
                "mod inner;\nmod hidden_away;\npub mod open;\npub use inner::{Thing, Other as Renamed};\npub use reqwest::Method;\n#[cfg(test)]\nmod tests { pub fn t() {} }",
            ),
            (
                "inner.rs",
                "#[derive(Clone, Debug)]\n#[non_exhaustive]\npub struct Thing { pub a: ::std::option::Option<u8>, b: u8 }\npub struct Other;\npub struct Unreached;\nimpl Thing {\n    pub fn set(mut self, a : u8) -> Self { self }\n    fn private(&self) {}\n}\nimpl<'de> serde::Deserialize<'de> for Thing {}\nstruct Visitor;\nimpl Visitor { pub fn no(&self) {} }",
            ),
            ("hidden_away.rs", "pub fn unreachable() {}"),
            (
                "open/mod.rs",
                "pub enum Kind { A, B(String) }\n#[doc(hidden)]\npub fn secret() {}\nmod deeper;\npub use deeper::*;",
            ),
            ("open/deeper.rs", "pub const LIMIT: usize = 1;"),
        ]);
        let expected = set(&[
            "struct Thing #[non_exhaustive]",
            "field Thing::a: Option<u8>",
            "impl Clone for Thing",
            "impl Debug for Thing",
            "impl Deserialize for Thing",
            "method Thing::set(self, a: u8) -> Self",
            "struct Renamed",
            "reexport Method = reqwest::Method",
            "mod open",
            "enum open::Kind",
            "variant open::Kind::A",
            "variant open::Kind::B(String)",
            "const open::LIMIT: usize",
        ]);
        assert_eq!(lines, expected);
    }
}

#[cfg(test)]
mod setter_tests {
    use super::{setter_signature, tidy};

    fn listed(tokens: proc_macro2::TokenStream) -> Option<String> {
        let mac: syn::Macro = syn::parse2(quote::quote!(crate::runtime::setter!(#tokens))).ok()?;
        setter_signature(&mac).map(|s| tidy(&s))
    }

    #[test]
    fn setters_are_listed_by_their_name_and_parameter() {
        assert_eq!(
            listed(quote::quote!(opt, id, ::std::string::String)).as_deref(),
            Some("fn id(self, value: impl std::convert::Into<String>) -> Self")
        );
        assert_eq!(
            listed(quote::quote!(null, phone, ::std::string::String)).as_deref(),
            Some("fn phone(self, value: impl std::convert::Into<Nullable<String>>) -> Self")
        );
        assert_eq!(
            listed(quote::quote!(req, new, ::std::string::String, set_new)).as_deref(),
            Some("fn set_new(self, value: impl std::convert::Into<String>) -> Self")
        );
        assert_eq!(listed(quote::quote!(maybe, id, String)), None);
    }
}
