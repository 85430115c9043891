//! Lowering of paths and operations: parameters, bodies, responses, grouping by tag.

use std::collections::BTreeMap;

use openapiv3::{
    Operation as SpecOperation, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response,
    StatusCode,
};

use super::flat::Flat;
use super::{Lowerer, Naming};
use crate::diag::{Diagnostics, escape, join};
use crate::model::{
    Body, BodyKind, Form, FormField, FormValue, Method, Operation, Param, ParamLocation, PathSegment,
    Payload, Retry, Status, StatusBodies, StatusBody, Success, Tag, TypeRef,
};
use crate::names::{self, Scope};
use crate::pagination::{Evidence, MethodEntry};

/// The header that carries the API version. The client sends it on every request, so it is not
/// an argument of each operation.
pub(crate) const VERSION_HEADER: &str = "Intercom-Version";

/// The tag of operations that have none.
const UNTAGGED: &str = "Other";

/// The method name the table gives an operation, claimed on its tag's handle; a name that is
/// not a plain snake_case identifier, or that the handle already has, is an error at its line.
fn method_from_table(entry: &MethodEntry, tag: &str, scope: &mut Scope, diags: &mut Diagnostics) -> String {
    let wanted = &entry.method;
    if names::value_name(wanted) != *wanted {
        diags.error_hint(
            &entry.location,
            format!("`{wanted}` is not a method name"),
            format!(
                "write a snake_case identifier that is not a keyword, such as `{}`",
                names::value_name(wanted)
            ),
        );
        return scope.claim(&names::value_name(wanted));
    }
    let claimed = scope.claim(wanted);
    if claimed != *wanted {
        diags.error(
            &entry.location,
            format!("`{wanted}` is already a method of the `{tag}` handle (or a name it keeps for itself)"),
        );
    }
    claimed
}

/// The longest module name a tag gets; each is also a file name (`<module>.rs`).
const MAX_MODULE_NAME: usize = 64;

/// The operations grouped by tag, and (with `Options::partial`) the pointers of those left out.
pub(crate) fn lower_operations(lw: &mut Lowerer<'_>) -> (Vec<Tag>, Vec<String>) {
    let spec = lw.spec;
    // Method names are unique on their tag's handle and never one it already has.
    let mut fn_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let new_fn_scope = || Scope::with_reserved(names::reserved::HANDLE_METHODS);
    let options: &crate::options::Options = lw.options;
    let table = &options.pagination;
    let mut named = vec![false; table.methods.len()];
    // Stems (`ShowContact`) name an operation's hoisted types, so they come from its operationId
    // and are unique in the crate, as they were when they also named the builders.
    let mut stem_scope = Scope::default();
    let handles = claim_handles(spec, &mut stem_scope);
    // Builders are named by their method (`contacts::Get`), unique in their tag's module beside
    // the handle and the module's own types.
    let mut module_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let mut groups: BTreeMap<String, Vec<Operation>> = BTreeMap::new();
    // An operationId names one operation: the pagination table, the changelog and the logs
    // all look operations up by it.
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (path, item) in spec.paths.iter() {
        let path_pointer = format!("#/paths/{}", escape(path));
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                lw.diags.error(&path_pointer, "path items given by `$ref` are not supported");
                continue;
            }
        };
        for (key, op) in item.iter() {
            let pointer = join(&path_pointer, key);
            let Some(method) = Method::of_key(key) else {
                lw.diags.error(&pointer, format!("`{key}` is not an HTTP method"));
                continue;
            };
            let id = op.operation_id.clone().unwrap_or_else(|| derived_id(key, path));
            if let Some(first) = ids.get(&id) {
                lw.diags.error_hint(
                    join(&pointer, "operationId"),
                    format!("operationId `{id}` is already used by {first}"),
                    "give every operation its own operationId",
                );
            } else {
                ids.insert(id.clone(), pointer.clone());
            }
            let tag = op.tags.first().cloned().unwrap_or_else(|| UNTAGGED.to_owned());
            let fn_scope = fn_scopes.entry(tag.clone()).or_insert_with(new_fn_scope);
            let chosen = table.methods.iter().position(|e| e.operation == id);
            let fn_name = match chosen {
                Some(i) => {
                    named[i] = true;
                    method_from_table(&table.methods[i], &tag, fn_scope, &mut lw.diags)
                }
                None => fn_scope.claim(&names::value_name(&id)),
            };
            let stem = stem_scope.claim(&names::type_name(&id));
            let module_scope = module_scopes.entry(tag.clone()).or_insert_with(|| {
                let mut scope = Scope::default();
                if let Some(handle) = handles.get(&tag) {
                    scope.claim(handle);
                }
                scope
            });
            let builder = module_scope.claim(&names::type_name(&fn_name));
            let mark = lw.diags.mark();
            let site_pointer = pointer.clone();
            let lowered = lower_operation(
                lw,
                OpSite {
                    path,
                    method,
                    op,
                    item_params: &item.parameters,
                    pointer,
                    id,
                    fn_name,
                    builder,
                    stem,
                },
            );
            // With `partial`, an operation whose own parts failed is left out; errors in the
            // schemas it shares with others still count.
            if lw.options.partial && lw.diags.demote_since(mark, &site_pointer, "the operation is left out") {
                skipped.push(site_pointer);
                continue;
            }
            groups.entry(tag).or_default().push(lowered);
        }
    }
    for (entry, _) in table.methods.iter().zip(&named).filter(|(_, named)| !**named) {
        lw.diags.error(
            &entry.location,
            format!(
                "the table names a method for `{}`, which the spec has no operation for",
                entry.operation
            ),
        );
    }
    name_module_types(&mut groups, &mut module_scopes, &mut lw.type_scope);
    let tags = into_tags(spec, groups, &handles, &mut lw.diags);
    (tags, skipped)
}

