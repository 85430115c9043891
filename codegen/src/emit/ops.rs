//! Emits one module per tag: a handle type with one method per operation, and one request
//! builder per operation that is sent with `.send()` or by awaiting it.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc_attrs, doc_or};
use super::examples::Examples;
use super::{ident, rust_type};
use crate::model::{
    Body, BodyKind, FormValue, Operation, Paging, Param, ParamLocation, PathSegment, Payload, Retry, Status,
    Tag, TypeRef,
};
use crate::pagination::PageStyle;

pub(crate) fn emit_tag(tag: &Tag, examples: &Examples<'_>) -> TokenStream {
    let handle = ident(&tag.handle);
    let handle_doc = doc_attrs(&match &tag.doc {
        Some(doc) => format!("Operations tagged `{}`: {doc}", tag.wire),
        None => format!("Operations tagged `{}`.", tag.wire),
    });
    let methods = tag.operations.iter().map(|op| emit_method(tag, op, examples));
    let builders = tag.operations.iter().map(|op| emit_builder(tag, op));
    let status_enums = tag.operations.iter().filter_map(emit_status_enum);
    let forms = tag.operations.iter().filter_map(emit_form);
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

        #( #status_enums )*

        #( #forms )*
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

fn emit_method(tag: &Tag, op: &Operation, examples: &Examples<'_>) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let builder = ident(&op.builder);
    let doc = doc_attrs(&operation_doc(op));
    // The example is our own Rust, so it is not rewritten as spec prose is.
    let example = examples.doc_lines(tag, op).unwrap_or_else(|| {
        vec![
            String::new(),
            " No usage example: a required property of the body needs a value of its own type.".to_owned(),
        ]
    });
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
            let (ty, value) = body_arg(body);
            let init = match value {
                Some(value) => quote!(body: #value,),
                None => quote!(body,),
            };
            (Some(quote!(body: #ty)), Some(init))
        }
        Some(_) => (None, Some(quote!(body: ::std::option::Option::None,))),
        None => (None, None),
    };
    let args = args.chain(body_arg);
    quote! {
        #doc
        #( #[doc = #example] )*
        #deprecated
        pub fn #fn_name(&self, #( #args ),*) -> #builder {
            #builder {
                client: self.client.clone(),
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
        let statuses: Vec<String> = op.errors.iter().map(|(s, _)| s.to_string()).collect();
        doc.push_str(&format!(" Documented error statuses: {}.", statuses.join(", ")));
    }
    doc
}

/// The type a builder keeps its body in.
fn body_type(body: &Body) -> TokenStream {
    match &body.kind {
        BodyKind::Json(ty) => rust_type(ty, true),
        BodyKind::Text => quote!(::std::string::String),
        BodyKind::Bytes => quote!(::std::vec::Vec<u8>),
        BodyKind::Form(form) => {
            let name = ident(&form.name);
            quote!(#name)
        }
    }
}

/// The argument type of a body, and how the argument `body` becomes the kept value when it
/// is not kept as it is.
fn body_arg(body: &Body) -> (TokenStream, Option<TokenStream>) {
    match &body.kind {
        BodyKind::Text => {
            (quote!(impl ::std::convert::Into<::std::string::String>), Some(quote!(body.into())))
        }
        BodyKind::Bytes => {
            (quote!(impl ::std::convert::Into<::std::vec::Vec<u8>>), Some(quote!(body.into())))
        }
        _ => (body_type(body), None),
    }
}

/// The struct of a `multipart/form-data` body, with its constructor and its encoding.
fn emit_form(op: &Operation) -> Option<TokenStream> {
    let Some(Body { kind: BodyKind::Form(form), .. }) = &op.body else { return None };
    let name = ident(&form.name);
    let doc = doc_attrs(&format!(
        "The form `{}` sends as `multipart/form-data`: one part per field. Required fields are the arguments of `new`; the others are `None` until set.",
        op.fn_name
    ));
    let field_type = |value: &FormValue| match value {
        FormValue::File => quote!(crate::FilePart),
        FormValue::Files => quote!(::std::vec::Vec<crate::FilePart>),
        FormValue::Value(ty) => rust_type(ty, true),
    };
    let fields = form.fields.iter().map(|f| {
        let field = ident(&f.name);
        let ty = field_type(&f.value);
        let doc = doc_or(f.doc.as_deref(), &format!("The `{}` part.", f.wire));
        if f.required {
            quote!(#doc pub #field: #ty,)
        } else {
            quote!(#doc pub #field: ::std::option::Option<#ty>,)
        }
    });
    let required: Vec<_> = form.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let field = ident(&f.name);
        let ty = field_type(&f.value);
        quote!(#field: #ty)
    });
    let inits = form.fields.iter().map(|f| {
        let field = ident(&f.name);
        if f.required { quote!(#field) } else { quote!(#field: ::std::option::Option::None) }
    });
    let parts = form.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire;
        let add = |value: TokenStream| match &f.value {
            FormValue::File => quote!(form.file(#wire, #value);),
            FormValue::Files => quote!(for file in #value { form.file(#wire, file); }),
            FormValue::Value(_) => quote!(form.value(#wire, #value)?;),
        };
        if f.required {
            add(quote!(&self.#field))
        } else {
            let inner = add(quote!(value));
            quote!(if let ::std::option::Option::Some(value) = &self.#field { #inner })
        }
    });
    Some(quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub struct #name {
            #( #fields )*
        }

        impl #name {
            /// A form with its required fields.
            #[allow(clippy::new_without_default)]
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits ),* }
            }

            /// The encoded body, with its `Content-Type` (which carries the boundary).
            fn encode(&self) -> ::std::result::Result<crate::form::FormBody, crate::Error> {
                let mut form = crate::form::Multipart::default();
                #( #parts )*
                form.finish()
            }
        }
    })
}

fn success_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Json(ty) => rust_type(ty, true),
        Payload::Empty => quote!(()),
        Payload::Text => quote!(::std::string::String),
        Payload::Binary => quote!(crate::ByteStream),
        Payload::ByStatus(bodies) => {
            let name = ident(&bodies.name);
            quote!(#name)
        }
    }
}

/// The enum of an operation whose success statuses answer with different bodies.
fn emit_status_enum(op: &Operation) -> Option<TokenStream> {
    let Payload::ByStatus(bodies) = &op.success.payload else { return None };
    let name = ident(&bodies.name);
    let doc = doc_attrs(&format!(
        "What `{}` answers with: its success statuses have different bodies, one variant each.",
        op.fn_name
    ));
    let variants = bodies.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = doc_attrs(&match &v.doc {
            Some(text) => format!("`{}`: {text}", v.status),
            None => format!("`{}`.", v.status),
        });
        match &v.ty {
            Some(ty) => {
                let ty = rust_type(ty, true);
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        }
    });
    Some(quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
        }
    })
}

fn unsuffixed(n: u16) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(n)
}

/// Decodes a response by its status into the enum of success bodies.
fn decode_by_status(bodies: &crate::model::StatusBodies) -> TokenStream {
    let name = ident(&bodies.name);
    let arms = bodies.variants.iter().map(|v| {
        let variant = ident(&v.name);
        // A range comes after the exact codes, as a guard: clippy reads overlapping range
        // patterns as a mistake.
        let pattern = match v.status {
            Status::Range(class) => {
                let (low, high) = (unsuffixed(class * 100), unsuffixed(class * 100 + 99));
                quote!(code if (#low..=#high).contains(&code))
            }
            Status::Code(code) => {
                let code = unsuffixed(code);
                quote!(#code)
            }
            // Lowering only takes `default` as a success when no status is named, so it is never
            // one of several; should it be, it takes what the others do not.
            Status::Default => quote!(_),
        };
        match &v.ty {
            Some(_) => quote!(#pattern => crate::runtime::decode_json_bytes(&body, status, &headers).map(#name::#variant),),
            None => quote!(#pattern => ::std::result::Result::Ok(#name::#variant),),
        }
    });
    let otherwise = (!bodies.variants.iter().any(|v| v.status == Status::Default)).then(|| {
        quote!(_ => ::std::result::Result::Err(crate::runtime::undocumented_success(&body, status, &headers)),)
    });
    quote! {
        let (status, headers, body) = crate::runtime::read_body(response, &operation).await?;
        let decoded = match status.as_u16() {
            #( #arms )*
            #otherwise
        };
        decoded.map(|inner| crate::ResponseValue::new(inner, status, headers)).map_err(|e| e.at(&operation))
    }
}

fn emit_builder(tag: &Tag, op: &Operation) -> TokenStream {
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
        let ty = body_type(b);
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
        let (ty, value) = body_arg(b);
        let value = value.unwrap_or_else(|| quote!(body));
        quote! {
            /// Sets the request body.
            pub fn body(mut self, body: #ty) -> Self {
                self.body = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let output = success_type(&op.success.payload);
    let operation = emit_operation(tag, op);
    let send = emit_send(op);
    let send_fn = match &op.paging {
        None => quote! {
            /// Sends the request and decodes the response.
            pub async fn send(self) -> ::std::result::Result<crate::ResponseValue<#output>, crate::Error> {
                #send
            }
        },
        Some(paging) => emit_paging(paging, &output, send),
    };
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is sent or awaited"]
        pub struct #builder {
            client: crate::Client,
            #( #fields )*
            #body_field
            options: crate::RequestOptions,
        }

        impl #builder {
            #operation

            #( #setters )*
            #body_setter

            /// Replaces the options of this one request (timeout, extra headers, API version).
            pub fn options(mut self, options: crate::RequestOptions) -> Self {
                self.options = options;
                self
            }

            #send_fn
        }

        impl ::std::future::IntoFuture for #builder {
            type Output = ::std::result::Result<crate::ResponseValue<#output>, crate::Error>;
            type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send>>;

            // Inline, so the future is boxed, and its state machine and decoder compiled, in the
            // crate that awaits it: an operation nobody calls costs a release build nothing.
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}

/// `send` of a paged operation, which sends the first page, and the methods that walk pages.
fn emit_paging(paging: &Paging, output: &TokenStream, send_page: TokenStream) -> TokenStream {
    let page_ty = output;
    let item_ty = rust_type(&paging.item, true);
    let (take, _) = items_exprs(paging);
    let what = match paging.style {
        PageStyle::Cursor => "the `starting_after` cursor of each page",
        PageStyle::Search => "the `pagination.starting_after` cursor of each page, sent in the body",
        PageStyle::Page => "page numbers, up to `pages.total_pages` or an empty page",
        PageStyle::SearchPage => {
            "page numbers, sent as the body's `page`, up to `pages.total_pages` or an empty page"
        }
        PageStyle::NextUrl => "the `pages.next` link of each page",
        PageStyle::Scroll => {
            "the `scroll_param` of each page, up to an empty page; a page that fails other than by a 429 ends the scroll"
        }
    };
    let pages_doc = doc_attrs(&format!(
        "Streams the pages from this request on, following {what}. Each request is sent when the stream is polled."
    ));
    let items_doc = doc_attrs(&format!(
        "Streams the items of every page from this request on, in order, following {what}."
    ));
    quote! {
        /// Sends the request and decodes the response: one page.
        pub async fn send(self) -> ::std::result::Result<crate::ResponseValue<#output>, crate::Error> {
            self.send_page(::std::option::Option::None, false).await.map(|(page, _)| page)
        }

        #pages_doc
        #[inline]
        pub fn pages(self) -> crate::Pages<#page_ty> {
            crate::paging::pages(&Self::OPERATION, self, |request, cursor| ::std::boxed::Box::pin(request.send_page(cursor, true)))
        }

        #items_doc
        #[inline]
        pub fn items(self) -> crate::Items<#item_ty> {
            crate::paging::items(self.pages(), |page| #take)
        }

        /// Sends the page that starts at `cursor` (the first page for `None`); finds the next
        /// page's cursor only when `follow` says a stream will ask for it.
        async fn send_page(
            self,
            cursor: ::std::option::Option<crate::paging::Cursor>,
            follow: bool,
        ) -> ::std::result::Result<(crate::ResponseValue<#output>, ::std::option::Option<crate::paging::Cursor>), crate::Error> {
            #send_page
        }
    }
}

/// Expressions that read the items of `page`: by value (a `Vec`), and their count from a
/// reference, through optional fields.
fn items_exprs(paging: &Paging) -> (TokenStream, TokenStream) {
    let (mut take, mut take_opt) = (quote!(page), paging.page_optional);
    let (mut peek, mut peek_opt) =
        if paging.page_optional { (quote!(page.as_ref()), true) } else { (quote!(page), false) };
    for step in &paging.items_path {
        let field = ident(&step.field);
        take = match (take_opt, step.optional) {
            (true, true) => quote!(#take.and_then(|v| v.#field)),
            (true, false) => quote!(#take.map(|v| v.#field)),
            (false, _) => quote!(#take.#field),
        };
        take_opt |= step.optional;
        peek = match (peek_opt, step.optional) {
            (true, true) => quote!(#peek.and_then(|v| v.#field.as_ref())),
            (true, false) => quote!(#peek.map(|v| &v.#field)),
            (false, true) => quote!(#peek.#field.as_ref()),
            (false, false) => quote!(#peek.#field),
        };
        peek_opt |= step.optional;
    }
    let take = if take_opt { quote!(#take.unwrap_or_default()) } else { take };
    let count = if peek_opt { quote!(#peek.map_or(0, |items| items.len())) } else { quote!(#peek.len()) };
    (take, count)
}

/// The statements of `send_page` that put the cursor of the page asked for into the request's
/// parameter; the body and the URL take theirs where they are built.
fn apply_cursor(op: &Operation, paging: &Paging) -> TokenStream {
    let Some(index) = paging.cursor_param else { return TokenStream::new() };
    let param = &op.params[index];
    let name = ident(&param.name);
    let (variant, value) = match (paging.style, &param.ty) {
        (PageStyle::Page, TypeRef::I32) => (quote!(Page), quote!(crate::paging::page_number(*n)?)),
        (PageStyle::Page, _) => (quote!(Page), quote!(*n)),
        (PageStyle::Scroll, _) => (quote!(Scroll), quote!(n.clone())),
        _ => (quote!(StartingAfter), quote!(n.clone())),
    };
    let value = if param.required { value } else { quote!(::std::option::Option::Some(#value)) };
    quote! {
        let #name = match &cursor {
            ::std::option::Option::Some(crate::paging::Cursor::#variant(n)) => #value,
            _ => #name,
        };
    }
}

/// What the client knows of an operation to send it, as the builder's constant: the method's
/// name (`contacts.get`) for errors and logs, the description's id for searching them.
fn emit_operation(tag: &Tag, op: &Operation) -> TokenStream {
    let name = format!("{}.{}", tag.module, op.fn_name);
    let id = &op.id;
    // Ask for what the operation answers with: a server may refuse (406) a wrong Accept.
    let accept = &op.success.accept;
    let path = &op.path;
    let retry = ident(match op.retry {
        Retry::Idempotent => "Idempotent",
        Retry::UnsafeToRepeat => "UnsafeToRepeat",
        Retry::ServerUntouched => "ServerUntouched",
    });
    quote! {
        const OPERATION: crate::runtime::Operation = crate::runtime::Operation {
            name: #name,
            id: #id,
            path: #path,
            accept: #accept,
            retry: crate::runtime::Retry::#retry,
        };
    }
}

fn emit_send(op: &Operation) -> TokenStream {
    let names: Vec<_> = op.params.iter().map(|p| ident(&p.name)).collect();
    let body_binding = op.body.as_ref().map(|_| quote!(body,));
    let paging = op.paging.as_ref();
    let style = paging.map(|p| p.style);
    let url = emit_url(op, &names, style);
    let cursor = paging.map(|p| apply_cursor(op, p));
    let method = ident(op.method.as_str());
    let queries = emit_queries(op, &names, style);
    let headers = emit_headers(op, &names);
    let body = op.body.as_ref().map(|b| emit_body(b, style));
    let decode = emit_decode(op);
    quote! {
        let Self { client, #( #names, )* #body_binding options } = self;
        #cursor
        #url
        let request = client.http().request(::reqwest::Method::#method, url);
        #queries
        #( #headers )*
        #body
        let operation = Self::OPERATION;
        let response = client.execute(&operation, request, options).await?;
        #decode
    }
}

/// `let url = …;`: the path with its values bound (percent-encoded) first, so the template reads
/// like the path, or the next page's link.
fn emit_url(op: &Operation, names: &[Ident], style: Option<PageStyle>) -> TokenStream {
    let mut format = String::from("{}");
    let mut encoded = Vec::new();
    for segment in &op.segments {
        match segment {
            PathSegment::Literal(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathSegment::Param(i) => {
                let name = &names[*i];
                format.push_str(&format!("{{{name}}}"));
                encoded.push(quote!(let #name = crate::runtime::path_value(&#name)?;));
            }
        }
    }
    let path_url = if encoded.is_empty() {
        quote!(format!(#format, client.base_url()))
    } else {
        quote!({
            #( #encoded )*
            format!(#format, client.base_url())
        })
    };
    if style == Some(PageStyle::NextUrl) {
        quote! {
            let url = match &cursor {
                ::std::option::Option::Some(crate::paging::Cursor::Url(next)) => crate::paging::next_url(client.base_url(), next)?,
                _ => #path_url,
            };
        }
    } else {
        quote!(let url = #path_url;)
    }
}

/// The query parameters, set on `request`.
fn emit_queries(op: &Operation, names: &[Ident], style: Option<PageStyle>) -> TokenStream {
    let queries = op
        .params
        .iter()
        .zip(names)
        .filter(|(p, _)| p.location == ParamLocation::Query || p.also_in_query)
        .map(|(p, name)| {
            let wire = &p.wire;
            quote!(.query(&::progenitor_client::QueryParam::new(#wire, &#name)))
        })
        .collect::<Vec<_>>();
    if queries.is_empty() {
        TokenStream::new()
    } else if style == Some(PageStyle::NextUrl) {
        // A next-page link carries the query of the first request already.
        quote! {
            let request = match &cursor {
                ::std::option::Option::Some(crate::paging::Cursor::Url(_)) => request,
                _ => request #( #queries )*,
            };
        }
    } else {
        quote!(let request = request #( #queries )*;)
    }
}

/// The header parameters, each set on `request` (an optional one when given).
fn emit_headers(op: &Operation, names: &[Ident]) -> Vec<TokenStream> {
    let headers = op.params.iter().zip(names).filter(|(p, _)| p.location == ParamLocation::Header);
    headers
        .map(|(p, name)| {
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
        })
        .collect()
}

/// The body, set on `request`: encoded by its media type, and for a search that pages in its
/// body, with the cursor written in.
fn emit_body(b: &Body, style: Option<PageStyle>) -> TokenStream {
    let content_type = &b.content_type;
    let encoded = match &b.kind {
        BodyKind::Json(_) => None,
        BodyKind::Text | BodyKind::Bytes => Some(quote! {
            request.header(::reqwest::header::CONTENT_TYPE, #content_type).body(body)
        }),
        BodyKind::Form(_) => Some(quote!(body.encode()?.attach(request))),
    };
    if let Some(encoded) = encoded {
        return if b.required {
            quote!(let request = #encoded;)
        } else {
            quote! {
                let request = match body {
                    ::std::option::Option::Some(body) => #encoded,
                    ::std::option::Option::None => request,
                };
            }
        };
    }
    let paged_body = match style {
        Some(PageStyle::Search) => Some((
            quote!(crate::paging::Cursor::StartingAfter(next)),
            quote!(crate::paging::search_body(body, next)?),
        )),
        Some(PageStyle::SearchPage) => {
            Some((quote!(crate::paging::Cursor::Page(next)), quote!(crate::paging::page_body(body, *next)?)))
        }
        _ => None,
    };
    if let Some((pattern, json)) = paged_body {
        // The cursor goes into the body as JSON: the body type stays as typed.
        let plain = if b.required {
            quote!(_ => request.json(&body),)
        } else {
            quote! {
                (_, ::std::option::Option::Some(body)) => request.json(body),
                (_, ::std::option::Option::None) => request,
            }
        };
        quote! {
            let request = match (&cursor, &body) {
                (::std::option::Option::Some(#pattern), body) => request.json(&#json),
                #plain
            };
        }
    } else if b.required {
        quote!(let request = request.json(&body);)
    } else {
        quote! {
            let request = match &body {
                ::std::option::Option::Some(body) => request.json(body),
                ::std::option::Option::None => request,
            };
        }
    }
}

/// The decoding of the response, by what the operation answers with.
fn emit_decode(op: &Operation) -> TokenStream {
    let paging = op.paging.as_ref();
    match &op.success.payload {
        Payload::Json(page_ty) if paging.is_some() => {
            let page_ty = rust_type(page_ty, true);
            let (_, count) = paging.map(items_exprs).unwrap_or_default();
            let style = ident(match paging.map(|p| p.style) {
                Some(PageStyle::Cursor) => "Cursor",
                Some(PageStyle::Search) => "Search",
                // A body's page number is read back from the page as for the query's.
                Some(PageStyle::Page | PageStyle::SearchPage) => "Page",
                Some(PageStyle::NextUrl) => "NextUrl",
                _ => "Scroll",
            });
            quote! {
                crate::paging::decode_page(response, &operation, crate::paging::Style::#style, cursor, follow, |page: &#page_ty| #count).await
            }
        }
        Payload::Json(_) => quote!(crate::runtime::decode_json(response, &operation).await),
        Payload::Empty => quote!(::std::result::Result::Ok(crate::runtime::decode_empty(response))),
        Payload::Text => quote!(crate::runtime::decode_text(response, &operation).await),
        Payload::Binary => quote!(::std::result::Result::Ok(crate::runtime::decode_stream(response))),
        Payload::ByStatus(bodies) => decode_by_status(bodies),
    }
}
