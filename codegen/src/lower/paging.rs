//! Applies the pagination table to the lowered operations, checking each line against the spec.
//!
//! A line that names an operation the spec lacks, or an items path the page type does not have,
//! is an error: a table that drifted from its spec must not quietly drop a stream.

use std::collections::BTreeMap;

use crate::diag::Diagnostics;
use crate::model::{
    ItemsStep, Operation, Paging, Param, ParamLocation, Payload, Retry, Tag, TypeDef, TypeRef, struct_of,
};
use crate::pagination::{PageStyle, PaginationEntry, SpecTable};

/// The query parameters a style sends: the cursor first, then the page size. Intercom reads them
/// whether or not the spec declares them.
fn style_params(style: PageStyle) -> &'static [(&'static str, TypeRef, &'static str)] {
    const CURSOR: &[(&str, TypeRef, &str)] = &[
        (
            "starting_after",
            TypeRef::String,
            "The cursor to start after: the `pages.next.starting_after` of the previous page.",
        ),
        ("per_page", TypeRef::I64, "How many items a page holds."),
    ];
    const PAGE: &[(&str, TypeRef, &str)] = &[
        ("page", TypeRef::I64, "The page number, from 1."),
        ("per_page", TypeRef::I64, "How many items a page holds."),
    ];
    const SCROLL: &[(&str, TypeRef, &str)] =
        &[("scroll_param", TypeRef::String, "The `scroll_param` of the previous page.")];
    match style {
        PageStyle::Cursor => CURSOR,
        PageStyle::Page => PAGE,
        PageStyle::Scroll => SCROLL,
        PageStyle::Search | PageStyle::SearchPage | PageStyle::NextUrl => &[],
    }
}

pub(crate) fn apply(table: &SpecTable, tags: &mut [Tag], types: &[TypeDef], diags: &mut Diagnostics) {
    let types = crate::model::index(types);
    let mut listed = Vec::new();
    for entry in &table.entries {
        let op = tags.iter_mut().flat_map(|t| t.operations.iter_mut()).find(|op| op.id == entry.operation);
        let Some(op) = op else {
            diags.error_hint(
                &entry.location,
                format!(
                    "the pagination table names `{}`, which the spec has no operation for",
                    entry.operation
                ),
                "remove the line, or correct the operation id",
            );
            continue;
        };
        listed.push(entry.operation.as_str());
        if let Some(style) = entry.style {
            match paging(op, entry, style, &types) {
                Ok(paging) => {
                    op.retry = match style {
                        // A search is a POST that only reads.
                        PageStyle::Search | PageStyle::SearchPage => Retry::Idempotent,
                        PageStyle::Scroll => Retry::ServerUntouched,
                        PageStyle::Cursor | PageStyle::Page | PageStyle::NextUrl => op.retry,
                    };
                    op.paging = Some(paging);
                }
                Err(message) => {
                    diags.error(&op.pointer, format!("{message} (pagination table, {})", entry.location))
                }
            }
        }
    }
    // A response with `pages` that the table does not mention is most likely a new list
    // operation: it still works, one page at a time, but say so.
    for op in tags.iter().flat_map(|t| &t.operations) {
        if !listed.contains(&op.id.as_str()) && page_struct(op, &types).is_some_and(|s| has_field(s, "pages"))
        {
            diags.warning(
                &op.pointer,
                format!(
                    "`{}` returns `pages` but the pagination table does not list it; it gets no page stream",
                    op.id
                ),
            );
        }
    }
}

fn page_struct<'t>(op: &Operation, types: &BTreeMap<&str, &'t TypeDef>) -> Option<&'t crate::model::Struct> {
    let Payload::Json(ty) = &op.success.payload else { return None };
    let ty = match ty {
        TypeRef::Option(inner) => inner,
        other => other,
    };
    struct_of(ty, types)
}

fn has_field(s: &crate::model::Struct, wire: &str) -> bool {
    s.fields.iter().any(|f| f.wire == wire)
}

fn paging(
    op: &mut Operation,
    entry: &PaginationEntry,
    style: PageStyle,
    types: &BTreeMap<&str, &TypeDef>,
) -> Result<Paging, String> {
    let Payload::Json(page_ty) = &op.success.payload else {
        return Err(format!("`{}` does not answer with JSON, so it cannot be paged", op.id));
    };
    let (page_optional, ty) = match page_ty {
        TypeRef::Option(inner) => (true, (**inner).clone()),
        other => (false, other.clone()),
    };
    let (items_path, item) = items_path(entry, ty, types)?;
    check_style(op, style, types)?;
    let cursor_param = cursor_param(op, style)?;
    Ok(Paging { style, cursor_param, page_optional, items_path, item })
}

