//! Helpers that generated code calls: parameter encoding and response decoding.
//!
//! Which of them a crate uses depends on its spec (one without text responses never decodes
//! text), so unused ones are not an error here.
#![allow(dead_code)]

use std::fmt;

use progenitor_client::{ByteStream, ResponseValue};
use serde::de::{DeserializeOwned, Error as _, Visitor};
use serde::{Deserializer, Serialize};

use crate::error::{Error, ProgenitorError};

/// What the client needs to know of an operation to send it.
pub(crate) struct Operation {
    /// The method that sends it (`contacts.get`), for errors and logs.
    pub name: &'static str,
    /// The operation's id in the description (`ShowContact`), for searching logs.
    pub id: &'static str,
    /// The path template, for logs.
    pub path: &'static str,
    /// The media type to ask for.
    pub accept: &'static str,
    /// When a failed request may be sent again.
    pub retry: Retry,
}

/// When a failed request may be sent again (see the generator's `model::Retry`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Repeating has the same effect as sending once.
    Idempotent,
    /// Retried only when the server cannot have acted on it (a 429, or a connection never made),
    /// unless the caller opts in with `RequestOptions::retry_unsafe`.
    UnsafeToRepeat,
    /// Retried only when the server cannot have acted on it, whatever the caller asks: a scroll
    /// page, which a second request may move past.
    ServerUntouched,
}

/// A parameter that cannot be sent; it becomes an error of kind [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest).
#[derive(Debug)]
pub(crate) struct InvalidParam(pub(crate) String);

impl From<InvalidParam> for Error {
    fn from(e: InvalidParam) -> Self {
        Error::from(ProgenitorError::InvalidRequest(e.0))
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
    operation: &Operation,
) -> Result<ResponseValue<T>, Error> {
    let (status, headers, body) = read_body(response, operation).await?;
    decode_json_bytes(&body, status, &headers)
        .map(|inner| ResponseValue::new(inner, status, headers))
        .map_err(|e| e.at(operation))
}

/// Decodes a JSON body already read; a mismatch names the field path where it failed, and the
/// error keeps the status, the headers and the body.
pub(crate) fn decode_json_bytes<T: DeserializeOwned>(
    body: &bytes::Bytes,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| decode_error(e, body, status, headers))
}

/// A body that did not decode, as an error that names the field path where it failed. Not
/// generic, so the decoders share one copy of it.
fn decode_error(
    e: serde_json::Error,
    body: &bytes::Bytes,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Error {
    // Where it failed comes from serde_json's line and column, read off the text: decoding
    // again to learn it would compile every type's decoder twice.
    let path = crate::json_path::of_error(body, e.line(), e.column());
    let reason = format!("at `{path}`: {}", without_position(&e));
    // A proxy's HTML error page is not a schema mismatch: say what came instead.
    let content_type = headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let error = match content_type {
        Some(ct) if !ct.contains("json") => {
            serde_json::Error::custom(format!("expected JSON but the response is `{ct}`; {reason}"))
        }
        _ => serde_json::Error::custom(reason),
    };
    Error::from(ProgenitorError::InvalidResponsePayload(body.clone(), error))
        .with_response(status, headers.clone())
}

/// serde_json's message without the ` at line L column C` it appends, which the path replaces.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) if e.line() > 0 => text[..at].to_owned(),
        _ => text,
    }
}

/// The status, the headers (moved out, not copied) and the whole body of a response.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    operation: &Operation,
) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, bytes::Bytes), Error> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(|e| body_error(e, operation))?;
    Ok((status, headers, body))
}

/// A success status that the description does not document, for an operation whose success
/// statuses have different bodies: there is no type to decode it into, so it is an error that
/// keeps the status, headers and body.
#[allow(dead_code)]
pub(crate) fn undocumented_success(
    body: &bytes::Bytes,
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
) -> Error {
    let reason =
        serde_json::Error::custom(format!("the status {status} is not one the description documents"));
    Error::from(ProgenitorError::InvalidResponsePayload(body.clone(), reason))
        .with_response(status, headers.clone())
}

/// A body that could not be read, as an error that names the operation.
pub(crate) fn body_error(e: reqwest::Error, operation: &Operation) -> Error {
    Error::from(ProgenitorError::ResponseBodyError(e)).at(operation)
}