/// Claims each tag's handle name (`ContactsApi`) in `stem_scope` first, so no stem takes it.
fn claim_handles(spec: &openapiv3::OpenAPI, stem_scope: &mut Scope) -> BTreeMap<String, String> {
    let mut handles: BTreeMap<String, String> = BTreeMap::new();
    for (_, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, op) in item.iter() {
            let tag = op.tags.first().cloned().unwrap_or_else(|| UNTAGGED.to_owned());
            if let std::collections::btree_map::Entry::Vacant(entry) = handles.entry(tag) {
                let handle = stem_scope.claim(&names::handle_type(entry.key()));
                entry.insert(handle);
            }
        }
    }
    handles
}

/// Names the enums of success bodies and the forms: they live in their operation's module
/// beside the builders and the handle, so they must not take one of their names either.
fn name_module_types(
    groups: &mut BTreeMap<String, Vec<Operation>>,
    module_scopes: &mut BTreeMap<String, Scope>,
    type_scope: &mut Scope,
) {
    for (tag, op) in groups.iter_mut().flat_map(|(tag, ops)| ops.iter_mut().map(move |op| (tag, op))) {
        let module_scope = module_scopes.entry(tag.clone()).or_default();
        let form = match &mut op.body {
            Some(Body { kind: BodyKind::Form(form), .. }) => Some(&mut form.name),
            _ => None,
        };
        let outcome = match &mut op.success.payload {
            Payload::ByStatus(bodies) => Some(&mut bodies.name),
            _ => None,
        };
        for name in form.into_iter().chain(outcome) {
            while module_scope.contains(name) {
                *name = type_scope.claim(name);
            }
            module_scope.claim(name);
        }
    }
}

