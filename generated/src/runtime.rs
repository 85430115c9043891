//! Helpers that generated code calls: parameter encoding and response decoding.
//!
//! Which of them a crate uses depends on its spec (one without text responses never decodes
//! text), so unused ones are not an error here.
#![allow(dead_code)]

use std::fmt;

use progenitor_client::{ByteStream, ResponseValue};
use serde::de::{DeserializeOwned, Error as _, Visitor};
use serde::{Deserializer, Serialize};

use crate::error::Error;

/// A parameter that cannot be sent; it becomes [`Error::InvalidRequest`].
#[derive(Debug)]
pub(crate) struct InvalidParam(String);

impl From<InvalidParam> for Error {
    fn from(e: InvalidParam) -> Self {
        Error::InvalidRequest(e.0)
    }
}

/// A parameter value as text: strings as they are, numbers and booleans printed.
pub(crate) fn param_value<T: Serialize + ?Sized>(value: &T) -> Result<String, InvalidParam> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        Ok(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Ok(serde_json::Value::Bool(b)) => Ok(b.to_string()),
        Ok(other) => Err(InvalidParam(format!(
            "a path or header parameter must be a string, number or boolean, not {other}"
        ))),
        Err(e) => Err(InvalidParam(format!("cannot encode a parameter: {e}"))),
    }
}

/// A path parameter, percent-encoded.
pub(crate) fn path_value<T: Serialize + ?Sized>(value: &T) -> Result<String, InvalidParam> {
    param_value(value).map(|s| progenitor_client::encode_path(&s))
}

/// Decodes a JSON body; a mismatch names the field path where it failed.
pub(crate) async fn decode_json<T: DeserializeOwned>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(_) => {
            // Decode again, slowly, only to learn where it failed.
            let mut de = serde_json::Deserializer::from_slice(&body);
            let error = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Ok(_) => serde_json::Error::custom("the body decoded only on a second try"),
                Err(e) => {
                    let path = e.path().to_string();
                    serde_json::Error::custom(format!("at `{path}`: {}", e.into_inner()))
                }
            };
            Err(Error::InvalidResponsePayload(body, error))
        }
    }
}

/// A response whose body is not read.
pub(crate) fn decode_empty(response: reqwest::Response) -> ResponseValue<()> {
    ResponseValue::empty(response)
}

/// A text body.
pub(crate) async fn decode_text(response: reqwest::Response) -> Result<ResponseValue<String>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.map_err(Error::ResponseBodyError)?;
    Ok(ResponseValue::new(text, status, headers))
}

/// A body handed over as a stream of bytes.
pub(crate) fn decode_stream(response: reqwest::Response) -> ResponseValue<ByteStream> {
    ResponseValue::stream(response)
}

/// Deserializes a string enum without allocating for the values it knows.
pub(crate) fn deserialize_enum<'de, D, T>(deserializer: D, from: fn(&str) -> T) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct EnumVisitor<T>(fn(&str) -> T);

    impl<T> Visitor<'_> for EnumVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }

    deserializer.deserialize_str(EnumVisitor(from))
}

/// Decodes one branch of a tagged union from the JSON value already read.
pub(crate) fn from_json_value<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}