/// A response whose body is not read.
pub(crate) fn decode_empty(response: reqwest::Response) -> ResponseValue<()> {
    ResponseValue::empty(response)
}

/// A text body.
pub(crate) async fn decode_text(
    response: reqwest::Response,
    operation: &Operation,
) -> Result<ResponseValue<String>, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.map_err(|e| body_error(e, operation))?;
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

/// The JSON kinds as bits. An untagged union's decoder names the kinds each branch takes
/// (`kind::OBJECT | kind::STRING`) and tries a branch only for a value of one of them.
// A spec's unions may not need every kind.
#[allow(dead_code)]
pub(crate) mod kind {
    /// A JSON object.
    pub(crate) const OBJECT: u8 = 1;
    /// A JSON array.
    pub(crate) const ARRAY: u8 = 1 << 1;
    /// A JSON string.
    pub(crate) const STRING: u8 = 1 << 2;
    /// A JSON number.
    pub(crate) const NUMBER: u8 = 1 << 3;
    /// `true` or `false`.
    pub(crate) const BOOL: u8 = 1 << 4;
    /// `null`.
    pub(crate) const NULL: u8 = 1 << 5;
    /// Every kind.
    pub(crate) const ANY: u8 = OBJECT | ARRAY | STRING | NUMBER | BOOL | NULL;
}

/// Whether `value`'s JSON kind is among the kinds of `mask` (see [`kind`]).
pub(crate) fn kind_matches(value: &serde_json::Value, mask: u8) -> bool {
    let of_value = match value {
        serde_json::Value::Object(_) => kind::OBJECT,
        serde_json::Value::Array(_) => kind::ARRAY,
        serde_json::Value::String(_) => kind::STRING,
        serde_json::Value::Number(_) => kind::NUMBER,
        serde_json::Value::Bool(_) => kind::BOOL,
        serde_json::Value::Null => kind::NULL,
    };
    mask & of_value != 0
}

/// The first of `keys` that the object `value` lacks, as a decoding error (`None` when it has
/// them all, or is not an object).
pub(crate) fn missing_key(value: &serde_json::Value, keys: &[&'static str]) -> Option<serde_json::Error> {
    let serde_json::Value::Object(map) = value else { return None };
    let missing = keys.iter().find(|k| !map.contains_key(**k))?;
    Some(<serde_json::Error as serde::de::Error>::missing_field(missing))
}

/// The error of an untagged union that no branch accepted, with each branch's reason.
pub(crate) fn no_branch<E: serde::de::Error>(
    union: &str,
    value: &serde_json::Value,
    failures: &[(&str, serde_json::Error)],
) -> E {
    let kind = match value {
        serde_json::Value::Object(_) => "an object",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Null => "null",
    };
    if failures.is_empty() {
        return E::custom(format!("{union} has no branch for {kind}"));
    }
    let reasons: Vec<String> = failures.iter().map(|(branch, e)| format!("{branch}: {e}")).collect();
    E::custom(format!("{kind} that matches no branch of {union} ({})", reasons.join("; ")))
}

/// Decodes one branch of a tagged union from the JSON value already read. It reads the value by
/// reference, as untagged unions do, so each type is compiled for one JSON-value reader only.
pub(crate) fn from_json_value<T: DeserializeOwned, E: serde::de::Error>(
    value: &serde_json::Value,
) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

/// An object key as the generated `Deserialize` impls read it: borrowed from the input when it
/// can be, so reading a known key allocates nothing.
pub(crate) struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }

        d.deserialize_str(KeyVisitor)
    }
}

/// Stores a field's value read by a generated `Deserialize` impl; a key given twice is an error,
/// as with serde's derive.
pub(crate) fn put_field<T, E: serde::de::Error>(
    slot: &mut Option<T>,
    key: &'static str,
    value: T,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(value);
    Ok(())
}

/// How a value the server sent differed from its declared type, where lenient decoding made it
/// fit: what encoding needs to give back the JSON that was received.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Sent {
    /// A number where the type says string.
    Number(serde_json::Number),
    /// A boolean where the type says string.
    Bool(bool),
    /// A string where the type says integer.
    Text(String),
    /// `null` where the type has no null: decoded as its default, or as `None`.
    Null,
    /// A required property left out: decoded as its default.
    Absent,
    /// The whole object sent as a bare string (its URL).
    Bare,
}

