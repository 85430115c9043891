//! Strict reading: the raw document is checked against the shape OpenAPI 3.0 and 3.1 define
//! before any library reads it.
//!
//! `openapiv3` skips keys it does not know, so `requestbody:`, `GET:` or a response `2OO:` would
//! silently lose a body, an operation or a response. Here every object's keys are compared, case
//! for case, with the fields the specification lists (extensions `x-…` aside), every value's
//! kind is checked, and every problem of the document is reported in one run, each at its JSON
//! pointer. The tables below are the specification's field lists; the walk is bounded by the
//! YAML parser's nesting limit.

use serde_yaml::{Mapping, Value};

use crate::diag::{Diagnostics, join};

/// The lower-case HTTP methods a path item may hold (OpenAPI 3.0 and 3.1).
pub(crate) const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// What a value must be.
#[derive(Clone, Copy)]
enum Kind {
    /// Data (an example, a default, an enum value): anything.
    Any,
    Str,
    Bool,
    Number,
    /// `exclusiveMinimum` is a boolean in 3.0 and a number in 3.1.
    BoolOrNumber,
    /// A list of strings.
    Strs,
    /// `type`: a string, or (3.1) a list of strings.
    StrOrStrs,
    /// An object of a known shape.
    Object(&'static Shape),
    /// An object of a known shape, or a Reference Object.
    RefOr(&'static Shape),
    /// A mapping with free keys (names chosen by the author).
    Map(&'static Kind),
    List(&'static Kind),
    /// A Schema Object, a reference, or (3.1) `true`/`false`.
    Schema,
    /// The Paths Object: keys are path templates.
    Paths,
    /// A Path Item Object: its keys are methods and a few fields.
    PathItem,
    /// The Responses Object: keys are status codes.
    Responses,
}

/// An object OpenAPI defines, with its fields.
struct Shape {
    /// What the object is, for messages ("an operation").
    what: &'static str,
    fields: &'static [(&'static str, Kind)],
}

static INFO: Shape = Shape {
    what: "the Info object",
    fields: &[
        ("title", Kind::Str),
        ("summary", Kind::Str),
        ("description", Kind::Str),
        ("termsOfService", Kind::Str),
        ("contact", Kind::Object(&CONTACT)),
        ("license", Kind::Object(&LICENSE)),
        ("version", Kind::Str),
    ],
};
static CONTACT: Shape = Shape {
    what: "a Contact object",
    fields: &[("name", Kind::Str), ("url", Kind::Str), ("email", Kind::Str)],
};
static LICENSE: Shape = Shape {
    what: "a License object",
    fields: &[("name", Kind::Str), ("identifier", Kind::Str), ("url", Kind::Str)],
};
static SERVER: Shape = Shape {
    what: "a Server object",
    fields: &[
        ("url", Kind::Str),
        ("description", Kind::Str),
        ("variables", Kind::Map(&Kind::Object(&SERVER_VARIABLE))),
    ],
};
static SERVER_VARIABLE: Shape = Shape {
    what: "a Server Variable object",
    fields: &[("enum", Kind::Strs), ("default", Kind::Str), ("description", Kind::Str)],
};
static COMPONENTS: Shape = Shape {
    what: "the Components object",
    fields: &[
        ("schemas", Kind::Map(&Kind::Schema)),
        ("responses", Kind::Map(&Kind::RefOr(&RESPONSE))),
        ("parameters", Kind::Map(&Kind::RefOr(&PARAMETER))),
        ("examples", Kind::Map(&Kind::RefOr(&EXAMPLE))),
        ("requestBodies", Kind::Map(&Kind::RefOr(&REQUEST_BODY))),
        ("headers", Kind::Map(&Kind::RefOr(&HEADER))),
        ("securitySchemes", Kind::Map(&Kind::RefOr(&SECURITY_SCHEME))),
        ("links", Kind::Map(&Kind::RefOr(&LINK))),
        ("callbacks", Kind::Map(&Kind::Map(&Kind::PathItem))),
        ("pathItems", Kind::Map(&Kind::PathItem)),
    ],
};
static OPERATION: Shape = Shape {
    what: "an operation",
    fields: &[
        ("tags", Kind::Strs),
        ("summary", Kind::Str),
        ("description", Kind::Str),
        ("externalDocs", Kind::Object(&EXTERNAL_DOCS)),
        ("operationId", Kind::Str),
        ("parameters", Kind::List(&Kind::RefOr(&PARAMETER))),
        ("requestBody", Kind::RefOr(&REQUEST_BODY)),
        ("responses", Kind::Responses),
        ("callbacks", Kind::Map(&Kind::Map(&Kind::PathItem))),
        ("deprecated", Kind::Bool),
        ("security", Kind::List(&Kind::Map(&Kind::Strs))),
        ("servers", Kind::List(&Kind::Object(&SERVER))),
    ],
};
static EXTERNAL_DOCS: Shape = Shape {
    what: "an External Documentation object",
    fields: &[("description", Kind::Str), ("url", Kind::Str)],
};
static PARAMETER: Shape = Shape {
    what: "a parameter",
    fields: &[
        ("name", Kind::Str),
        ("in", Kind::Str),
        ("description", Kind::Str),
        ("required", Kind::Bool),
        ("deprecated", Kind::Bool),
        ("allowEmptyValue", Kind::Bool),
        ("style", Kind::Str),
        ("explode", Kind::Bool),
        ("allowReserved", Kind::Bool),
        ("schema", Kind::Schema),
        ("example", Kind::Any),
        ("examples", Kind::Map(&Kind::RefOr(&EXAMPLE))),
        ("content", Kind::Map(&Kind::Object(&MEDIA_TYPE))),
    ],
};
static HEADER: Shape = Shape {
    what: "a header",
    fields: &[
        ("description", Kind::Str),
        ("required", Kind::Bool),
        ("deprecated", Kind::Bool),
        ("allowEmptyValue", Kind::Bool),
        ("style", Kind::Str),
        ("explode", Kind::Bool),
        ("allowReserved", Kind::Bool),
        ("schema", Kind::Schema),
        ("example", Kind::Any),
        ("examples", Kind::Map(&Kind::RefOr(&EXAMPLE))),
        ("content", Kind::Map(&Kind::Object(&MEDIA_TYPE))),
    ],
};
static REQUEST_BODY: Shape = Shape {
    what: "a request body",
    fields: &[
        ("description", Kind::Str),
        ("content", Kind::Map(&Kind::Object(&MEDIA_TYPE))),
        ("required", Kind::Bool),
    ],
};
static MEDIA_TYPE: Shape = Shape {
    what: "a Media Type object",
    fields: &[
        ("schema", Kind::Schema),
        ("example", Kind::Any),
        ("examples", Kind::Map(&Kind::RefOr(&EXAMPLE))),
        ("encoding", Kind::Map(&Kind::Object(&ENCODING))),
    ],
};
static ENCODING: Shape = Shape {
    what: "an Encoding object",
    fields: &[
        ("contentType", Kind::Str),
        ("headers", Kind::Map(&Kind::RefOr(&HEADER))),
        ("style", Kind::Str),
        ("explode", Kind::Bool),
        ("allowReserved", Kind::Bool),
    ],
};
static RESPONSE: Shape = Shape {
    what: "a response",
    fields: &[
        ("description", Kind::Str),
        ("headers", Kind::Map(&Kind::RefOr(&HEADER))),
        ("content", Kind::Map(&Kind::Object(&MEDIA_TYPE))),
        ("links", Kind::Map(&Kind::RefOr(&LINK))),
    ],
};
static EXAMPLE: Shape = Shape {
    what: "an Example object",
    fields: &[
        ("summary", Kind::Str),
        ("description", Kind::Str),
        ("value", Kind::Any),
        ("externalValue", Kind::Str),
    ],
};
static LINK: Shape = Shape {
    what: "a Link object",
    fields: &[
        ("operationRef", Kind::Str),
        ("operationId", Kind::Str),
        ("parameters", Kind::Map(&Kind::Any)),
        ("requestBody", Kind::Any),
        ("description", Kind::Str),
        ("server", Kind::Object(&SERVER)),
    ],
};
static TAG: Shape = Shape {
    what: "a tag",
    fields: &[
        ("name", Kind::Str),
        ("description", Kind::Str),
        ("externalDocs", Kind::Object(&EXTERNAL_DOCS)),
    ],
};
static SECURITY_SCHEME: Shape = Shape {
    what: "a security scheme",
    fields: &[
        ("type", Kind::Str),
        ("description", Kind::Str),
        ("name", Kind::Str),
        ("in", Kind::Str),
        ("scheme", Kind::Str),
        ("bearerFormat", Kind::Str),
        ("flows", Kind::Object(&OAUTH_FLOWS)),
        ("openIdConnectUrl", Kind::Str),
    ],
};
static OAUTH_FLOWS: Shape = Shape {
    what: "an OAuth Flows object",
    fields: &[
        ("implicit", Kind::Object(&OAUTH_FLOW)),
        ("password", Kind::Object(&OAUTH_FLOW)),
        ("clientCredentials", Kind::Object(&OAUTH_FLOW)),
        ("authorizationCode", Kind::Object(&OAUTH_FLOW)),
    ],
};
static OAUTH_FLOW: Shape = Shape {
    what: "an OAuth Flow object",
    fields: &[
        ("authorizationUrl", Kind::Str),
        ("tokenUrl", Kind::Str),
        ("refreshUrl", Kind::Str),
        ("scopes", Kind::Map(&Kind::Str)),
    ],
};
static SCHEMA: Shape = Shape {
    what: "a schema",
    fields: &[
        ("title", Kind::Str),
        ("description", Kind::Str),
        ("type", Kind::StrOrStrs),
        ("format", Kind::Str),
        ("nullable", Kind::Bool),
        ("enum", Kind::List(&Kind::Any)),
        ("const", Kind::Any),
        ("default", Kind::Any),
        ("example", Kind::Any),
        ("examples", Kind::Any),
        ("properties", Kind::Map(&Kind::Schema)),
        ("required", Kind::Strs),
        ("additionalProperties", Kind::Schema),
        ("items", Kind::Schema),
        ("allOf", Kind::List(&Kind::Schema)),
        ("oneOf", Kind::List(&Kind::Schema)),
        ("anyOf", Kind::List(&Kind::Schema)),
        ("not", Kind::Schema),
        ("discriminator", Kind::Object(&DISCRIMINATOR)),
        ("multipleOf", Kind::Number),
        ("maximum", Kind::Number),
        ("exclusiveMaximum", Kind::BoolOrNumber),
        ("minimum", Kind::Number),
        ("exclusiveMinimum", Kind::BoolOrNumber),
        ("maxLength", Kind::Number),
        ("minLength", Kind::Number),
        ("pattern", Kind::Str),
        ("maxItems", Kind::Number),
        ("minItems", Kind::Number),
        ("uniqueItems", Kind::Bool),
        ("maxProperties", Kind::Number),
        ("minProperties", Kind::Number),
        ("readOnly", Kind::Bool),
        ("writeOnly", Kind::Bool),
        ("deprecated", Kind::Bool),
        ("xml", Kind::Object(&XML)),
        ("externalDocs", Kind::Object(&EXTERNAL_DOCS)),
        ("contentMediaType", Kind::Str),
        ("contentEncoding", Kind::Str),
        ("$schema", Kind::Str),
        ("$id", Kind::Str),
        ("$anchor", Kind::Str),
        ("$comment", Kind::Str),
        // JSON Schema keywords the generator refuses; normalization reports each one.
        ("$defs", Kind::Any),
        ("$dynamicRef", Kind::Any),
        ("contains", Kind::Any),
        ("dependentRequired", Kind::Any),
        ("dependentSchemas", Kind::Any),
        ("if", Kind::Any),
        ("then", Kind::Any),
        ("else", Kind::Any),
        ("patternProperties", Kind::Any),
        ("prefixItems", Kind::Any),
        ("propertyNames", Kind::Any),
        ("unevaluatedItems", Kind::Any),
        ("unevaluatedProperties", Kind::Any),
    ],
};
static DISCRIMINATOR: Shape = Shape {
    what: "a Discriminator object",
    fields: &[("propertyName", Kind::Str), ("mapping", Kind::Map(&Kind::Str))],
};
static XML: Shape = Shape {
    what: "an XML object",
    fields: &[
        ("name", Kind::Str),
        ("namespace", Kind::Str),
        ("prefix", Kind::Str),
        ("attribute", Kind::Bool),
        ("wrapped", Kind::Bool),
    ],
};
static ROOT: Shape = Shape {
    what: "the document",
    fields: &[
        ("openapi", Kind::Str),
        ("info", Kind::Object(&INFO)),
        ("jsonSchemaDialect", Kind::Str),
        ("servers", Kind::List(&Kind::Object(&SERVER))),
        ("paths", Kind::Paths),
        ("webhooks", Kind::Map(&Kind::PathItem)),
        ("components", Kind::Object(&COMPONENTS)),
        ("security", Kind::List(&Kind::Map(&Kind::Strs))),
        ("tags", Kind::List(&Kind::Object(&TAG))),
        ("externalDocs", Kind::Object(&EXTERNAL_DOCS)),
    ],
};
/// A Path Item's fields besides its methods.
const PATH_ITEM_FIELDS: &[(&str, Kind)] = &[
    ("$ref", Kind::Str),
    ("summary", Kind::Str),
    ("description", Kind::Str),
    ("servers", Kind::List(&Kind::Object(&SERVER))),
    ("parameters", Kind::List(&Kind::RefOr(&PARAMETER))),
];
/// The fields a Reference Object may have beside `$ref` (3.1).
const REFERENCE_FIELDS: &[&str] = &["$ref", "summary", "description"];

/// Checks `doc` (whose top level is a mapping), recording every problem in `diags`.
pub(crate) fn check(doc: &Value, diags: &mut Diagnostics) {
    value(doc, "#", Kind::Object(&ROOT), diags);
    not_generated(doc, diags);
}

/// `webhooks` and `callbacks` describe requests the server sends, so a client has nothing to
/// generate for them; each gets a warning rather than being passed over in silence.
fn not_generated(doc: &Value, diags: &mut Diagnostics) {
    const WHY: &str = "describes requests the server sends; the client generates nothing for it";
    if doc.get("webhooks").is_some() {
        diags.warning("#/webhooks", format!("`webhooks` {WHY}"));
    }
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else { return };
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else { continue };
        for (method, op) in item {
            let Some(method) = method.as_str().filter(|m| METHODS.contains(m)) else { continue };
            if op.get("callbacks").is_some() {
                let pointer = join(&join(&join("#/paths", path), method), "callbacks");
                diags.warning(pointer, format!("`callbacks` {WHY}"));
            }
        }
    }
}

/// The number of operations the raw document declares under `paths`: what the model must hold.
pub(crate) fn operation_count(doc: &Value) -> usize {
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else { return 0 };
    paths
        .values()
        .filter_map(Value::as_mapping)
        .map(|item| item.keys().filter(|k| k.as_str().is_some_and(|k| METHODS.contains(&k))).count())
        .sum()
}

fn value(node: &Value, pointer: &str, kind: Kind, diags: &mut Diagnostics) {
    let node = untagged(node);
    let wrong = |expected: &str, diags: &mut Diagnostics| {
        diags.error(pointer, format!("expected {expected} here, found {}", describe(node)));
    };
    match kind {
        Kind::Any => {}
        Kind::Str if !node.is_string() => wrong("a string", diags),
        Kind::Bool if !node.is_bool() => wrong("true or false", diags),
        Kind::Number if !node.is_number() => wrong("a number", diags),
        Kind::BoolOrNumber if !node.is_bool() && !node.is_number() => wrong("a boolean or a number", diags),
        Kind::Str | Kind::Bool | Kind::Number | Kind::BoolOrNumber => {}
        Kind::Strs | Kind::StrOrStrs => match node {
            Value::String(_) if matches!(kind, Kind::StrOrStrs) => {}
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    value(item, &join(pointer, &i.to_string()), Kind::Str, diags);
                }
            }
            _ => wrong("a list of strings", diags),
        },
        Kind::List(item_kind) => match node {
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    value(item, &join(pointer, &i.to_string()), *item_kind, diags);
                }
            }
            _ => wrong("a list", diags),
        },
        Kind::Object(shape) => {
            if let Some(map) = mapping(node, pointer, shape.what, diags) {
                object(map, pointer, shape, diags);
            }
        }
        Kind::RefOr(shape) => {
            let Some(map) = mapping(node, pointer, shape.what, diags) else { return };
            if map.contains_key("$ref") {
                reference(map, pointer, diags);
            } else {
                object(map, pointer, shape, diags);
            }
        }
        Kind::Schema => schema(node, pointer, diags),
        Kind::Map(item_kind) => {
            let Some(map) = mapping(node, pointer, "a mapping", diags) else { return };
            for (_, child, node) in entries(map, pointer, diags) {
                value(node, &child, *item_kind, diags);
            }
        }
        Kind::Paths => paths(node, pointer, diags),
        Kind::PathItem => path_item(node, pointer, diags),
        Kind::Responses => responses(node, pointer, diags),
    }
}

