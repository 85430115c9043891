//! The crate's one error type, and Intercom's error body.

use serde::{Deserialize, Serialize};

/// Every failure of a request: progenitor-client's error, whose error responses carry an
/// [`ApiError`].
pub type Error = progenitor_client::Error<ApiError>;

/// The body of an error response: Intercom's `error.list` envelope when the server sent one,
/// and the raw body in any case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiError {
    /// The id Intercom gives the failed request, for support.
    pub request_id: Option<String>,
    /// The errors Intercom lists; empty when the body was not Intercom's envelope.
    pub errors: Vec<ErrorItem>,
    /// The body as received.
    pub raw: String,
}

/// One entry of Intercom's error list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorItem {
    /// A machine-readable code, such as `unauthorized` or `not_found`.
    #[serde(default)]
    pub code: String,
    /// What went wrong, for people.
    #[serde(default)]
    pub message: Option<String>,
    /// The request field the error is about, if any.
    #[serde(default)]
    pub field: Option<String>,
}

/// Intercom's error envelope as it is on the wire.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

impl ApiError {
    /// Reads an error body: the envelope's fields where it parses, the raw text always.
    pub fn from_body(body: &[u8]) -> Self {
        let raw = String::from_utf8_lossy(body).into_owned();
        match serde_json::from_slice::<Envelope>(body) {
            Ok(envelope) => ApiError { request_id: envelope.request_id, errors: envelope.errors, raw },
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