/// What a received struct remembers of the values that lenient decoding changed, so that
/// encoding it gives back the JSON kinds it was received with (a value read and written back
/// must not change its type in Intercom). Empty, and free, for a value that came as declared.
/// Each note holds for the value as decoded: a field the caller changes is written as its type
/// says. It never makes two values unequal.
#[derive(Clone, Debug, Default)]
pub(crate) struct AsReceived(Vec<(&'static str, Option<String>, Sent)>);

impl PartialEq for AsReceived {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl AsReceived {
    fn note(&mut self, key: &'static str, entry: Option<String>, sent: Sent) {
        self.0.push((key, entry, sent));
    }

    /// Whether the object itself came as a bare string.
    pub(crate) fn came_bare(&self) -> bool {
        self.0.iter().any(|(_, _, sent)| *sent == Sent::Bare)
    }

    /// Notes that the object came as a bare string.
    pub(crate) fn bare(mut self) -> Self {
        self.note("", None, Sent::Bare);
        self
    }

    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _, _)| *k == key)
    }

    /// Whether property `key` came as `null`.
    fn came_null(&self, key: &str) -> bool {
        self.0.iter().any(|(k, entry, sent)| *k == key && entry.is_none() && *sent == Sent::Null)
    }

    /// The JSON of property `key` as it was received, from its value as declared; `None` when it
    /// was left out and still holds the default it was given.
    fn restore(&self, key: &str, mut value: serde_json::Value) -> Option<serde_json::Value> {
        for (_, entry, sent) in self.0.iter().filter(|(k, _, _)| *k == key) {
            match entry {
                None => value = restore_one(sent, value)?,
                Some(entry) => {
                    if let Some(map) = value.as_object_mut()
                        && let Some(item) = map.remove(entry)
                        && let Some(item) = restore_one(sent, item)
                    {
                        map.insert(entry.clone(), item);
                    }
                }
            }
        }
        Some(value)
    }
}

/// One value as received, if it still holds what decoding made of it; otherwise as it is.
fn restore_one(sent: &Sent, value: serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    let blank = match &value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    };
    Some(match (sent, &value) {
        (Sent::Number(n), Value::String(s)) if *s == n.to_string() || s.parse::<f64>().ok() == n.as_f64() => {
            Value::Number(n.clone())
        }
        (Sent::Bool(b), Value::String(s)) if *s == b.to_string() => Value::Bool(*b),
        (Sent::Text(t), Value::Number(n)) if t.trim().parse::<i64>().ok() == n.as_i64() => {
            Value::String(t.clone())
        }
        (Sent::Number(sent), Value::Number(n)) if sent.as_f64() == n.as_f64() => Value::Number(sent.clone()),
        (Sent::Null, _) if blank => Value::Null,
        (Sent::Absent, _) if blank => return None,
        _ => value,
    })
}

/// A decoded value that may carry a note of how it differed from its type (the lenient
/// decoders): the value goes to its field, the note to the struct's [`AsReceived`].
pub(crate) trait Noted {
    type Value;
    fn into_noted(self, notes: &mut AsReceived, key: &'static str) -> Self::Value;
}

/// Reads a lenient field of a received struct, keeping its note.
pub(crate) fn noted<N: Noted>(notes: &mut AsReceived, key: &'static str, decoded: N) -> N::Value {
    decoded.into_noted(notes, key)
}

/// An optional field of a received struct: `None` here is a `null` the server sent.
pub(crate) fn null_noted<T>(notes: &mut AsReceived, key: &'static str, value: Option<T>) -> Option<T> {
    if value.is_none() {
        notes.note(key, None, Sent::Null);
    }
    value
}

/// A required field of a received struct once every key is read: its value, or its default,
/// noted as left out.
pub(crate) fn or_absent<T: Default>(notes: &mut AsReceived, key: &'static str, slot: Option<T>) -> T {
    slot.unwrap_or_else(|| {
        notes.note(key, None, Sent::Absent);
        T::default()
    })
}

/// Notes that a required field was left out (`absent`) or sent as `null`, and decoded as if it
/// were `{}`.
pub(crate) fn note_nothing(notes: &mut AsReceived, key: &'static str, absent: bool) {
    notes.note(key, None, if absent { Sent::Absent } else { Sent::Null });
}

/// A JSON object being written by a generated `Serialize` impl: the struct's constants, its
/// fields, and then its undeclared keys, except those it has already written. A received
/// struct's fields are written as they were received (see [`AsReceived`]).
pub(crate) struct Object<'r, S: serde::Serializer> {
    map: S::SerializeMap,
    written: Vec<&'static str>,
    received: Option<&'r AsReceived>,
}

