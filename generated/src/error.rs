//! The crate's one error type, and Intercom's error body.

use std::fmt;

use serde::{Deserialize, Serialize};

/// progenitor-client's error, which [`Error`] wraps.
pub type ProgenitorError = progenitor_client::Error<ApiError>;

/// Every failure of a request: what went wrong (see [`Error::kind`]), the operation it
/// happened in, and, for an error response, the status, headers and Intercom's error body.
///
/// Its `Display` is one line, such as
/// `SearchContacts: HTTP 429 Too Many Requests: rate_limit_exceeded: Rate limit exceeded (request id 9b4e…)`.
/// It never contains the access token.
pub struct Error(Box<Inner>);

struct Inner {
    source: ProgenitorError,
    /// The failed method's name and the operation's id.
    operation: Option<(&'static str, &'static str)>,
    /// The status and headers of a response whose body did not decode (progenitor-client's
    /// error for that case keeps only the body).
    response: Option<(reqwest::StatusCode, reqwest::header::HeaderMap)>,
}

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request could not be built (a parameter that cannot be encoded, say); nothing was sent.
    InvalidRequest,
    /// No connection could be made; nothing reached the server.
    Connect,
    /// The request or the response took longer than the timeout.
    Timeout,
    /// Another failure of the connection.
    Communication,
    /// The server answered with a non-success status; [`Error::api_error`] has the body.
    Api,
    /// The response body could not be read to its end.
    ResponseBody,
    /// The response body does not match its schema; the message names the field path.
    InvalidResponse,
    /// Any other failure.
    Other,
}

/// Whether a response with `status` may succeed when asked again: 408, 429 and 5xx. The client's
/// retries and [`Error::is_retryable`] both follow it.
pub(crate) fn retryable_status(status: reqwest::StatusCode) -> bool {
    status == reqwest::StatusCode::REQUEST_TIMEOUT
        || status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match &self.0.source {
            ProgenitorError::InvalidRequest(_) => ErrorKind::InvalidRequest,
            ProgenitorError::CommunicationError(e) if e.is_connect() => ErrorKind::Connect,
            ProgenitorError::CommunicationError(e) if e.is_timeout() => ErrorKind::Timeout,
            ProgenitorError::CommunicationError(_) => ErrorKind::Communication,
            ProgenitorError::ErrorResponse(_) | ProgenitorError::UnexpectedResponse(_) => ErrorKind::Api,
            ProgenitorError::ResponseBodyError(e) if e.is_timeout() => ErrorKind::Timeout,
            ProgenitorError::ResponseBodyError(_) => ErrorKind::ResponseBody,
            ProgenitorError::InvalidResponsePayload(..) => ErrorKind::InvalidResponse,
            _ => ErrorKind::Other,
        }
    }

    /// The method whose request failed (`contacts.search`), when the failure came after the
    /// request was built; `raw` for a request sent through `Client::raw`.
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation.map(|(name, _)| name)
    }

    /// The description's id of the operation that failed (`SearchContacts`), for searching logs
    /// and Intercom's reference; `raw` for a request sent through `Client::raw`.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.0.operation.map(|(_, id)| id)
    }

    /// The HTTP status, when the server answered (a success status too, when its body did not
    /// decode).
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.0.source.status().or(self.0.response.as_ref().map(|(status, _)| *status))
    }

    /// The headers of the response, when the server answered: of an error response, or of a
    /// response whose body did not decode.
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match &self.0.source {
            ProgenitorError::ErrorResponse(response) => Some(response.headers()),
            ProgenitorError::UnexpectedResponse(response) => Some(response.headers()),
            _ => self.0.response.as_ref().map(|(_, headers)| headers),
        }
    }

    /// Intercom's error body (`type: error.list`, `request_id`, `errors`), with the raw body in
    /// [`ApiError::raw`] whether or not it was Intercom's envelope.
    pub fn api_error(&self) -> Option<&ApiError> {
        match &self.0.source {
            ProgenitorError::ErrorResponse(response) => Some(response.as_ref()),
            _ => None,
        }
    }

    /// The id Intercom gave the failed request: from the error body, else the `X-Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error()
            .and_then(|e| e.request_id.as_deref())
            .or_else(|| self.headers()?.get("x-request-id")?.to_str().ok())
    }

    /// Whether a later try of the same request may succeed: a 408, 429 or 5xx status, a timeout,
    /// or a connection failure. It does not say whether repeating is safe: a POST that timed
    /// out may have been carried out.
    pub fn is_retryable(&self) -> bool {
        match self.status() {
            Some(status) => retryable_status(status),
            None => matches!(
                self.kind(),
                ErrorKind::Connect | ErrorKind::Timeout | ErrorKind::Communication | ErrorKind::ResponseBody
            ),
        }
    }

    /// Whether the server refused the request for its rate limit (429). The wait it asks for is
    /// in [`RateLimited::rate_limit`](crate::RateLimited::rate_limit) and the `Retry-After` header.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the server found nothing at the request's path (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::NOT_FOUND)
    }

    /// Whether the access token was missing, wrong or revoked (401).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::UNAUTHORIZED)
    }

    /// Whether the token may not do this: a missing OAuth scope or plan (403).
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::FORBIDDEN)
    }

    /// Whether the request conflicts with the resource's state, such as a duplicate (409).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(reqwest::StatusCode::CONFLICT)
    }

    /// Whether the server refused the request's content (400 or 422); the
    /// [`ErrorItem`]s of [`Error::api_error`] say which field and why.
    pub fn is_validation(&self) -> bool {
        matches!(
            self.status(),
            Some(reqwest::StatusCode::BAD_REQUEST | reqwest::StatusCode::UNPROCESSABLE_ENTITY)
        )
    }

    /// The codes of the errors Intercom listed, in order (none when the body was not its
    /// envelope).
    pub fn codes(&self) -> impl Iterator<Item = ErrorCode> + '_ {
        self.api_error().into_iter().flat_map(|e| e.errors.iter().map(ErrorItem::code))
    }

    /// Whether Intercom listed an error with this code.
    pub fn has_code(&self, code: ErrorCode) -> bool {
        self.codes().any(|c| c == code)
    }

    /// progenitor-client's error underneath.
    pub fn as_progenitor(&self) -> &ProgenitorError {
        &self.0.source
    }

    /// progenitor-client's error underneath, by value.
    pub fn into_progenitor(self) -> ProgenitorError {
        self.0.source
    }

    /// Keeps the status and headers of the response this error came from.
    pub(crate) fn with_response(
        mut self,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
    ) -> Self {
        self.0.response = Some((status, headers));
        self
    }

    /// Names the operation, unless an earlier step did.
    pub(crate) fn at(mut self, operation: &crate::runtime::Operation) -> Self {
        self.0.operation.get_or_insert((operation.name, operation.id));
        self
    }
}