/// The steps of the table's items path from the page type, each a field, and the type of the
/// array's items it leads to.
fn items_path(
    entry: &PaginationEntry,
    mut ty: TypeRef,
    types: &BTreeMap<&str, &TypeDef>,
) -> Result<(Vec<ItemsStep>, TypeRef), String> {
    let mut items_path = Vec::new();
    for (i, wire) in entry.items.iter().enumerate() {
        let here = entry.items[..i].join(".");
        let Some(s) = struct_of(&ty, types) else {
            return Err(format!(
                "the items path `{}` goes through `{here}`, which is not an object",
                entry.items.join(".")
            ));
        };
        let Some(field) = s.fields.iter().find(|f| f.wire == *wire) else {
            let at = if here.is_empty() { "the page".to_owned() } else { format!("`{here}`") };
            return Err(format!("{at} has no field `{wire}` (items path `{}`)", entry.items.join(".")));
        };
        if field.clearable {
            return Err(format!(
                "the items path `{}` goes through `{wire}`, which is both nullable and optional in a type that is also sent",
                entry.items.join(".")
            ));
        }
        items_path.push(ItemsStep { field: field.name.clone(), optional: field.optional() });
        ty = field.ty.clone();
    }
    let TypeRef::Vec(item) = ty else {
        return Err(format!("the items path `{}` does not lead to an array", entry.items.join(".")));
    };
    Ok((items_path, *item))
}

/// What each style needs of its operation: a search a `pagination` body field, a search by
/// page an integer `page`, and a next-page URL a GET.
fn check_style(op: &Operation, style: PageStyle, types: &BTreeMap<&str, &TypeDef>) -> Result<(), String> {
    if style == PageStyle::Search {
        let body = op.body.as_ref().and_then(|b| b.json());
        if !body.and_then(|b| struct_of(b, types)).is_some_and(|s| has_field(s, "pagination")) {
            return Err(format!("`{}` pages by its request body, which has no `pagination` field", op.id));
        }
    }
    if style == PageStyle::SearchPage {
        let body = op.body.as_ref().and_then(|b| b.json()).and_then(|b| struct_of(b, types));
        let page = body.and_then(|s| s.fields.iter().find(|f| f.wire == "page"));
        if !page.is_some_and(|f| matches!(f.ty, TypeRef::I32 | TypeRef::I64)) {
            return Err(format!("`{}` pages by its request body, which has no integer `page` field", op.id));
        }
    }
    if style == PageStyle::NextUrl && op.method != crate::model::Method::Get {
        return Err(format!("`{}` is a {}; a next-page URL can only be followed with GET", op.id, op.method));
    }
    Ok(())
}

/// The index of the parameter that carries the cursor (or page number), after adding the query
/// parameters of the style that the spec does not declare.
fn cursor_param(op: &mut Operation, style: PageStyle) -> Result<Option<usize>, String> {
    let mut cursor_param = None;
    for (wire, ty, doc) in style_params(style) {
        let index = match op.params.iter().position(|p| p.wire == *wire) {
            Some(i) if op.params[i].location != ParamLocation::Query => {
                return Err(format!("`{wire}` is declared, but not in the query"));
            }
            Some(i) => i,
            None => {
                let name = crate::names::value_name(wire);
                if crate::names::reserved::BUILDER.contains(&name.as_str())
                    || op.params.iter().any(|p| p.name == name)
                {
                    return Err(format!(
                        "the parameter `{wire}` that paging adds clashes with the name `{name}`"
                    ));
                }
                op.params.push(Param {
                    name,
                    wire: (*wire).to_owned(),
                    location: ParamLocation::Query,
                    ty: ty.clone(),
                    required: false,
                    also_in_query: false,
                    doc: Some(format!("{doc} Not declared in the spec; Intercom reads it for paging.")),
                    example: None,
                });
                op.params.len() - 1
            }
        };
        if cursor_param.is_none() {
            let found = &op.params[index].ty;
            let fits = match style {
                PageStyle::Page => matches!(found, TypeRef::I32 | TypeRef::I64),
                _ => *found == TypeRef::String,
            };
            if !fits {
                return Err(format!("the paging parameter `{wire}` has an unexpected type"));
            }
            cursor_param = Some(index);
        }
    }
    Ok(cursor_param)
}
