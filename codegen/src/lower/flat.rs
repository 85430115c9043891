//! One view of a schema, whichever of `openapiv3`'s shapes it was parsed into.
//!
//! `openapiv3` splits schemas into typed kinds and falls back to a loose `AnySchema` when keywords
//! mix (say `type: object` beside `oneOf`). Lowering reads every schema through this flat view so
//! that each rule is written once.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};

/// A schema's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    /// A `type` OpenAPI does not define, reported where the schema is lowered.
    Unknown,
}

impl JsonType {
    /// The type as the spec spells it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JsonType::String => "string",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::Boolean => "boolean",
            JsonType::Object => "object",
            JsonType::Array => "array",
            JsonType::Unknown => "unknown",
        }
    }
}

/// The keywords of one schema that lowering cares about.
#[derive(Debug, Default)]
pub(crate) struct Flat<'s> {
    pub typ: Option<JsonType>,
    pub format: Option<String>,
    pub nullable: bool,
    pub title: Option<&'s str>,
    pub description: Option<&'s str>,
    pub properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    /// String values of `enum`.
    pub enum_strings: Vec<String>,
    /// Whether `enum` lists values that are not strings (numbers, booleans).
    pub enum_other: bool,
    /// Whether `enum` lists `null`.
    pub enum_null: bool,
    pub one_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub all_of: &'s [ReferenceOr<Schema>],
    pub not: bool,
}

fn format_name<T: std::fmt::Debug>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

const NO_PROPS: &[String] = &[];

impl<'s> Flat<'s> {
    pub(crate) fn of(schema: &'s Schema) -> Flat<'s> {
        let data = &schema.schema_data;
        let mut flat = Flat {
            nullable: data.nullable,
            title: data.title.as_deref(),
            description: data.description.as_deref(),
            required: NO_PROPS,
            ..Flat::default()
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                flat.typ = Some(JsonType::String);
                flat.format = format_name(&s.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                });
                for value in &s.enumeration {
                    match value {
                        Some(v) => flat.enum_strings.push(v.clone()),
                        None => flat.enum_null = true,
                    }
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                flat.typ = Some(JsonType::Integer);
                flat.format = format_name(&i.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                flat.enum_other = i.enumeration.iter().any(Option::is_some);
                flat.enum_null = i.enumeration.iter().any(Option::is_none);
            }
            SchemaKind::Type(Type::Number(n)) => {
                flat.typ = Some(JsonType::Number);
                flat.format = format_name(&n.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                flat.enum_other = n.enumeration.iter().any(Option::is_some);
                flat.enum_null = n.enumeration.iter().any(Option::is_none);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                flat.typ = Some(JsonType::Boolean);
                flat.enum_other = b.enumeration.iter().any(Option::is_some);
                flat.enum_null = b.enumeration.iter().any(Option::is_none);
            }
            SchemaKind::Type(Type::Object(o)) => {
                flat.typ = Some(JsonType::Object);
                flat.properties = Some(&o.properties);
                flat.required = &o.required;
                flat.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                flat.typ = Some(JsonType::Array);
                flat.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => flat.one_of = one_of,
            SchemaKind::AnyOf { any_of } => flat.any_of = any_of,
            SchemaKind::AllOf { all_of } => flat.all_of = all_of,
            SchemaKind::Not { .. } => flat.not = true,
            SchemaKind::Any(any) => flat.read_any(any),
        }
        flat
    }

    /// Fills in what a schema that `openapiv3` read loosely says (`type` as text, every
    /// keyword beside every other).
    fn read_any(&mut self, any: &'s openapiv3::AnySchema) {
        self.typ = match any.typ.as_deref() {
            Some("string") => Some(JsonType::String),
            Some("integer") => Some(JsonType::Integer),
            Some("number") => Some(JsonType::Number),
            Some("boolean") => Some(JsonType::Boolean),
            Some("object") => Some(JsonType::Object),
            Some("array") => Some(JsonType::Array),
            Some(_) => Some(JsonType::Unknown),
            None => None,
        };
        self.format = any.format.clone();
        self.properties = Some(&any.properties);
        self.required = &any.required;
        self.additional = any.additional_properties.as_ref();
        self.items = any.items.as_ref();
        for value in &any.enumeration {
            match value {
                serde_json::Value::String(s) => self.enum_strings.push(s.clone()),
                serde_json::Value::Null => self.enum_null = true,
                _ => self.enum_other = true,
            }
        }
        self.one_of = &any.one_of;
        self.any_of = &any.any_of;
        self.all_of = &any.all_of;
        self.not = any.not.is_some();
    }

    /// Whether the schema declares at least one property.
    pub(crate) fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }

    /// Whether the schema only lists `required` properties: as a branch of a union it is a
    /// rule ("at least one of these"), not a type. An empty branch (only a title, say) is not a
    /// rule: it accepts anything, and stays a branch.
    pub(crate) fn is_rule(&self) -> bool {
        !self.required.is_empty()
            && self.typ.is_none()
            && !self.has_properties()
            && self.items.is_none()
            && self.additional.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.enum_strings.is_empty()
            && !self.not
    }
}
