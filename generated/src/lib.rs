// The crate's front page is its README, so the page on crates.io and the one on docs.rs are one
// text, and its example is compiled as a doctest.
#![doc = include_str!("../README.md")]
// On docs.rs, items behind a feature say which.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod client;
mod compression;
mod error;
mod form;
mod json_path;
mod paging;
mod rate_limit;
mod runtime;
#[cfg(feature = "test-harness")]
#[doc(hidden)]
pub mod test_harness;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[rustfmt::skip]
mod generated;

pub use client::{BuildError, Client, ClientBuilder, RawRequest, Region, RequestOptions};
pub use error::{ApiError, Error, ErrorCode, ErrorItem, ErrorKind, MAX_ERROR_BODY, ProgenitorError};
pub use form::FilePart;
pub use generated::*;
pub use paging::{Items, Pages};
pub use progenitor_client::{ByteStream, ResponseValue};
pub use rate_limit::{RateLimit, RateLimited};
/// The HTTP types this crate's API shows, so that naming them needs no dependency on reqwest.
pub use reqwest::{
    Method, StatusCode,
    header::{HeaderMap, HeaderName, HeaderValue},
};
pub use runtime::Nullable;