/// A Schema object, or a 3.1 boolean schema.
fn schema(node: &Value, pointer: &str, diags: &mut Diagnostics) {
    match node {
        // A 3.1 boolean schema, and `additionalProperties: true`.
        Value::Bool(_) => {}
        _ => {
            let Some(map) = mapping(node, pointer, "a schema", diags) else { return };
            // A schema `$ref` may have siblings (3.1, and normalization keeps them in 3.0).
            if let Some(target) = map.get("$ref")
                && !untagged(target).is_string()
            {
                diags.error(
                    join(pointer, "$ref"),
                    format!("a `$ref` must be a string, found {}", describe(target)),
                );
            }
            let fields = entries(map, pointer, diags);
            for (key, child, node) in fields {
                if key == "$ref" {
                    continue;
                }
                field(&key, node, &child, SCHEMA.fields, SCHEMA.what, diags);
            }
        }
    }
}

/// The Paths object: each key a path template, each value a Path Item.
fn paths(node: &Value, pointer: &str, diags: &mut Diagnostics) {
    let Some(map) = mapping(node, pointer, "the Paths object", diags) else { return };
    for (key, child, node) in entries(map, pointer, diags) {
        if key.starts_with("x-") {
            continue;
        }
        if let Err(why) = path_template(&key) {
            diags.error_hint(
                child.clone(),
                format!("`{key}` is not a path template: {why}"),
                "a path starts with `/` and names each parameter once, as `{name}`",
            );
            continue;
        }
        value(node, &child, Kind::PathItem, diags);
    }
}

