//! The `Client`: base URL, credentials, version pinning, and the one place requests are sent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, ACCEPT_ENCODING, AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};

use tracing::Instrument;

use crate::error::{Error, ProgenitorError, error_response};
use crate::runtime::{Operation, Retry};

/// The user agent sent by default: this crate's name and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Where an Intercom workspace is hosted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Region {
    /// The United States: `https://api.intercom.io`.
    #[default]
    Us,
    /// Europe: `https://api.eu.intercom.io`.
    Eu,
    /// Australia: `https://api.au.intercom.io`.
    Au,
}

impl Region {
    /// The base URL of the region's API.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://api.intercom.io",
            Region::Eu => "https://api.eu.intercom.io",
            Region::Au => "https://api.au.intercom.io",
        }
    }
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The access token cannot be sent in a header (it has control characters, say).
    InvalidToken,
    /// A header value given to the builder is not valid.
    InvalidHeader(String),
    /// The HTTP client could not be created.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Never print the token itself.
            BuildError::InvalidToken => {
                f.write_str("the access token contains characters that cannot be sent in a header")
            }
            BuildError::InvalidHeader(what) => write!(f, "invalid header value for {what}"),
            BuildError::Http(e) => write!(f, "cannot create the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Error::from(ProgenitorError::InvalidRequest(e.to_string()))
    }
}

/// Configures a [`Client`]. Made by [`Client::builder`].
pub struct ClientBuilder {
    token: String,
    base_url: String,
    api_version: String,
    user_agent: String,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: u32,
    compression: bool,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("compression", &self.compression)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to a region's API (the default is [`Region::Us`]).
    pub fn region(mut self, region: Region) -> Self {
        self.base_url = region.base_url().to_owned();
        self
    }

    /// Sends requests to another base URL: a proxy, or a test server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Sends another `Intercom-Version` than the one this crate was generated for.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// Replaces the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Bounds the time of each attempt of a request, from sending to the end of the body
    /// (default 60 s, so a server that never answers cannot hang a call).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds the whole of each call, every attempt and every wait between them included (no
    /// bound by default beyond the retries' own). A retry whose wait would end past the deadline
    /// is not made: the call returns the last failure instead.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Bounds the time to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries a failed request at most `max_retries` times (default 3; 0 turns retries off).
    /// GET, PUT and DELETE are retried after a 408, 429 or 5xx status or a connection failure;
    /// POST and PATCH only after a 429 or a connection that could not be made.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Asks for compressed responses (`Accept-Encoding`) and inflates them; on by default when
    /// the `gzip` or `brotli` feature is, which decide the encodings asked for. `false` asks for
    /// none. A compressed response is inflated either way, since a server may send one unasked.
    pub fn compression(mut self, compression: bool) -> Self {
        self.compression = compression;
        self
    }

    /// Uses a `reqwest::Client` of the caller's; the timeouts set here are then not applied to
    /// connections, only per request. A client built with reqwest's own `gzip` or `brotli` on
    /// inflates responses itself, and this crate then reads them as they come.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", self.token)).map_err(|_| BuildError::InvalidToken)?;
        auth.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError::InvalidHeader("User-Agent".to_owned()))?;
        let api_version = HeaderValue::from_str(&self.api_version)
            .map_err(|_| BuildError::InvalidHeader(crate::VERSION_HEADER.to_owned()))?;
        let http = match self.http {
            Some(http) => http,
            None => {
                // A 3xx is an answer (Intercom's recording download is a 302 whose Location is
                // the file), not something to follow with this client's credentials.
                let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                // This crate inflates responses itself (`compression`), whichever of reqwest's
                // decoders another crate of the program turns on.
                builder = builder.no_gzip().no_brotli().no_deflate().no_zstd();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                with_tls(builder).build().map_err(BuildError::Http)?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url: self.base_url,
                http,
                auth,
                user_agent,
                api_version,
                timeout: self.timeout,
                deadline: self.deadline,
                max_retries: self.max_retries,
                accept_encoding: compression_header(self.compression),
            }),
        })
    }
}

/// Chooses the TLS backend the crate's features ask for: `native-tls` when it is on, else
/// rustls (with the crypto provider installed process-wide if the program installed one, else
/// aws-lc-rs), else none (plain HTTP only, for a local proxy). The choice is made here, not left
/// to reqwest's default, which other crates' features can change.
fn with_tls(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    #[cfg(feature = "native-tls")]
    return builder.tls_backend_native();
    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    return builder.tls_backend_rustls();
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    builder
}

