//! Emits `types.rs`: one Rust type per named type of the model.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, doc_or};
use super::features::Gates;
use super::{ident, rust_type};
use crate::model::{
    Api, Constant, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};

/// The types of `api.types[range]`, in order; the halves of `types.rs` are emitted on two
/// threads. Every item of a type (the type and its impls) starts with the `#[cfg]` of the
/// features that reach it, which `gates` knows from the model.
pub(crate) fn emit_types(api: &Api, gates: &Gates, range: std::ops::Range<usize>) -> TokenStream {
    let defaults = DefaultTable::new(&api.types);
    let items = api.types[range].iter().map(|def| {
        let name = ident(&def.name);
        let fallback = format!("The `{}` schema.", def.name);
        let doc = doc_or(def.doc.as_deref(), &fallback);
        let gate = gates.cfg(&def.name).unwrap_or_default();
        let item = Item { name: &name, doc: &doc, gate: &gate };
        match &def.kind {
            TypeKind::Struct(s) => {
                emit_struct(&item, s, &defaults, defaults.has_default(&def.name), def.sent)
            }
            TypeKind::Enum(e) => emit_enum(&item, e),
            TypeKind::Union(u) => emit_union(&item, u, &defaults),
            TypeKind::Alias(target) => {
                let target = rust_type(target, false);
                quote! { #gate #doc pub type #name = #target; }
            }
        }
    });
    quote! { #( #items )* }
}

/// What every item of one type starts from: the type's name, its docs, and its `#[cfg]`
/// (empty for a type every build has).
pub(super) struct Item<'a> {
    pub(super) name: &'a Ident,
    pub(super) doc: &'a TokenStream,
    pub(super) gate: &'a TokenStream,
}

fn emit_struct(
    item: &Item<'_>,
    s: &Struct,
    table: &DefaultTable<'_>,
    default: bool,
    sent: bool,
) -> TokenStream {
    let Item { name, doc, gate } = *item;
    let fields = s.fields.iter().map(|f| emit_field(f, &table.types));
    let rest = rest_field(s);
    let additional = match &s.additional {
        Some(value) => {
            let value = rust_type(value, false);
            quote! {
                /// Properties beyond the declared ones.
                pub #rest: ::std::collections::BTreeMap<::std::string::String, #value>,
            }
        }
        None => quote! {
            /// Keys the schema does not declare, kept as received and encoded back unchanged.
            pub #rest: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        },
    };
    let default = default.then(|| quote!(Default,));
    // A received value remembers what lenient decoding changed, so it encodes as received.
    let kept = (!sent).then(|| {
        let kept = kept_field(s);
        quote!(#kept: crate::runtime::AsReceived,)
    });
    let serialize = emit_struct_serialize(item, s, sent);
    let deserialize = emit_struct_deserialize(item, s, table, sent);
    let url_doc = url_field(s).map(|url| {
        let line = format!(" Also decodes from a bare string, taken as `{}`.", url.name);
        quote!(#[doc = ""] #[doc = #line])
    });
    let constant_doc = constants_doc(s, sent);
    let constructor = emit_constructor(item, s, sent);
    let setters = emit_setters(item, s);
    let search = super::search::emit_search_helpers(item, s, &table.types);
    // A type only received may gain fields in a minor release.
    let non_exhaustive = (!sent).then(|| quote!(#[non_exhaustive]));
    quote! {
        #gate
        #doc
        #url_doc
        #constant_doc
        #[derive(Clone, Debug, #default PartialEq)]
        #non_exhaustive
        pub struct #name {
            #( #fields )*
            #additional
            #kept
        }

        #constructor

        #setters

        #search

        #serialize

        #deserialize
    }
}

/// A doc paragraph naming the constants of a struct, which are not fields: those it writes
/// itself, and those it keeps as they came.
fn constants_doc(s: &Struct, sent: bool) -> Option<TokenStream> {
    let list = |written: bool| {
        let listed: Vec<String> = s
            .constants
            .iter()
            .filter(|c| writes_constant(c, s, sent) == written)
            .map(|c| format!("`{}: {}`", c.wire, c.value))
            .collect();
        match listed.split_last() {
            None => None,
            Some((last, [])) => Some(last.clone()),
            Some((last, rest)) => Some(format!("{} and {last}", rest.join(", "))),
        }
    };
    let mut lines = Vec::new();
    if let Some(listed) = list(true) {
        lines.push(format!(" Always sent with {listed}, which the type writes itself."));
    }
    if let Some(listed) = list(false) {
        lines.push(format!(" Not a field, having one value: {listed}, kept in `extra` as it came."));
    }
    (!lines.is_empty()).then(|| quote!(#[doc = ""] #( #[doc = #lines] )*))
}

/// Whether a struct's `Serialize` writes the constant `c` (see [`Constant::always_written`]);
/// a struct with typed `additionalProperties` has nowhere to keep one as it came, so it always
/// writes it.
fn writes_constant(c: &Constant, s: &Struct, sent: bool) -> bool {
    c.always_written(sent) || s.additional.is_some()
}

/// A struct's `Serialize`, written out: the constants first, then the fields (an optional one
/// only when set), then the undeclared keys, except any already written.
fn emit_struct_serialize(item: &Item<'_>, s: &Struct, sent: bool) -> TokenStream {
    let Item { name, gate, .. } = *item;
    let rest = rest_field(s);
    let constants = s.constants.iter().filter(|c| writes_constant(c, s, sent)).map(|c| {
        let (wire, value) = (&c.wire, &c.value);
        // Another value the server sent is kept in `extra` and written back in its place.
        match &s.additional {
            None => quote!(object.constant_or_kept(#wire, #value, &self.#rest)?;),
            Some(_) => quote!(object.constant(#wire, #value)?;),
        }
    });
    let fields = s.fields.iter().map(|f| {
        let (member, wire) = (ident(&f.name), &f.wire);
        // A received struct writes back as received the fields decoding can change: the
        // lenient ones, and required ones that take a default when left out or null.
        let noted =
            !sent && (lenient_decoder(&f.ty, f.optional()).is_some() || (!f.optional() && !f.always_sent));
        if noted && f.optional() {
            quote!(object.kept_optional(#wire, &self.#member)?;)
        } else if noted {
            quote!(object.kept(#wire, &self.#member)?;)
        } else if f.required {
            quote!(object.field(#wire, &self.#member)?;)
        } else if f.clearable {
            quote!(object.nullable(#wire, &self.#member)?;)
        } else {
            // `None` is an absent property.
            quote!(object.optional(#wire, &self.#member)?;)
        }
    });
    let open = if sent {
        quote!(let mut object = crate::runtime::Object::new(serializer)?;)
    } else {
        let kept = kept_field(s);
        // An object received as its bare URL is written back as that URL.
        let bare = url_field(s).map(|url_field| {
            let url = ident(&url_field.name);
            let others = s.fields.iter().filter(|f| f.name != url_field.name).map(|f| ident(&f.name));
            quote! {
                if let ::std::option::Option::Some(url) = &self.#url
                    && self.#kept.came_bare()
                    #( && self.#others.is_none() )*
                    && self.#rest.is_empty()
                {
                    return serializer.serialize_str(url);
                }
            }
        });
        quote! {
            #bare
            let mut object = crate::runtime::Object::received(serializer, &self.#kept)?;
        }
    };
    let allow = allow_deprecated(s);
    quote! {
        #gate
        #allow
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                #open
                #( #constants )*
                #( #fields )*
                object.rest(&self.#rest)
            }
        }
    }
}

/// `#[allow(deprecated)]` for the impls of a struct with a field Intercom deprecated, which they
/// still read, write and set; nothing for any other struct.
fn allow_deprecated(s: &Struct) -> Option<TokenStream> {
    s.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]))
}

/// `new(…)` with a struct's required properties, in spec order, for a struct that has any: the
/// optional ones start as `None` and the undeclared keys empty, and struct update syntax
/// (`..T::new(…)`) sets the rest. A struct whose properties are all optional has `Default`.
fn emit_constructor(item: &Item<'_>, s: &Struct, sent: bool) -> Option<TokenStream> {
    let Item { name, gate, .. } = *item;
    let required: Vec<&Field> = s.fields.iter().filter(|f| !f.optional()).collect();
    if required.is_empty() {
        return None;
    }
    let params = required.iter().map(|f| {
        let param = ident(&f.name);
        let ty = rust_type(&f.ty, false);
        quote!(#param: impl ::std::convert::Into<#ty>)
    });
    let values = s.fields.iter().map(|f| {
        let member = ident(&f.name);
        if f.optional() {
            let unset = unset(f);
            quote!(#member: #unset)
        } else {
            quote!(#member: #member.into())
        }
    });
    let rest = rest_field(s);
    let kept = (!sent).then(|| {
        let kept = kept_field(s);
        quote!(#kept: ::std::default::Default::default(),)
    });
    let doc = format!(" Makes a `{name}` from its required properties; the others are unset.");
    let allow = allow_deprecated(s);
    Some(quote! {
        #gate
        #allow
        impl #name {
            #[doc = #doc]
            pub fn new(#( #params ),*) -> Self {
                Self { #( #values, )* #rest: ::std::default::Default::default(), #kept }
            }
        }
    })
}

/// Names a struct's inherent methods may already have (its constructor and the search
/// helpers); a field of one of these names gets a setter called `set_<name>` instead.
const TAKEN_METHODS: &[&str] = &["new", "filter", "and", "or"];

/// The name of a field's setter: the field's, unless a struct's method has it.
pub(super) fn setter_name(field: &Field) -> Ident {
    if TAKEN_METHODS.contains(&field.name.as_str()) {
        ident(&format!("set_{}", field.name))
    } else {
        ident(&field.name)
    }
}

/// A chainable setter for every field, one line each through the runtime's `setter!`, so
/// requests are built as `T::new(…).field(value)` and tests can make any received type from
/// `default()` or `new(…)` though it is `#[non_exhaustive]`.
fn emit_setters(item: &Item<'_>, s: &Struct) -> Option<TokenStream> {
    let Item { name, gate, .. } = *item;
    if s.fields.is_empty() {
        return None;
    }
    let setters = s.fields.iter().map(|f| {
        let member = ident(&f.name);
        let inner = rust_type(&f.ty, false);
        let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
        let kind = ident(if f.clearable {
            "null"
        } else if f.optional() {
            "opt"
        } else {
            "req"
        });
        // A setter named as its field needs no name of its own.
        let setter = setter_name(f);
        let renamed = (setter != member).then(|| quote!(, #setter));
        quote!(crate::runtime::setter!(#deprecated #kind, #member, #inner #renamed);)
    });
    let allow = allow_deprecated(s);
    Some(quote! {
        #gate
        #allow
        impl #name {
            #( #setters )*
        }
    })
}

/// The Rust type of a field: its value type, in an `Option` when it may be absent or null,
/// or in a `Nullable` when it tells the two apart.
fn field_type(field: &Field) -> TokenStream {
    let inner = rust_type(&field.ty, false);
    if field.clearable {
        quote!(crate::Nullable<#inner>)
    } else if field.optional() {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

/// The value of an optional field that is not set.
pub(super) fn unset(field: &Field) -> TokenStream {
    if field.clearable { quote!(crate::Nullable::Absent) } else { quote!(::std::option::Option::None) }
}

fn emit_field(field: &Field, types: &BTreeMap<&str, &TypeDef>) -> TokenStream {
    let name = ident(&field.name);
    let fallback =
        described_by_type(&field.ty, types).unwrap_or_else(|| format!("The `{}` property.", field.wire));
    let doc = doc_or(field.doc.as_deref(), &fallback);
    let ty = field_type(field);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    quote! { #doc #deprecated pub #name: #ty, }
}

/// What a property without a description of its own holds, said by the type it names (a bare
/// `$ref` in OpenAPI 3.0 can carry no description): the type's description without its title.
fn described_by_type(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> Option<String> {
    let (inner, many) = match ty {
        TypeRef::Vec(inner) => (&**inner, true),
        TypeRef::Option(inner) => (&**inner, false),
        other => (other, false),
    };
    let TypeRef::Named { name, .. } = inner else { return None };
    let doc = types.get(name.as_str())?.doc.as_deref()?;
    let paragraphs: Vec<&str> = doc.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let text = match paragraphs.as_slice() {
        [] => return None,
        [only] => only,
        [_title, description, ..] => description,
    };
    Some(if many { format!("Each item: {text}") } else { (*text).to_owned() })
}

/// The Rust name of the field that holds a struct's undeclared keys: `additional` when the
/// schema has `additionalProperties`, `extra` otherwise, with a suffix when a property already
/// has that name.
pub(super) fn rest_field(s: &Struct) -> Ident {
    let base = if s.additional.is_some() { "additional" } else { "extra" };
    let taken = |name: &str| s.fields.iter().any(|f| f.name == name);
    // Each candidate is longer than the last, so the loop ends after at most one more step
    // than there are fields.
    let mut name = base.to_owned();
    while taken(&name) {
        name.push_str("_keys");
    }
    ident(&name)
}

/// The name of the private field where a received struct keeps what lenient decoding changed
/// (see the runtime's `AsReceived`): `received`, with a suffix when a property has that name.
pub(super) fn kept_field(s: &Struct) -> Ident {
    let taken = |name: &str| s.fields.iter().any(|f| f.name == name) || rest_field(s) == name;
    // Each candidate is longer than the last, so the loop ends after at most one more step
    // than there are fields.
    let mut name = "received".to_owned();
    while taken(&name) {
        name.push('_');
    }
    ident(&name)
}

/// A struct's `Deserialize`, written out rather than derived: one loop over the object's keys
/// that reads each field through a decoder the runtime defines once. Serde's derive would emit a
/// wrapper type per lenient field, a field enum and a sequence visitor for every struct, which
/// is most of what a full-API crate costs to compile.
///
/// What each field accepts:
/// - strings and integers decode leniently (servers send numbers where the spec says string and
///   the reverse), and so do the values of string maps (attribute maps hold booleans and
///   numbers too);
/// - absent and null both decode to `None`;
/// - a required property that servers omit or null (2.11 marks nearly all of them required)
///   decodes as its type's default, where the type has one; otherwise its absence is an error;
/// - keys the struct does not declare go to `additional` when the schema has
///   `additionalProperties`, and to `extra` as JSON otherwise; a declared key given twice is an
///   error.
fn emit_struct_deserialize(item: &Item<'_>, s: &Struct, table: &DefaultTable<'_>, sent: bool) -> TokenStream {
    let Item { name, gate, .. } = *item;
    let expecting = format!("struct {name}");
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut values = Vec::new();
    let kept = (!sent).then(|| kept_field(s));
    for field in &s.fields {
        let (slot, arm, value) = field_decoding(field, s, table, kept.as_ref());
        slots.push(slot);
        arms.push(arm);
        values.push(value);
    }
    arms.extend(s.constants.iter().map(|c| constant_arm(c, s, sent)));
    let other = undeclared_key(s);
    let field = rest_field(s);
    let rest = quote!(let mut #field = ::std::default::Default::default(););
    let additional = quote!(#field,);
    let (kept_slot, kept_value) = match &kept {
        Some(kept) => (quote!(let mut #kept = crate::runtime::AsReceived::default();), quote!(#kept,)),
        None => (quote!(), quote!()),
    };
    // A struct without fields reads every key as an undeclared one (a `match` with only a
    // catch-all arm is a clippy warning).
    let read = if arms.is_empty() {
        other
    } else {
        quote! {
            match key.as_str() {
                #( #arms )*
                _ => { #other }
            }
        }
    };
    let (entry, visit_str) = bare_link(name, s, kept.as_ref());
    // Every `Deserialize` impl names its deserializer `__D` (and `Serialize` its serializer
    // `__S`): a spec's type may be called `D`.
    let allow = allow_deprecated(s);
    quote! {
        #gate
        #allow
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut map: __A) -> ::std::result::Result<#name, __A::Error> {
                        #( #slots )*
                        #rest
                        #kept_slot
                        while let ::std::option::Option::Some(key) = map.next_key::<crate::runtime::Key<'de>>()? {
                            #read
                        }
                        ::std::result::Result::Ok(#name { #( #values )* #additional #kept_value })
                    }
                    #visit_str
                }
                deserializer.#entry(__Visitor)
            }
        }
    }
}

/// How a struct's `visit_map` reads one field: the slot it decodes into (its type inferred
/// from the field it fills), the `match` arm for its key, and the field's value once every key
/// is read.
fn field_decoding(
    field: &Field,
    s: &Struct,
    table: &DefaultTable<'_>,
    kept: Option<&Ident>,
) -> (TokenStream, TokenStream, TokenStream) {
    let member = ident(&field.name);
    let slot = quote::format_ident!("slot_{}", field.name);
    let wire = &field.wire;
    let inner = rust_type(&field.ty, false);
    let ty = field_type(field);
    // A property the table's evidence says is always sent has no default: its absence is an
    // error that names it.
    let defaulted = field.optional() || (!field.always_sent && table.decodes_from_nothing(&field.ty, 0));
    // A required struct that the server left out or nulled decodes as if sent as `{}`:
    // structs have no `Default` unless every field is optional.
    let from_nothing = !field.optional() && defaulted && table.is_struct(&field.ty);
    let decoded = match lenient_decoder(&field.ty, field.optional()) {
        Some(decoder) if field.clearable => {
            let decoder = ident(decoder);
            quote!(crate::Nullable::sent(map.next_value::<crate::runtime::lenient::#decoder>()?.0))
        }
        Some(decoder) => {
            let decoder = ident(decoder);
            let read = quote!(map.next_value::<crate::runtime::lenient::#decoder>()?);
            match kept {
                Some(kept) => quote!(crate::runtime::noted(&mut #kept, #wire, #read)),
                None => quote!(#read.0),
            }
        }
        // A key that is present holds a value or `null`.
        None if field.clearable => {
            quote!(crate::Nullable::sent(map.next_value::<::std::option::Option<#inner>>()?))
        }
        None if from_nothing => {
            let note = kept.map(|kept| quote!(crate::runtime::note_nothing(&mut #kept, #wire, false);));
            quote! {
                match map.next_value::<::std::option::Option<#ty>>()? {
                    ::std::option::Option::Some(value) => value,
                    ::std::option::Option::None => {
                        #note
                        crate::runtime::lenient::from_nothing()?
                    }
                }
            }
        }
        None if !field.optional() && defaulted => {
            let read = quote!(map.next_value::<crate::runtime::lenient::DefaultIfNull<#ty>>()?);
            match kept {
                Some(kept) => quote!(crate::runtime::noted(&mut #kept, #wire, #read)),
                None => quote!(#read.0),
            }
        }
        // A received `null` is noted, so that it is written back.
        None if field.optional() && kept.is_some() => {
            quote!(crate::runtime::null_noted(&mut #kept, #wire, map.next_value()?))
        }
        // The slot's type says what to read.
        None => quote!(map.next_value()?),
    };
    let arm = if s.additional.is_none() && !field.required && table.is_struct(&field.ty) {
        // An object the server sent as a string is kept among the undeclared keys.
        let rest = rest_field(s);
        let value = match kept {
            _ if field.clearable => quote!(crate::Nullable::sent(value)),
            Some(kept) => quote!(crate::runtime::null_noted(&mut #kept, #wire, value)),
            None => quote!(value),
        };
        quote! {
            #wire => match map.next_value::<crate::runtime::lenient::ObjectOrText<#inner>>()? {
                crate::runtime::lenient::ObjectOrText::Object(value) => crate::runtime::put_field(&mut #slot, #wire, #value)?,
                crate::runtime::lenient::ObjectOrText::Text(text) => {
                    ::serde_json::Map::insert(&mut #rest, ::std::borrow::ToOwned::to_owned(#wire), ::serde_json::Value::String(text));
                }
            },
        }
    } else {
        quote!(#wire => crate::runtime::put_field(&mut #slot, #wire, #decoded)?,)
    };
    let value = if from_nothing {
        let note = kept.map(|kept| quote!(crate::runtime::note_nothing(&mut #kept, #wire, true);));
        quote! {
            #member: match #slot {
                ::std::option::Option::Some(value) => value,
                ::std::option::Option::None => {
                    #note
                    crate::runtime::lenient::from_nothing()?
                }
            },
        }
    } else if defaulted && !field.optional() && kept.is_some() {
        // A required property left out is noted, so that it stays out when written back.
        quote!(#member: crate::runtime::or_absent(&mut #kept, #wire, #slot),)
    } else if defaulted {
        quote!(#member: #slot.unwrap_or_default(),)
    } else {
        quote!(#member: #slot.ok_or_else(|| <__A::Error as ::serde::de::Error>::missing_field(#wire))?,)
    };
    // Each slot's type is inferred from the field it fills.
    (quote!(let mut #slot = ::std::option::Option::None;), arm, value)
}

/// The `match` arm of a constant's key. A constant is read leniently: absent or equal is fine,
/// and another value is kept among the undeclared keys (an error when those are typed), so
/// nothing the server sent is lost.
fn constant_arm(c: &Constant, s: &Struct, sent: bool) -> TokenStream {
    let field = rest_field(s);
    let (wire, value) = (&c.wire, &c.value);
    if !writes_constant(c, s, sent) {
        // Kept as it came, so that it is written back only when it was sent.
        return quote! {
            #wire => {
                ::serde_json::Map::insert(&mut #field, ::std::borrow::ToOwned::to_owned(#wire), map.next_value()?);
            }
        };
    }
    let keep = match &s.additional {
        None => {
            quote!(::serde_json::Map::insert(&mut #field, ::std::borrow::ToOwned::to_owned(#wire), other);)
        }
        Some(_) => {
            quote!(return ::std::result::Result::Err(crate::runtime::lenient::not_constant(#wire, #value, &other));)
        }
    };
    quote! {
        #wire => {
            if let ::std::option::Option::Some(other) = crate::runtime::lenient::unless(#value, map.next_value()?) {
                #keep
            }
        }
    }
}

/// What a struct's `visit_map` does with a key it does not declare: keeps it in `additional`
/// (typed) when the schema has `additionalProperties`, else in `extra` as JSON.
fn undeclared_key(s: &Struct) -> TokenStream {
    let field = rest_field(s);
    match &s.additional {
        // Strings of an attribute map may come as numbers or booleans.
        Some(TypeRef::String) => quote! {
            ::std::collections::BTreeMap::insert(&mut #field, ::std::borrow::ToOwned::to_owned(key.as_str()), map.next_value::<crate::runtime::lenient::Str>()?.0);
        },
        Some(value) => {
            let value = rust_type(value, false);
            quote!(::std::collections::BTreeMap::insert(&mut #field, ::std::borrow::ToOwned::to_owned(key.as_str()), map.next_value::<#value>()?);)
        }
        None => quote! {
            ::serde_json::Map::insert(&mut #field, ::std::borrow::ToOwned::to_owned(key.as_str()), map.next_value::<::serde_json::Value>()?);
        },
    }
}

/// How a struct's deserializer starts, and for a struct that is a link with extras (an
/// avatar), its `visit_str`, which decodes it from the bare link.
fn bare_link(name: &Ident, s: &Struct, kept: Option<&Ident>) -> (TokenStream, TokenStream) {
    match url_field(s) {
        Some(url) => {
            let url = ident(&url.name);
            let others: Vec<&Field> = s.fields.iter().filter(|f| ident(&f.name) != url).collect();
            let unset = others.iter().map(|f| unset(f));
            let others = others.iter().map(|f| ident(&f.name));
            let rest = rest_field(s);
            let value = if url_field(s).is_some_and(|f| f.clearable) {
                quote!(crate::Nullable::Value(::std::borrow::ToOwned::to_owned(v)))
            } else {
                quote!(::std::option::Option::Some(::std::borrow::ToOwned::to_owned(v)))
            };
            let kept = kept.map(|kept| quote!(#kept: crate::runtime::AsReceived::default().bare(),));
            let visit = quote! {
                fn visit_str<__E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<#name, __E> {
                    ::std::result::Result::Ok(#name {
                        #url: #value,
                        #( #others: #unset, )*
                        #rest: ::std::default::Default::default(),
                        #kept
                    })
                }
            };
            (quote!(deserialize_any), visit)
        }
        None => (quote!(deserialize_map), quote!()),
    }
}

/// The one URL property of a struct whose properties are all optional (`image_url`, `url`), which
/// then also decodes from a bare string: Intercom sends a contact's avatar object as its URL.
fn url_field(s: &Struct) -> Option<&Field> {
    if s.additional.is_some() || s.fields.iter().any(|f| f.required) {
        return None;
    }
    let mut urls =
        s.fields.iter().filter(|f| f.ty == TypeRef::String && (f.name == "url" || f.name.ends_with("_url")));
    match (urls.next(), urls.next()) {
        (Some(url), None) => Some(url),
        _ => None,
    }
}

/// The lenient decoder (a type in the runtime's `lenient` module) of a field of type `ty`, if
/// it has one.
fn lenient_decoder(ty: &TypeRef, optional: bool) -> Option<&'static str> {
    Some(match (ty, optional) {
        (TypeRef::String, false) => "Str",
        (TypeRef::String, true) => "OptionStr",
        (TypeRef::I64 | TypeRef::UnixTime, false) => "Int64",
        (TypeRef::I64 | TypeRef::UnixTime, true) => "OptionInt64",
        (TypeRef::I32, false) => "Int32",
        (TypeRef::I32, true) => "OptionInt32",
        (TypeRef::Map(value), false) if **value == TypeRef::String => "StrMap",
        (TypeRef::Map(value), true) if **value == TypeRef::String => "OptionStrMap",
        _ => return None,
    })
}

fn emit_enum(item: &Item<'_>, e: &StringEnum) -> TokenStream {
    let Item { name, doc, gate } = *item;
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let docs = wires.iter().map(|w| doc_attrs(&format!("`{w}`")));
    quote! {
        #gate
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants, )*
            /// A value this version of the crate does not know; the API may add values at any time.
            Unknown(::std::string::String),
        }

        #gate
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        #gate
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #gate
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::deserialize_enum(deserializer, Self::from_wire)
            }
        }
    }
}

/// `From` each branch's type into the union, for the branches whose type no other branch has,
/// and from `&str` into a string branch: a union argument is then `value.into()`.
fn emit_union_from(item: &Item<'_>, u: &Union) -> TokenStream {
    let Item { name, gate, .. } = *item;
    // The type each branch converts from: a boxed branch from the type in the box.
    let sources: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| match &v.ty {
            TypeRef::Named { name, boxed: true } => {
                let inner = ident(name);
                quote!(#inner)
            }
            ty => rust_type(ty, false),
        })
        .collect();
    let texts: Vec<String> = sources.iter().map(ToString::to_string).collect();
    // Two branches of one Rust type (`i64` integers and timestamps) would have clashing impls,
    // and a branch that is the union itself would clash with `From<T> for T`.
    let convertible = |i: usize| texts.iter().filter(|t| **t == texts[i]).count() == 1 && *name != texts[i];
    let impls =
        u.variants.iter().zip(&sources).enumerate().filter(|(i, _)| convertible(*i)).map(|(_, (v, from))| {
            let variant = ident(&v.name);
            let wrap = match &v.ty {
                TypeRef::Named { boxed: true, .. } => quote!(::std::boxed::Box::new(value)),
                _ => quote!(value),
            };
            let text = (v.ty == TypeRef::String).then(|| {
                quote! {
                    #gate
                    impl ::std::convert::From<&str> for #name {
                        fn from(value: &str) -> Self {
                            Self::#variant(::std::borrow::ToOwned::to_owned(value))
                        }
                    }
                }
            });
            quote! {
                #gate
                impl ::std::convert::From<#from> for #name {
                    fn from(value: #from) -> Self {
                        Self::#variant(#wrap)
                    }
                }
                #text
            }
        });
    quote! { #( #impls )* }
}

fn emit_union(item: &Item<'_>, u: &Union, table: &DefaultTable<'_>) -> TokenStream {
    let Item { name, gate, .. } = *item;
    let from = emit_union_from(item, u);
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = u.variants.iter().map(|v| rust_type(&v.ty, false)).collect();
    let docs = u.variants.iter().map(|v| {
        doc_attrs(&match v.tag_values.as_slice() {
            [] => format!("The `{}` branch.", v.name),
            values => {
                let listed: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
                let listed = match listed.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                    None => String::new(),
                };
                format!("The branch whose `{}` is {listed}.", u.tag.as_deref().unwrap_or("type"))
            }
        })
    });
    let docs: Vec<TokenStream> = docs.collect();
    let Some(tag) = &u.tag else {
        return emit_untagged_union(item, u, table, &docs, &variants, &types, &from);
    };
    // A variant that no value selects (reported while lowering) gets no arm.
    let selected: Vec<&UnionVariant> = u.variants.iter().filter(|v| !v.tag_values.is_empty()).collect();
    let tags = selected.iter().map(|v| &v.tag_values);
    let tagged_variants = selected.iter().map(|v| ident(&v.name));
    let declaration = union_enum(
        item,
        &docs,
        &variants,
        &types,
        "A branch this version of the crate does not know, kept as JSON.",
    );
    quote! {
        #declaration

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #( ::std::option::Option::Some(#(#tags)|*) => crate::runtime::from_json_value(&value).map(Self::#tagged_variants), )*
                    _ => ::std::result::Result::Ok(Self::Other(value)),
                }
            }
        }

        #from
    }
}

/// A union's enum: a variant per branch, and `Other`, documented by `other`, for what no
/// branch takes. Both kinds of union encode as their branch's value.
fn union_enum(
    item: &Item<'_>,
    docs: &[TokenStream],
    variants: &[Ident],
    types: &[TokenStream],
    other: &str,
) -> TokenStream {
    let Item { name, doc, gate } = *item;
    let other = doc_attrs(other);
    quote! {
        #gate
        #doc
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #docs #variants(#types), )*
            #other
            Other(::serde_json::Value),
        }
    }
}

/// An untagged union: the branches whose JSON kind fits the value are tried in order. Serde's
/// own untagged decoding would let a struct branch swallow an array (structs accept sequences)
/// and would report no reason when nothing fits. A value of a kind no branch takes is kept as
/// `Other`; one that a fitting branch rejects is an error.
fn emit_untagged_union(
    item: &Item<'_>,
    u: &Union,
    table: &DefaultTable<'_>,
    docs: &[TokenStream],
    variants: &[Ident],
    types: &[TokenStream],
    from: &TokenStream,
) -> TokenStream {
    let Item { name, gate, .. } = *item;
    let masks = u.variants.iter().map(|v| kind::tokens(table.json_kind(&v.ty, 0)));
    // Structs decode leniently (a missing required value becomes its default), so a branch
    // is only tried when the object has the branch's required keys.
    let required = u.variants.iter().map(|v| {
        let keys = table.required_keys(&v.ty, 0);
        quote!(&[#(#keys),*])
    });
    let labels = u.variants.iter().map(|v| v.name.as_str());
    let union_name = name.to_string();
    let declaration = union_enum(
        item,
        docs,
        variants,
        types,
        "A value of a JSON kind that no branch takes (Intercom's servers send booleans\nwhere the description lists none), kept as sent.",
    );
    quote! {
        #declaration

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let mut failures = ::std::vec::Vec::new();
                let mut kind_taken = false;
                #(
                    if crate::runtime::kind_matches(&value, #masks) {
                        kind_taken = true;
                        match crate::runtime::missing_key(&value, #required) {
                            ::std::option::Option::Some(e) => failures.push((#labels, e)),
                            ::std::option::Option::None => match <#types as ::serde::Deserialize>::deserialize(&value) {
                                ::std::result::Result::Ok(v) => return ::std::result::Result::Ok(Self::#variants(v)),
                                ::std::result::Result::Err(e) => failures.push((#labels, e)),
                            },
                        }
                    }
                )*
                if !kind_taken {
                    return ::std::result::Result::Ok(Self::Other(value));
                }
                ::std::result::Result::Err(crate::runtime::no_branch(#union_name, &value, &failures))
            }
        }

        #from
    }
}

/// What the emitters need to know about named types: which derive `Default`, which decode
/// from nothing, their JSON kinds and required keys.
struct DefaultTable<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> DefaultTable<'a> {
    fn new(types: &'a [TypeDef]) -> Self {
        DefaultTable { types: crate::model::index(types) }
    }

    /// Whether `ty` names a struct (through aliases).
    fn is_struct(&self, ty: &TypeRef) -> bool {
        crate::model::struct_of(ty, &self.types).is_some()
    }

    /// Whether the struct `name` derives `Default`: only when every field is optional, so a
    /// default value is never a request that lacks a required property.
    fn has_default(&self, name: &str) -> bool {
        matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Struct(s)) if s.fields.iter().all(Field::optional))
    }

    /// Whether a value of the named type can be made when the server sends nothing: a struct
    /// whose required fields can all be made so (see [`emit_struct_deserialize`]).
    fn named_from_nothing(&self, name: &str, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        match self.types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                s.fields.iter().all(|f| f.optional() || self.decodes_from_nothing(&f.ty, depth + 1))
            }
            Some(TypeKind::Alias(target)) => self.decodes_from_nothing(target, depth + 1),
            Some(TypeKind::Enum(_) | TypeKind::Union(_)) | None => false,
        }
    }

    /// The JSON kinds a value of type `ty` can have, as a set of [`kind`] bits.
    fn json_kind(&self, ty: &TypeRef, depth: usize) -> u8 {
        use kind::{ANY, ARRAY, BOOL, NULL, NUMBER, OBJECT, STRING};
        if depth > 64 {
            return ANY;
        }
        match ty {
            TypeRef::Bool => BOOL,
            TypeRef::I32 | TypeRef::I64 | TypeRef::UnixTime | TypeRef::F64 => NUMBER,
            TypeRef::String => STRING,
            TypeRef::Json => ANY,
            TypeRef::Option(inner) => self.json_kind(inner, depth + 1) | NULL,
            TypeRef::Vec(_) => ARRAY,
            TypeRef::Map(_) => OBJECT,
            TypeRef::Named { name, .. } => match self.types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Struct(_)) => OBJECT,
                Some(TypeKind::Enum(_)) => STRING,
                Some(TypeKind::Alias(target)) => self.json_kind(target, depth + 1),
                Some(TypeKind::Union(u)) => {
                    u.variants.iter().fold(0, |k, v| k | self.json_kind(&v.ty, depth + 1))
                }
                None => ANY,
            },
        }
    }

    /// The keys an object must have to be a `ty`: its required, non-nullable properties.
    fn required_keys(&self, ty: &TypeRef, depth: usize) -> Vec<&'a str> {
        if depth > 64 {
            return Vec::new();
        }
        match ty {
            TypeRef::Named { name, .. } => match self.types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    s.fields.iter().filter(|f| !f.optional()).map(|f| f.wire.as_str()).collect()
                }
                Some(TypeKind::Alias(target)) => self.required_keys(target, depth + 1),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// Whether a value of type `ty` can be made when the server sends nothing: scalars and
    /// containers by `Default`, structs as decoded from `{}`.
    fn decodes_from_nothing(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Named { name, .. } => self.named_from_nothing(name, depth),
            _ => true,
        }
    }
}

/// Sets of JSON kinds, as the generator reckons them. The generated code names the kinds
/// (`crate::runtime::kind::OBJECT`), whose values the runtime defines; these bits only have to
/// tell the kinds apart here.
mod kind {
    use proc_macro2::TokenStream;
    use quote::quote;

    pub(super) const OBJECT: u8 = 1;
    pub(super) const ARRAY: u8 = 1 << 1;
    pub(super) const STRING: u8 = 1 << 2;
    pub(super) const NUMBER: u8 = 1 << 3;
    pub(super) const BOOL: u8 = 1 << 4;
    pub(super) const NULL: u8 = 1 << 5;
    pub(super) const ANY: u8 = OBJECT | ARRAY | STRING | NUMBER | BOOL | NULL;

    const NAMES: &[(u8, &str)] = &[
        (OBJECT, "OBJECT"),
        (ARRAY, "ARRAY"),
        (STRING, "STRING"),
        (NUMBER, "NUMBER"),
        (BOOL, "BOOL"),
        (NULL, "NULL"),
    ];

    /// The runtime's names of the kinds in `set`: `crate::runtime::kind::OBJECT | …`.
    pub(super) fn tokens(set: u8) -> TokenStream {
        if set == ANY {
            return quote!(crate::runtime::kind::ANY);
        }
        let names = NAMES.iter().filter(|(bit, _)| set & bit != 0).map(|(_, name)| super::ident(name));
        let names: Vec<TokenStream> = names.map(|name| quote!(crate::runtime::kind::#name)).collect();
        if names.is_empty() { quote!(0) } else { quote!(#( #names )|*) }
    }
}