/// A Path Item object: an operation per lower-case method key, and its other fields.
fn path_item(node: &Value, pointer: &str, diags: &mut Diagnostics) {
    let Some(map) = mapping(node, pointer, "a Path Item object", diags) else { return };
    for (key, child, node) in entries(map, pointer, diags) {
        if METHODS.contains(&key.as_str()) {
            value(node, &child, Kind::Object(&OPERATION), diags);
        } else if METHODS.iter().any(|m| m.eq_ignore_ascii_case(key.trim())) {
            diags.error_hint(
                child,
                format!("`{key}` is not a method key; OpenAPI method keys are lower case"),
                format!("write `{}`", key.trim().to_ascii_lowercase()),
            );
        } else {
            field(&key, node, &child, PATH_ITEM_FIELDS, "a Path Item object", diags);
        }
    }
}

/// The Responses object: each key `default`, a status or a range, each value a Response.
fn responses(node: &Value, pointer: &str, diags: &mut Diagnostics) {
    let Some(map) = mapping(node, pointer, "the Responses object", diags) else { return };
    for (key, child, node) in entries(map, pointer, diags) {
        if key.starts_with("x-") {
            continue;
        }
        if !is_status_key(&key) {
            diags.error_hint(
                child,
                format!("`{key}` is not a response key"),
                "a response key is `default`, a status code such as `200`, or a range such as `2XX`",
            );
            continue;
        }
        value(node, &child, Kind::RefOr(&RESPONSE), diags);
    }
}