/// The tags, each with its module (unique, never a name the crate's shell has, and at most
/// [`MAX_MODULE_NAME`] long, with a warning when cut) and its handle, sorted by module.
fn into_tags(
    spec: &openapiv3::OpenAPI,
    groups: BTreeMap<String, Vec<Operation>>,
    handles: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Vec<Tag> {
    let features: Vec<String> = crate::shell::feature_names().collect();
    let shell = crate::shell::SHELL_MODULES
        .iter()
        .chain(crate::shell::GENERATED_MODULES)
        .chain(crate::shell::CLIENT_METHODS);
    let reserved: Vec<&str> =
        shell.chain(names::reserved::MODULES).copied().chain(features.iter().map(String::as_str)).collect();
    let mut module_scope = Scope::with_reserved(&reserved);
    let mut shortened = Vec::new();
    let mut tags: Vec<Tag> = groups
        .into_iter()
        .map(|(wire, operations)| {
            let doc = spec.tags.iter().find(|t| t.name == wire).and_then(|t| t.description.clone());
            let mut module = names::value_name(&wire);
            if module.len() > MAX_MODULE_NAME {
                // The module is a file name, and file systems refuse long ones (255 bytes).
                let mut end = MAX_MODULE_NAME;
                while !module.is_char_boundary(end) {
                    end -= 1;
                }
                module.truncate(end);
                let trimmed = module.trim_end_matches('_').len();
                module.truncate(trimmed);
                let at = operations
                    .first()
                    .map(|op| join(&op.pointer, "tags"))
                    .unwrap_or_else(|| "#/tags".to_owned());
                shortened.push((at, module.clone()));
            }
            Tag {
                module: module_scope.claim(&module),
                handle: handles.get(&wire).cloned().unwrap_or_else(|| names::handle_type(&wire)),
                wire,
                doc,
                operations,
            }
        })
        .collect();
    for (at, module) in shortened {
        diags.warning(at, format!("the tag's name is too long for a module file; its module is `{module}`"));
    }
    tags.sort_by(|a, b| a.module.cmp(&b.module));
    tags
}

/// A name for an operation that has no `operationId`: method and path, `{x}` read as `by_x`.
fn derived_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_owned()),
        }
    }
    words.join("_")
}

struct OpSite<'a> {
    path: &'a str,
    method: Method,
    op: &'a SpecOperation,
    item_params: &'a [ReferenceOr<Parameter>],
    pointer: String,
    id: String,
    fn_name: String,
    builder: String,
    stem: String,
}

fn lower_operation<'a>(lw: &mut Lowerer<'a>, site: OpSite<'a>) -> Operation {
    let OpSite { path, method, op, item_params, pointer, id, fn_name, builder, stem } = site;
    let template_names: Vec<&str> =
        path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
    let declared = declared_params(lw, path, item_params, &op.parameters, &pointer);
    let mut scope = Scope::with_reserved(names::reserved::BUILDER);
    let site = ParamSite { path, template_names: &template_names, stem: &stem };
    let mut params: Vec<Param> = declared
        .into_iter()
        .filter_map(|(param, at)| lower_param(lw, param, at, &site, &mut scope))
        .collect();
    for name in &template_names {
        if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire == *name) {
            lw.diags.warning(
                &pointer,
                format!("path template `{path}` names `{name}`, which no parameter declares; it is taken as a string"),
            );
            params.push(Param {
                name: scope.claim(&names::value_name(name)),
                wire: (*name).to_owned(),
                location: ParamLocation::Path,
                ty: TypeRef::String,
                required: true,
                also_in_query: false,
                doc: None,
                example: None,
            });
        }
    }
    // Path parameters come first, in template order, so method arguments read like the URL.
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, template_names.iter().position(|n| *n == p.wire).unwrap_or(usize::MAX)),
        ParamLocation::Query => (1, 0),
        ParamLocation::Header => (2, 0),
    });
    let segments = path_segments(path, &params);

    let body =
        op.request_body.as_ref().and_then(|rb| lower_body(lw, rb, &stem, &join(&pointer, "requestBody")));
    let (mut success, errors) = lower_responses(lw, op, &stem, &pointer);
    // The table's evidence may say a nullable success body is always an object.
    if let Payload::Json(TypeRef::Option(inner)) = &success.payload
        && lw.evidence(|fact| matches!(fact, Evidence::Object(at) if *at == id))
    {
        success.payload = Payload::Json((**inner).clone());
    }

    Operation {
        id,
        fn_name,
        builder,
        method,
        path: path.to_owned(),
        segments,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        params,
        body,
        success,
        errors,
        // The pagination pass refines this for searches and scrolls.
        retry: if method.is_idempotent() { Retry::Idempotent } else { Retry::UnsafeToRepeat },
        paging: None,
        pointer,
    }
}

