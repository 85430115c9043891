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

use super::ident;
use crate::model::{Api, BodyKind, FormValue, Operation, Param, Tag, TypeDef, TypeKind, TypeRef};

/// How deep a body's example may nest before the example gives up; a required property that
/// leads back to its own type can never be made, and this bounds the search for one.
const MAX_DEPTH: usize = 8;

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
            types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
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
                BodyKind::Json(ty) => self.value(ty, Place::Exact, 0)?,
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
                            FormValue::Value(ty) => self.value(ty, Place::Exact, 0)?,
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
        let function = quote! {
            #deprecated
            async fn example(client: #krate::Client) -> Result<(), #krate::Error> {
                #uses
                #setup
                let response = client.#module().#method(#( #args ),*).await?;
                println!("{}", response.status());
                Ok(())
            }
        };
        let file: syn::File = syn::parse2(function).ok()?;
        let text = prettyplease::unparse(&file);
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
        let example = param.example.as_ref();
        match &param.ty {
            TypeRef::String => {
                let text = match example {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => "123".to_owned(),
                };
                Some(Literal::string(&text).into_token_stream())
            }
            TypeRef::I64 | TypeRef::I32 | TypeRef::UnixTime => {
                let n = example.and_then(|e| e.as_i64().or_else(|| e.as_str()?.parse().ok())).unwrap_or(123);
                let n = match param.ty {
                    TypeRef::I32 => Literal::i32_unsuffixed(i32::try_from(n).unwrap_or(123)),
                    _ => Literal::i64_unsuffixed(n),
                };
                Some(n.into_token_stream())
            }
            TypeRef::Bool => Some(match example.and_then(serde_json::Value::as_bool) {
                Some(false) => quote!(false),
                _ => quote!(true),
            }),
            other => self.value(other, Place::Exact, 0),
        }
    }

    /// A value of `ty` as a user would write it, or `None` when it cannot be made.
    fn value(&self, ty: &TypeRef, place: Place, depth: usize) -> Option<TokenStream> {
        if depth > MAX_DEPTH {
            return None;
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
                let item = self.value(item, Place::Exact, depth + 1)?;
                quote!(vec![#item])
            }
            TypeRef::Map(_) => quote!(std::collections::BTreeMap::new()),
            TypeRef::Named { name, boxed } => {
                let made = self.named(name, depth)?;
                if *boxed && place == Place::Exact { quote!(Box::new(#made)) } else { made }
            }
        })
    }

    fn named(&self, name: &str, depth: usize) -> Option<TokenStream> {
        let def = self.types.get(name)?;
        let ty = ident(name);
        self.used_types.set(true);
        let path = quote!(types::#ty);
        match &def.kind {
            TypeKind::Struct(s) => {
                let required: Vec<_> = s.fields.iter().filter(|f| !f.optional()).collect();
                if required.is_empty() {
                    return Some(quote!(#path::default()));
                }
                let mut args = Vec::new();
                for field in required {
                    args.push(self.value(&field.ty, Place::Into, depth + 1)?);
                }
                Some(quote!(#path::new(#( #args ),*)))
            }
            TypeKind::Enum(e) => {
                let first = ident(&e.variants.first()?.name);
                Some(quote!(#path::#first))
            }
            TypeKind::Union(u) => u.variants.iter().find_map(|v| {
                let value = self.value(&v.ty, Place::Exact, depth + 1)?;
                let variant = ident(&v.name);
                Some(quote!(#path::#variant(#value)))
            }),
            TypeKind::Alias(target) => self.value(target, Place::Exact, depth + 1),
        }
    }
}
