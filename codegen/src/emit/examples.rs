//! The usage example in each operation's docs: a `no_run` doctest that calls the method with
//! its required arguments, so the examples compile whenever the crate's tests run.
//!
//! Path and query values come from the spec's examples where it has them; a body is built from
//! its type the way a user would build it: `new(…)` with the required properties, `default()`
//! where every property is optional, a union's first branch that can be made, an enum's first
//! value.

use std::cell::Cell;
use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};
use serde_json::Value;

use super::ident;
use crate::model::{
    Api, BodyKind, Field, FormValue, Operation, Param, Payload, Status, Tag, TypeDef, TypeKind, TypeRef,
    UnionVariant,
};

/// How deep a body's example may nest before the example gives up; a required property that
/// leads back to its own type can never be made, and this bounds the search for one.
const MAX_DEPTH: usize = 8;

/// How many optional properties a usage example sets at most, so it stays short.
const MAX_SETTERS: usize = 3;

/// What the examples of one crate need: its library name and its types by name.
pub(crate) struct Examples<'a> {
    krate: proc_macro2::Ident,
    types: BTreeMap<&'a str, &'a TypeDef>,
    /// Whether the example being made names a type of the `types` module, and needs its `use`.
    used_types: Cell<bool>,
}

/// Whether a value is written where its exact type is expected, or as an argument that takes
/// `impl Into<T>` (where `"text"` will do for a `String`).
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Exact,
    Into,
}

impl<'a> Examples<'a> {
    pub(crate) fn new(api: &'a Api, crate_name: &str) -> Self {
        Examples {
            krate: ident(crate_name),
            types: crate::model::index(&api.types),
            used_types: Cell::new(false),
        }
    }