/// The parameters an operation declares, resolved, with the pointer of each: path-level ones
/// first, replaced by operation-level ones of the same name and place.
fn declared_params<'a>(
    lw: &mut Lowerer<'a>,
    path: &str,
    item_params: &'a [ReferenceOr<Parameter>],
    op_params: &'a [ReferenceOr<Parameter>],
    pointer: &str,
) -> Vec<(&'a Parameter, String)> {
    let mut declared: Vec<(&'a Parameter, String)> = Vec::new();
    let sources = item_params
        .iter()
        .enumerate()
        .map(|(i, p)| (p, format!("#/paths/{}/parameters/{i}", escape(path))))
        .chain(op_params.iter().enumerate().map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))));
    for (param, param_pointer) in sources {
        let Some(param) = resolve(lw, param, "parameters", |c| &c.parameters, &param_pointer) else {
            continue;
        };
        let data = param.parameter_data_ref();
        declared.retain(|(p, _)| {
            let d = p.parameter_data_ref();
            !(d.name == data.name && std::mem::discriminant(*p) == std::mem::discriminant(param))
        });
        declared.push((param, param_pointer));
    }

    declared
}

/// What a parameter is lowered against: its operation's path, the names its template holds,
/// and the stem that names its inline types.
struct ParamSite<'s> {
    path: &'s str,
    template_names: &'s [&'s str],
    stem: &'s str,
}

/// One declared parameter as the model holds it, or `None` (with a diagnostic, or for the
/// version header, which the client sends itself).
fn lower_param<'a>(
    lw: &mut Lowerer<'a>,
    param: &'a Parameter,
    param_pointer: String,
    site: &ParamSite<'_>,
    scope: &mut Scope,
) -> Option<Param> {
    let ParamSite { path, template_names, stem } = *site;
    let data = param.parameter_data_ref();
    let declared_location = match param {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        _ => ParamLocation::Path,
    };
    let mut location = match param {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => {
            lw.diags.error(&param_pointer, "cookie parameters are not supported");
            return None;
        }
    };
    if location == ParamLocation::Header && data.name.eq_ignore_ascii_case(VERSION_HEADER) {
        return None;
    }
    if location != ParamLocation::Path && template_names.contains(&data.name.as_str()) {
        // Intercom declares some path parameters `in: query`; the template is what the server reads.
        // A query copy is harmless and what the declaration asks for; a header of the same
        // name is not sent, and the warning says so rather than promise it.
        let also = match location {
            ParamLocation::Query => "in the path and the query",
            _ => "in the path only",
        };
        lw.diags.warning(
            &param_pointer,
            format!(
                "parameter `{}` is declared `in: {}` but the path template names it; it is sent {also}",
                data.name,
                location.as_str()
            ),
        );
        location = ParamLocation::Path;
    }
    if location == ParamLocation::Path && !template_names.contains(&data.name.as_str()) {
        lw.diags.error(
            &param_pointer,
            format!("path parameter `{}` is not in the path template `{path}`", data.name),
        );
        return None;
    }
    let ty = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let naming = Naming::Suggest(format!("{stem}{}", names::type_name(&data.name)));
            let schema_pointer = join(&param_pointer, "schema");
            let ty = lw.lower_ref_or(schema.into(), naming, &schema_pointer).ty;
            // A type made from the parameter's own schema is described by the parameter.
            if let Some(description) = &data.description {
                lw.describe_if_undescribed(&ty, &schema_pointer, description);
            }
            ty
        }
        ParameterSchemaOrContent::Content(_) => {
            lw.diags.error(&param_pointer, "parameters described by `content` are not supported");
            return None;
        }
    };
    Some(Param {
        name: scope.claim(&names::value_name(&data.name)),
        wire: data.name.clone(),
        required: data.required || location == ParamLocation::Path,
        also_in_query: location == ParamLocation::Path && declared_location == ParamLocation::Query,
        location,
        ty,
        doc: data.description.clone(),
        example: data.example.clone().or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => schema.schema_data.example.clone(),
            _ => None,
        }),
    })
}