/// Checks the fields of an object against `shape`.
fn object(map: &Mapping, pointer: &str, shape: &Shape, diags: &mut Diagnostics) {
    for (key, child, node) in entries(map, pointer, diags) {
        field(&key, node, &child, shape.fields, shape.what, diags);
    }
}

/// Checks one field of an object whose fields are `fields`.
fn field(
    key: &str,
    node: &Value,
    pointer: &str,
    fields: &[(&str, Kind)],
    what: &str,
    diags: &mut Diagnostics,
) {
    if key.starts_with("x-") {
        return;
    }
    match fields.iter().find(|(name, _)| *name == key) {
        Some((_, kind)) => value(node, pointer, *kind, diags),
        None => {
            let message = format!("`{key}` is not a field of {what}");
            match suggestion(key, fields.iter().map(|(name, _)| *name)) {
                Some(name) => diags.error_hint(pointer, message, format!("did you mean `{name}`?")),
                None => diags.error_hint(pointer, message, "extensions start with `x-`"),
            }
        }
    }
}

/// Checks a Reference Object: a string `$ref`, and nothing beside it but a summary and a description.
fn reference(map: &Mapping, pointer: &str, diags: &mut Diagnostics) {
    for (key, child, node) in entries(map, pointer, diags) {
        if key == "$ref" {
            if !untagged(node).is_string() {
                diags.error(child, format!("a `$ref` must be a string, found {}", describe(node)));
            }
        } else if !REFERENCE_FIELDS.contains(&key.as_str()) && !key.starts_with("x-") {
            diags.error_hint(
                child,
                format!("`{key}` is not a field of a reference"),
                "a reference has `$ref`, and at most `summary` and `description` beside it",
            );
        }
    }
}