    /// The doc lines of `op`'s example (each with its leading space), or `None` when its body
    /// cannot be made from the types (a required property that needs itself).
    pub(crate) fn doc_lines(&self, tag: &Tag, op: &Operation) -> Option<Vec<String>> {
        let krate = &self.krate;
        self.used_types.set(false);
        let mut args = Vec::new();
        for param in op.params.iter().filter(|p| p.required) {
            args.push(self.param_value(param)?);
        }
        let mut setup = TokenStream::new();
        if let Some(body) = op.body.as_ref().filter(|b| b.required) {
            let value = match &body.kind {
                BodyKind::Json(ty) => self.value(ty, Place::Exact, 0, body.example.as_ref())?,
                BodyKind::Text => quote!("text"),
                BodyKind::Bytes => quote!(b"bytes".to_vec()),
                BodyKind::Form(form) => {
                    let module = ident(&tag.module);
                    let name = ident(&form.name);
                    let mut fields = Vec::new();
                    for field in form.fields.iter().filter(|f| f.required) {
                        fields.push(match &field.value {
                            FormValue::File => {
                                quote!(#krate::FilePart::new("report.csv", b"id,name\n".to_vec()))
                            }
                            FormValue::Files => {
                                quote!(vec![#krate::FilePart::new("report.csv", b"id,name\n".to_vec())])
                            }
                            FormValue::Value(ty) => {
                                let given = body.example.as_ref().and_then(|e| e.get(&field.wire));
                                self.value(ty, Place::Exact, 0, given)?
                            }
                        });
                    }
                    quote!(#krate::#module::#name::new(#( #fields ),*))
                }
            };
            setup = quote!(let body = #value;);
            args.push(quote!(body));
        }
        let uses = self.used_types.get().then(|| quote!(use #krate::types;));
        let module = ident(&tag.module);
        let method = ident(&op.fn_name);
        let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
        let call = quote!(client.#module().#method(#( #args ),*));
        // Show what a user does with the answer: walk the items of a paged operation, tell a
        // documented 404 from other failures, or read the status.
        let not_found = op.errors.iter().any(|(status, _)| *status == Status::Code(404));
        let calling = if op.paging.is_some() {
            quote! {
                use futures_util::TryStreamExt;
                let mut items = #call.items();
                while let Some(item) = items.try_next().await? {
                    println!("{item:?}");
                }
            }
        } else if not_found && op.success.payload != Payload::Empty {
            quote! {
                match #call.await {
                    Ok(response) => println!("{:?}", response.into_inner()),
                    Err(e) if e.is_not_found() => println!("not found (request id {:?})", e.request_id()),
                    Err(e) => return Err(e),
                }
            }
        } else {
            quote! {
                let response = #call.await?;
                println!("{}", response.status());
            }
        };
        let function = quote! {
            #deprecated
            async fn example(client: #krate::Client) -> Result<(), #krate::Error> {
                #uses
                #setup
                #calling
                Ok(())
            }
        };
        let file: syn::File = syn::parse2(function).ok()?;
        let text = crate::format::unparse(&file);
        let mut lines = vec![String::new(), " # Example".to_owned(), String::new(), " ```no_run".to_owned()];
        // The signature, `Ok(())` and the closing brace are hidden, so the example reads as
        // the statements a user writes.
        let mut in_signature = true;
        let all: Vec<&str> = text.lines().collect();
        let (last, body) = all.split_last()?;
        for line in body {
            if in_signature {
                lines.push(format!(" # {line}"));
                in_signature = !line.ends_with('{');
                continue;
            }
            let line = line.strip_prefix("    ").unwrap_or(line);
            if line == "Ok(())" { lines.push(format!(" # {line}")) } else { lines.push(format!(" {line}")) }
        }
        lines.push(format!(" # {last}"));
        lines.push(" ```".to_owned());
        Some(lines)
    }

    /// A path or query argument: the spec's example, or a placeholder of the type.
    fn param_value(&self, param: &Param) -> Option<TokenStream> {
        match &param.ty {
            // An id is the usual string a path takes.
            TypeRef::String if param.example.is_none() => Some(quote!("123")),
            ty => self.value(ty, Place::Into, 0, param.example.as_ref()),
        }
    }

    /// A value of `ty` as a user would write it, from the spec's `example` where it fits, or
    /// `None` when it cannot be made.
    fn value(
        &self,
        ty: &TypeRef,
        place: Place,
        depth: usize,
        example: Option<&Value>,
    ) -> Option<TokenStream> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(literal) = scalar(ty, example) {
            return Some(match ty {
                TypeRef::String if place == Place::Exact => quote!(String::from(#literal)),
                _ => literal,
            });
        }
        Some(match ty {
            TypeRef::Bool => quote!(true),
            TypeRef::I32 | TypeRef::I64 => quote!(123),
            TypeRef::UnixTime => quote!(1_700_000_000),
            TypeRef::F64 => quote!(1.5),
            TypeRef::String if place == Place::Into => quote!("text"),
            TypeRef::String => quote!(String::from("text")),
            TypeRef::Json => quote!(serde_json::Value::Null),
            TypeRef::Option(_) => quote!(None),
            TypeRef::Vec(item) => {
                let first = example.and_then(Value::as_array).and_then(|items| items.first());
                let item = self.value(item, Place::Exact, depth + 1, first)?;
                quote!(vec![#item])
            }
            TypeRef::Map(_) => quote!(std::collections::BTreeMap::new()),
            TypeRef::Named { name, boxed } => {
                let made = self.named(name, depth, example)?;
                if *boxed && place == Place::Exact { quote!(Box::new(#made)) } else { made }
            }
        })
    }

    fn named(&self, name: &str, depth: usize, example: Option<&Value>) -> Option<TokenStream> {
        let def = self.types.get(name)?;
        let ty = ident(name);
        self.used_types.set(true);
        let path = quote!(types::#ty);
        match &def.kind {
            TypeKind::Struct(s) => {
                let required: Vec<_> = s.fields.iter().filter(|f| !f.optional()).collect();
                let made = if required.is_empty() {
                    quote!(#path::default())
                } else {
                    let mut args = Vec::new();
                    for field in required {
                        let given = example.and_then(|e| e.get(&field.wire)).or(field.example.as_ref());
                        args.push(self.value(&field.ty, Place::Into, depth + 1, given)?);
                    }
                    quote!(#path::new(#( #args ),*))
                };
                let setters = self.setters(s.fields.iter().filter(|f| f.optional()), example);
                Some(quote!(#made #( #setters )*))
            }
            TypeKind::Enum(e) => {
                let given = example.and_then(Value::as_str);
                let variant =
                    e.variants.iter().find(|v| Some(v.wire.as_str()) == given).or(e.variants.first())?;
                let variant = ident(&variant.name);
                Some(quote!(#path::#variant))
            }
            TypeKind::Union(u) => {
                // The branch the example is an instance of comes first, then the others in order.
                let tag = u.tag.as_ref().and_then(|tag| example?.get(tag)?.as_str());
                let fits = |v: &&UnionVariant| match tag {
                    Some(tag) => v.tag_values.iter().any(|t| t == tag),
                    None => example.is_some_and(|e| self.fits(&v.ty, e, depth)),
                };
                let (first, rest): (Vec<&UnionVariant>, Vec<&UnionVariant>) =
                    u.variants.iter().partition(fits);
                first.into_iter().map(|v| (v, example)).chain(rest.into_iter().map(|v| (v, None))).find_map(
                    |(v, given)| {
                        let value = self.value(&v.ty, Place::Exact, depth + 1, given)?;
                        let variant = ident(&v.name);
                        Some(quote!(#path::#variant(#value)))
                    },
                )
            }
            TypeKind::Alias(target) => self.value(target, Place::Exact, depth + 1, example),
        }
    }

    /// Chained setters for the optional properties the spec's example of the struct sets, at most
    /// [`MAX_SETTERS`] of them, where the value is a scalar or an enum the example gives: what a
    /// user would set, rather than an empty `default()`.
    fn setters<'f>(
        &self,
        fields: impl Iterator<Item = &'f Field>,
        example: Option<&Value>,
    ) -> Vec<TokenStream> {
        let Some(example) = example.and_then(Value::as_object) else { return Vec::new() };
        fields
            .filter_map(|field| {
                let given = example.get(&field.wire).filter(|v| !v.is_null())?;
                let value = match &field.ty {
                    TypeRef::Named { name, .. } => match &self.types.get(name.as_str())?.kind {
                        TypeKind::Enum(_) => self.named(name, MAX_DEPTH, Some(given))?,
                        _ => return None,
                    },
                    // A `Nullable` setter takes the value itself, not a `&str`.
                    TypeRef::String if field.clearable => {
                        let text = scalar(&field.ty, Some(given))?;
                        quote!(String::from(#text))
                    }
                    ty => scalar(ty, Some(given))?,
                };
                let setter = super::types::setter_name(field);
                Some(quote!(.#setter(#value)))
            })
            .take(MAX_SETTERS)
            .collect()
    }

    /// Whether `example` has the JSON shape of `ty`: the kind of a scalar or list, or an
    /// object holding a struct's required properties.
    fn fits(&self, ty: &TypeRef, example: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match ty {
            TypeRef::Bool => example.is_boolean(),
            TypeRef::I32 | TypeRef::I64 | TypeRef::UnixTime => example.is_i64() || example.is_u64(),
            TypeRef::F64 => example.is_number(),
            TypeRef::String => example.is_string(),
            TypeRef::Json => true,
            TypeRef::Option(inner) => example.is_null() || self.fits(inner, example, depth + 1),
            TypeRef::Vec(_) => example.is_array(),
            TypeRef::Map(_) => example.is_object(),
            TypeRef::Named { name, .. } => match self.types.get(name.as_str()).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => example.as_object().is_some_and(|object| {
                    s.fields.iter().filter(|f| !f.optional()).all(|f| object.contains_key(&f.wire))
                        && s.constants
                            .iter()
                            .all(|c| object.get(&c.wire).is_none_or(|v| v.as_str() == Some(&c.value)))
                }),
                Some(TypeKind::Enum(_)) => example.is_string(),
                Some(TypeKind::Union(u)) => u.variants.iter().any(|v| self.fits(&v.ty, example, depth + 1)),
                Some(TypeKind::Alias(target)) => self.fits(target, example, depth + 1),
                None => false,
            },
        }
    }
}

/// The spec's example of a scalar of type `ty` as a literal that an `impl Into<T>` argument
/// takes, or `None` when there is none or it does not fit the type.
fn scalar(ty: &TypeRef, example: Option<&Value>) -> Option<TokenStream> {
    let example = example?;
    match ty {
        TypeRef::String => {
            let text = match example {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some(Literal::string(&text).into_token_stream())
        }
        TypeRef::I64 | TypeRef::UnixTime => {
            let n = example.as_i64().or_else(|| example.as_str()?.parse().ok())?;
            Some(Literal::i64_unsuffixed(n).into_token_stream())
        }
        TypeRef::I32 => {
            let n = i32::try_from(example.as_i64()?).ok()?;
            Some(Literal::i32_unsuffixed(n).into_token_stream())
        }
        TypeRef::Bool => Some(if example.as_bool()? { quote!(true) } else { quote!(false) }),
        _ => None,
    }
}