impl<'r, S: serde::Serializer> Object<'r, S> {
    pub(crate) fn new(serializer: S) -> Result<Self, S::Error> {
        Ok(Object { map: serializer.serialize_map(None)?, written: Vec::new(), received: None })
    }

    /// The writer of a received struct, which writes each field as it was received.
    pub(crate) fn received(serializer: S, received: &'r AsReceived) -> Result<Self, S::Error> {
        Ok(Object { map: serializer.serialize_map(None)?, written: Vec::new(), received: Some(received) })
    }

    /// A property fixed to one value.
    pub(crate) fn constant(&mut self, key: &'static str, value: &'static str) -> Result<(), S::Error> {
        self.field(key, value)
    }

    /// A property fixed to one value, unless the server sent another one, kept among the
    /// undeclared keys: that one is written back in its place.
    pub(crate) fn constant_or_kept(
        &mut self,
        key: &'static str,
        value: &'static str,
        kept: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), S::Error> {
        match kept.get(key) {
            Some(sent) => self.field(key, sent),
            None => self.field(key, value),
        }
    }

    /// A property that is always written (`None` of a nullable one is `null`).
    pub(crate) fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.written.push(key);
        serde::ser::SerializeMap::serialize_entry(&mut self.map, key, value)
    }

    /// A property of a received struct that decoding may have changed, written as it was
    /// received (see [`AsReceived`]): left out again when it came left out and still holds the
    /// default it got. Only a property with a note pays for the detour through JSON, and only
    /// the field types that can have one call this, so the other types' encoders are not
    /// compiled twice.
    pub(crate) fn kept<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        match self.received.filter(|r| r.has(key)) {
            Some(received) => {
                self.written.push(key);
                let json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
                match received.restore(key, json) {
                    Some(json) => serde::ser::SerializeMap::serialize_entry(&mut self.map, key, &json),
                    None => Ok(()),
                }
            }
            None => self.field(key, value),
        }
    }

    /// [`Object::kept`] of an optional property: `None` is left out, or `null` when it came so.
    pub(crate) fn kept_optional<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => self.kept(key, value),
            None => self.optional::<T>(key, &None),
        }
    }

    /// A property written only when it is set, or as `null` when it was received so.
    pub(crate) fn optional<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => self.field(key, value),
            None if self.received.is_some_and(|r| r.came_null(key)) => self.field(key, &()),
            None => Ok(()),
        }
    }

    /// A property that may be left out, `null`, or set.
    pub(crate) fn nullable<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Nullable<T>,
    ) -> Result<(), S::Error> {
        match value {
            Nullable::Absent => Ok(()),
            Nullable::Null => self.field(key, &()),
            Nullable::Value(value) => self.field(key, value),
        }
    }

    /// The undeclared keys. One that the struct already wrote (a constant the server sent with
    /// another value is kept among them) is not written twice; one kept there because its value
    /// did not fit the declared field (an object sent as text) is written back in its place.
    pub(crate) fn rest<'a, V: Serialize + 'a>(
        mut self,
        entries: impl IntoIterator<Item = (&'a String, &'a V)>,
    ) -> Result<S::Ok, S::Error> {
        for (key, value) in entries {
            if !self.written.contains(&key.as_str()) {
                serde::ser::SerializeMap::serialize_entry(&mut self.map, key, value)?;
            }
        }
        serde::ser::SerializeMap::end(self.map)
    }
}

/// Lenient decoders for fields: Intercom's servers (and its spec's own examples) send numeric
/// ids where the spec says string, and numeric strings where it says integer. Encoding is
/// untouched, so requests stay faithful to the spec.
pub(crate) mod lenient {
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::Deserializer;
    use serde::de::{self, Visitor};

    use super::Sent;

    /// Text from a string, a number or a boolean, with a note of what came when it was not a
    /// string (the JSON number's own text, so encoding can give back the same number).
    struct Text;

