//! Lower: `openapiv3` → the model in [`crate::model`].
//!
//! Component names are reserved before any schema is converted, so forward and cyclic `$ref`s
//! resolve by name; inline schemas are hoisted under names derived from where they sit.

mod cycles;
mod flat;
mod ids;
mod ops;
mod paging;
mod usage;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema};

use crate::diag::{Diagnostics, join};
use crate::model::{
    Api, Constant, EnumVariant, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use crate::names::{self, Scope};
use crate::options::{DanglingRefs, Options};
use crate::pagination::{Evidence, JsonKind};
use flat::{Flat, JsonType};

const SCHEMAS: &str = "#/components/schemas/";

/// Lowers a loaded spec into the model, or records why it cannot.
pub(crate) fn lower(spec: &OpenAPI, spec_sha256: String, options: &Options, diags: &mut Diagnostics) -> Api {
    let mut lowerer = Lowerer::new(spec, options);
    lowerer.reserve_components();
    lowerer.absorb_parts();
    lowerer.lower_components();
    let (mut tags, skipped) = ops::lower_operations(&mut lowerer);
    ids::unify(&mut tags);
    lowerer.unused_table_types();
    lowerer.unused_evidence();
    let mut types: Vec<TypeDef> = std::mem::take(&mut lowerer.types).into_values().collect();
    cycles::box_cycles(&mut types);
    cycles::alias_cycles(&types, &mut lowerer.diags);
    usage::mark(&tags, &mut types);
    diags.extend(std::mem::take(&mut lowerer.diags));
    paging::apply(&options.pagination, &mut tags, &types, diags);
    Api {
        title: spec.info.title.clone(),
        api_version: spec.info.version.clone(),
        spec_sha256,
        servers: spec
            .servers
            .iter()
            .map(|s| crate::model::Server {
                url: s.url.trim_end_matches('/').to_owned(),
                description: s.description.clone(),
            })
            .collect(),
        version_header: ops::VERSION_HEADER.to_owned(),
        types,
        tags,
        skipped,
    }
}

/// A schema as it appears in a property, an item or a branch: by reference or inline.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SchemaRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Inline(s),
        }
    }
}

/// How a schema that becomes a named type gets its name.
#[derive(Clone, Debug)]
pub(crate) enum Naming {
    /// A component: the name is already reserved for exactly this schema.
    Fixed(String),
    /// An inline schema: this name, or a suffixed one if taken.
    Suggest(String),
}

impl Naming {
    fn base(&self) -> &str {
        match self {
            Naming::Fixed(n) | Naming::Suggest(n) => n,
        }
    }
}

/// The result of lowering a schema: its type and whether `null` is a valid value.
#[derive(Debug, Clone)]
pub(crate) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Lowered { ty, nullable: false }
    }

    /// The type, wrapped in `Option` when null is allowed: for places (array items, map values)
    /// that have no field to carry nullability.
    fn into_nullable_type(self) -> TypeRef {
        if self.nullable && self.ty != TypeRef::Json { TypeRef::Option(Box::new(self.ty)) } else { self.ty }
    }
}

/// What a component schema is known as.
struct Component {
    name: String,
    nullable: bool,
}

/// The properties collected for one object, across `allOf` parts.
#[derive(Default, Clone)]
struct ObjectParts<'a> {
    fields: Vec<(String, SchemaRef<'a>, String)>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, String)>,
    /// Properties the description lacks that the table's evidence adds: name, type, pointer.
    evident: Vec<(String, TypeRef, String)>,
}

/// The Rust type of values of a JSON type an `[evidence]` line gives.
fn kind_type(kind: JsonKind) -> TypeRef {
    match kind {
        JsonKind::String => TypeRef::String,
        JsonKind::Integer => TypeRef::I64,
        JsonKind::Number => TypeRef::F64,
        JsonKind::Boolean => TypeRef::Bool,
        JsonKind::Object => TypeRef::Json,
        JsonKind::Array => TypeRef::Vec(Box::new(TypeRef::Json)),
    }
}

