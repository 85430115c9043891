//! A typed async client for the [Intercom REST API](https://developers.intercom.com/docs/).
//!
//! The models and one request builder per operation are generated from Intercom's OpenAPI
//! description by `cargo xtask generate`; this file, the client and the runtime beside it are
//! written by hand.
//!
//! ```no_run
//! # async fn run() -> Result<(), intercom_api::Error> {
//! use intercom_api::{Client, Region};
//!
//! let client = Client::builder("my-access-token").region(Region::Eu).build()?;
//! let me = client.admins().identify_admin().await?;
//! println!("{:?}", me.into_inner());
//! # Ok(())
//! # }
//! ```
//!
//! Operations are grouped by the spec's tags: `client.contacts()`, `client.conversations()`, …
//! Each method takes the required parameters and returns a builder with a setter per optional
//! parameter; await the builder (or call `.send()`) to make the request. Every successful
//! response is a [`ResponseValue`], which also gives its status and headers; every failure is an
//! [`Error`], which keeps what the server sent: status, headers and, for an error status,
//! Intercom's error body as an [`ApiError`] ([`Error::api_error`]).

#![deny(missing_docs)]

mod client;
mod error;
mod paging;
mod rate_limit;
mod runtime;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[rustfmt::skip]
mod generated;

pub use client::{BuildError, Client, ClientBuilder, Region, RequestOptions};
pub use error::{ApiError, Error, ErrorItem, ErrorKind, MAX_ERROR_BODY, ProgenitorError};
pub use generated::*;
pub use paging::{Items, Pages};
pub use progenitor_client::{ByteStream, ResponseValue};
pub use rate_limit::{RateLimit, RateLimited};
