//! Emits one module per tag: a handle type with one method per operation, and one request
//! builder per operation that is sent with `.send()` or by awaiting it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, doc_or};
use super::{ident, rust_type};
use crate::model::{Operation, Param, ParamLocation, PathSegment, Payload, Retry, Tag, TypeRef};

pub(crate) fn emit_tag(tag: &Tag) -> TokenStream {
    let handle = ident(&tag.handle);
    let handle_doc = doc_attrs(&match &tag.doc {
        Some(doc) => format!("Operations tagged `{}`: {doc}", tag.wire),
        None => format!("Operations tagged `{}`.", tag.wire),
    });
    let methods = tag.operations.iter().map(emit_method);
    let builders = tag.operations.iter().map(emit_builder);
    quote! {
        #handle_doc
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #handle<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #( #methods )*
        }

        #( #builders )*
    }
}

/// The argument type of a setter or method for a value of type `ty`.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl ::std::convert::Into<::std::string::String>),
        other => rust_type(other, true),
    }
}

fn arg_value(param_name: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#param_name.into()),
        _ => quote!(#param_name),
    }
}

fn required_args(op: &Operation) -> Vec<(&Param, proc_macro2::Ident)> {
    op.params.iter().filter(|p| p.required).map(|p| (p, ident(&p.name))).collect()
}