impl From<ProgenitorError> for Error {
    fn from(source: ProgenitorError) -> Self {
        Error(Box::new(Inner { source, operation: None, response: None }))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("operation", &self.operation())
            .field("operation_id", &self.operation_id())
            .field("kind", &self.kind())
            .field("source", &self.0.source)
            .finish()
    }
}

/// The longest part of a raw body that `Display` shows.
const RAW_SHOWN: usize = 200;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation() {
            write!(f, "{operation}: ")?;
        }
        match &self.0.source {
            ProgenitorError::ErrorResponse(response) => {
                write!(f, "HTTP {}", response.status())?;
                let body: &ApiError = response.as_ref();
                match body.errors.split_first() {
                    Some((first, rest)) => {
                        write!(f, ": ")?;
                        let mut parts = Vec::new();
                        for part in
                            [Some(first.code.as_str()), first.field.as_deref(), first.message.as_deref()]
                        {
                            if let Some(part) = part.filter(|p| !p.is_empty()) {
                                parts.push(part);
                            }
                        }
                        f.write_str(&one_line(&parts.join(": ")))?;
                        if !rest.is_empty() {
                            write!(f, " (and {} more)", rest.len())?;
                        }
                    }
                    None if !body.raw.trim().is_empty() => {
                        let shown: String = body.raw.chars().take(RAW_SHOWN).collect();
                        let cut = if shown.len() < body.raw.len() { "…" } else { "" };
                        write!(f, ": {}{cut}", one_line(&shown))?;
                    }
                    None => {}
                }
                if let Some(id) = self.request_id() {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            ProgenitorError::UnexpectedResponse(response) => {
                write!(f, "unexpected HTTP {}", response.status())
            }
            ProgenitorError::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            // reqwest's messages name the URL; the kind is what matters here.
            ProgenitorError::CommunicationError(e) if e.is_timeout() => f.write_str("the request timed out"),
            ProgenitorError::CommunicationError(e) if e.is_connect() => {
                f.write_str("could not connect to the server")
            }
            ProgenitorError::CommunicationError(e) => {
                write!(f, "the request failed: {}", one_line(&e.to_string()))
            }
            ProgenitorError::ResponseBodyError(e) if e.is_timeout() => {
                f.write_str("timed out reading the response body")
            }
            ProgenitorError::ResponseBodyError(_) => {
                f.write_str("the response body could not be read to its end")
            }
            ProgenitorError::InvalidResponsePayload(_, e) => {
                write!(f, "the response does not match its schema: {}", one_line(&e.to_string()))
            }
            other => write!(f, "{}", one_line(&other.to_string())),
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.source {
            ProgenitorError::CommunicationError(e) | ProgenitorError::ResponseBodyError(e) => Some(e),
            ProgenitorError::InvalidResponsePayload(_, e) => Some(e),
            _ => None,
        }
    }
}

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
    /// Keys of the envelope beyond these (`error_key`, say), kept and encoded back.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The body as received, up to [`MAX_ERROR_BODY`] bytes.
    #[serde(skip)]
    pub raw: String,
    /// Whether the body was longer than [`MAX_ERROR_BODY`], so that `raw` holds only its start
    /// (and the envelope's fields may then be missing).
    #[serde(skip)]
    pub truncated: bool,
}

