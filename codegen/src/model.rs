//! The intermediate model between the spec and the tokens: what the emitters see.
//!
//! Lowering builds it from `openapiv3`; emitters read it and never see `openapiv3`. Every name in
//! it is final: a valid, unique Rust identifier.

/// Everything the generated crate is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`: the API version the client pins (`Intercom-Version`).
    pub api_version: String,
    /// Lowercase hex SHA-256 of the spec text, named in every generated file's header.
    pub spec_sha256: String,
    /// The servers the spec lists, in spec order.
    pub servers: Vec<Server>,
    /// The header that carries the API version. The client sends it on every request, so
    /// lowering drops the operations' own declarations of it.
    pub version_header: String,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operation groups, sorted by module name.
    pub tags: Vec<Tag>,
    /// The JSON pointers of operations left out because they cannot be generated (only with
    /// `Options::partial`; each has a warning saying why).
    pub skipped: Vec<String>,
}

/// One entry of `servers`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The base URL, without a trailing slash.
    pub url: String,
    /// What the spec says of it.
    pub description: Option<String>,
}

/// A group of operations, one module and one handle type in the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The tag as the spec spells it.
    pub wire: String,
    /// The module name (`data_events`), also the accessor on `Client`.
    pub module: String,
    /// The handle type (`DataEvents`).
    pub handle: String,
    /// The tag's description.
    pub doc: Option<String>,
    /// Operations, in spec order.
    pub operations: Vec<Operation>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// The JSON pointer of the schema it comes from.
    pub pointer: String,
    /// Documentation from the spec (title and description).
    pub doc: Option<String>,
    /// The shape.
    pub kind: TypeKind,
    /// Whether values of it are sent: a request's parameters or body reach it, or no operation
    /// does. A type that is only received is `#[non_exhaustive]`, so a property the API adds is
    /// no breaking change.
    pub sent: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum that also keeps values it does not know.
    Enum(StringEnum),
    /// A `oneOf`/`anyOf` of several shapes.
    Union(Union),
    /// A name for another type (`pub type X = Y;`).
    Alias(TypeRef),
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Declared properties, in spec order, other than the constants.
    pub fields: Vec<Field>,
    /// Properties fixed to one value: not fields, written by the type itself.
    pub constants: Vec<Constant>,
    /// The value type of `additionalProperties`, kept beside the fields.
    pub additional: Option<TypeRef>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (`type_`, `pt_br`).
    pub name: String,
    /// The JSON name (`type`, `pt-BR`).
    pub wire: String,
    /// The value type, without the `Option` that `required`/`nullable` add.
    pub ty: TypeRef,
    /// Whether the property is in `required`.
    pub required: bool,
    /// Whether the value may be `null`.
    pub nullable: bool,
    /// Whether the table's evidence says every response carries it: it is then required and
    /// never `null`, and a response without it is a decode error rather than a default.
    pub always_sent: bool,
    /// Whether the Rust field tells an absent property from a null one (`Nullable<T>`): an
    /// optional, nullable property of a type that is sent, so a request can clear a value.
    pub clearable: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// The spec's example value of an inline schema, for the usage examples in the docs.
    pub example: Option<serde_json::Value>,
}

impl Field {
    /// Whether the Rust field is an `Option`: absent or null values must decode.
    pub fn optional(&self) -> bool {
        !self.always_sent && (!self.required || self.nullable)
    }
}

/// A property that allows exactly one string value (`type: admin`, a union branch's
/// `message_type`). The caller never sets it: encoding writes the value, and decoding accepts it
/// absent or equal, keeping any other value among the undeclared keys, which encoding writes
/// back in the constant's place. An optional constant of
/// a type that is only received is written back only when it came in (it is kept among the
/// undeclared keys), so a response encodes as it was received.
#[derive(Debug, Clone, PartialEq)]
pub struct Constant {
    /// The JSON name.
    pub wire: String,
    /// The one value.
    pub value: String,
    /// Whether the property is in `required`.
    pub required: bool,
}

impl Constant {
    /// Whether the struct writes the constant itself rather than as it came in: always in a
    /// type that is sent, and when required.
    pub fn always_written(&self, sent: bool) -> bool {
        sent || self.required
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Known values, in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One known value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire: String,
}

/// A union of shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The branches, in the order they are tried when decoding.
    pub variants: Vec<UnionVariant>,
    /// The property that tells the branches apart, when each branch fixes it to one value.
    pub tag: Option<String>,
}

/// One branch of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The branch's type.
    pub ty: TypeRef,
    /// The values of the union's tag property that select this branch (empty when untagged).
    pub tag_values: Vec<String>,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// An integer count of seconds since the Unix epoch (`i64`).
    UnixTime,
    /// Any JSON value.
    Json,
    /// A named type; `boxed` when it is part of a cycle that needs indirection.
    Named {
        /// The type's Rust name.
        name: String,
        /// Whether the use is behind a `Box`.
        boxed: bool,
    },
    /// A value that may be `null`, where no field can say so (array items, map values).
    Option(Box<TypeRef>),
    /// A JSON array.
    Vec(Box<TypeRef>),
    /// A JSON object used as a map from strings.
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// A use of the named type `name`.
    pub fn named(name: impl Into<String>) -> Self {
        TypeRef::Named { name: name.into(), boxed: false }
    }
}

