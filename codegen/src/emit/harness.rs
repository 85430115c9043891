//! The conformance harness: `check` decodes an example into the generated type of an operation's
//! request or response and encodes it again; `call` makes an operation's request through the
//! generated builder from JSON arguments (for the contract test against a mock server, and the
//! wire test of every operation). Every generated crate has it, behind its `test-harness`
//! feature, which is not part of the crate's API.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_type};
use crate::model::{Api, Body, BodyKind, Operation, Payload, Tag};

pub(crate) fn emit_harness(api: &Api) -> TokenStream {
    let mut arms = Vec::new();
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        let id = &op.id;
        if let Some(ty) = op.body.as_ref().and_then(Body::json) {
            let ty = rust_type(ty, true);
            arms.push(quote!((#id, "request") => round_trip::<#ty>(json),));
        }
        if let Payload::Json(ty) = &op.success.payload {
            let ty = rust_type(ty, true);
            arms.push(quote!((#id, "success") => round_trip::<#ty>(json),));
        }
    }
    let calls = api.tags.iter().flat_map(|t| t.operations.iter().map(move |op| emit_call(t, op)));
    quote! {
        //! Decodes examples into generated types and encodes them again, and makes requests from
        //! JSON arguments (the repository's tests only).

        /// Sends `operation` with `args` (`{"path": {…}, "query": {…}, "header": {…}, "body": …}`,
        /// by wire name) and returns the decoded response encoded as JSON.
        #[allow(deprecated)]
        pub async fn call(client: &crate::Client, operation: &str, args: &::serde_json::Value) -> ::std::result::Result<::serde_json::Value, ::std::string::String> {
            match operation {
                #( #calls )*
                _ => ::std::result::Result::Err(::std::format!("no operation {operation}")),
            }
        }

        // A spec without optional parameters leaves this unused.
        #[allow(dead_code)]
        fn arg<T: ::serde::de::DeserializeOwned>(args: &::serde_json::Value, location: &str, name: &str) -> ::std::result::Result<::std::option::Option<T>, ::std::string::String> {
            match args.get(location).and_then(|a| a.get(name)) {
                ::std::option::Option::None | ::std::option::Option::Some(::serde_json::Value::Null) => ::std::result::Result::Ok(::std::option::Option::None),
                ::std::option::Option::Some(value) => match ::serde_json::from_value(value.clone()) {
                    ::std::result::Result::Ok(value) => ::std::result::Result::Ok(::std::option::Option::Some(value)),
                    // An id the spec declares an integer here may be a string in the crate (one
                    // type per kind of id); the text on the wire is the same.
                    ::std::result::Result::Err(e) => match value {
                        ::serde_json::Value::Number(n) => ::serde_json::from_value(::serde_json::Value::String(n.to_string())).map(::std::option::Option::Some),
                        _ => ::std::result::Result::Err(e),
                    }
                    .map_err(|e| ::std::format!("argument {location}.{name}: {e}")),
                },
            }
        }

        /// `args.prefer` becomes a `Prefer` header (Prism's `dynamic=true` asks for a response
        /// made from the schema instead of the spec's example).
        fn options(args: &::serde_json::Value) -> ::std::result::Result<crate::RequestOptions, ::std::string::String> {
            let options = crate::RequestOptions::new();
            match args.get("prefer").and_then(::serde_json::Value::as_str) {
                ::std::option::Option::Some(prefer) => {
                    let value = ::reqwest::header::HeaderValue::from_str(prefer).map_err(|e| e.to_string())?;
                    ::std::result::Result::Ok(options.header(::reqwest::header::HeaderName::from_static("prefer"), value))
                }
                ::std::option::Option::None => ::std::result::Result::Ok(options),
            }
        }

        // A spec without required parameters leaves this unused.
        #[allow(dead_code)]
        fn required<T: ::serde::de::DeserializeOwned>(args: &::serde_json::Value, location: &str, name: &str) -> ::std::result::Result<T, ::std::string::String> {
            arg(args, location, name)?.ok_or_else(|| ::std::format!("missing argument {location}.{name}"))
        }

        /// Decodes `json` as the `part` (`request`, `success` or `error`) of `operation`, and
        /// returns it encoded again, or where decoding failed.
        pub fn check(operation: &str, part: &str, json: &str) -> ::std::result::Result<::std::string::String, ::std::string::String> {
            match (operation, part) {
                #( #arms )*
                (_, "error") => round_trip::<crate::ApiError>(json),
                _ => ::std::result::Result::Err(::std::format!("no type for the {part} of {operation}")),
            }
        }

        fn round_trip<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(json: &str) -> ::std::result::Result<::std::string::String, ::std::string::String> {
            let mut de = ::serde_json::Deserializer::from_str(json);
            let value: T = ::serde_path_to_error::deserialize(&mut de)
                .map_err(|e| ::std::format!("at `{}`: {}", e.path(), e.inner()))?;
            ::serde_json::to_string(&value).map_err(|e| e.to_string())
        }
    }
}

/// One arm of `call`: required arguments to the method, optional ones through setters.
fn emit_call(tag: &Tag, op: &Operation) -> TokenStream {
    let id = &op.id;
    let accessor = ident(&tag.module);
    let method = ident(&op.fn_name);
    let location = |p: &crate::model::Param| p.location.as_str();
    let mut required_args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let (loc, wire, ty) = (location(p), &p.wire, rust_type(&p.ty, true));
            quote!(required::<#ty>(args, #loc, #wire)?)
        })
        .collect();
    let mut setters: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let (loc, wire, ty, setter) = (location(p), &p.wire, rust_type(&p.ty, true), ident(&p.name));
            quote! {
                let request = match arg::<#ty>(args, #loc, #wire)? {
                    ::std::option::Option::Some(value) => request.#setter(value),
                    ::std::option::Option::None => request,
                };
            }
        })
        .collect();
    if let Some(body) = &op.body {
        // JSON arguments give a JSON body, a string for a text or bytes body; a form holds files,
        // which JSON does not, so an operation that needs one is not called from JSON.
        let decode = match &body.kind {
            BodyKind::Json(ty) => {
                let ty = rust_type(ty, true);
                quote!(::serde_json::from_value::<#ty>(args.get("body").cloned().unwrap_or_default()).map_err(|e| ::std::format!("argument body: {e}")))
            }
            BodyKind::Text | BodyKind::Bytes => {
                quote!(
                    args.get("body")
                        .and_then(::serde_json::Value::as_str)
                        .map(::std::borrow::ToOwned::to_owned)
                        .ok_or_else(|| ::std::string::String::from("argument body: expected a string"))
                )
            }
            BodyKind::Form(_) => {
                let id = &op.id;
                let message = format!("{id} sends a multipart form, which JSON arguments cannot hold");
                quote!(::std::result::Result::<_, ::std::string::String>::Err(::std::string::String::from(#message)))
            }
        };
        if body.required {
            required_args.push(quote!(#decode?));
        } else {
            setters.push(quote! {
                let request = match args.get("body") {
                    ::std::option::Option::Some(_) => request.body(#decode?),
                    ::std::option::Option::None => request,
                };
            });
        }
    }
    let encode = match &op.success.payload {
        Payload::Binary | Payload::Empty => quote!(::std::result::Result::Ok(::serde_json::Value::Null)),
        _ => quote!(::serde_json::to_value(response.into_inner()).map_err(|e| e.to_string())),
    };
    quote! {
        // Each arm's future is boxed: one unboxed state machine for every operation would be
        // too large for a thread's stack in a debug build.
        #id => ::std::boxed::Box::pin(async move {
            let request = client.#accessor().#method(#( #required_args ),*);
            #( #setters )*
            let request = request.options(options(args)?);
            // Prism's reasons are in the raw error body, which the one-line `Display` shortens.
            let response = request.send().await.map_err(|e| match (e.status(), e.api_error()) {
                (::std::option::Option::Some(status), ::std::option::Option::Some(body)) => ::std::format!("HTTP {status}: {}", body.raw),
                _ => e.to_string(),
            })?;
            // A mock server that validates requests (Prism) lists what it found wrong here; the
            // entries about its own response (a spec example breaking its schema) are not ours.
            if let ::std::option::Option::Some(violations) = response.headers().get("sl-violations") {
                let list: ::std::vec::Vec<::serde_json::Value> = ::serde_json::from_slice(violations.as_bytes()).unwrap_or_default();
                let ours: ::std::vec::Vec<&::serde_json::Value> = list.iter().filter(|v| v.pointer("/location/0").and_then(::serde_json::Value::as_str) == ::std::option::Option::Some("request")).collect();
                if !ours.is_empty() {
                    return ::std::result::Result::Err(::std::format!("the request breaks the spec: {ours:?}"));
                }
            }
            #encode
        }).await,
    }
}
