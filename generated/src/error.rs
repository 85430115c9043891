//! The crate's one error type, and Intercom's error body.

use serde::{Deserialize, Serialize};

/// Every failure of a request: progenitor-client's error, whose error responses carry an
/// [`ApiError`].
pub type Error = progenitor_client::Error<ApiError>;

/// The body of an error response: Intercom's `error.list` envelope when the server sent one,
/// and the raw body in any case. It decodes from and encodes to the envelope's JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    /// The envelope's `type`, `error.list`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// The id Intercom gives the failed request, for support.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The errors Intercom lists; empty when the body was not Intercom's envelope. Some
    /// endpoints send one error object, or an object from field names to messages, instead of
    /// a list; both are read as a list.
    #[serde(default, deserialize_with = "error_items", skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorItem>,
    /// The body as received.
    #[serde(skip)]
    pub raw: String,
}

/// One entry of Intercom's error list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorItem {
    /// A machine-readable code, such as `unauthorized` or `not_found`.
    #[serde(default)]
    pub code: String,
    /// What went wrong, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The request field the error is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

fn error_items<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<ErrorItem>, D::Error> {
    use serde::de::Error as _;
    Ok(match Option::<serde_json::Value>::deserialize(deserializer)? {
        Some(list @ serde_json::Value::Array(_)) => serde_json::from_value(list).map_err(D::Error::custom)?,
        Some(serde_json::Value::Object(one)) if one.contains_key("code") => {
            vec![serde_json::from_value(serde_json::Value::Object(one)).map_err(D::Error::custom)?]
        }
        Some(serde_json::Value::Object(by_field)) => by_field
            .into_iter()
            .map(|(field, message)| ErrorItem {
                code: String::new(),
                message: Some(message.as_str().map_or_else(|| message.to_string(), str::to_owned)),
                field: Some(field),
            })
            .collect(),
        _ => Vec::new(),
    })
}

impl ApiError {
    /// Reads an error body: the envelope's fields where it parses, the raw text always.
    pub fn from_body(body: &[u8]) -> Self {
        let raw = String::from_utf8_lossy(body).into_owned();
        match serde_json::from_slice::<ApiError>(body) {
            Ok(envelope) => ApiError { raw, ..envelope },
            Err(_) => ApiError { raw, ..ApiError::default() },
        }
    }
}

/// Reads a non-success response into [`Error::ErrorResponse`].
pub(crate) async fn error_response(response: reqwest::Response) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    match response.bytes().await {
        Ok(body) => Error::ErrorResponse(progenitor_client::ResponseValue::new(
            ApiError::from_body(&body),
            status,
            headers,
        )),
        Err(e) => Error::ResponseBodyError(e),
    }
}