/// An HTTP method of an operation: the eight keys of an OpenAPI path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// The method of a path item's key (`get`, …), or `None` for another key.
    pub fn of_key(key: &str) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// The method as HTTP spells it (`GET`), which is also the name of `reqwest::Method`'s constant.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One API operation: one builder type and one method on its tag's handle.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or the name derived from method and path when the spec has none.
    pub id: String,
    /// The method name (`list_contacts`).
    pub fn_name: String,
    /// The builder type's name, from the method's (`List` for `contacts().list()`), unique in
    /// its tag's module.
    pub builder: String,
    /// The HTTP method, uppercase.
    pub method: Method,
    /// The path template (`/contacts/{id}`).
    pub path: String,
    /// The path template split into literals and parameters.
    pub segments: Vec<PathSegment>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Parameters other than the version header, path ones first in template order.
    pub params: Vec<Param>,
    /// The JSON request body.
    pub body: Option<Body>,
    /// What a successful response holds.
    pub success: Success,
    /// Documented error statuses with their descriptions.
    pub errors: Vec<(Status, Option<String>)>,
    /// When the client may send the request again after a failure.
    pub retry: Retry,
    /// How the operation's pages follow one another, when the pagination table lists it.
    pub paging: Option<Paging>,
    /// The JSON pointer of the operation.
    pub pointer: String,
}

/// How a paginated operation walks its pages, checked against the spec's types.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The style, from the pagination table.
    pub style: crate::pagination::PageStyle,
    /// The index in `Operation::params` of the query parameter that carries the cursor, page
    /// number or scroll parameter; `None` for the search and next-URL styles.
    pub cursor_param: Option<usize>,
    /// Whether the success type is an `Option` (a nullable response schema).
    pub page_optional: bool,
    /// The fields from the page to its items array.
    pub items_path: Vec<ItemsStep>,
    /// The type of one item.
    pub item: TypeRef,
}

/// One field on the way from a page to its items.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemsStep {
    /// The Rust field name.
    pub field: String,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
}

/// When a failed request may be sent again. Intercom has no idempotency keys, so this follows
/// from the method, and from the pagination table: a search only reads, and a scroll page moves
/// the scroll on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// GET, PUT, DELETE, HEAD, OPTIONS, and searches (POSTs that only read): repeating has the
    /// same effect as sending once.
    Idempotent,
    /// POST, PATCH: retried only when the server cannot have acted (429, or no connection).
    UnsafeToRepeat,
    /// A scroll page: retried only when the server cannot have acted. Any other failure ends the
    /// scroll, since a page asked for again may have moved the scroll past one.
    ServerUntouched,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// The value of the path parameter at this index of `Operation::params`.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A segment of the path, percent-encoded.
    Path,
    /// A query string pair (or several, for an exploded object).
    Query,
    /// A request header.
    Header,
}

impl ParamLocation {
    /// The location as OpenAPI's `in` spells it (`path`, `query`, `header`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust name.
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// The value type.
    pub ty: TypeRef,
    /// Required parameters are arguments of the method; optional ones are builder setters.
    pub required: bool,
    /// A path parameter that the spec declares `in: query`: it is sent in both places, since
    /// the path template names it and the declaration says the query has it.
    pub also_in_query: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// The spec's example value, for the usage example in the method's docs.
    pub example: Option<serde_json::Value>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// What the body is and how it is encoded.
    pub kind: BodyKind,
    /// The media type sent in `Content-Type` (for a form, without its boundary).
    pub content_type: String,
    /// Required bodies are arguments of the method; optional ones are a builder setter.
    pub required: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
    /// The spec's first example of the body, for the usage example in the method's docs.
    pub example: Option<serde_json::Value>,
}

impl Body {
    /// The type of a JSON body; `None` for the other kinds.
    pub fn json(&self) -> Option<&TypeRef> {
        match &self.kind {
            BodyKind::Json(ty) => Some(ty),
            _ => None,
        }
    }
}

/// The kinds of request body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `…+json`), encoded from this type.
    Json(TypeRef),
    /// Text (`text/plain` and other `text/*`), sent as a `String`.
    Text,
    /// Any other single media type (`application/octet-stream`, `image/png`), sent as bytes.
    Bytes,
    /// `multipart/form-data`: a form struct that the operation's module defines.
    Form(Form),
}

/// A `multipart/form-data` body: one part per property of its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The struct's name (`UploadFileForm`), unique among the crate's types.
    pub name: String,
    /// The properties, in spec order.
    pub fields: Vec<FormField>,
}

/// One property of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// The Rust field name.
    pub name: String,
    /// The part's name on the wire.
    pub wire: String,
    /// What the part holds.
    pub value: FormValue,
    /// Whether the property is required: a constructor argument, and never left out.
    pub required: bool,
    /// Documentation from the spec.
    pub doc: Option<String>,
}