pub(crate) struct Lowerer<'a> {
    pub spec: &'a OpenAPI,
    options: &'a Options,
    pub diags: Diagnostics,
    pub type_scope: Scope,
    components: BTreeMap<String, Component>,
    types: BTreeMap<String, TypeDef>,
    /// Components whose only use is as an `allOf` part, by pointer, with the name each keeps
    /// for the types inside it (see [`absorbed_parts`]); they are not types of their own.
    absorbed: BTreeMap<String, String>,
    /// The pointers of inline schemas that take the name of the component they absorb.
    absorber_names: BTreeMap<String, String>,
    /// The indices of the table's `[types]` lines that named a schema.
    table_types_used: BTreeSet<usize>,
    /// The indices of the table's `[evidence]` lines that applied to something.
    evidence_used: BTreeSet<usize>,
    /// What each schema that became a named type was lowered to, by pointer.
    lowered_at: BTreeMap<String, Lowered>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI, options: &'a Options) -> Self {
        Lowerer {
            spec,
            options,
            diags: Diagnostics::default(),
            type_scope: Scope::default(),
            components: BTreeMap::new(),
            types: BTreeMap::new(),
            absorbed: BTreeMap::new(),
            absorber_names: BTreeMap::new(),
            table_types_used: BTreeSet::new(),
            evidence_used: BTreeSet::new(),
            lowered_at: BTreeMap::new(),
        }
    }

    /// Finds the components that are used only as `allOf` parts (see [`absorbed_parts`]): the
    /// schemas that merge one are its only uses, so a type of its own would be an unused twin
    /// (`CreateTicketRequest` beside `CreateTicketRequest2`). The first inline schema that
    /// absorbs one, by pointer, takes its name.
    fn absorb_parts(&mut self) {
        let Ok(document) = serde_json::to_value(self.spec) else { return };
        for (key, parents) in absorbed_parts(&document) {
            let Some(component) = self.components.get(&key) else { continue };
            if let Some(parent) = parents.into_iter().find(|p| !p.starts_with(SCHEMAS)) {
                self.absorber_names.insert(parent, component.name.clone());
            }
            self.absorbed.insert(component_pointer(&key), component.name.clone());
        }
    }

    fn component_schemas(&self) -> impl Iterator<Item = (&'a String, &'a ReferenceOr<Schema>)> + use<'a> {
        self.spec.components.iter().flat_map(|c| c.schemas.iter())
    }

    /// Reserves a type name for every component. Keys that are already plain identifiers claim
    /// their name first, so `ticket_type` is `TicketType` and `ticket.type` gets the suffix.
    fn reserve_components(&mut self) {
        let mut keys: Vec<(&String, &ReferenceOr<Schema>)> = self.component_schemas().collect();
        // Names the table gives claim theirs before any derived one.
        let table = &self.options.pagination.types;
        keys.sort_by_key(|(key, _)| {
            let named = table.iter().any(|e| e.pointer == component_pointer(key));
            let plain = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            (!named, !plain, (*key).clone())
        });
        for (key, schema) in keys {
            let pointer = component_pointer(key);
            let name = match self.table_name(&pointer) {
                Some(name) => name,
                None => self.type_scope.claim(&names::type_name(key)),
            };
            let nullable = match schema {
                ReferenceOr::Item(s) => Flat::of(s).nullable,
                ReferenceOr::Reference { .. } => false,
            };
            self.components.insert(key.clone(), Component { name, nullable });
        }
    }

    fn lower_components(&mut self) {
        for (key, schema) in self.component_schemas() {
            let pointer = component_pointer(key);
            if self.absorbed.contains_key(&pointer) {
                continue;
            }
            let Some(name) = self.components.get(key).map(|c| c.name.clone()) else { continue };
            let lowered = self.lower_ref_or(schema.into(), Naming::Fixed(name.clone()), &pointer);
            if lowered.ty == TypeRef::named(name.clone()) && !self.types.contains_key(&name) {
                // `A: {$ref: A}` (or `allOf: [$ref: A]`) names itself and never says what it is.
                self.diags.error(pointer, format!("the schema `{key}` is only a reference to itself"));
            } else if lowered.ty != TypeRef::named(name.clone()) {
                let doc = match schema {
                    ReferenceOr::Item(s) => doc_of(&Flat::of(s)),
                    ReferenceOr::Reference { .. } => None,
                };
                self.types.insert(
                    name.clone(),
                    TypeDef { name, pointer, doc, kind: TypeKind::Alias(lowered.ty), sent: true },
                );
            }
        }
    }

    /// Whether a value of this schema must hold something: a `required` list of its own or of an
    /// `allOf` part, `anyOf`/`oneOf` branches (a union, or rules that each require a property).
    /// Unresolvable references say no here; lowering reports them.
    pub(super) fn requires_content(&self, schema: SchemaRef<'a>, depth: usize) -> bool {
        let schema = match schema {
            SchemaRef::Inline(schema) => schema,
            SchemaRef::Ref(reference) => {
                match self.find_component(reference) {
                    // Alias chains are followed a bounded number of steps, so a cycle cannot loop.
                    Some((_, next)) if depth < 32 => return self.requires_content(next.into(), depth + 1),
                    _ => return false,
                }
            }
        };
        let flat = Flat::of(schema);
        !flat.required.is_empty()
            || !flat.one_of.is_empty()
            || !flat.any_of.is_empty()
            || (depth < 32 && flat.all_of.iter().any(|part| self.requires_content(part.into(), depth + 1)))
    }

    /// The component a `$ref` points to, if there is one.
    fn find_component(&self, reference: &str) -> Option<(&'a String, &'a ReferenceOr<Schema>)> {
        let key = crate::diag::component_key(reference, "schemas")?;
        self.component_schemas().find(|(k, _)| **k == key)
    }

    /// The schema itself, following references a bounded number of steps; `None` when a
    /// reference does not resolve (reported where the schema is lowered).
    fn schema_of(&self, schema: SchemaRef<'a>) -> Option<&'a Schema> {
        let mut current = schema;
        for _ in 0..16 {
            match current {
                SchemaRef::Inline(schema) => return Some(schema),
                SchemaRef::Ref(reference) => match self.find_component(reference)?.1 {
                    ReferenceOr::Item(schema) => current = SchemaRef::Inline(schema),
                    ReferenceOr::Reference { reference } => current = SchemaRef::Ref(reference),
                },
            }
        }
        None
    }

    /// The `type` a schema declares, following references; `None` when it declares none or a
    /// reference does not resolve (reported where the schema is lowered).
    fn declared_type(&self, schema: SchemaRef<'a>) -> Option<JsonType> {
        Flat::of(self.schema_of(schema)?).typ
    }

    /// Finds the component a `$ref` points to, or records why not.
    fn resolve(&mut self, reference: &str, pointer: &str) -> Option<(&'a String, &'a ReferenceOr<Schema>)> {
        let found = self.find_component(reference);
        if found.is_none() {
            if !reference.starts_with(SCHEMAS) {
                self.diags.error_hint(
                    pointer,
                    format!("the `$ref` `{reference}` does not point into #/components/schemas"),
                    "only references to component schemas are supported in schemas",
                );
            } else {
                match self.options.dangling_refs {
                    DanglingRefs::Error => self.diags.error_hint(
                        pointer,
                        format!("the `$ref` `{reference}` points to a schema that does not exist"),
                        "define the schema, or pass --allow-dangling-refs to read such values as untyped JSON",
                    ),
                    DanglingRefs::Json => self.diags.warning(
                        pointer,
                        format!("the `$ref` `{reference}` points to a schema that does not exist; its values are read as untyped JSON"),
                    ),
                }
            }
        }
        found
    }

    pub(crate) fn lower_ref_or(&mut self, schema: SchemaRef<'a>, naming: Naming, pointer: &str) -> Lowered {
        match schema {
            SchemaRef::Ref(reference) => match self.resolve(reference, pointer) {
                Some((key, _)) => {
                    let c = &self.components[key];
                    Lowered { ty: TypeRef::named(c.name.clone()), nullable: c.nullable }
                }
                None => Lowered { ty: TypeRef::Json, nullable: true },
            },
            SchemaRef::Inline(schema) => self.lower_schema(schema, naming, pointer),
        }
    }

    /// The name of the type of the schema at `pointer`: fixed (a component's), or the table's
    /// name for the pointer, or the suggestion, made unique.
    fn claim(&mut self, naming: &Naming, pointer: &str) -> String {
        match naming {
            Naming::Fixed(name) => name.clone(),
            Naming::Suggest(name) => match self.table_name(pointer) {
                Some(name) => name,
                None => self.type_scope.claim(name),
            },
        }
    }

    /// The name the table's `[types]` section gives the schema at `pointer`, claimed, the first
    /// time the schema is named (a schema merged into several union branches is named once).
    fn table_name(&mut self, pointer: &str) -> Option<String> {
        let types = &self.options.pagination.types;
        let i = types.iter().position(|e| e.pointer == pointer)?;
        if !self.table_types_used.insert(i) {
            return None;
        }
        let entry = &types[i];
        if names::type_name(&entry.name) != entry.name {
            self.diags.error_hint(
                &entry.location,
                format!("`{}` is not a type name", entry.name),
                format!("write a CamelCase identifier, such as `{}`", names::type_name(&entry.name)),
            );
            return None;
        }
        let claimed = self.type_scope.claim(&entry.name);
        if claimed != entry.name {
            self.diags
                .error(&entry.location, format!("`{}` is already the name of another type", entry.name));
        }
        Some(claimed)
    }

    /// Whether an `[evidence]` line says `fact`; the line is then used.
    pub(crate) fn evidence(&mut self, says: impl Fn(&Evidence) -> bool) -> bool {
        let lines = &self.options.pagination.evidence;
        let Some(i) = lines.iter().position(|e| says(&e.fact)) else { return false };
        self.evidence_used.insert(i);
        true
    }

    /// Reports the `[evidence]` lines that applied to nothing: a property no struct has, or an
    /// operation the spec lacks or whose success body cannot be `null`.
    fn unused_evidence(&mut self) {
        for (i, entry) in self.options.pagination.evidence.iter().enumerate() {
            if self.evidence_used.contains(&i) {
                continue;
            }
            let (message, hint) = match &entry.fact {
                Evidence::Sent(pointer) => (
                    format!(
                        "the table says `{pointer}` is always sent, but no object property is at that pointer"
                    ),
                    "name a property of an object schema",
                ),
                Evidence::Field(pointer, _) => (
                    format!(
                        "the table adds `{pointer}`, but no object schema is at the pointer before `/properties/`"
                    ),
                    "name a property of an object schema, by the pointer it would have",
                ),
                Evidence::Branch(pointer, _) => (
                    format!("the table adds a branch to `{pointer}`, but no oneOf or anyOf is there"),
                    "name a oneOf or anyOf schema",
                ),
                Evidence::Mixed(pointer) => (
                    format!(
                        "the table says `{pointer}` is a list of mixed items, but it is not a oneOf whose branches are all lists"
                    ),
                    "name a oneOf schema whose every branch is an array",
                ),
                Evidence::Object(operation) => (
                    format!(
                        "the table says `{operation}` always answers with an object, but the spec has no such operation whose success body may be null"
                    ),
                    "name an operation whose success schema is nullable",
                ),
            };
            self.diags.error_hint(&entry.location, message, hint);
        }
    }

    /// Reports the `[types]` lines that named no schema the generator made a type for.
    fn unused_table_types(&mut self) {
        for (i, entry) in self.options.pagination.types.iter().enumerate() {
            if !self.table_types_used.contains(&i) {
                self.diags.error_hint(
                    &entry.location,
                    format!(
                        "the table names `{}`, which is not a schema that becomes a type of its own",
                        entry.pointer
                    ),
                    "name a component, or an inline object, enum or union schema",
                );
            }
        }
    }

    /// Gives the type `ty` names the description `doc`, when the type was made from the schema at
    /// `pointer` and has none of its own.
    pub(crate) fn describe_if_undescribed(&mut self, ty: &TypeRef, pointer: &str, doc: &str) {
        let TypeRef::Named { name, .. } = ty else { return };
        if let Some(def) = self.types.get_mut(name)
            && def.pointer == pointer
            && def.doc.is_none()
        {
            def.doc = Some(doc.to_owned());
        }
    }

    fn define(&mut self, name: String, pointer: &str, doc: Option<String>, kind: TypeKind) -> TypeRef {
        let def = TypeDef { name: name.clone(), pointer: pointer.to_owned(), doc, kind, sent: true };
        self.types.insert(name.clone(), def);
        TypeRef::named(name)
    }

    /// Lowers the schema at `pointer`. A schema lowered before (the shared properties of a
    /// union, merged into each of its branches) is the type it became then, not a copy.
    fn lower_schema(&mut self, schema: &'a Schema, naming: Naming, pointer: &str) -> Lowered {
        if let Some(done) = self.lowered_at.get(pointer) {
            return done.clone();
        }
        let lowered = self.lower_schema_once(schema, naming, pointer);
        if let TypeRef::Named { name, .. } = &lowered.ty
            && self.types.get(name).is_some_and(|t| t.pointer == pointer)
        {
            self.lowered_at.insert(pointer.to_owned(), lowered.clone());
        }
        lowered
    }

    fn lower_schema_once(&mut self, schema: &'a Schema, naming: Naming, pointer: &str) -> Lowered {
        let flat = Flat::of(schema);
        let nullable = flat.nullable || flat.enum_null;
        let with_null = |l: Lowered| Lowered { ty: l.ty, nullable: l.nullable || nullable };
        if !self.supported(schema, &flat, pointer) {
            return Lowered::plain(TypeRef::Json);
        }
        let branches = branches_of(&flat, pointer);
        if !flat.all_of.is_empty() {
            if !branches.is_empty() {
                self.diags
                    .error(pointer, "a schema with both allOf and oneOf/anyOf branches is not supported");
            }
            return with_null(self.lower_all_of(schema, &flat, naming, pointer));
        }
        if !branches.is_empty() {
            // Properties beside the branches belong to every branch.
            let base = flat.has_properties().then_some((&flat, pointer));
            if let ([(branch, branch_pointer)], None) = (branches.as_slice(), base) {
                return with_null(self.lower_ref_or(*branch, naming, branch_pointer));
            }
            let discriminator = schema.schema_data.discriminator.as_ref();
            return with_null(self.lower_union(
                branches,
                base,
                discriminator,
                naming,
                pointer,
                doc_of(&flat),
            ));
        }
        if !flat.enum_strings.is_empty() && matches!(flat.typ, None | Some(JsonType::String)) {
            if flat.enum_strings.len() == 1 {
                // A single allowed value is a constant: a plain string keeps the API small.
                return Lowered { ty: TypeRef::String, nullable };
            }
            return Lowered { ty: self.lower_string_enum(&flat, naming, pointer), nullable };
        }
        let ty = match flat.typ {
            Some(JsonType::String) => TypeRef::String,
            Some(JsonType::Boolean) => TypeRef::Bool,
            Some(JsonType::Number) => TypeRef::F64,
            Some(JsonType::Integer) => match flat.format.as_deref() {
                Some("int32") => TypeRef::I32,
                // Intercom marks Unix timestamps (integer seconds) with date-time or timestamp.
                Some("date-time" | "timestamp" | "unix-timestamp" | "unix_timestamp") => TypeRef::UnixTime,
                _ => TypeRef::I64,
            },
            Some(JsonType::Array) => match flat.items {
                Some(items) => self.lower_array(items, &naming, pointer),
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            Some(JsonType::Unknown) => {
                self.diags.error(join(pointer, "type"), "unknown schema type");
                TypeRef::Json
            }
            Some(JsonType::Object) | None if flat.has_properties() => {
                let mut parts = ObjectParts::default();
                self.collect_own(&flat, pointer, &mut parts);
                let name = self.claim(&naming, pointer);
                let kind = self.lower_struct(&name, parts);
                self.define(name, pointer, doc_of(&flat), kind)
            }
            Some(JsonType::Object) | None => match flat.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_naming = Naming::Suggest(format!("{}Value", naming.base()));
                    let value = self.lower_ref_or(
                        (&**value).into(),
                        value_naming,
                        &join(pointer, "additionalProperties"),
                    );
                    TypeRef::Map(Box::new(value.into_nullable_type()))
                }
                Some(AdditionalProperties::Any(_)) => TypeRef::Map(Box::new(TypeRef::Json)),
                None if flat.typ == Some(JsonType::Object) => TypeRef::Map(Box::new(TypeRef::Json)),
                None => TypeRef::Json,
            },
        };
        Lowered { ty, nullable }
    }

    /// Reports what of a schema is not supported: `not` (after which it is read as JSON, so
    /// `false`), a discriminator without branches, and enums of other scalars (a warning alone,
    /// or mixed with strings, an error).
    fn supported(&mut self, schema: &Schema, flat: &Flat<'a>, pointer: &str) -> bool {
        if flat.not {
            self.diags.error(join(pointer, "not"), "the `not` keyword is not supported");
            return false;
        }
        if schema.schema_data.discriminator.is_some() && flat.one_of.is_empty() && flat.any_of.is_empty() {
            self.diags.error_hint(
                join(pointer, "discriminator"),
                "a discriminator without oneOf or anyOf (polymorphism through allOf) is not supported",
                "list the variants under oneOf beside the discriminator",
            );
        }
        if flat.enum_other {
            if flat.enum_strings.is_empty() {
                self.diags.warning(
                    join(pointer, "enum"),
                    "the values of an enum of numbers or booleans are not checked; the type is the plain scalar",
                );
            } else {
                self.diags.error_hint(
                    join(pointer, "enum"),
                    "an enum that mixes strings with numbers or booleans is not supported",
                    "list only strings, or make a oneOf of a string enum and the other type",
                );
            }
        }
        true
    }

    /// An `allOf`: one `$ref` alone is that type; otherwise a struct that merges the parts'
    /// properties and its own.
    fn lower_all_of(
        &mut self,
        schema: &'a Schema,
        flat: &Flat<'a>,
        naming: Naming,
        pointer: &str,
    ) -> Lowered {
        if flat.all_of.len() == 1 && !flat.has_properties() && flat.additional.is_none() {
            return self.lower_ref_or((&flat.all_of[0]).into(), naming, &part_pointer(schema, pointer, 0));
        }
        let mut parts = ObjectParts::default();
        for (i, part) in flat.all_of.iter().enumerate() {
            self.collect_object(part.into(), &part_pointer(schema, pointer, i), &mut parts, 0);
        }
        self.collect_own(flat, pointer, &mut parts);
        // A name from the table wins over the one the absorbed component leaves.
        let absorbed_name = self.absorber_names.remove(pointer);
        let name = match self.table_name(pointer).or(absorbed_name) {
            Some(name) => name,
            None => self.claim(&naming, pointer),
        };
        let kind = self.lower_struct(&name, parts);
        Lowered::plain(self.define(name, pointer, doc_of(flat), kind))
    }

    /// A string enum of two or more values; a value listed twice is kept once, with a warning.
    fn lower_string_enum(&mut self, flat: &Flat<'a>, naming: Naming, pointer: &str) -> TypeRef {
        let mut scope = Scope::with_reserved(names::reserved::ENUM_VARIANTS);
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for value in &flat.enum_strings {
            if !seen.insert(value) {
                let at = join(pointer, "enum");
                self.diags.warning(at, format!("the value `{value}` is listed twice; the repeat is ignored"));
                continue;
            }
            variants
                .push(EnumVariant { name: scope.claim(&names::variant_name(value)), wire: value.clone() });
        }
        let name = self.claim(&naming, pointer);
        self.define(name, pointer, doc_of(flat), TypeKind::Enum(StringEnum { variants }))
    }

    /// An array of `items`; JSON, with an error, when arrays and maps nest too deep.
    fn lower_array(
        &mut self,
        items: &'a ReferenceOr<Box<Schema>>,
        naming: &Naming,
        pointer: &str,
    ) -> TypeRef {
        let item_naming = Naming::Suggest(format!("{}Item", naming.base()));
        let item = self.lower_ref_or(items.into(), item_naming, &join(pointer, "items"));
        let ty = TypeRef::Vec(Box::new(item.into_nullable_type()));
        if container_depth(&ty) > MAX_CONTAINER_DEPTH {
            self.diags.error_hint(
                pointer,
                format!("arrays and maps nested more than {MAX_CONTAINER_DEPTH} deep are not supported"),
                "name an inner level as a component schema with properties",
            );
            return TypeRef::Json;
        }
        ty
    }

    /// Adds the properties of an `allOf` part (following references) to `parts`.
    fn collect_object(
        &mut self,
        part: SchemaRef<'a>,
        pointer: &str,
        parts: &mut ObjectParts<'a>,
        depth: usize,
    ) {
        if depth > 16 {
            self.diags.error(pointer, "allOf references form a cycle");
            return;
        }
        let (schema, pointer) = match part {
            SchemaRef::Ref(reference) => match self.resolve(reference, pointer) {
                Some((key, ReferenceOr::Item(schema))) => (schema, component_pointer(key)),
                Some((_, ReferenceOr::Reference { reference: next })) => {
                    return self.collect_object(SchemaRef::Ref(next), pointer, parts, depth + 1);
                }
                None => return,
            },
            SchemaRef::Inline(schema) => (schema, pointer.to_owned()),
        };
        let flat = Flat::of(schema);
        for (i, sub) in flat.all_of.iter().enumerate() {
            self.collect_object(sub.into(), &part_pointer(schema, &pointer, i), parts, depth + 1);
        }
        let typed_branches = flat.one_of.iter().chain(flat.any_of).any(|b| match b {
            ReferenceOr::Item(s) => !Flat::of(s).is_rule(),
            ReferenceOr::Reference { .. } => true,
        });
        if typed_branches || !matches!(flat.typ, None | Some(JsonType::Object)) {
            self.diags.error(pointer, "an allOf part must be an object schema");
            return;
        }
        self.collect_own(&flat, &pointer, parts);
    }

    fn collect_own(&mut self, flat: &Flat<'a>, pointer: &str, parts: &mut ObjectParts<'a>) {
        if let Some(props) = flat.properties {
            for (wire, prop) in props {
                let entry = (wire.clone(), SchemaRef::from(prop), property_pointer(pointer, wire));
                match parts.fields.iter_mut().find(|(w, _, _)| w == wire) {
                    Some(existing) => {
                        // A later part may narrow a property (a description, a format), never
                        // change its kind: no value is both a string and an integer.
                        let (before, after) = (self.declared_type(existing.1), self.declared_type(entry.1));
                        if let (Some(before), Some(after)) = (before, after)
                            && before != after
                            && !matches!(
                                (before, after),
                                (JsonType::Number, JsonType::Integer) | (JsonType::Integer, JsonType::Number)
                            )
                        {
                            self.diags.error_hint(
                                entry.2.clone(),
                                format!(
                                    "`{wire}` is {} here but {} at {}",
                                    after.as_str(),
                                    before.as_str(),
                                    existing.2
                                ),
                                "the parts of an allOf must agree on each property's type",
                            );
                        }
                        *existing = entry;
                    }
                    None => parts.fields.push(entry),
                }
            }
        }
        parts.required.extend(flat.required.iter().cloned());
        // Properties the server sends that the description lacks, by the table's evidence.
        let prefix = format!("{pointer}/properties/");
        let lines = &self.options.pagination.evidence;
        for (i, entry) in lines.iter().enumerate() {
            let Evidence::Field(at, kind) = &entry.fact else { continue };
            let Some(wire) = at.strip_prefix(&prefix).filter(|w| !w.contains('/')) else { continue };
            if parts.fields.iter().any(|(w, _, _)| w == wire) {
                self.diags.error_hint(
                    &entry.location,
                    format!("the table adds `{wire}`, but the description already has it at {at}"),
                    "remove the line",
                );
            } else if !parts.evident.iter().any(|(w, _, _)| w == wire) {
                parts.evident.push((wire.to_owned(), kind_type(*kind), at.clone()));
            }
            self.evidence_used.insert(i);
        }
        if let Some(additional) = flat.additional {
            parts.additional = Some((additional, join(pointer, "additionalProperties")));
        }
    }

    /// The name of the absorbed component that declares the property at `pointer`, if one does:
    /// the types inside it are named after it, whichever schema absorbing it is lowered first.
    /// It is looked up by the property's schema and each schema whose `allOf` holds it, not by
    /// walking every absorbed component for each field.
    fn absorbed_owner(&self, pointer: &str) -> Option<String> {
        let (owner, _) = pointer.rsplit_once("/properties/")?;
        let holders = owner.match_indices("/allOf/").map(|(at, _)| &owner[..at]);
        std::iter::once(owner).chain(holders).find_map(|at| self.absorbed.get(at)).cloned()
    }

    fn lower_struct(&mut self, name: &str, parts: ObjectParts<'a>) -> TypeKind {
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let mut constants = Vec::new();
        for (wire, schema, pointer) in parts.fields {
            if let Some(value) = self.constant_of(schema) {
                let required = parts.required.contains(&wire);
                constants.push(Constant { wire, value, required });
                continue;
            }
            let owner = self.absorbed_owner(&pointer).unwrap_or_else(|| name.to_owned());
            let naming = Naming::Suggest(format!("{owner}{}", names::type_name(&wire)));
            let lowered = self.lower_ref_or(schema, naming, &pointer);
            let (doc, deprecated, example) = match schema {
                SchemaRef::Inline(s) => (
                    s.schema_data.description.clone(),
                    s.schema_data.deprecated,
                    s.schema_data.example.clone(),
                ),
                SchemaRef::Ref(_) => (None, false, None),
            };
            let always_sent = self.evidence(|fact| matches!(fact, Evidence::Sent(at) if *at == pointer));
            fields.push(Field {
                name: scope.claim(&names::value_name(&wire)),
                required: always_sent || parts.required.contains(&wire),
                wire,
                ty: lowered.ty,
                nullable: lowered.nullable && !always_sent,
                always_sent,
                clearable: false,
                doc,
                deprecated,
                example,
            });
        }
        for (wire, ty, _) in parts.evident {
            fields.push(Field {
                name: scope.claim(&names::value_name(&wire)),
                required: false,
                wire,
                ty,
                nullable: false,
                always_sent: false,
                clearable: false,
                doc: Some(
                    "Sent by Intercom's servers though the description lacks it (see the table's evidence)."
                        .to_owned(),
                ),
                deprecated: false,
                example: None,
            });
        }
        let additional = match parts.additional {
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Schema(value), pointer)) => {
                let naming = Naming::Suggest(format!("{name}Value"));
                Some(self.lower_ref_or((&**value).into(), naming, &pointer).into_nullable_type())
            }
            Some((AdditionalProperties::Any(false), _)) | None => None,
        };
        TypeKind::Struct(Struct { fields, constants, additional })
    }

    fn lower_union(
        &mut self,
        branches: Vec<(SchemaRef<'a>, String)>,
        base: Option<(&Flat<'a>, &str)>,
        discriminator: Option<&'a openapiv3::Discriminator>,
        naming: Naming,
        pointer: &str,
        doc: Option<String>,
    ) -> Lowered {
        let name = self.claim(&naming, pointer);
        let mut nullable = false;
        let mut lowered = Vec::new();
        let branches = if base.is_some() { self.expand_branches(branches, 0) } else { branches };
        // Every branch uses one type for each shared property, named after the union.
        if let Some((flat, base_pointer)) = base
            && let Some(props) = flat.properties
        {
            for (wire, prop) in props {
                let naming = Naming::Suggest(format!("{name}{}", names::type_name(wire)));
                self.lower_ref_or(SchemaRef::from(prop), naming, &property_pointer(base_pointer, wire));
            }
        }
        for (i, (branch, branch_pointer)) in branches.iter().enumerate() {
            let suggestion = match branch {
                SchemaRef::Inline(s) => match &s.schema_data.title {
                    Some(title) => format!("{name}{}", names::type_name(title)),
                    None => format!("{name}Variant{}", i + 1),
                },
                SchemaRef::Ref(r) => {
                    format!("{name}{}", names::type_name(r.rsplit('/').next().unwrap_or_default()))
                }
            };
            let parts = self.branch_parts(*branch, base, branch_pointer);
            let l = match base {
                // Each branch, merged with the shared properties, is a struct of its own.
                Some(_) => {
                    let variant_name = match self.table_name(branch_pointer) {
                        Some(name) => name,
                        None => self.type_scope.claim(&suggestion),
                    };
                    let kind = self.lower_struct(&variant_name, parts.clone());
                    Lowered::plain(self.define(variant_name, branch_pointer, None, kind))
                }
                None => self.lower_ref_or(*branch, Naming::Suggest(suggestion), branch_pointer),
            };
            nullable |= l.nullable;
            let constants = self.constants(&parts);
            let rank = rank(&l.ty, &parts);
            lowered.push((l.ty, constants, rank));
        }
        // The table's evidence may add a JSON type the server sends that no branch takes.
        let extra_branches: Vec<(usize, JsonKind)> = self
            .options
            .pagination
            .evidence
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match &e.fact {
                Evidence::Branch(at, kind) if at == pointer => Some((i, *kind)),
                _ => None,
            })
            .collect();
        for (i, kind) in extra_branches {
            let ty = kind_type(kind);
            if !lowered.iter().any(|(t, _, _)| *t == ty) {
                let rank = rank(&ty, &ObjectParts::default());
                lowered.push((ty, BTreeMap::new(), rank));
            }
            self.evidence_used.insert(i);
        }
        let Some(first) = lowered.first().map(|(ty, _, _)| ty.clone()) else {
            return Lowered::plain(TypeRef::Json);
        };
        if lowered.iter().all(|(ty, _, _)| *ty == first) {
            // Every branch is the same type (say several string patterns): no union needed.
            return Lowered { ty: first, nullable };
        }
        let constants: Vec<&BTreeMap<String, String>> = lowered.iter().map(|(_, c, _)| c).collect();
        let (tag, tag_values) = match discriminator {
            Some(d) => {
                let values = self.discriminated(d, &branches, &constants, &join(pointer, "discriminator"));
                (Some(d.property_name.clone()), values)
            }
            None => {
                let tag = tag_property(constants.iter().copied());
                let values = constants
                    .iter()
                    .map(|c| tag.as_ref().and_then(|t| c.get(t).cloned()).into_iter().collect())
                    .collect();
                (tag, values)
            }
        };
        let mut lowered: Vec<_> =
            lowered.into_iter().zip(tag_values).map(|((ty, _, rank), values)| (ty, values, rank)).collect();
        if tag.is_none() {
            // Serde tries untagged branches in order: the most demanding shapes go first.
            lowered.sort_by_key(|a| a.2);
        }
        // The table's evidence may say a union of lists is one list of either branch's items: the
        // union is then of the items, and the value a list of it.
        let items: Option<Vec<TypeRef>> = lowered
            .iter()
            .map(|(ty, _, _)| if let TypeRef::Vec(item) = ty { Some((**item).clone()) } else { None })
            .collect();
        let mixed = match items {
            Some(items) if self.evidence(|fact| matches!(fact, Evidence::Mixed(at) if at == pointer)) => {
                for ((ty, _, _), item) in lowered.iter_mut().zip(items) {
                    *ty = item;
                }
                true
            }
            _ => false,
        };
        let mut scope = Scope::with_reserved(names::reserved::UNION_VARIANTS);
        let variants = lowered
            .into_iter()
            .map(|(ty, tag_values, _)| UnionVariant {
                name: scope.claim(&variant_of(&name, &ty)),
                ty,
                tag_values,
            })
            .collect();
        let kind = TypeKind::Union(Union { variants, tag });
        let ty = self.define(name, pointer, doc, kind);
        let ty = if mixed { TypeRef::Vec(Box::new(ty)) } else { ty };
        Lowered { ty, nullable }
    }

    /// Replaces each branch that is itself a union by its branches, so that shared properties
    /// can be merged into every leaf: `base ∧ (A ∨ (B ∨ C))` is `(base ∧ A) ∨ (base ∧ B) ∨ (base ∧ C)`.
    fn expand_branches(
        &mut self,
        branches: Vec<(SchemaRef<'a>, String)>,
        depth: usize,
    ) -> Vec<(SchemaRef<'a>, String)> {
        let mut out = Vec::new();
        for (branch, pointer) in branches {
            let (schema, schema_pointer) = match branch {
                SchemaRef::Ref(reference) => match self.resolve(reference, &pointer) {
                    Some((key, ReferenceOr::Item(schema))) => (schema, component_pointer(key)),
                    _ => {
                        out.push((branch, pointer));
                        continue;
                    }
                },
                SchemaRef::Inline(schema) => (schema, pointer.clone()),
            };
            let flat = Flat::of(schema);
            let nested: Vec<(SchemaRef<'a>, String)> = [("oneOf", flat.one_of), ("anyOf", flat.any_of)]
                .into_iter()
                .flat_map(|(key, list)| {
                    let schema_pointer = schema_pointer.clone();
                    list.iter()
                        .enumerate()
                        .map(move |(i, b)| (SchemaRef::from(b), format!("{schema_pointer}/{key}/{i}")))
                })
                .collect();
            if nested.is_empty() || flat.has_properties() || depth > 8 {
                out.push((branch, pointer));
            } else {
                out.extend(self.expand_branches(nested, depth + 1));
            }
        }
        out
    }

    /// The properties a branch has, with the shared ones of `base` first. Problems are reported
    /// when the branch is lowered, not here.
    fn branch_parts(
        &mut self,
        branch: SchemaRef<'a>,
        base: Option<(&Flat<'a>, &str)>,
        pointer: &str,
    ) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        let mut quiet = Diagnostics::default();
        std::mem::swap(&mut quiet, &mut self.diags);
        if let Some((flat, base_pointer)) = base {
            self.collect_own(flat, base_pointer, &mut parts);
        }
        self.collect_object(branch, pointer, &mut parts, 0);
        std::mem::swap(&mut quiet, &mut self.diags);
        if base.is_some() {
            // A merged branch that is not an object is an error the user must see.
            self.diags.extend(quiet);
        }
        parts
    }

    /// The properties of a branch that allow exactly one string value, with that value.
    /// The values of a `discriminator`'s property that select each branch: its `mapping`
    /// entries, else the branch's own one-value enum, else (OpenAPI's implicit mapping) the name
    /// of the schema it refers to. Each value selects one branch.
    fn discriminated(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        branches: &[(SchemaRef<'a>, String)],
        constants: &[&BTreeMap<String, String>],
        pointer: &str,
    ) -> Vec<Vec<String>> {
        let keys: Vec<Option<String>> = branches
            .iter()
            .map(|(branch, _)| match branch {
                SchemaRef::Ref(r) => crate::diag::component_key(r, "schemas"),
                SchemaRef::Inline(_) => None,
            })
            .collect();
        let mut values = vec![Vec::new(); branches.len()];
        for (value, target) in &discriminator.mapping {
            let at = join(&join(pointer, "mapping"), value);
            let key = crate::diag::component_key(target, "schemas");
            match key.as_ref().and_then(|k| keys.iter().position(|b| b.as_ref() == Some(k))) {
                Some(i) => values[i].push(value.clone()),
                None if self.find_component(target).is_some() => self.diags.error_hint(
                    at,
                    format!("`{value}` maps to `{target}`, which is not a branch of this union"),
                    "map each value to one of the oneOf/anyOf branches",
                ),
                None => self.diags.error(
                    at,
                    format!("`{value}` maps to `{target}`, which is not a schema of this document"),
                ),
            }
        }
        let property = &discriminator.property_name;
        let mut claimed = BTreeSet::new();
        for (i, branch_values) in values.iter_mut().enumerate() {
            if branch_values.is_empty() {
                match (constants.get(i).and_then(|c| c.get(property)), &keys[i]) {
                    (Some(constant), _) => branch_values.push(constant.clone()),
                    (None, Some(key)) => branch_values.push(key.clone()),
                    (None, None) => self.diags.error_hint(
                        branches[i].1.clone(),
                        format!("nothing says which `{property}` selects this branch"),
                        format!("give the branch a one-value enum for `{property}`, or a mapping entry"),
                    ),
                }
            }
            for value in branch_values.iter() {
                if !claimed.insert(value.clone()) {
                    self.diags.error(
                        join(pointer, "mapping"),
                        format!("`{property}` value `{value}` selects more than one branch"),
                    );
                }
            }
        }
        values
    }

    fn constants(&self, parts: &ObjectParts<'a>) -> BTreeMap<String, String> {
        parts
            .fields
            .iter()
            .filter_map(|(wire, schema, _)| Some((wire.clone(), self.constant_of(*schema)?)))
            .collect()
    }

    /// The one string value a property allows: its schema (through a reference) is a string
    /// enum of one value that is not nullable.
    fn constant_of(&self, schema: SchemaRef<'a>) -> Option<String> {
        let schema = match schema {
            SchemaRef::Inline(s) => s,
            SchemaRef::Ref(r) => match self.find_component(r) {
                Some((_, ReferenceOr::Item(s))) => s,
                _ => return None,
            },
        };
        let flat = Flat::of(schema);
        match flat.enum_strings.as_slice() {
            [value] if !flat.nullable && !flat.enum_null && !flat.enum_other => Some(value.clone()),
            _ => None,
        }
    }
}

/// The typed branches of a schema's `oneOf` and `anyOf`, each with its pointer; branches that
/// only add rules (`required`, a description) are not types.
fn branches_of<'a>(flat: &Flat<'a>, pointer: &str) -> Vec<(SchemaRef<'a>, String)> {
    [("oneOf", flat.one_of), ("anyOf", flat.any_of)]
        .into_iter()
        .flat_map(|(key, list)| {
            list.iter().enumerate().map(move |(i, b)| (SchemaRef::from(b), format!("{pointer}/{key}/{i}")))
        })
        .filter(|(branch, _)| match branch {
            SchemaRef::Inline(s) => !Flat::of(s).is_rule(),
            SchemaRef::Ref(_) => true,
        })
        .collect()
}

/// The component schemas whose every use in the whole document is as a part of an `allOf`
/// that merges it with properties or other parts, each with the sorted pointers of the schemas
/// that have those `allOf`s. The walk visits each node of the document once.
fn absorbed_parts(document: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pending = vec![(document, String::from("#"))];
    while let Some((value, pointer)) = pending.pop() {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(key) = map
                    .get("$ref")
                    .and_then(|r| r.as_str())
                    .and_then(|r| crate::diag::component_key(r, "schemas"))
                {
                    uses.entry(key).or_default().push(pointer.clone());
                }
                pending.extend(map.iter().map(|(k, v)| (v, join(&pointer, k))));
            }
            serde_json::Value::Array(items) => {
                pending.extend(items.iter().enumerate().map(|(i, v)| (v, format!("{pointer}/{i}"))));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (key, at) in uses {
        let parents: Option<BTreeSet<String>> =
            at.iter().map(|at| merging_parent(document, &key, at)).collect();
        if let Some(parents) = parents {
            out.push((key, parents.into_iter().collect()));
        }
    }
    out
}

/// The pointer of the schema whose `allOf` holds the use of component `key` at `at`, if that
/// `allOf` merges it with properties or other parts (and is no union and not `key` itself).
fn merging_parent(document: &serde_json::Value, key: &str, at: &str) -> Option<String> {
    // `<parent>/allOf/<i>`.
    let (rest, index) = at.rsplit_once('/')?;
    let parent = rest.strip_suffix("/allOf")?;
    if index.parse::<usize>().is_err() || parent == component_pointer(key) {
        return None;
    }
    let schema = document.pointer(parent.trim_start_matches('#'))?;
    let parts = schema.get("allOf").and_then(|a| a.as_array()).map_or(0, Vec::len);
    let own = schema.get("properties").and_then(|p| p.as_object()).is_some_and(|p| !p.is_empty())
        || schema.get("additionalProperties").is_some();
    let branches = schema.get("oneOf").is_some() || schema.get("anyOf").is_some();
    ((parts > 1 || own) && !branches).then(|| parent.to_owned())
}

/// The pointer of the component schema `key`.
fn component_pointer(key: &str) -> String {
    format!("{SCHEMAS}{}", crate::diag::escape(key))
}

/// The pointer of the property `wire` of the schema at `schema`.
pub(crate) fn property_pointer(schema: &str, wire: &str) -> String {
    join(&join(schema, "properties"), wire)
}

/// The pointer of part `i` of a schema's `allOf`. Normalization moves a `$ref` that has
/// siblings into an `allOf` part of its own (see `load`), marked with [`REF_PART`]; that part
/// is reported where the `$ref` is, since the document has no such `allOf` entry.
fn part_pointer(schema: &Schema, pointer: &str, i: usize) -> String {
    match schema.schema_data.extensions.get(crate::load::REF_PART).and_then(serde_json::Value::as_u64) {
        Some(part) if part == i as u64 => pointer.to_owned(),
        _ => format!("{pointer}/allOf/{i}"),
    }
}

/// How deep arrays and maps may nest in one type. Each level adds to the trait obligations rustc
/// checks (a future holding `Vec<Vec<…>>` is `Send` if each level is): 100 levels overflow its
/// default limit (the fuzz repro), 16 build cleanly (measured), and Intercom nests at most two.
const MAX_CONTAINER_DEPTH: usize = 16;

/// How many arrays, maps and options a type nests.
fn container_depth(ty: &TypeRef) -> usize {
    let mut depth = 0;
    let mut current = ty;
    while let TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) = current {
        depth += 1;
        current = inner;
    }
    depth
}

/// The property that tells the branches of a union apart: one that every branch fixes to its
/// own value. `type` is preferred (Intercom's objects carry it); then the first by name, so
/// `message_type` tells close, snooze and open requests apart when all of them are `type: admin`.
fn tag_property<'b>(branches: impl Iterator<Item = &'b BTreeMap<String, String>> + Clone) -> Option<String> {
    let first = branches.clone().next()?;
    let mut candidates: Vec<&String> = first.keys().collect();
    candidates.sort_by_key(|k| (k.as_str() != "type", k.as_str()));
    candidates.into_iter().find_map(|key| {
        let mut values = BTreeSet::new();
        let count = branches.clone().count();
        let distinct = branches.clone().all(|b| b.get(key).is_some_and(|v| values.insert(v)));
        (distinct && values.len() == count).then(|| key.clone())
    })
}

/// Sort key for untagged branches: objects with more required properties first, then
/// arrays, maps and primitives, and untyped JSON last.
fn rank(ty: &TypeRef, parts: &ObjectParts<'_>) -> (u8, std::cmp::Reverse<usize>, std::cmp::Reverse<usize>) {
    use std::cmp::Reverse;
    let class = match ty {
        TypeRef::Named { .. } => 0,
        TypeRef::Vec(_) => 1,
        TypeRef::Map(_) => 2,
        TypeRef::Bool => 3,
        TypeRef::I32 | TypeRef::I64 | TypeRef::UnixTime => 4,
        TypeRef::F64 => 5,
        TypeRef::String => 6,
        TypeRef::Json | TypeRef::Option(_) => 7,
    };
    if class != 0 {
        return (class, Reverse(0), Reverse(0));
    }
    (0, Reverse(parts.required.len()), Reverse(parts.fields.len()))
}

/// The variant name of a union branch of type `ty` inside the union `union`.
fn variant_of(union: &str, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named { name, .. } => match name.strip_prefix(union) {
            // `Self` is a keyword; escaped as a type name is (`Self_`).
            Some("Self") => "Self_".to_owned(),
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
            _ => name.clone(),
        },
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::UnixTime => "Timestamp".to_owned(),
        TypeRef::F64 => "Number".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Option(inner) => format!("Optional{}", variant_of(union, inner)),
        TypeRef::Vec(inner) => format!("{}List", variant_of(union, inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_of(union, inner)),
    }
}

/// The doc text of a schema: its title and description.
fn doc_of(flat: &Flat<'_>) -> Option<String> {
    match (flat.title, flat.description) {
        (Some(t), Some(d)) if !d.trim().is_empty() => Some(format!("{t}\n\n{d}")),
        (Some(t), _) => Some(t.to_owned()),
        (None, Some(d)) => Some(d.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::absorbed_parts;

    #[test]
    fn only_a_component_used_only_as_merged_parts_is_absorbed() {
        let document = serde_json::json!({
            "paths": {"/a": {"put": {"requestBody": {"content": {"application/json": {"schema": {
                "allOf": [{"$ref": "#/components/schemas/once"}, {"$ref": "#/components/schemas/twice"}]
            }}}}}}},
            "components": {"schemas": {
                "once": {"type": "object"},
                "twice": {"type": "object"},
                "user": {"properties": {"t": {"$ref": "#/components/schemas/twice"}, "alone": {"allOf": [{"$ref": "#/components/schemas/alone"}]}}},
                "alone": {"type": "object"},
                "parent": {"allOf": [{"$ref": "#/components/schemas/part"}], "properties": {"x": {}}},
                "part": {"type": "object"},
                "b": {"allOf": [{"$ref": "#/components/schemas/shared"}], "properties": {"y": {}}},
                "a": {"allOf": [{"$ref": "#/components/schemas/shared"}], "properties": {"z": {}}},
                "shared": {"type": "object"}
            }}
        });
        let body = "#/paths/~1a/put/requestBody/content/application~1json/schema";
        let parents = |list: &[&str]| list.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            absorbed_parts(&document),
            vec![
                ("once".to_owned(), parents(&[body])),
                ("part".to_owned(), parents(&["#/components/schemas/parent"])),
                ("shared".to_owned(), parents(&["#/components/schemas/a", "#/components/schemas/b"])),
            ]
        );
    }
}