/// The `Accept-Encoding` a client sends: none when compression is off or no decoder is built in.
fn compression_header(on: bool) -> Option<HeaderValue> {
    crate::compression::ACCEPT_ENCODING.filter(|_| on).map(HeaderValue::from_static)
}

/// Per-request settings, given to any request builder's `.options(…)`.
#[derive(Clone, Debug, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    headers: HeaderMap,
    api_version: Option<String>,
    max_retries: Option<u32>,
    retry_unsafe: bool,
}

impl RequestOptions {
    /// Options that change nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bounds the time of this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds the whole of this call, every attempt and wait included (see
    /// [`ClientBuilder::deadline`]).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Adds a header to this request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sends another `Intercom-Version` with this request (`"Unstable"`, say). A value that
    /// cannot be a header fails the request with [`ErrorKind::InvalidRequest`](crate::ErrorKind)
    /// before anything is sent.
    pub fn api_version(mut self, version: &str) -> Self {
        self.api_version = Some(version.to_owned());
        self
    }

    /// Retries this request at most `max_retries` times (0 turns retries off).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Also retries this POST or PATCH after a 5xx, a 408 or a timeout, when the server may
    /// have acted on it already. Intercom has no idempotency keys: only opt in for requests
    /// that are safe to repeat.
    pub fn retry_unsafe(mut self, retry: bool) -> Self {
        self.retry_unsafe = retry;
        self
    }
}

struct Inner {
    base_url: String,
    http: reqwest::Client,
    auth: HeaderValue,
    user_agent: HeaderValue,
    api_version: HeaderValue,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: u32,
    accept_encoding: Option<HeaderValue>,
}

