//! Helpers for search queries, found by shape rather than by name so that every version's
//! search types get them: a struct with `field`, `operator` and `value` is a filter and gets
//! `filter(field, operator, value)`; a struct with an `operator` whose values include `AND` and
//! `OR`, and a `value`, is a group and gets `and(filters)` and `or(filters)`.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::{Item, rest_field, unset};
use super::{ident, rust_type};
use crate::model::{Field, Struct, TypeDef, TypeKind, TypeRef};

/// The helpers of a struct that has the shape of a filter or a group, or nothing.
pub(super) fn emit_search_helpers(
    item: &Item<'_>,
    s: &Struct,
    types: &BTreeMap<&str, &TypeDef>,
) -> Option<TokenStream> {
    let Item { name, gate, .. } = *item;
    let field = |wire: &str| s.fields.iter().find(|f| f.wire == wire);
    let operator = field("operator")?;
    let value = field("value")?;
    let TypeRef::Named { name: operator_type, boxed: false } = &operator.ty else { return None };
    let Some(TypeKind::Enum(operators)) = types.get(operator_type.as_str()).map(|def| &def.kind) else {
        return None;
    };
    let shaped: Vec<&str> = match field("field") {
        Some(f) if f.ty == TypeRef::String => vec!["field", "operator", "value"],
        Some(_) => return None,
        None => vec!["operator", "value"],
    };
    // Every field the helper does not set must be one that may stay unset.
    if s.fields.iter().any(|f| !shaped.contains(&f.wire.as_str()) && !f.optional()) {
        return None;
    }
    let rest = rest_field(s);
    let unset = s.fields.iter().filter(|f| !shaped.contains(&f.wire.as_str())).map(|f| {
        let member = ident(&f.name);
        let unset = unset(f);
        quote!(#member: #unset,)
    });
    let unset = quote!(#( #unset )* #rest: ::std::default::Default::default());
    let operator_ty = ident(operator_type);
    if shaped.len() == 3 {
        let field = field("field")?;
        let (field_member, operator_member, value_member) =
            (ident(&field.name), ident(&operator.name), ident(&value.name));
        let set_field = set(field, quote!(::std::convert::Into::into(field)));
        let set_operator = set(operator, quote!(operator));
        let set_value = set(value, quote!(::std::convert::Into::into(value)));
        let value_ty = rust_type(&value.ty, false);
        return Some(quote! {
            #gate
            impl #name {
                /// A filter: the attribute `field` compared with `value` by `operator`.
                pub fn filter(
                    field: impl ::std::convert::Into<::std::string::String>,
                    operator: #operator_ty,
                    value: impl ::std::convert::Into<#value_ty>,
                ) -> Self {
                    Self { #field_member: #set_field, #operator_member: #set_operator, #value_member: #set_value, #unset }
                }
            }
        });
    }
    let variant = |wire: &str| operators.variants.iter().find(|v| v.wire == wire).map(|v| ident(&v.name));
    let (and, or) = (variant("AND")?, variant("OR")?);
    let (operator_member, value_member) = (ident(&operator.name), ident(&value.name));
    let (param, converted) = match &value.ty {
        TypeRef::Vec(item) => {
            let item = rust_type(item, false);
            (
                quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>),
                quote!(filters.into_iter().map(::std::convert::Into::into).collect()),
            )
        }
        other => {
            let ty = rust_type(other, false);
            (quote!(impl ::std::convert::Into<#ty>), quote!(::std::convert::Into::into(filters)))
        }
    };
    let set_value = set(value, converted);
    let operator_field = operator;
    let group = |operator: &Ident, fn_name: Ident, doc: &str| {
        let set_operator = set(operator_field, quote!(#operator_ty::#operator));
        quote! {
            #[doc = #doc]
            pub fn #fn_name(filters: #param) -> Self {
                Self { #operator_member: #set_operator, #value_member: #set_value, #unset }
            }
        }
    };
    let and = group(&and, ident("and"), " A group that matches when every one of `filters` matches.");
    let or = group(&or, ident("or"), " A group that matches when any of `filters` matches.");
    Some(quote! {
        #gate
        impl #name {
            #and
            #or
        }
    })
}

/// `value` as the field holds it: in `Some` or `Nullable::Value` when the field is optional.
fn set(field: &Field, value: TokenStream) -> TokenStream {
    if field.clearable {
        quote!(crate::Nullable::Value(#value))
    } else if field.optional() {
        quote!(::std::option::Option::Some(#value))
    } else {
        value
    }
}