fn mapping<'v>(node: &'v Value, pointer: &str, what: &str, diags: &mut Diagnostics) -> Option<&'v Mapping> {
    match node {
        Value::Mapping(map) => Some(map),
        other => {
            diags.error(pointer, format!("expected {what} (a mapping) here, found {}", describe(other)));
            None
        }
    }
}

/// A mapping's entries as text keys with their pointers. A key that is not text, or that is a
/// twin of another once written as text (`200` and `'200'`), is reported and left out.
fn entries<'v>(map: &'v Mapping, pointer: &str, diags: &mut Diagnostics) -> Vec<(String, String, &'v Value)> {
    let mut out: Vec<(String, String, &Value)> = Vec::with_capacity(map.len());
    let mut seen = std::collections::BTreeSet::new();
    for (key, node) in map {
        let text = match untagged(key) {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                diags.error(pointer, format!("a key must be text, found {}", describe(other)));
                continue;
            }
        };
        let child = join(pointer, &text);
        if !seen.insert(text.clone()) {
            diags.error_hint(
                child,
                format!("the key `{text}` appears twice (once as a number, once as text)"),
                "keep one of them",
            );
            continue;
        }
        out.push((text, child, node));
    }
    out
}

fn untagged(node: &Value) -> &Value {
    match node {
        Value::Tagged(tagged) => untagged(&tagged.value),
        other => other,
    }
}