    impl Visitor<'_> for Text {
        type Value = (String, Option<Sent>);

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string (or a number or boolean, kept as text)")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok((v.to_owned(), None))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok((v, None))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok((v.to_string(), Some(Sent::Number(v.into()))))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok((v.to_string(), Some(Sent::Number(v.into()))))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok((v.to_string(), serde_json::Number::from_f64(v).map(Sent::Number)))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok((v.to_string(), Some(Sent::Bool(v))))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok((String::new(), Some(Sent::Null)))
        }
    }

    /// An integer from a number or from a string that holds one, with a note of what came when
    /// it was not an integer.
    struct Integer;

    impl Visitor<'_> for Integer {
        type Value = (i64, Option<Sent>);

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer (or a string holding one)")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok((v, None))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v).map(|v| (v, None)).map_err(|_| E::custom(format!("{v} does not fit in an i64")))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if v.fract() == 0.0 && v.abs() < 9.0e15 {
                Ok((v as i64, serde_json::Number::from_f64(v).map(Sent::Number)))
            } else {
                Err(E::invalid_type(de::Unexpected::Float(v), &self))
            }
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let parsed = v.trim().parse().map_err(|_| E::invalid_type(de::Unexpected::Str(v), &self))?;
            Ok((parsed, Some(Sent::Text(v.to_owned()))))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok((0, Some(Sent::Null)))
        }
    }

    /// `Some` of an inner visitor's value, or `None` for null (a `Nullable` never sees the
    /// `visit_unit` of its inner visitor, which is for required fields).
    struct Nullable<V>(V);

    impl<'de, V: Visitor<'de>> Visitor<'de> for Nullable<V> {
        type Value = Option<V::Value>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.expecting(f)?;
            f.write_str(" or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self.0).map(Some)
        }
    }

    /// A required struct that the server left out or sent as `null`: decoded from `{}`, so its
    /// own required fields get the same treatment.
    pub(crate) fn from_nothing<T: serde::de::DeserializeOwned, E: de::Error>() -> Result<T, E> {
        super::from_json_value(&serde_json::Value::Object(serde_json::Map::new()))
    }

    /// The value the server sent for a constant, unless it is the constant (then there is
    /// nothing to keep).
    pub(crate) fn unless(constant: &str, value: serde_json::Value) -> Option<serde_json::Value> {
        (value.as_str() != Some(constant)).then_some(value)
    }

    /// A constant sent with another value where the struct has nowhere to keep it.
    pub(crate) fn not_constant<E: de::Error>(key: &str, constant: &str, value: &serde_json::Value) -> E {
        E::custom(format_args!("`{key}` is {value}, but the description allows only \"{constant}\""))
    }

    /// A value and the note of how it came, when it differed from its type.
    type Decoded<T> = (T, Option<Sent>);

    /// `None` for a `null` the server sent, noted.
    fn nulled<T>(value: Option<Decoded<T>>) -> Decoded<Option<T>> {
        match value {
            Some((value, sent)) => (Some(value), sent),
            None => (None, Some(Sent::Null)),
        }
    }

    fn to_i32<E: de::Error>((v, sent): Decoded<i64>) -> Result<Decoded<i32>, E> {
        i32::try_from(v).map(|v| (v, sent)).map_err(|_| E::custom(format!("{v} does not fit in an i32")))
    }

    pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<String>, D::Error> {
        d.deserialize_any(Text)
    }

    pub(crate) fn option_string<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Decoded<Option<String>>, D::Error> {
        d.deserialize_option(Nullable(Text)).map(nulled)
    }

    pub(crate) fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<i64>, D::Error> {
        d.deserialize_any(Integer)
    }

    pub(crate) fn option_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Option<i64>>, D::Error> {
        d.deserialize_option(Nullable(Integer)).map(nulled)
    }

    pub(crate) fn i32<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<i32>, D::Error> {
        to_i32(d.deserialize_any(Integer)?)
    }

    pub(crate) fn option_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Decoded<Option<i32>>, D::Error> {
        match d.deserialize_option(Nullable(Integer))? {
            Some(v) => to_i32(v).map(|(v, sent)| (Some(v), sent)),
            None => Ok((None, Some(Sent::Null))),
        }
    }

    /// A map of strings whose values may also be numbers or booleans (Intercom's attribute
    /// maps hold all three), each kept as text with a note of what came; a required map sent as
    /// `null` is empty.
    pub(crate) fn string_map<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<MapDecoded<BTreeMap<String, String>>, D::Error> {
        let (map, (entries, null)) = option_string_map(d)?;
        Ok((map.unwrap_or_default(), (entries, null)))
    }

    /// A map, the notes of its entries, and whether it came as `null`.
    type MapDecoded<T> = (T, (Vec<(String, Sent)>, bool));

    pub(crate) fn option_string_map<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<MapDecoded<Option<BTreeMap<String, String>>>, D::Error> {
        let Some(map) = <Option<BTreeMap<String, Str>> as serde::Deserialize>::deserialize(d)? else {
            return Ok((None, (Vec::new(), true)));
        };
        let mut notes = Vec::new();
        let map = map
            .into_iter()
            .map(|(key, Str(value, sent))| {
                if let Some(sent) = sent {
                    notes.push((key.clone(), sent));
                }
                (key, value)
            })
            .collect();
        Ok((Some(map), (notes, false)))
    }

    /// The decoders above as types, for the generated `Deserialize` impls to read a field
    /// through: each is defined once here instead of once per field. The value is `.0`; a
    /// received struct also keeps the note (see [`super::AsReceived`]).
    macro_rules! decoder_types {
        ($( $(#[$doc:meta])* $name:ident($ty:ty, $note:ty) = $decode:ident; )*) => {$(
            $(#[$doc])*
            pub(crate) struct $name(pub(crate) $ty, pub(crate) $note);

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $decode(d).map(|(value, note)| $name(value, note))
                }
            }
        )*};
    }

    decoder_types! {
        /// A required string (see [`string`]).
        Str(String, Option<Sent>) = string;
        /// An optional string (see [`option_string`]).
        OptionStr(Option<String>, Option<Sent>) = option_string;
        /// A required 64-bit integer (see [`i64`]).
        Int64(i64, Option<Sent>) = i64;
        /// An optional 64-bit integer (see [`option_i64`]).
        OptionInt64(Option<i64>, Option<Sent>) = option_i64;
        /// A required 32-bit integer (see [`i32`]).
        Int32(i32, Option<Sent>) = i32;
        /// An optional 32-bit integer (see [`option_i32`]).
        OptionInt32(Option<i32>, Option<Sent>) = option_i32;
        /// A required map of strings (see [`string_map`]).
        StrMap(BTreeMap<String, String>, (Vec<(String, Sent)>, bool)) = string_map;
        /// An optional map of strings (see [`option_string_map`]).
        OptionStrMap(Option<BTreeMap<String, String>>, (Vec<(String, Sent)>, bool)) = option_string_map;
    }

    macro_rules! noted_scalars {
        ($( $name:ident($ty:ty) ),*) => {$(
            impl super::Noted for $name {
                type Value = $ty;
                fn into_noted(self, notes: &mut super::AsReceived, key: &'static str) -> $ty {
                    if let Some(sent) = self.1 {
                        notes.note(key, None, sent);
                    }
                    self.0
                }
            }
        )*};
    }

    noted_scalars!(
        Str(String),
        OptionStr(Option<String>),
        Int64(i64),
        OptionInt64(Option<i64>),
        Int32(i32),
        OptionInt32(Option<i32>)
    );

    macro_rules! noted_maps {
        ($( $name:ident($ty:ty) ),*) => {$(
            impl super::Noted for $name {
                type Value = $ty;
                fn into_noted(self, notes: &mut super::AsReceived, key: &'static str) -> $ty {
                    let (entries, null) = self.1;
                    if null {
                        notes.note(key, None, Sent::Null);
                    }
                    for (entry, sent) in entries {
                        notes.note(key, Some(entry), sent);
                    }
                    self.0
                }
            }
        )*};
    }

    noted_maps!(StrMap(BTreeMap<String, String>), OptionStrMap(Option<BTreeMap<String, String>>));

    /// An optional object property, or the text the server sent in its place (Intercom sends
    /// some objects as a bare URL). The text is offered to the type first (a type with one URL
    /// property takes it there); otherwise the caller keeps it among the undeclared keys.
    pub(crate) enum ObjectOrText<T> {
        /// The value, or `None` for null.
        Object(Option<T>),
        /// A string that the type does not take.
        Text(String),
    }

    impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for ObjectOrText<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ObjectOrTextVisitor(std::marker::PhantomData))
        }
    }

    struct ObjectOrTextVisitor<T>(std::marker::PhantomData<T>);

    impl<T> ObjectOrTextVisitor<T> {
        fn text<'de, E: de::Error>(v: &str) -> Result<ObjectOrText<T>, E>
        where
            T: serde::Deserialize<'de>,
        {
            let offered = de::value::StrDeserializer::<de::value::Error>::new(v);
            Ok(match T::deserialize(offered) {
                Ok(value) => ObjectOrText::Object(Some(value)),
                Err(_) => ObjectOrText::Text(v.to_owned()),
            })
        }
    }

    impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for ObjectOrTextVisitor<T> {
        type Value = ObjectOrText<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object (or a string)")
        }

        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|v| ObjectOrText::Object(Some(v)))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Self::text(v)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(ObjectOrText::Object(None))
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(ObjectOrText::Object(None))
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    /// A required value that the server sent as `null` decodes as its default; `.1` says it
    /// was `null`.
    pub(crate) struct DefaultIfNull<T>(pub(crate) T, pub(crate) bool);

    impl<'de, T: serde::Deserialize<'de> + Default> serde::Deserialize<'de> for DefaultIfNull<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let value = <Option<T> as serde::Deserialize>::deserialize(d)?;
            let null = value.is_none();
            Ok(DefaultIfNull(value.unwrap_or_default(), null))
        }
    }

    impl<T> super::Noted for DefaultIfNull<T> {
        type Value = T;
        fn into_noted(self, notes: &mut super::AsReceived, key: &'static str) -> T {
            if self.1 {
                notes.note(key, None, Sent::Null);
            }
            self.0
        }
    }
}

