//! The changelog between two specs, computed on the model: it speaks of what changes in the
//! generated Rust API (methods, arguments, types, fields, variants), and says which changes
//! break code that uses the crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{Api, Field, Operation, Param, ParamLocation, Payload, TypeDef, TypeKind, TypeRef};

/// How far the crate's version must move, by Cargo's SemVer rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing in the Rust API changed, and nor did the spec.
    None,
    /// Only documentation or other text of the spec changed.
    Patch,
    /// Only additions: code that compiled still compiles.
    Minor,
    /// Something that compiled may not compile any more.
    Major,
}

impl Bump {
    /// The next version after `version` (`major.minor.patch`). Below 1.0, Cargo treats the
    /// minor number as major: a breaking change moves `0.y` to `0.(y+1)`, an addition moves the
    /// patch number.
    pub fn apply(self, version: &str) -> Option<String> {
        let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
        let (Some(Some(major)), Some(Some(minor)), Some(Some(patch)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(match (self, major) {
            (Bump::None, _) => version.to_owned(),
            (Bump::Major, 0) => format!("0.{}.0", minor + 1),
            (Bump::Minor | Bump::Patch, 0) => format!("0.{minor}.{}", patch + 1),
            (Bump::Major, _) => format!("{}.0.0", major + 1),
            (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
            (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }

    fn word(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What kind of change a [`Change`] is, in the order changes are listed. Encoded (JSON, Markdown)
/// by its kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// `alias-changed`: A type alias now names another type.
    AliasChanged,
    /// `body-added`: An operation takes a request body it did not.
    BodyAdded,
    /// `body-made-optional`: A request body moved from the arguments to a setter.
    BodyMadeOptional,
    /// `body-made-required`: A request body moved from a setter to the arguments.
    BodyMadeRequired,
    /// `body-removed`: An operation no longer takes a request body.
    BodyRemoved,
    /// `body-type-changed`: A request body has another type.
    BodyTypeChanged,
    /// `constant-added`: A type writes a new fixed-value property itself.
    ConstantAdded,
    /// `constant-changed`: A fixed-value property has another value.
    ConstantChanged,
    /// `constant-removed`: A type no longer writes a fixed-value property.
    ConstantRemoved,
    /// `enum-value-added`: An enum has a new value.
    EnumValueAdded,
    /// `enum-value-removed`: An enum lost a value.
    EnumValueRemoved,
    /// `field-added`: A struct has a new field.
    FieldAdded,
    /// `field-made-non-nullable`: A field can no longer be null.
    FieldMadeNonNullable,
    /// `field-made-nullable`: A field can now be null.
    FieldMadeNullable,
    /// `field-made-optional`: A required field became optional.
    FieldMadeOptional,
    /// `field-made-required`: An optional field became required.
    FieldMadeRequired,
    /// `field-presence-changed`: A field moved between `Option` and `Nullable`.
    FieldPresenceChanged,
    /// `field-removed`: A struct lost a field.
    FieldRemoved,
    /// `field-type-changed`: A field has another type.
    FieldTypeChanged,
    /// `operation-added`: A new operation.
    OperationAdded,
    /// `operation-id-changed`: An operation has another `operationId` but the same method.
    OperationIdChanged,
    /// `operation-removed`: An operation is gone.
    OperationRemoved,
    /// `operation-renamed`: An operation's method has another name.
    OperationRenamed,
    /// `pagination-added`: An operation now pages (`pages()`, `items()`).
    PaginationAdded,
    /// `pagination-removed`: An operation no longer pages.
    PaginationRemoved,
    /// `parameter-added`: An operation has a new parameter.
    ParameterAdded,
    /// `parameter-made-optional`: A parameter moved from the arguments to a setter.
    ParameterMadeOptional,
    /// `parameter-made-required`: A parameter moved from a setter to the arguments.
    ParameterMadeRequired,
    /// `parameter-removed`: An operation lost a parameter.
    ParameterRemoved,
    /// `parameter-type-changed`: A parameter has another type.
    ParameterTypeChanged,
    /// `path-parameter-renamed`: A path parameter at the same position has another name.
    PathParameterRenamed,
    /// `response-type-changed`: An operation's success has another type.
    ResponseTypeChanged,
    /// `type-added`: A new type.
    TypeAdded,
    /// `type-kind-changed`: A type changed between struct, enum, union and alias.
    TypeKindChanged,
    /// `type-made-non-exhaustive`: A struct is no longer sent, so it became `#[non_exhaustive]`.
    TypeMadeNonExhaustive,
    /// `type-removed`: A type is gone.
    TypeRemoved,
    /// `union-branch-added`: A union has a new branch.
    UnionBranchAdded,
    /// `union-branch-changed`: A union's branch has another type.
    UnionBranchChanged,
    /// `union-branch-removed`: A union lost a branch.
    UnionBranchRemoved,
}

impl ChangeKind {
    /// The kebab-case name, as the changelog prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::AliasChanged => "alias-changed",
            ChangeKind::BodyAdded => "body-added",
            ChangeKind::BodyMadeOptional => "body-made-optional",
            ChangeKind::BodyMadeRequired => "body-made-required",
            ChangeKind::BodyRemoved => "body-removed",
            ChangeKind::BodyTypeChanged => "body-type-changed",
            ChangeKind::ConstantAdded => "constant-added",
            ChangeKind::ConstantChanged => "constant-changed",
            ChangeKind::ConstantRemoved => "constant-removed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::FieldAdded => "field-added",
            ChangeKind::FieldMadeNonNullable => "field-made-non-nullable",
            ChangeKind::FieldMadeNullable => "field-made-nullable",
            ChangeKind::FieldMadeOptional => "field-made-optional",
            ChangeKind::FieldMadeRequired => "field-made-required",
            ChangeKind::FieldPresenceChanged => "field-presence-changed",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldTypeChanged => "field-type-changed",
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationIdChanged => "operation-id-changed",
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::OperationRenamed => "operation-renamed",
            ChangeKind::PaginationAdded => "pagination-added",
            ChangeKind::PaginationRemoved => "pagination-removed",
            ChangeKind::ParameterAdded => "parameter-added",
            ChangeKind::ParameterMadeOptional => "parameter-made-optional",
            ChangeKind::ParameterMadeRequired => "parameter-made-required",
            ChangeKind::ParameterRemoved => "parameter-removed",
            ChangeKind::ParameterTypeChanged => "parameter-type-changed",
            ChangeKind::PathParameterRenamed => "path-parameter-renamed",
            ChangeKind::ResponseTypeChanged => "response-type-changed",
            ChangeKind::TypeAdded => "type-added",
            ChangeKind::TypeKindChanged => "type-kind-changed",
            ChangeKind::TypeMadeNonExhaustive => "type-made-non-exhaustive",
            ChangeKind::TypeRemoved => "type-removed",
            ChangeKind::UnionBranchAdded => "union-branch-added",
            ChangeKind::UnionBranchChanged => "union-branch-changed",
            ChangeKind::UnionBranchRemoved => "union-branch-removed",
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change of the Rust API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Whether code using the crate may stop compiling (or decode differently).
    pub breaking: bool,
    /// What kind of change.
    pub kind: ChangeKind,
    /// Where, in Rust terms: `contacts().list_contacts()`, `types::Contact::owner_id`.
    pub item: String,
    /// What changed, in one sentence.
    pub detail: String,
}

/// The changes between two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changelog {
    /// `info.version` of the old spec.
    pub old_version: String,
    /// `info.version` of the new spec.
    pub new_version: String,
    /// The bump the changes call for.
    pub bump: Bump,
    /// The changes, breaking ones first, then by kind and item.
    pub changes: Vec<Change>,
}

impl Changelog {
    /// How many of the changes are breaking.
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// The changelog as Markdown; `crate_version` (the crate's current version), when given,
    /// is used to say which version the bump leads to.
    pub fn markdown(&self, crate_version: Option<&str>) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "## Intercom API {} → {}\n", self.old_version, self.new_version);
        let verdict = match self.bump {
            Bump::Major => format!("**major**: {} breaking changes", self.breaking()),
            Bump::Minor => "**minor**: additions only".to_owned(),
            Bump::Patch => "**patch**: the Rust API is unchanged".to_owned(),
            Bump::None => "**none**: nothing changed".to_owned(),
        };
        let _ = write!(out, "Semver verdict: {verdict}");
        if let Some(next) = crate_version.and_then(|v| self.bump.apply(v).map(|n| (v, n))) {
            let _ = write!(out, "; the crate goes from {} to {}", next.0, next.1);
            if next.0.starts_with("0.") && self.bump == Bump::Major {
                let _ = write!(out, " (below 1.0 a breaking change moves the minor number)");
            }
        }
        out.push_str(".\n");
        for (title, breaking) in [("Breaking changes", true), ("Other changes", false)] {
            let list: Vec<&Change> = self.changes.iter().filter(|c| c.breaking == breaking).collect();
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {title} ({})\n", list.len());
            for c in list {
                let _ = writeln!(out, "- {}: `{}`: {}", c.kind, c.item, c.detail);
            }
        }
        out
    }
}

/// Compares two models.
pub fn diff(old: &Api, new: &Api) -> Changelog {
    let mut changes = Vec::new();
    diff_operations(old, new, &mut changes);
    diff_types(old, new, &mut changes);
    changes.sort_by(|a, b| b.breaking.cmp(&a.breaking).then_with(|| a.cmp(b)));
    changes.dedup();
    let bump = if changes.iter().any(|c| c.breaking) {
        Bump::Major
    } else if !changes.is_empty() {
        Bump::Minor
    } else if old.spec_sha256 != new.spec_sha256 {
        Bump::Patch
    } else {
        Bump::None
    };
    Changelog { old_version: old.api_version.clone(), new_version: new.api_version.clone(), bump, changes }
}

fn change(changes: &mut Vec<Change>, breaking: bool, kind: ChangeKind, item: String, detail: String) {
    changes.push(Change { breaking, kind, item, detail });
}

/// An operation with the accessor of its tag.
struct Op<'a> {
    module: &'a str,
    op: &'a Operation,
}

impl Op<'_> {
    fn item(&self) -> String {
        format!("{}().{}()", self.module, self.op.fn_name)
    }

    fn wire(&self) -> String {
        format!("{} {}, `{}`", self.op.method, self.op.path, self.op.id)
    }
}

/// Operations are the same operation when their method and path match, parameter names aside:
/// Intercom renames `{id}` to `{contact_id}` and back between versions.
fn operations(api: &Api) -> BTreeMap<(String, crate::model::Method), Op<'_>> {
    let mut map = BTreeMap::new();
    for tag in &api.tags {
        for op in &tag.operations {
            let mut shape = String::new();
            let mut in_param = false;
            for c in op.path.chars() {
                match c {
                    '{' => {
                        in_param = true;
                        shape.push_str("{}");
                    }
                    '}' => in_param = false,
                    c if !in_param => shape.push(c),
                    _ => {}
                }
            }
            map.insert((shape, op.method), Op { module: &tag.module, op });
        }
    }
    map
}

fn diff_operations(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let old_ops = operations(old);
    let new_ops = operations(new);
    for (key, o) in &old_ops {
        if !new_ops.contains_key(key) {
            let detail = format!("removed ({})", o.wire());
            change(changes, true, ChangeKind::OperationRemoved, o.item(), detail);
        }
    }
    for (key, n) in &new_ops {
        let Some(o) = old_ops.get(key) else {
            let detail = format!("added ({})", n.wire());
            change(changes, false, ChangeKind::OperationAdded, n.item(), detail);
            continue;
        };
        if o.item() != n.item() {
            let detail = format!("is now `{}` ({})", n.item(), n.wire());
            change(changes, true, ChangeKind::OperationRenamed, o.item(), detail);
        } else if o.op.id != n.op.id {
            let detail =
                format!("operationId `{}` is now `{}`; the Rust names are unchanged", o.op.id, n.op.id);
            change(changes, false, ChangeKind::OperationIdChanged, n.item(), detail);
        }
        if o.op.builder != n.op.builder && o.item() == n.item() {
            let detail = format!("the request builder type `{}` is now `{}`", o.op.builder, n.op.builder);
            change(changes, true, ChangeKind::OperationRenamed, n.item(), detail);
        }
        diff_params(o.op, n.op, &n.item(), changes);
        diff_body(o.op, n.op, &n.item(), changes);
        let (ot, nt) = (payload(&o.op.success.payload), payload(&n.op.success.payload));
        if ot != nt {
            change(
                changes,
                true,
                ChangeKind::ResponseTypeChanged,
                n.item(),
                format!("returns `{nt}` instead of `{ot}`"),
            );
        }
        if o.op.paging.is_none() && n.op.paging.is_some() {
            let detail = "gains `pages()` and `items()`".to_owned();
            change(changes, false, ChangeKind::PaginationAdded, n.item(), detail);
        }
        if o.op.paging.is_some() && n.op.paging.is_none() {
            let detail = "loses `pages()` and `items()`".to_owned();
            change(changes, true, ChangeKind::PaginationRemoved, n.item(), detail);
        }
    }
}

fn diff_params(old: &Operation, new: &Operation, item: &str, changes: &mut Vec<Change>) {
    // Path parameters are positional arguments: matched by position, so a rename is seen as one.
    let path = |op: &Operation| -> Vec<Param> {
        op.params.iter().filter(|p| p.location == ParamLocation::Path).cloned().collect()
    };
    for (o, n) in path(old).iter().zip(path(new).iter()) {
        if o.wire != n.wire {
            let detail = format!(
                "path parameter `{{{}}}` is now `{{{}}}`; the argument `{}` is now `{}` (calls by position are unaffected)",
                o.wire, n.wire, o.name, n.name
            );
            change(changes, false, ChangeKind::PathParameterRenamed, item.to_owned(), detail);
        }
        let (ot, nt) = (render(&o.ty), render(&n.ty));
        if ot != nt {
            let detail = format!("the argument `{}` is now `{nt}`, was `{ot}`", n.name);
            change(changes, true, ChangeKind::ParameterTypeChanged, item.to_owned(), detail);
        }
    }
    let others = |op: &Operation| -> BTreeMap<(String, &'static str), Param> {
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .map(|p| ((p.wire.clone(), p.location.as_str()), p.clone()))
            .collect()
    };
    let (old_params, new_params) = (others(old), others(new));
    for ((wire, place), o) in &old_params {
        if !new_params.contains_key(&(wire.clone(), place)) {
            let what = if o.required { "argument" } else { "setter" };
            let detail = format!("{place} parameter `{wire}` removed (the {what} `{}` is gone)", o.name);
            change(changes, true, ChangeKind::ParameterRemoved, item.to_owned(), detail);
        }
    }
    for ((wire, place), n) in &new_params {
        let Some(o) = old_params.get(&(wire.clone(), place)) else {
            let (breaking, how) =
                if n.required { (true, "a new required argument") } else { (false, "a new setter") };
            let detail = format!("{place} parameter `{wire}` added ({how} `{}`)", n.name);
            change(changes, breaking, ChangeKind::ParameterAdded, item.to_owned(), detail);
            continue;
        };
        if o.required != n.required {
            let (kind, how) = if n.required {
                (ChangeKind::ParameterMadeRequired, "from a setter to an argument")
            } else {
                (ChangeKind::ParameterMadeOptional, "from an argument to a setter")
            };
            let detail = format!("{place} parameter `{wire}` moves {how}");
            change(changes, true, kind, item.to_owned(), detail);
        }
        let (ot, nt) = (render(&o.ty), render(&n.ty));
        if ot != nt {
            let detail = format!("{place} parameter `{wire}` is now `{nt}`, was `{ot}`");
            change(changes, true, ChangeKind::ParameterTypeChanged, item.to_owned(), detail);
        }
    }
}

/// How a request body reads in the changelog: its type, or what else it is.
fn body_label(body: &crate::model::Body) -> String {
    use crate::model::BodyKind;
    match &body.kind {
        BodyKind::Json(ty) => render(ty),
        BodyKind::Text => "String".to_owned(),
        BodyKind::Bytes => format!("bytes ({})", body.content_type),
        BodyKind::Form(form) => {
            let parts: Vec<&str> = form.fields.iter().map(|f| f.wire.as_str()).collect();
            format!("{} (multipart: {})", form.name, parts.join(", "))
        }
    }
}

fn diff_body(old: &Operation, new: &Operation, item: &str, changes: &mut Vec<Change>) {
    match (&old.body, &new.body) {
        (None, None) => {}
        (None, Some(n)) => {
            let detail = format!("takes a request body `{}`", body_label(n));
            change(changes, n.required, ChangeKind::BodyAdded, item.to_owned(), detail);
        }
        (Some(o), None) => {
            let detail = format!("no longer takes a request body (was `{}`)", body_label(o));
            change(changes, true, ChangeKind::BodyRemoved, item.to_owned(), detail);
        }
        (Some(o), Some(n)) => {
            let (ot, nt) = (body_label(o), body_label(n));
            if ot != nt {
                let detail = format!("the request body is now `{nt}`, was `{ot}`");
                change(changes, true, ChangeKind::BodyTypeChanged, item.to_owned(), detail);
            }
            if o.required != n.required {
                let kind =
                    if n.required { ChangeKind::BodyMadeRequired } else { ChangeKind::BodyMadeOptional };
                let detail = "the request body moves between the arguments and a setter".to_owned();
                change(changes, true, kind, item.to_owned(), detail);
            }
        }
    }
}

fn payload(payload: &Payload) -> String {
    match payload {
        Payload::Json(ty) => render(ty),
        Payload::Empty => "()".to_owned(),
        Payload::Text => "String".to_owned(),
        Payload::Binary => "ByteStream".to_owned(),
        Payload::ByStatus(bodies) => {
            let each: Vec<String> = bodies
                .variants
                .iter()
                .map(|v| format!("{}: {}", v.status, v.ty.as_ref().map_or_else(|| "()".to_owned(), render)))
                .collect();
            format!("{} ({})", bodies.name, each.join(", "))
        }
    }
}

/// A type as the generated code spells it, without paths and boxes.
fn render(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 | TypeRef::UnixTime => "i64".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Named { name, .. } => name.clone(),
        TypeRef::Option(inner) => format!("Option<{}>", render(inner)),
        TypeRef::Vec(inner) => format!("Vec<{}>", render(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", render(inner)),
    }
}

fn field_type(field: &Field) -> String {
    let ty = render(&field.ty);
    if field.clearable {
        format!("Nullable<{ty}>")
    } else if field.optional() {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "a string enum",
        TypeKind::Union(_) => "a union",
        TypeKind::Alias(_) => "an alias",
    }
}

fn diff_types(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let by_name = |api: &Api| -> BTreeMap<String, TypeDef> {
        api.types.iter().map(|t| (t.name.clone(), t.clone())).collect()
    };
    let (old_types, new_types) = (by_name(old), by_name(new));
    for name in old_types.keys() {
        if !new_types.contains_key(name) {
            change(changes, true, ChangeKind::TypeRemoved, format!("types::{name}"), "removed".to_owned());
        }
    }
    for (name, n) in &new_types {
        let item = format!("types::{name}");
        let Some(o) = old_types.get(name) else {
            change(changes, false, ChangeKind::TypeAdded, item, format!("added ({})", kind_name(&n.kind)));
            continue;
        };
        match (&o.kind, &n.kind) {
            (TypeKind::Struct(os), TypeKind::Struct(ns)) => {
                // A type that stops being sent becomes `#[non_exhaustive]`, which breaks struct
                // literals; one that starts being sent loses the attribute, which breaks nothing.
                if o.sent && !n.sent {
                    let detail = "now only received, so `#[non_exhaustive]`".to_owned();
                    change(changes, true, ChangeKind::TypeMadeNonExhaustive, item.clone(), detail);
                }
                let literals = o.sent && n.sent;
                diff_fields(name, &os.fields, &ns.fields, literals, changes);
                diff_constants(&item, os, ns, changes);
            }
            (TypeKind::Enum(oe), TypeKind::Enum(ne)) => {
                for v in &oe.variants {
                    if !ne.variants.iter().any(|x| x.wire == v.wire) {
                        let detail = format!("value `{}` (variant `{}`) removed", v.wire, v.name);
                        change(changes, true, ChangeKind::EnumValueRemoved, item.clone(), detail);
                    }
                }
                for v in &ne.variants {
                    if !oe.variants.iter().any(|x| x.wire == v.wire) {
                        let detail = format!(
                            "value `{}` (variant `{}`) added; the enum is non_exhaustive",
                            v.wire, v.name
                        );
                        change(changes, false, ChangeKind::EnumValueAdded, item.clone(), detail);
                    }
                }
            }
            (TypeKind::Union(ou), TypeKind::Union(nu)) => {
                for v in &ou.variants {
                    match nu.variants.iter().find(|x| x.name == v.name) {
                        None => {
                            let detail = format!("branch `{}` removed", v.name);
                            change(changes, true, ChangeKind::UnionBranchRemoved, item.clone(), detail);
                        }
                        Some(x) if render(&x.ty) != render(&v.ty) => {
                            let detail = format!(
                                "branch `{}` now holds `{}`, was `{}`",
                                v.name,
                                render(&x.ty),
                                render(&v.ty)
                            );
                            change(changes, true, ChangeKind::UnionBranchChanged, item.clone(), detail);
                        }
                        Some(_) => {}
                    }
                }
                for v in &nu.variants {
                    if !ou.variants.iter().any(|x| x.name == v.name) {
                        let detail = format!("branch `{}` added; the union is non_exhaustive", v.name);
                        change(changes, false, ChangeKind::UnionBranchAdded, item.clone(), detail);
                    }
                }
            }
            (TypeKind::Alias(ot), TypeKind::Alias(nt)) if render(ot) != render(nt) => {
                let detail = format!("now names `{}`, was `{}`", render(nt), render(ot));
                change(changes, true, ChangeKind::AliasChanged, item, detail);
            }
            (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
            (ok, nk) if std::mem::discriminant(ok) != std::mem::discriminant(nk) => {
                let detail = format!("is now {}, was {}", kind_name(nk), kind_name(ok));
                change(changes, true, ChangeKind::TypeKindChanged, item, detail);
            }
            _ => {}
        }
    }
}

/// Constants are not fields, so they never change the Rust API; what the type writes on the
/// wire does change, and the changelog says so.
fn diff_constants(
    item: &str,
    old: &crate::model::Struct,
    new: &crate::model::Struct,
    changes: &mut Vec<Change>,
) {
    for o in &old.constants {
        match new.constants.iter().find(|n| n.wire == o.wire) {
            None => {
                let detail = format!("no longer always sends `{}: {}`", o.wire, o.value);
                change(changes, false, ChangeKind::ConstantRemoved, item.to_owned(), detail);
            }
            Some(n) if n.value != o.value => {
                let detail = format!("now sends `{}: {}`, was `{}`", n.wire, n.value, o.value);
                change(changes, false, ChangeKind::ConstantChanged, item.to_owned(), detail);
            }
            Some(_) => {}
        }
    }
    for n in &new.constants {
        if !old.constants.iter().any(|o| o.wire == n.wire) {
            let detail = format!("now always sends `{}: {}`", n.wire, n.value);
            change(changes, false, ChangeKind::ConstantAdded, item.to_owned(), detail);
        }
    }
}

/// `literals`: whether users can build the struct with a struct literal (it is not
/// `#[non_exhaustive]` on either side), so that any new field breaks them.
fn diff_fields(type_name: &str, old: &[Field], new: &[Field], literals: bool, changes: &mut Vec<Change>) {
    for o in old {
        if !new.iter().any(|n| n.wire == o.wire) {
            let item = format!("types::{type_name}::{}", o.name);
            change(changes, true, ChangeKind::FieldRemoved, item, format!("field `{}` removed", o.wire));
        }
    }
    for n in new {
        let item = format!("types::{type_name}::{}", n.name);
        let Some(o) = old.iter().find(|o| o.wire == n.wire) else {
            // Cargo's SemVer rules: a new public field breaks struct literals that do not end in
            // `..`; a new required one also changes `new(…)` and takes away `Default`.
            let detail = if !n.optional() {
                format!("required field `{}: {}` added (a new argument of `new`)", n.wire, field_type(n))
            } else if literals {
                format!(
                    "field `{}: {}` added (breaks struct literals without `..Default::default()`)",
                    n.wire,
                    field_type(n)
                )
            } else {
                format!("field `{}: {}` added; the type is non_exhaustive", n.wire, field_type(n))
            };
            change(changes, literals || !n.optional(), ChangeKind::FieldAdded, item, detail);
            continue;
        };
        if render(&o.ty) != render(&n.ty) {
            let detail = format!("`{}` is now `{}`, was `{}`", n.wire, field_type(n), field_type(o));
            change(changes, true, ChangeKind::FieldTypeChanged, item.clone(), detail);
            continue;
        }
        // The Rust type changes only when the field starts or stops being an `Option` or a
        // `Nullable`.
        let option_changed = field_type(o) != field_type(n);
        if o.required != n.required {
            let (kind, now) = if n.required {
                (ChangeKind::FieldMadeRequired, "required")
            } else {
                (ChangeKind::FieldMadeOptional, "optional")
            };
            let detail = format!("`{}` is now {now} (`{}`, was `{}`)", n.wire, field_type(n), field_type(o));
            change(changes, option_changed, kind, item.clone(), detail);
        } else if o.nullable != n.nullable {
            let (kind, now) = if n.nullable {
                (ChangeKind::FieldMadeNullable, "nullable")
            } else {
                (ChangeKind::FieldMadeNonNullable, "no longer nullable")
            };
            let detail = format!("`{}` is now {now} (`{}`, was `{}`)", n.wire, field_type(n), field_type(o));
            change(changes, option_changed, kind, item, detail);
        } else if option_changed {
            // The type started or stopped being sent.
            let detail = format!("`{}` is now `{}`, was `{}`", n.wire, field_type(n), field_type(o));
            change(changes, true, ChangeKind::FieldPresenceChanged, item, detail);
        }
    }
}

impl std::fmt::Display for Bump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_cargo_semver() {
        assert_eq!(Bump::Major.apply("0.1.3").as_deref(), Some("0.2.0"));
        assert_eq!(Bump::Minor.apply("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Patch.apply("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Major.apply("1.4.2").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Minor.apply("1.4.2").as_deref(), Some("1.5.0"));
        assert_eq!(Bump::Patch.apply("1.4.2").as_deref(), Some("1.4.3"));
        assert_eq!(Bump::None.apply("1.4.2").as_deref(), Some("1.4.2"));
        assert_eq!(Bump::Major.apply("1.4"), None);
        assert_eq!(Bump::Major.apply("1.4.x"), None);
    }
}