fn path_segments(path: &str, params: &[Param]) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            segments.push(PathSegment::Literal(rest[..start].to_owned()));
        }
        let name = &rest[start + 1..start + len];
        if let Some(i) = params.iter().position(|p| p.location == ParamLocation::Path && p.wire == name) {
            segments.push(PathSegment::Param(i));
        }
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    segments
}

/// Follows a `$ref` into one section of `#/components` (`parameters`, `responses`, …).
fn resolve<'a, T>(
    lw: &mut Lowerer<'a>,
    item: &'a ReferenceOr<T>,
    section: &str,
    pick: fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    pointer: &str,
) -> Option<&'a T> {
    match item {
        ReferenceOr::Item(found) => Some(found),
        ReferenceOr::Reference { reference } => {
            let found = crate::diag::component_key(reference, section)
                .and_then(|key| pick(lw.spec.components.as_ref()?).get(&key));
            match found {
                Some(ReferenceOr::Item(found)) => Some(found),
                _ => {
                    lw.diags.error(
                        pointer,
                        format!("the `$ref` `{reference}` does not resolve to one of #/components/{section}"),
                    );
                    None
                }
            }
        }
    }
}

use crate::model::is_json_media_type as is_json;

fn lower_body<'a>(
    lw: &mut Lowerer<'a>,
    body: &'a ReferenceOr<RequestBody>,
    stem: &str,
    pointer: &str,
) -> Option<Body> {
    let body = resolve(lw, body, "requestBodies", |c| &c.request_bodies, pointer)?;
    // JSON is preferred when a body may be sent several ways; then a form, then the rest.
    let essence = |ct: &str| ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let chosen = body
        .content
        .iter()
        .find(|(ct, _)| is_json(ct))
        .or_else(|| body.content.iter().find(|(ct, _)| essence(ct) == "multipart/form-data"))
        .or_else(|| body.content.iter().find(|(ct, _)| essence(ct) != "application/x-www-form-urlencoded"));
    let Some((content_type, media)) = chosen else {
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        lw.diags.error_hint(
            join(pointer, "content"),
            format!("request bodies of type {} are not supported", types.join(", ")),
            "send JSON, multipart/form-data, text or bytes",
        );
        return None;
    };
    let schema_pointer = join(&join(&join(pointer, "content"), content_type), "schema");
    // Intercom's descriptions rarely mark `requestBody.required`; a body that must hold something
    // is an argument all the same, so that `create_ticket().await` cannot compile and send nothing.
    let must_hold = media.schema.as_ref().is_some_and(|s| lw.requires_content(s.into(), 0));
    let kind = if is_json(content_type) {
        BodyKind::Json(match &media.schema {
            Some(schema) => {
                lw.lower_ref_or(schema.into(), Naming::Suggest(format!("{stem}Request")), &schema_pointer).ty
            }
            None => TypeRef::Json,
        })
    } else if essence(content_type) == "multipart/form-data" {
        BodyKind::Form(lower_form(lw, media.schema.as_ref(), stem, &schema_pointer)?)
    } else if essence(content_type).starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    };
    Some(Body {
        kind,
        content_type: essence(content_type),
        required: body.required || must_hold,
        doc: body.description.clone(),
        example: media.example.clone().or_else(|| {
            media.examples.values().find_map(|e| match e {
                ReferenceOr::Item(example) => example.value.clone(),
                ReferenceOr::Reference { .. } => None,
            })
        }),
    })
}