fn emit_method(op: &Operation) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder);
    let doc = doc_attrs(&operation_doc(op));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let required = required_args(op);
    let args = required.iter().map(|(p, name)| {
        let ty = arg_type(&p.ty);
        quote!(#name: #ty)
    });
    let inits = op.params.iter().map(|p| {
        let name = ident(&p.name);
        if p.required && p.ty != TypeRef::String {
            quote!(#name)
        } else if p.required {
            let value = arg_value(&name, &p.ty);
            quote!(#name: #value)
        } else {
            quote!(#name: ::std::option::Option::None)
        }
    });
    let (body_arg, body_init) = match &op.body {
        Some(body) if body.required => {
            let ty = rust_type(&body.ty, true);
            (Some(quote!(body: #ty)), Some(quote!(body,)))
        }
        Some(_) => (None, Some(quote!(body: ::std::option::Option::None,))),
        None => (None, None),
    };
    let args = args.chain(body_arg);
    quote! {
        #doc
        #deprecated
        pub fn #fn_name(&self, #( #args ),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #( #inits, )*
                #body_init
                options: crate::RequestOptions::default(),
            }
        }
    }
}

fn operation_doc(op: &Operation) -> String {
    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary.trim());
        doc.push_str("\n\n");
    }
    if let Some(description) =
        op.description.as_deref().filter(|d| op.summary.as_deref().map(str::trim) != Some(d.trim()))
    {
        doc.push_str(description.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}` (operation `{}`).", op.method, op.path, op.id));
    if !op.errors.is_empty() {
        let statuses: Vec<&str> = op.errors.iter().map(|(s, _)| s.as_str()).collect();
        doc.push_str(&format!(" Documented error statuses: {}.", statuses.join(", ")));
    }
    doc
}

fn success_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(ty) => rust_type(ty, true),
        Payload::Empty => quote!(()),
        Payload::Text => quote!(::std::string::String),
        Payload::Binary => quote!(crate::ByteStream),
    }
}

fn emit_builder(op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let fn_name = &op.fn_name;
    let doc = doc_attrs(&format!(
        "A `{} {}` request, made by the `{fn_name}` method; send it with `.send()` or by awaiting it.",
        op.method, op.path
    ));
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let ty = rust_type(&p.ty, true);
        if p.required { quote!(#name: #ty,) } else { quote!(#name: ::std::option::Option<#ty>,) }
    });
    let body_field = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, true);
        if b.required { quote!(body: #ty,) } else { quote!(body: ::std::option::Option<#ty>,) }
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let name = ident(&p.name);
        let ty = arg_type(&p.ty);
        let value = arg_value(&name, &p.ty);
        let doc = doc_or(p.doc.as_deref(), &format!("Sets the `{}` parameter.", p.wire));
        quote! {
            #doc
            pub fn #name(mut self, #name: #ty) -> Self {
                self.#name = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = rust_type(&b.ty, true);
        quote! {
            /// Sets the request body.
            pub fn body(mut self, body: #ty) -> Self {
                self.body = ::std::option::Option::Some(body);
                self
            }
        }
    });
    let output = success_type(&op.success.payload);
    let send = emit_send(op);
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #( #fields )*
            #body_field
            options: crate::RequestOptions,
        }

        impl<'a> #builder<'a> {
            #( #setters )*
            #body_setter

            /// Replaces the options of this one request (timeout, extra headers, API version).
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and decodes the response.
            pub async fn send(self) -> ::std::result::Result<crate::ResponseValue<#output>, crate::Error> {
                #send
            }
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<crate::ResponseValue<#output>, crate::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

fn emit_send(op: &Operation) -> TokenStream {
    let names: Vec<_> = op.params.iter().map(|p| ident(&p.name)).collect();
    let body_binding = op.body.as_ref().map(|_| quote!(body,));
    let mut format = String::from("{}");
    let mut format_args = Vec::new();
    for segment in &op.segments {
        match segment {
            PathSegment::Literal(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathSegment::Param(i) => {
                format.push_str("{}");
                let name = &names[*i];
                format_args.push(quote!(crate::runtime::path_value(&#name)?));
            }
        }
    }
    let method = ident(&op.method);
    let queries = op
        .params
        .iter()
        .zip(&names)
        .filter(|(p, _)| p.location == ParamLocation::Query || p.also_in_query)
        .map(|(p, name)| {
            let wire = &p.wire;
            quote!(let request = request.query(&::progenitor_client::QueryParam::new(#wire, &#name));)
        });
    let headers = op.params.iter().zip(&names).filter(|(p, _)| p.location == ParamLocation::Header).map(|(p, name)| {
        let wire = &p.wire;
        if p.required {
            quote!(let request = request.header(#wire, crate::runtime::param_value(&#name)?);)
        } else {
            quote! {
                let request = match &#name {
                    ::std::option::Option::Some(value) => request.header(#wire, crate::runtime::param_value(value)?),
                    ::std::option::Option::None => request,
                };
            }
        }
    });
    let body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(let request = request.json(&body);)
        } else {
            quote! {
                let request = match &body {
                    ::std::option::Option::Some(body) => request.json(body),
                    ::std::option::Option::None => request,
                };
            }
        }
    });
    let id = &op.id;
    // Ask for what the operation answers with: a server may refuse (406) a wrong Accept.
    let accept = &op.success.accept;
    let path = &op.path;
    let retry = ident(match op.retry {
        Retry::Idempotent => "Idempotent",
        Retry::UnsafeToRepeat => "UnsafeToRepeat",
        Retry::Never => "Never",
    });
    let decode = match &op.success.payload {
        Payload::Json(_) => quote!(crate::runtime::decode_json(response).await),
        Payload::Empty => quote!(::std::result::Result::Ok(crate::runtime::decode_empty(response))),
        Payload::Text => quote!(crate::runtime::decode_text(response).await),
        Payload::Binary => quote!(::std::result::Result::Ok(crate::runtime::decode_stream(response))),
    };
    quote! {
        let Self { client, #( #names, )* #body_binding options } = self;
        let url = format!(#format, client.base_url(), #( #format_args ),*);
        let request = client.http().request(::reqwest::Method::#method, url);
        #( #queries )*
        #( #headers )*
        #body
        let operation = crate::runtime::Operation { id: #id, path: #path, accept: #accept, retry: crate::runtime::Retry::#retry };
        let response = client.execute(&operation, request, options).await?;
        #decode
    }
}