/// A property that may be left out, sent as `null`, or given a value: the fields of request
/// types that the description marks both optional and nullable, so that a request can clear a
/// value (`Null`) as well as leave it alone (`Absent`, the default).
///
/// ```
/// use intercom_api::Nullable;
///
/// let mut name: Nullable<String> = Nullable::Absent;
/// assert!(name.is_absent());
/// name = "Ada".to_owned().into();
/// assert_eq!(name.value().map(String::as_str), Some("Ada"));
/// name = Nullable::Null;
/// assert_eq!(name.into_option(), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent; decoded when the property is missing.
    #[default]
    Absent,
    /// Sent as `null`, which clears the value.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one; absent and `null` are both `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// What a decoded property held: `None` is a `null` (an absent property never gets here).
    pub(crate) fn sent(value: Option<T>) -> Self {
        value.map_or(Nullable::Null, Nullable::Value)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// A chainable setter for one field, so a generated type describes each of its setters in one
/// line, `setter!(kind, field, T)` (or `setter!(kind, field, T, name)` for a setter not named
/// as its field): `req` sets a required field of type `T`, `opt` an
/// `Option<T>` (wrapping the value in `Some`), and `null` a `Nullable<T>`, which also takes
/// `Nullable::Null` to send an explicit `null` that clears the value. A spec without objects
/// never uses it.
#[allow(unused_macros)]
macro_rules! setter {
    ($(#[$attr:meta])* $kind:ident, $field:ident, $t:ty) => {
        $crate::runtime::setter!($(#[$attr])* $kind, $field, $t, $field);
    };
    ($(#[$attr:meta])* req, $field:ident, $t:ty, $setter:ident) => {
        #[doc = concat!("Sets the field `", stringify!($field), "`.")]
        $(#[$attr])*
        #[must_use]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$t>) -> Self {
            self.$field = value.into();
            self
        }
    };
    ($(#[$attr:meta])* opt, $field:ident, $t:ty, $setter:ident) => {
        #[doc = concat!("Sets the field `", stringify!($field), "`.")]
        $(#[$attr])*
        #[must_use]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$t>) -> Self {
            self.$field = ::std::option::Option::Some(value.into());
            self
        }
    };
    ($(#[$attr:meta])* null, $field:ident, $t:ty, $setter:ident) => {
        #[doc = concat!(
            "Sets the field `", stringify!($field),
            "`; `Nullable::Null` sends an explicit `null`, which clears the value."
        )]
        $(#[$attr])*
        #[must_use]
        pub fn $setter(mut self, value: impl ::std::convert::Into<$crate::Nullable<$t>>) -> Self {
            self.$field = value.into();
            self
        }
    };
}
#[allow(unused_imports)]
pub(crate) use setter;
