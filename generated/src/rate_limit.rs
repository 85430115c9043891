//! Intercom's rate-limit headers, readable from every response and error response.

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;

use crate::Error;

/// The rate-limit state a response reports in its `X-RateLimit-*` headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets, in Unix seconds.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the headers; `None` when the response carries none of them.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse().ok();
        let limit = RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
        };
        (limit != RateLimit::default()).then_some(limit)
    }
}

/// Anything that can say what the server reported of its rate limit.
pub trait RateLimited {
    /// The rate-limit state, if the response carried it.
    fn rate_limit(&self) -> Option<RateLimit>;
}

impl<T> RateLimited for ResponseValue<T> {
    fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers())
    }
}

impl RateLimited for Error {
    fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(self.headers()?)
    }
}