/// The most of an error response's body that is read and kept (1 MiB). The rest is not read, so
/// a server cannot make an error take unbounded memory; Intercom's error bodies are a few
/// hundred bytes.
pub const MAX_ERROR_BODY: usize = 1 << 20;

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
    /// Keys of the error beyond these, kept and encoded back.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ErrorItem {
    /// The error's code as a value to match on.
    pub fn code(&self) -> ErrorCode {
        ErrorCode::from_wire(&self.code)
    }
}

/// Declares [`ErrorCode`] from one list of Intercom's codes, so that the variants, their wire
/// names and [`ErrorCode::KNOWN`] cannot disagree.
macro_rules! error_codes {
    ($($variant:ident = $wire:literal,)*) => {
        /// Intercom's error codes (`ErrorItem::code`): those its published descriptions show in
        /// their examples (2.7–2.16), and `Unknown` for any other, kept as sent.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )*
            /// A code this version of the crate does not list.
            Unknown(String),
        }

        impl ErrorCode {
            /// Every code listed, as sent on the wire.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];

            /// The code for a wire value.
            pub fn from_wire(code: &str) -> Self {
                match code {
                    $($wire => ErrorCode::$variant,)*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }

            /// The code as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                    ErrorCode::Unknown(other) => other,
                }
            }
        }
    };
}

error_codes! {
    AdminNotFound = "admin_not_found",
    AlreadyLinkedToTracker = "already_linked_to_tracker",
    ApiPlanRestricted = "api_plan_restricted",
    ArticleNotFound = "article_not_found",
    AssigneeNotFound = "assignee_not_found",
    AwayStatusReasonMandatory = "away_status_reason_mandatory",
    BadRequest = "bad_request",
    ClientError = "client_error",
    CompanyNotFound = "company_not_found",
    Conflict = "conflict",
    ContactCompanyLimitExceeded = "contact_company_limit_exceeded",
    ContactMerged = "contact_merged",
    ContentHasProcedureDependencies = "content_has_procedure_dependencies",
    ContentSnippetNotFound = "content_snippet_not_found",
    ConversationAttributeNotFound = "conversation_attribute_not_found",
    ConversationIdLimitExceeded = "conversation_id_limit_exceeded",
    ConversationNotFound = "conversation_not_found",
    ConversationPartOrMessageNotFound = "conversation_part_or_message_not_found",
    DataConnectorInUse = "data_connector_in_use",
    DataConnectorNotFound = "data_connector_not_found",
    DataInvalid = "data_invalid",
    ExecutionResultNotFound = "execution_result_not_found",
    FieldNotFound = "field_not_found",
    Forbidden = "forbidden",
    IntercomVersionInvalid = "intercom_version_invalid",
    InternalArticleNotFound = "internal_article_not_found",
    InvalidMerge = "invalid_merge",
    InvalidSortOrder = "invalid_sort_order",
    InvalidTicketType = "invalid_ticket_type",
    JobNotFound = "job_not_found",
    LinkedConversationLimitExceeded = "linked_conversation_limit_exceeded",
    MergeFailed = "merge_failed",
    NotFound = "not_found",
    ParameterInvalid = "parameter_invalid",
    ParameterMismatch = "parameter_mismatch",
    ParameterNotFound = "parameter_not_found",
    RateLimitExceeded = "rate_limit_exceeded",
    ResourceConflict = "resource_conflict",
    TagHasDependentObjects = "tag_has_dependent_objects",
    TagNotFound = "tag_not_found",
    TeamNotFound = "team_not_found",
    TicketNotFound = "ticket_not_found",
    TicketStateIdInvalid = "ticket_state_id_invalid",
    TokenUnauthorized = "token_unauthorized",
    Unauthorized = "unauthorized",
    ValidationError = "validation_error",
    WhatsappMessageNotFound = "whatsapp_message_not_found",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
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
                extra: serde_json::Map::new(),
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

/// Reads a non-success response into an error of kind [`ErrorKind::Api`].
pub(crate) async fn error_response(response: reqwest::Response) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    match read_bounded(response, MAX_ERROR_BODY).await {
        Ok((body, truncated)) => {
            Error::from(ProgenitorError::ErrorResponse(progenitor_client::ResponseValue::new(
                ApiError { truncated, ..ApiError::from_body(&body) },
                status,
                headers,
            )))
        }
        Err(e) => Error::from(ProgenitorError::ResponseBodyError(e)),
    }
}

/// Reads at most `limit` bytes of a body, and whether there was more. Each chunk is read once,
/// and the loop ends when the body does or the limit is reached.
async fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}