/// A client of the Intercom API. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_version", &self.inner.api_version)
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client that authenticates with `access_token`.
    pub fn builder(access_token: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            token: access_token.into(),
            base_url: Region::Us.base_url().to_owned(),
            api_version: crate::API_VERSION.to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            deadline: None,
            max_retries: 3,
            compression: true,
            http: None,
        }
    }

    /// A client of the US region with default settings.
    pub fn new(access_token: impl Into<String>) -> Result<Self, BuildError> {
        Self::builder(access_token).build()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The `Intercom-Version` sent by default.
    pub fn api_version(&self) -> &str {
        self.inner.api_version.to_str().unwrap_or_default()
    }

    // Unused only when every tag feature is off (a crate with no operations).
    #[allow(dead_code)]
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Adds the headers every request carries, sends it (again, after a wait, when the failure
    /// is one a retry can fix and the operation may be repeated), and turns a non-success status
    /// into an error of kind [`ErrorKind::Api`](crate::ErrorKind::Api).
    #[allow(dead_code)]
    pub(crate) async fn execute(
        &self,
        operation: &Operation,
        request: reqwest::RequestBuilder,
        options: RequestOptions,
    ) -> Result<reqwest::Response, Error> {
        let inner = &self.inner;
        let mut request =
            request.build().map_err(|e| Error::from(ProgenitorError::InvalidRequest(e.to_string())))?;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, inner.auth.clone());
        headers.insert(USER_AGENT, inner.user_agent.clone());
        let version = match &options.api_version {
            Some(version) => HeaderValue::from_str(version).map_err(|_| {
                Error::from(ProgenitorError::InvalidRequest(format!(
                    "the API version {version:?} cannot be sent as a header"
                )))
            })?,
            None => inner.api_version.clone(),
        };
        headers.insert(crate::VERSION_HEADER, version);
        // An operation that declares its own Accept parameter keeps it.
        let accept = HeaderValue::from_str(operation.accept).unwrap_or(HeaderValue::from_static("*/*"));
        headers.entry(ACCEPT).or_insert(accept);
        if let Some(encodings) = &inner.accept_encoding {
            headers.entry(ACCEPT_ENCODING).or_insert_with(|| encodings.clone());
        }
        // Extra headers replace the defaults of the same name, keeping every value given.
        for name in options.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &options.headers {
            headers.append(name, value.clone());
        }
        let per_attempt = options.timeout.or(inner.timeout);
        let deadline = options.deadline.or(inner.deadline).map(|d| tokio::time::Instant::now() + d);
        // Each attempt gets what is left of the deadline, when that is less than its own bound.
        let attempt_timeout = || match (per_attempt, deadline) {
            (Some(t), Some(d)) => Some(t.min(d.saturating_duration_since(tokio::time::Instant::now()))),
            (None, Some(d)) => Some(d.saturating_duration_since(tokio::time::Instant::now())),
            (t, None) => t,
        };
        let max_retries = options.max_retries.unwrap_or(inner.max_retries);
        // Whether a failure after which the server may have acted can be retried. A scroll page
        // never is, whatever the caller asks: it would move the scroll past a page.
        let unsafe_allowed = match operation.retry {
            Retry::Idempotent => true,
            Retry::UnsafeToRepeat => options.retry_unsafe,
            Retry::ServerUntouched => false,
        };
        let mut attempt = 0;
        while attempt < max_retries {
            // A body that cannot be copied (a stream) cannot be sent twice.
            let Some(mut copy) = request.try_clone() else { break };
            *copy.timeout_mut() = attempt_timeout();
            let sent = self.send_once(operation, copy, attempt).await;
            let wait = match &sent {
                Ok(response) => {
                    let status = response.status();
                    let retryable = crate::error::retryable_status(status);
                    // A 429 was refused before any work was done, so even a POST may be repeated.
                    let allowed = unsafe_allowed || status == StatusCode::TOO_MANY_REQUESTS;
                    // A server that asks for a longer wait than the client's cap is answered at
                    // once with its error, which keeps when to come back: never sooner.
                    (retryable && allowed)
                        .then(|| {
                            retry_wait(response.headers(), status == StatusCode::TOO_MANY_REQUESTS, attempt)
                        })
                        .flatten()
                }
                // A connection that could not be made carried nothing to the server.
                Err(e) if e.is_connect() => Some(backoff(attempt)),
                Err(e) if unsafe_allowed && (e.is_timeout() || e.is_request()) => Some(backoff(attempt)),
                Err(_) => None,
            };
            // A retry that could only start after the deadline is not made.
            let past_deadline =
                |wait: &Duration| deadline.is_some_and(|d| tokio::time::Instant::now() + *wait >= d);
            let Some(wait) = wait.filter(|w| !past_deadline(w)) else {
                return finish(sent).await.map_err(|e| e.at(operation));
            };
            attempt += 1;
            tracing::debug!(
                operation = operation.name,
                operation_id = operation.id,
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
        *request.timeout_mut() = attempt_timeout();
        finish(self.send_once(operation, request, attempt).await).await.map_err(|e| e.at(operation))
    }

    /// Sends one attempt inside a span that names the operation and its path template (never the
    /// token, the query or a body), and records the status and duration.
    async fn send_once(
        &self,
        operation: &Operation,
        request: reqwest::Request,
        attempt: u32,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "intercom.request",
            operation = operation.name,
            operation_id = operation.id,
            method = %request.method(),
            path = operation.path,
            attempt,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let sent = self.inner.http.execute(request).instrument(span.clone()).await;
        span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        match &sent {
            Ok(response) => {
                let status = response.status().as_u16();
                span.record("status", status);
                // One event per attempt, so a subscriber that prints events shows every request.
                span.in_scope(|| tracing::debug!(status, "response"));
            }
            Err(e) => {
                // The error's text names the URL, query included; log only what kind it is.
                span.in_scope(|| {
                    tracing::debug!(timeout = e.is_timeout(), connect = e.is_connect(), "request failed")
                });
            }
        }
        sent
    }
}

/// The outcome of the last attempt, its body inflated when it came compressed: a success or
/// redirect as it is, a failure status read into an error of kind [`ErrorKind::Api`](crate::ErrorKind::Api).
async fn finish(sent: reqwest::Result<reqwest::Response>) -> Result<reqwest::Response, Error> {
    let response = sent.map_err(|e| Error::from(ProgenitorError::CommunicationError(e)))?;
    let response = crate::compression::decoded(response);
    if response.status().is_success() || response.status().is_redirection() {
        Ok(response)
    } else {
        Err(error_response(response).await)
    }
}

/// The default bound of each attempt, from sending to the end of the body; a caller whose calls
/// take longer sets its own.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default bound on opening a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest wait the client accepts from a server's headers; a server that asks for longer
/// gets no retry, and the caller gets the error with the server's headers.
const MAX_SERVER_WAIT: Duration = Duration::from_secs(120);

/// How long to wait before retry `attempt + 1`: what `Retry-After` asks (in seconds or as an
/// HTTP-date), else (after a 429) until `X-RateLimit-Reset` (with a little jitter, so clients
/// do not all return at once), else an exponential backoff with jitter; `None`, no retry, when
/// the server asks for longer than [`MAX_SERVER_WAIT`].
fn retry_wait(headers: &HeaderMap, rate_limited: bool, attempt: u32) -> Option<Duration> {
    match server_wait(headers, rate_limited) {
        Some(wait) if wait > MAX_SERVER_WAIT => None,
        Some(wait) => Some(wait),
        None => Some(backoff(attempt)),
    }
}

/// The wait a response's headers ask for, if they ask for one.
fn server_wait(headers: &HeaderMap, rate_limited: bool) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let seconds = |name: &str| text(name).and_then(|v| v.parse::<u64>().ok());
    if let Some(after) = seconds("retry-after") {
        return Some(Duration::from_secs(after));
    }
    // `Retry-After` may also be an HTTP-date; a date already past means now.
    if let Some(date) = text("retry-after").and_then(|v| httpdate::parse_http_date(v).ok()) {
        return Some(date.duration_since(std::time::SystemTime::now()).unwrap_or_default());
    }
    // Intercom sends the reset on every response; it says when to come back only after a 429.
    if let (true, Some(reset)) = (rate_limited, seconds("x-ratelimit-reset")) {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        let until = Duration::from_secs(reset).saturating_sub(now);
        return Some(until + jitter(Duration::from_millis(250)));
    }
    None
}

/// Exponential backoff from 200 ms, doubling, capped at 10 s, with equal jitter (half fixed,
/// half random).
fn backoff(attempt: u32) -> Duration {
    let ceiling = Duration::from_millis(200).saturating_mul(1 << attempt.min(6)).min(Duration::from_secs(10));
    ceiling / 2 + jitter(ceiling / 2)
}

/// A pseudo-random duration below `max`, from the clock; good enough to spread retries.
fn jitter(max: Duration) -> Duration {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
    let mixed = u64::from(nanos).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    let max_nanos = u64::try_from(max.as_nanos()).unwrap_or(u64::MAX).max(1);
    Duration::from_nanos(mixed % max_nanos)
}

impl Client {
    /// A request the description lacks, sent as the generated ones are: with the client's token,
    /// `Intercom-Version`, retries, rate-limit handling, tracing and error type. `path` is
    /// relative to the base URL (`/contacts/123/notes`) and sent as given, so each segment must
    /// be percent-encoded already. GET, PUT, DELETE, HEAD and OPTIONS are retried as reads are;
    /// other methods only when the server cannot have acted. Logs name it `Raw`, without its path.
    pub fn raw(&self, method: reqwest::Method, path: &str) -> RawRequest {
        RawRequest {
            client: self.clone(),
            method,
            path: path.to_owned(),
            query: Vec::new(),
            body: None,
            options: RequestOptions::default(),
        }
    }
}

/// A request made with [`Client::raw`]; send it with [`RawRequest::send`] (a typed body) or
/// [`RawRequest::send_json`] (any JSON).
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest {
    client: Client,
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Result<serde_json::Value, String>>,
    options: RequestOptions,
}

impl RawRequest {
    /// Adds a query parameter (repeat the name to send it several times).
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends `body` as JSON. A value that cannot be JSON fails the request, unsent.
    pub fn json<T: serde::Serialize>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    /// Replaces the options of this one request.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request and decodes its JSON answer into `T`.
    pub async fn send<T: serde::de::DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        let (response, operation) = self.execute().await?;
        crate::runtime::decode_json(response, &operation).await
    }

    /// Sends the request and returns its JSON answer as it came, `null` for an empty body.
    pub async fn send_json(self) -> Result<ResponseValue<serde_json::Value>, Error> {
        let (response, operation) = self.execute().await?;
        let (status, headers, body) = crate::runtime::read_body(response, &operation).await?;
        let value = if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            crate::runtime::decode_json_bytes(&body, status, &headers).map_err(|e| e.at(&operation))?
        };
        Ok(ResponseValue::new(value, status, headers))
    }

    async fn execute(self) -> Result<(reqwest::Response, Operation), Error> {
        let RawRequest { client, method, path, query, body, options } = self;
        let invalid = |why: String| Error::from(ProgenitorError::InvalidRequest(why)).at(&RAW);
        if !path.starts_with('/') {
            return Err(invalid(format!("the path `{path}` does not start with `/`")));
        }
        let retry = match method {
            reqwest::Method::GET
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::HEAD
            | reqwest::Method::OPTIONS => Retry::Idempotent,
            _ => Retry::UnsafeToRepeat,
        };
        let operation = Operation { retry, ..RAW };
        let url = format!("{}{path}", client.base_url());
        let mut request = client.http().request(method, url).query(&query);
        if let Some(body) = body {
            request = request.json(&body.map_err(|e| invalid(format!("the body is not JSON: {e}")))?);
        }
        let response = client.execute(&operation, request, options).await?;
        Ok((response, operation))
    }
}

/// How raw requests are named in logs and errors.
const RAW: Operation =
    Operation { name: "raw", id: "raw", path: "(raw)", accept: "application/json", retry: Retry::Idempotent };
