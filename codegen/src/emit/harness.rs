//! The conformance harness: a function that decodes an example into the generated type of an
//! operation's request or response and encodes it again. Only scratch crates built by
//! `cargo xtask conformance` include it; the published crate does not.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type;
use crate::model::{Api, Payload};

pub(crate) fn emit_harness(api: &Api) -> TokenStream {
    let mut arms = Vec::new();
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        let id = &op.id;
        if let Some(body) = &op.body {
            let ty = rust_type(&body.ty, true);
            arms.push(quote!((#id, "request") => round_trip::<#ty>(json),));
        }
        if let Payload::Json(ty) = &op.success.payload {
            let ty = rust_type(ty, true);
            arms.push(quote!((#id, "success") => round_trip::<#ty>(json),));
        }
    }
    quote! {
        //! Decodes examples into generated types and encodes them again (conformance only).

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