fn describe(node: &Value) -> &'static str {
    match untagged(node) {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Whether `key` is a key of the Responses object: `default`, `100`–`599`, or `1XX`–`5XX`.
fn is_status_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    key == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && ((bytes[1].is_ascii_digit() && bytes[2].is_ascii_digit()) || &bytes[1..] == b"XX"))
}

/// Checks a path template: it starts with `/`, and each `{` closes with `}` around a name that
/// holds no brace.
fn path_template(path: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') {
        return Err("it does not start with `/`");
    }
    let mut open = false;
    let mut name_len = 0;
    for c in path.chars() {
        match (c, open) {
            ('{', true) => return Err("`{` inside a parameter name"),
            ('{', false) => (open, name_len) = (true, 0),
            ('}', false) => return Err("`}` without an opening `{`"),
            ('}', true) if name_len == 0 => return Err("an empty parameter name `{}`"),
            ('}', true) => open = false,
            (_, true) => name_len += 1,
            (_, false) => {}
        }
    }
    if open { Err("a `{` that is never closed") } else { Ok(()) }
}

/// The field `key` probably meant: the same letters in another case, or one edit away.
fn suggestion<'f>(key: &str, fields: impl Iterator<Item = &'f str>) -> Option<&'f str> {
    // Long keys are not typos of short field names; this also bounds the edit distance's cost.
    if key.len() > 40 {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for name in fields {
        let distance = if name.eq_ignore_ascii_case(key) { 0 } else { edit_distance(key, name) };
        if distance <= 2 && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, name));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb { previous } else { 1 + previous.min(row[j]).min(current) };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> String {
        let doc: Value = serde_yaml::from_str(yaml).expect("test YAML");
        let mut diags = Diagnostics::default();
        check(&doc, &mut diags);
        diags.to_string()
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_clean_document_has_no_problems() {
        let doc = format!(
            "{HEAD}paths:\n  /a/{{id}}:\n    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n    get:\n      responses:\n        200: {{description: ok}}\n        4XX: {{description: no}}\n        default: {{$ref: '#/components/responses/r'}}\ncomponents:\n  responses:\n    r: {{description: r}}\n  schemas:\n    s: {{type: [string, 'null'], x-note: 1}}\n"
        );
        assert_eq!(problems(&doc), "");
    }

    #[test]
    fn unknown_keys_are_located_with_a_suggestion() {
        let doc = format!("{HEAD}paths:\n  /a:\n    get:\n      requestbody: {{}}\n      responses: {{}}\n");
        let found = problems(&doc);
        assert!(
            found.contains("#/paths/~1a/get/requestbody: `requestbody` is not a field of an operation"),
            "{found}"
        );
        assert!(found.contains("did you mean `requestBody`?"), "{found}");
    }

    #[test]
    fn methods_statuses_and_paths_are_compared_as_the_spec_defines_them() {
        let doc = format!(
            "{HEAD}paths:\n  /a:\n    GET: {{responses: {{}}}}\n  b: {{}}\n  /c/{{{{id}}}}: {{}}\n  /d:\n    get:\n      responses:\n        2OO: {{description: x}}\n        '200': {{description: x}}\n        200: {{description: y}}\n"
        );
        let found = problems(&doc);
        for expected in [
            "#/paths/~1a/GET: `GET` is not a method key",
            "#/paths/b: `b` is not a path template: it does not start with `/`",
            "#/paths/~1c~1{{id}}: `/c/{{id}}` is not a path template: `{` inside a parameter name",
            "#/paths/~1d/get/responses/2OO: `2OO` is not a response key",
            "#/paths/~1d/get/responses/200: the key `200` appears twice",
        ] {
            assert!(found.contains(expected), "{expected} not in:\n{found}");
        }
    }

    #[test]
    fn every_wrong_kind_is_reported_in_one_run() {
        let doc = format!(
            "{HEAD}paths:\n  /a: {{get: {{responses: 5}}}}\n  /b: {{get: {{responses: 5}}}}\ncomponents:\n  schemas:\n    s: {{$ref: 5}}\n    t: {{required: true}}\n"
        );
        let found = problems(&doc);
        assert_eq!(found.lines().count(), 4, "{found}");
        assert!(
            found.contains("#/components/schemas/s/$ref: a `$ref` must be a string, found a number"),
            "{found}"
        );
        assert!(found.contains("#/components/schemas/t/required: expected a list of strings"), "{found}");
    }

    #[test]
    fn webhooks_and_callbacks_are_named_as_not_generated() {
        let doc = format!(
            "{HEAD}paths:\n  /a:\n    post:\n      responses: {{}}\n      callbacks: {{done: {{}}}}\nwebhooks: {{}}\n"
        );
        let found = problems(&doc);
        assert!(
            found.contains("warning: #/paths/~1a/post/callbacks: `callbacks` describes requests"),
            "{found}"
        );
        assert!(found.contains("warning: #/webhooks: `webhooks` describes requests"), "{found}");
    }

    #[test]
    fn suggestions_are_close_names_only() {
        let fields = ["properties", "required", "items"].into_iter();
        assert_eq!(suggestion("Properties", fields.clone()), Some("properties"));
        assert_eq!(suggestion("item", fields.clone()), Some("items"));
        assert_eq!(suggestion("colour", fields), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