/// A `multipart/form-data` body: the properties of its object schema, each a part.
fn lower_form<'a>(
    lw: &mut Lowerer<'a>,
    schema: Option<&'a ReferenceOr<openapiv3::Schema>>,
    stem: &str,
    pointer: &str,
) -> Option<Form> {
    let Some(schema) = schema.and_then(|s| lw.schema_of(s.into())) else {
        lw.diags.error(pointer, "a multipart/form-data body needs an object schema with properties");
        return None;
    };
    let flat = Flat::of(schema);
    let Some(properties) = flat.properties.filter(|p| !p.is_empty()) else {
        lw.diags.error(pointer, "a multipart/form-data body needs an object schema with properties");
        return None;
    };
    let name = lw.type_scope.claim(&format!("{stem}Form"));
    let mut scope = Scope::default();
    let mut fields = Vec::new();
    for (wire, property) in properties {
        let property_pointer = super::property_pointer(pointer, wire);
        let resolved = lw.schema_of(property.into());
        let is_file = |s: &openapiv3::Schema| {
            let f = Flat::of(s);
            f.typ == Some(super::flat::JsonType::String) && f.format.as_deref() == Some("binary")
        };
        let value = match resolved {
            Some(s) if is_file(s) => FormValue::File,
            Some(s) if Flat::of(s).items.and_then(|i| lw.schema_of(i.into())).is_some_and(is_file) => {
                FormValue::Files
            }
            _ => {
                let naming = Naming::Suggest(format!("{name}{}", names::type_name(wire)));
                FormValue::Value(lw.lower_ref_or(property.into(), naming, &property_pointer).ty)
            }
        };
        let doc = resolved.and_then(|s| s.schema_data.description.clone());
        fields.push(FormField {
            name: scope.claim(&names::value_name(wire)),
            wire: wire.clone(),
            value,
            required: flat.required.contains(wire),
            doc,
        });
    }
    Some(Form { name, fields })
}

/// Picks the successful response: the 2xx or 3xx ones, else `default`. Other statuses are errors,
/// which the runtime decodes into one crate-wide error type.
fn lower_responses<'a>(
    lw: &mut Lowerer<'a>,
    op: &'a SpecOperation,
    stem: &str,
    pointer: &str,
) -> (Success, Vec<(Status, Option<String>)>) {
    let responses_pointer = join(pointer, "responses");
    let mut successes = Vec::new();
    let mut errors = Vec::new();
    for (status, response) in &op.responses.responses {
        let (code, ok) = match status {
            StatusCode::Code(c) => (Status::Code(*c), (200..400).contains(c)),
            StatusCode::Range(r) => (Status::Range(*r), *r == 2 || *r == 3),
        };
        if ok {
            successes.push((code, response));
        } else {
            let description = resolve(
                lw,
                response,
                "responses",
                |c| &c.responses,
                &join(&responses_pointer, &code.to_string()),
            )
            .map(|r| r.description.clone());
            errors.push((code, description));
        }
    }
    if let Some(default) = &op.responses.default {
        if successes.is_empty() {
            successes.push((Status::Default, default));
        } else {
            let description =
                resolve(lw, default, "responses", |c| &c.responses, &join(&responses_pointer, "default"))
                    .map(|r| r.description.clone());
            errors.push((Status::Default, description));
        }
    }
    let mut lowered: Vec<SuccessBody> = Vec::new();
    for (code, response) in successes {
        let response_pointer = join(&responses_pointer, &code.to_string());
        let Some(response) = resolve(lw, response, "responses", |c| &c.responses, &response_pointer) else {
            continue;
        };
        // The first success body is the operation's `…Response`; a later one, which may differ,
        // is named by its status (`…AcceptedResponse`).
        let body_name = match lowered.iter().any(|b| b.payload != Payload::Empty) {
            false => format!("{stem}Response"),
            true => format!("{stem}{}Response", status_variant(code)),
        };
        let (payload, accept) = lower_payload(lw, response, &body_name, &response_pointer);
        let description = response.description.clone();
        lowered.push(SuccessBody { code, payload, accept, description, pointer: response_pointer });
    }
    let mut chosen: Option<Success> = None;
    for SuccessBody { code, payload, accept, .. } in &lowered {
        match &chosen {
            None => {
                chosen = Some(Success { status: *code, payload: payload.clone(), accept: accept.clone() })
            }
            // An empty alternative (say 204 beside 200) adds nothing to decode.
            Some(_) if *payload == Payload::Empty => {}
            Some(first) if first.payload == Payload::Empty => {
                chosen = Some(Success { status: *code, payload: payload.clone(), accept: accept.clone() })
            }
            Some(first) if first.payload == *payload => {}
            Some(_) => {
                // Success statuses with different bodies: the answer is an enum by status.
                chosen = by_status(lw, &lowered, stem);
                break;
            }
        }
    }
    let success = chosen.unwrap_or_else(|| {
        lw.diags
            .warning(&responses_pointer, "the operation declares no success response; its body is ignored");
        Success { status: Status::Range(2), payload: Payload::Empty, accept: "application/json".to_owned() }
    });
    (success, errors)
}

