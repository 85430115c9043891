//! Emits `types.rs`: one Rust type per named type of the model.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, doc_or};
use super::{ident, rust_type};
use crate::model::{Api, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union};

pub(crate) fn emit_types(api: &Api) -> TokenStream {
    let defaults = DefaultTable::new(&api.types);
    let items = api.types.iter().map(|def| {
        let name = ident(&def.name);
        let fallback = format!("The `{}` schema.", def.name);
        let doc = doc_or(def.doc.as_deref(), &fallback);
        match &def.kind {
            TypeKind::Struct(s) => emit_struct(&name, &doc, s, defaults.has_default(&def.name)),
            TypeKind::Enum(e) => emit_enum(&name, &doc, e),
            TypeKind::Union(u) => emit_union(&name, &doc, u),
            TypeKind::Alias(target) => {
                let target = rust_type(target, false);
                quote! { #doc pub type #name = #target; }
            }
        }
    });
    quote! { #( #items )* }
}

fn emit_struct(name: &Ident, doc: &TokenStream, s: &Struct, default: bool) -> TokenStream {
    let fields = s.fields.iter().map(emit_field);
    let additional = s.additional.as_ref().map(|value| {
        let value = rust_type(value, false);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub additional: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    let default = default.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #( #fields )*
            #additional
        }
    }
}

fn emit_field(field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let fallback = format!("The `{}` property.", field.wire);
    let doc = doc_or(field.doc.as_deref(), &fallback);
    let inner = rust_type(&field.ty, false);
    let ty = if field.optional() { quote!(::std::option::Option<#inner>) } else { inner };
    let mut serde = Vec::new();
    if field.name != field.wire {
        let wire = &field.wire;
        serde.push(quote!(rename = #wire));
    }
    if !field.required {
        // Absent and null both decode to `None`; `None` is sent as an absent property.
        serde.push(quote!(default, skip_serializing_if = "::std::option::Option::is_none"));
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    quote! { #doc #deprecated #serde pub #name: #ty, }
}

fn emit_enum(name: &Ident, doc: &TokenStream, e: &StringEnum) -> TokenStream {
    let variants: Vec<Ident> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let docs = wires.iter().map(|w| doc_attrs(&format!("`{w}`")));
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #docs #variants, )*
            /// A value this version of the crate does not know; the API may add values at any time.
            Unknown(::std::string::String),
        }

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

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::deserialize_enum(deserializer, Self::from_wire)
            }
        }
    }
}

fn emit_union(name: &Ident, doc: &TokenStream, u: &Union) -> TokenStream {
    let variants: Vec<Ident> = u.variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = u.variants.iter().map(|v| rust_type(&v.ty, false)).collect();
    let docs = u.variants.iter().map(|v| {
        doc_attrs(&match &v.tag_value {
            Some(tag) => format!("The branch whose `type` is `{tag}`."),
            None => format!("The `{}` branch.", v.name),
        })
    });
    let Some(tag) = &u.tag else {
        return quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #( #docs #variants(#types), )*
            }
        };
    };
    let tags = u.variants.iter().map(|v| v.tag_value.clone().unwrap_or_default());
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #docs #variants(#types), )*
            /// A branch this version of the crate does not know, kept as JSON.
            Other(::serde_json::Value),
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #( ::std::option::Option::Some(#tags) => crate::runtime::from_json_value(value).map(Self::#variants), )*
                    _ => ::std::result::Result::Ok(Self::Other(value)),
                }
            }
        }
    }
}

/// Which named types can derive `Default`: structs whose every field has a default.
struct DefaultTable<'a> {
    types: BTreeMap<&'a str, &'a TypeDef>,
}

impl<'a> DefaultTable<'a> {
    fn new(types: &'a [TypeDef]) -> Self {
        DefaultTable { types: types.iter().map(|t| (t.name.as_str(), t)).collect() }
    }

    fn has_default(&self, name: &str) -> bool {
        self.named_default(name, 0)
    }

    fn named_default(&self, name: &str, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        match self.types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                s.fields.iter().all(|f| f.optional() || self.ref_default(&f.ty, depth + 1))
            }
            Some(TypeKind::Alias(target)) => self.ref_default(target, depth + 1),
            Some(TypeKind::Enum(_) | TypeKind::Union(_)) | None => false,
        }
    }

    fn ref_default(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Named { name, .. } => self.named_default(name, depth),
            _ => true,
        }
    }
}