/// What one form part holds.
#[derive(Debug, Clone, PartialEq)]
pub enum FormValue {
    /// A file (`type: string, format: binary`): bytes with a file name and a media type.
    File,
    /// Several files under one name (an array of binary strings).
    Files,
    /// A value: scalars are sent as their text, lists of scalars as one part per item, and
    /// anything else as JSON.
    Value(TypeRef),
}

/// A response key of an operation: a status code, a class of them (`4XX`), or `default`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// Every code of a class: `Range(4)` is `4XX`.
    Range(u16),
    /// `default`: any status the others do not name.
    Default,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

/// The successful outcome of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// The documented status (`200`, `202`, `default`).
    pub status: Status,
    /// The media type to ask for in `Accept`.
    pub accept: String,
    /// What the body holds.
    pub payload: Payload,
}

/// What a successful response body holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// JSON, decoded into this type.
    Json(TypeRef),
    /// Nothing (or nothing worth reading).
    Empty,
    /// Text, returned as a `String`.
    Text,
    /// Raw bytes, returned as they came.
    Binary,
    /// A different body for each success status: an enum, with one variant per status, that
    /// the operation's module defines.
    ByStatus(StatusBodies),
}

/// The success bodies of an operation whose success statuses answer with different bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusBodies {
    /// The enum's name (`CreateExportResponse`), unique among the crate's types.
    pub name: String,
    /// One variant per documented success status, exact codes before ranges.
    pub variants: Vec<StatusBody>,
}

/// One success status and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusBody {
    /// `200`, `202` or a range such as `2XX`.
    pub status: Status,
    /// The variant name (`Ok`, `Accepted`, `Status207`).
    pub name: String,
    /// The body: JSON into a type, or nothing.
    pub ty: Option<TypeRef>,
    /// The response's description.
    pub doc: Option<String>,
}

impl Operation {
    /// The types of what the operation sends: its parameters and its body.
    pub fn sent_types(&self) -> Vec<&TypeRef> {
        let mut types: Vec<&TypeRef> = self.params.iter().map(|p| &p.ty).collect();
        if let Some(body) = &self.body {
            match &body.kind {
                BodyKind::Json(ty) => types.push(ty),
                BodyKind::Form(form) => types.extend(form.fields.iter().filter_map(|f| match &f.value {
                    FormValue::Value(ty) => Some(ty),
                    FormValue::File | FormValue::Files => None,
                })),
                BodyKind::Text | BodyKind::Bytes => {}
            }
        }
        types
    }

    /// The types of what the operation receives: its success bodies.
    pub fn received_types(&self) -> Vec<&TypeRef> {
        match &self.success.payload {
            Payload::Json(ty) => vec![ty],
            Payload::ByStatus(bodies) => bodies.variants.iter().filter_map(|v| v.ty.as_ref()).collect(),
            Payload::Empty | Payload::Text | Payload::Binary => Vec::new(),
        }
    }
}

/// The named types by name, for the passes that follow `TypeRef::Named` uses.
pub type TypeIndex<'a> = std::collections::BTreeMap<&'a str, &'a TypeDef>;

/// The index of `types` by name.
pub fn index(types: &[TypeDef]) -> TypeIndex<'_> {
    types.iter().map(|t| (t.name.as_str(), t)).collect()
}

/// The names of the types `roots` refer to, directly or through fields, branches and aliases.
pub fn reachable<'a>(
    types: &TypeIndex<'a>,
    mut pending: Vec<&'a TypeRef>,
) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    // Each name is expanded once, so the walk ends after at most one step per type use.
    while let Some(ty) = pending.pop() {
        let Some(name) = named_in(ty) else { continue };
        if !seen.insert(name.to_owned()) {
            continue;
        }
        match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => {
                pending.extend(s.fields.iter().map(|f| &f.ty));
                pending.extend(s.additional.iter());
            }
            Some(TypeKind::Union(u)) => pending.extend(u.variants.iter().map(|v| &v.ty)),
            Some(TypeKind::Alias(target)) => pending.push(target),
            Some(TypeKind::Enum(_)) | None => {}
        }
    }
    seen
}

/// The named type inside a use, through `Option`, `Vec` and maps.
fn named_in(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named { name, .. } => Some(name),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner),
        _ => None,
    }
}

/// The struct a type use names, through any aliases; `None` for anything else. A chain of
/// aliases is at most as long as the list of types; a longer one is a cycle (reported by
/// lowering), so the walk stops there.
pub fn struct_of<'t>(
    ty: &TypeRef,
    types: &std::collections::BTreeMap<&str, &'t TypeDef>,
) -> Option<&'t Struct> {
    let mut ty = ty;
    for _ in 0..=types.len() {
        let TypeRef::Named { name, .. } = ty else { return None };
        match &types.get(name.as_str())?.kind {
            TypeKind::Struct(s) => return Some(s),
            TypeKind::Alias(target) => ty = target,
            _ => return None,
        }
    }
    None
}

/// Whether a media type (`application/json; charset=utf-8`, `application/problem+json`) is JSON.
pub fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}