/// One success response, lowered.
struct SuccessBody {
    code: Status,
    payload: Payload,
    accept: String,
    description: String,
    pointer: String,
}

/// The success of an operation whose success statuses answer with different bodies: one
/// variant per status, each a JSON body or nothing. Text and binary bodies among them are
/// errors, since the variant would have to be read before the status is known.
fn by_status(lw: &mut Lowerer<'_>, lowered: &[SuccessBody], stem: &str) -> Option<Success> {
    let mut variants = Vec::new();
    let mut accept = None;
    let mut scope = Scope::default();
    for SuccessBody { code, payload, accept: media, description, pointer } in lowered {
        let ty = match payload {
            Payload::Json(ty) => {
                accept.get_or_insert_with(|| media.clone());
                Some(ty.clone())
            }
            Payload::Empty => None,
            _ => {
                lw.diags.error_hint(
                    join(pointer, "content"),
                    "a success response that is not JSON beside one with another body is not supported",
                    "answer every success status with JSON or with no body",
                );
                return None;
            }
        };
        let name = scope.claim(&status_variant(*code));
        let doc = (!description.is_empty()).then(|| description.clone());
        variants.push(StatusBody { status: *code, name, ty, doc });
    }
    // Exact codes are matched before ranges, and `default` last.
    variants.sort_by_key(|v| match v.status {
        Status::Code(_) => 0,
        Status::Range(_) => 1,
        Status::Default => 2,
    });
    let name = lw.type_scope.claim(&format!("{stem}Outcome"));
    Some(Success {
        status: variants.first().map_or(Status::Range(2), |v| v.status),
        payload: Payload::ByStatus(StatusBodies { name, variants }),
        accept: accept.unwrap_or_else(|| "application/json".to_owned()),
    })
}

/// The variant name for a success status: its reason phrase where HTTP gives a common one.
fn status_variant(status: Status) -> String {
    match status {
        Status::Code(200) => "Ok".to_owned(),
        Status::Code(201) => "Created".to_owned(),
        Status::Code(202) => "Accepted".to_owned(),
        Status::Code(203) => "NonAuthoritative".to_owned(),
        Status::Code(204) => "NoContent".to_owned(),
        Status::Code(206) => "PartialContent".to_owned(),
        other => format!("Status{}", other.to_string().to_ascii_lowercase()),
    }
}

/// What a success response holds, and the media type to ask for in `Accept`.
fn lower_payload<'a>(
    lw: &mut Lowerer<'a>,
    response: &'a Response,
    body_name: &str,
    pointer: &str,
) -> (Payload, String) {
    let Some(first) = response.content.keys().next() else {
        return (Payload::Empty, "application/json".to_owned());
    };
    if let Some((content_type, media)) = response.content.iter().find(|(ct, _)| is_json(ct)) {
        let payload = match &media.schema {
            Some(schema) => {
                let naming = Naming::Suggest(body_name.to_owned());
                let schema_pointer = join(&join(&join(pointer, "content"), content_type), "schema");
                // A nullable response schema (a component marked nullable) may answer `null`.
                let lowered = lw.lower_ref_or(schema.into(), naming, &schema_pointer);
                Payload::Json(if lowered.nullable {
                    TypeRef::Option(Box::new(lowered.ty))
                } else {
                    lowered.ty
                })
            }
            None => Payload::Json(TypeRef::Json),
        };
        return (payload, content_type.clone());
    }
    match response.content.keys().find(|ct| ct.starts_with("text/")) {
        Some(text) => (Payload::Text, text.clone()),
        None => (Payload::Binary, first.clone()),
    }
}
