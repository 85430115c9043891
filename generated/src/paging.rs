//! Walking pages: the streams that paginated operations return, and how the next page is found.
//!
//! Generated `send_page` functions put a [`Cursor`] into their request and read the next one
//! from the page with [`decode_page`]; [`pages`] chains them lazily. Which operation pages how
//! is the generator's pagination table, not code here.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt as _};
use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::runtime::{InvalidParam, Operation, decode_json_bytes, read_body};

/// Where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cursor {
    /// A `starting_after` cursor, in the query or in a search body.
    StartingAfter(String),
    /// A page number.
    Page(i64),
    /// A `scroll_param`.
    Scroll(String),
    /// The URL of the next page, as the server gave it.
    Url(String),
}

/// How an operation's pages follow one another (the generator's `PageStyle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Cursor,
    Search,
    Page,
    NextUrl,
    Scroll,
}

/// The parts of a page that say where the next one is. Every field is read leniently: a page
/// whose paging fields do not parse is the last page, never an error.
#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(default, deserialize_with = "lenient")]
    pages: Option<PagesMeta>,
    #[serde(default, deserialize_with = "lenient")]
    scroll_param: Option<String>,
}

#[derive(Deserialize, Default)]
struct PagesMeta {
    #[serde(default)]
    next: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient")]
    page: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    total_pages: Option<i64>,
}

fn lenient<'de, D: serde::Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

/// Decodes one page and, when `follow` is set, finds where the next one starts (reading the
/// body a second time, so `send` of one page does not pay for it). `requested` is the cursor
/// this page was asked for; `len` counts the page's items.
pub(crate) async fn decode_page<T: DeserializeOwned>(
    response: reqwest::Response,
    operation: &Operation,
    style: Style,
    requested: Option<Cursor>,
    follow: bool,
    len: fn(&T) -> usize,
) -> Result<(ResponseValue<T>, Option<Cursor>), Error> {
    let (status, headers, body) = read_body(response, operation).await?;
    let page: T = decode_json_bytes(&body, status, &headers).map_err(|e| e.at(operation))?;
    let next = if !follow || len(&page) == 0 {
        None
    } else {
        let meta: PageMeta = serde_json::from_slice(&body).unwrap_or_default();
        let next = next_cursor(style, requested.as_ref(), meta);
        // A server that answers a cursor with the same cursor would make the stream repeat one
        // page forever. A scroll is the exception: Intercom keeps its `scroll_param` throughout.
        next.filter(|n| style == Style::Scroll || Some(n) != requested.as_ref())
    };
    Ok((ResponseValue::new(page, status, headers), next))
}

fn next_cursor(style: Style, requested: Option<&Cursor>, meta: PageMeta) -> Option<Cursor> {
    let pages = meta.pages.unwrap_or_default();
    match style {
        Style::Cursor | Style::Search => {
            let cursor = pages.next?.get("starting_after")?.as_str()?.to_owned();
            (!cursor.is_empty()).then_some(Cursor::StartingAfter(cursor))
        }
        Style::NextUrl => {
            let url = pages.next?.as_str()?.to_owned();
            (!url.is_empty()).then_some(Cursor::Url(url))
        }
        Style::Scroll => meta.scroll_param.filter(|p| !p.is_empty()).map(Cursor::Scroll),
        Style::Page => {
            let asked = match requested {
                Some(Cursor::Page(n)) => Some(*n),
                _ => None,
            };
            match (pages.page, pages.total_pages) {
                (Some(page), Some(total)) => (page < total).then_some(Cursor::Page(page + 1)),
                (None, Some(total)) => {
                    let page = asked.unwrap_or(1);
                    (page < total).then_some(Cursor::Page(page + 1))
                }
                // Without a total, go on only while the server shows that it reads page numbers,
                // so that one that ignores them cannot make the stream repeat a page forever.
                (Some(page), None) if page == asked.unwrap_or(1) => Some(Cursor::Page(page + 1)),
                _ => None,
            }
        }
    }
}

/// A page number for a parameter declared as 32-bit.
pub(crate) fn page_number(n: i64) -> Result<i32, InvalidParam> {
    i32::try_from(n).map_err(|_| InvalidParam(format!("page number {n} is out of range")))
}

/// The fields of a request body as a JSON object, to set a cursor in; a body the caller left
/// out is an empty object.
fn body_fields<T: Serialize>(body: &T) -> Result<serde_json::Map<String, serde_json::Value>, InvalidParam> {
    match serde_json::to_value(body) {
        Ok(serde_json::Value::Object(fields)) => Ok(fields),
        Ok(serde_json::Value::Null) => Ok(serde_json::Map::new()),
        Ok(_) => Err(InvalidParam("a paged request body must be a JSON object".to_owned())),
        Err(e) => Err(InvalidParam(format!("cannot encode the request body: {e}"))),
    }
}

/// The JSON of a search body with `pagination.starting_after` set to `cursor`, keeping every
/// other field (and `pagination.per_page`) as the caller set it.
pub(crate) fn search_body<T: Serialize>(body: &T, cursor: &str) -> Result<serde_json::Value, InvalidParam> {
    let mut fields = body_fields(body)?;
    let pagination = fields
        .entry("pagination")
        .and_modify(|p| {
            if !p.is_object() {
                *p = serde_json::Value::Object(serde_json::Map::new());
            }
        })
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    if let serde_json::Value::Object(pagination) = pagination {
        pagination.insert("starting_after".to_owned(), serde_json::Value::String(cursor.to_owned()));
    }
    Ok(serde_json::Value::Object(fields))
}

/// The JSON of a body that pages by number, with its top-level `page` set to `page`, keeping
/// every other field (and `per_page`) as the caller set it.
pub(crate) fn page_body<T: Serialize>(body: &T, page: i64) -> Result<serde_json::Value, InvalidParam> {
    let mut fields = body_fields(body)?;
    fields.insert("page".to_owned(), serde_json::Value::from(page));
    Ok(serde_json::Value::Object(fields))
}

/// The URL to request for a next-page link. Only the link's path and query are used, against
/// the client's base URL: a link never sends the token to another host.
pub(crate) fn next_url(base_url: &str, next: &str) -> Result<String, InvalidParam> {
    let rest = match next.split_once("://") {
        Some((_, after_scheme)) => after_scheme.find('/').map_or("/", |i| &after_scheme[i..]),
        None if next.starts_with('/') => next,
        None => {
            return Err(InvalidParam(format!(
                "the next-page link `{next}` is not a URL or an absolute path"
            )));
        }
    };
    Ok(format!("{base_url}{rest}"))
}

/// The future of one page request, with the cursor of the page after it.
pub(crate) type PageFuture<T> =
    Pin<Box<dyn Future<Output = Result<(ResponseValue<T>, Option<Cursor>), Error>> + Send>>;

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cursor::StartingAfter(c) => write!(f, "the cursor `{c}`"),
            Cursor::Page(n) => write!(f, "page {n}"),
            Cursor::Scroll(p) => write!(f, "the scroll_param `{p}`"),
            Cursor::Url(u) => write!(f, "the next-page link `{u}`"),
        }
    }
}

/// Where a page walk stands between two polls.
enum Walk<B> {
    /// The next request to send, and every cursor this stream has followed.
    Next {
        request: B,
        cursor: Option<Cursor>,
        seen: BTreeSet<Cursor>,
    },
    /// The error to yield after the page just yielded.
    Fail(Error),
    Done,
}

/// Chains page requests lazily: each is sent when the stream is polled for it. The first is the
/// request as the caller built it. The stream ends after the last page or the first error, and
/// stays ended. A server whose cursors cycle (A, B, A, …) would be followed forever, so a cursor
/// this stream already followed ends it with an error naming the cursor; the set of cursors
/// grows by one entry per page. A scroll is the exception: Intercom keeps one `scroll_param`
/// throughout.
pub(crate) fn pages<B, T>(
    operation: &'static Operation,
    request: B,
    fetch: fn(B, Option<Cursor>) -> PageFuture<T>,
) -> Pages<T>
where
    B: Clone + Send + 'static,
    T: Send + 'static,
{
    let start = Walk::Next { request, cursor: None, seen: BTreeSet::new() };
    let stream = futures_util::stream::unfold(start, move |state| async move {
        let (request, cursor, mut seen) = match state {
            Walk::Next { request, cursor, seen } => (request, cursor, seen),
            Walk::Fail(e) => return Some((Err(e), Walk::Done)),
            Walk::Done => return None,
        };
        match fetch(request.clone(), cursor).await {
            Ok((page, Some(next))) => {
                let repeated = !matches!(next, Cursor::Scroll(_)) && !seen.insert(next.clone());
                let state = if repeated {
                    Walk::Fail(cycle_error(operation, &next))
                } else {
                    Walk::Next { request, cursor: Some(next), seen }
                };
                Some((Ok(page), state))
            }
            Ok((page, None)) => Some((Ok(page), Walk::Done)),
            Err(e) => Some((Err(e), Walk::Done)),
        }
    });
    Pages { inner: Box::pin(stream.fuse()) }
}

fn cycle_error(operation: &Operation, cursor: &Cursor) -> Error {
    let message = format!("the server sent {cursor} a second time in this stream: its pages cycle");
    let error = <serde_json::Error as serde::de::Error>::custom(message);
    Error::from(crate::ProgenitorError::InvalidResponsePayload(bytes::Bytes::new(), error)).at(operation)
}

/// Flattens pages into their items.
pub(crate) fn items<T, I>(pages: Pages<T>, take: fn(T) -> Vec<I>) -> Items<I>
where
    T: Send + 'static,
    I: Send + 'static,
{
    let stream = pages
        .map_ok(move |page| futures_util::stream::iter(take(page.into_inner()).into_iter().map(Ok)))
        .try_flatten()
        .fuse();
    Items { inner: Box::pin(stream) }
}

/// The pages of a paginated operation, as a [`Stream`]: returned by the `pages()` method of its
/// request builder. It owns what it needs (the client is shared, not borrowed), so it can be
/// moved into a spawned task. Each page is a [`ResponseValue`], so its status, headers and rate limit are
/// at hand. Requests are sent one at a time, as the stream is polled.
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T> {
    inner: Pin<Box<dyn Stream<Item = Result<ResponseValue<T>, Error>> + Send>>,
}

impl<T> Pages<T> {
    /// The next page, `None` after the last one. The same as `StreamExt::next`, without the import.
    pub async fn next(&mut self) -> Option<Result<ResponseValue<T>, Error>> {
        StreamExt::next(self).await
    }
}

impl<T> Stream for Pages<T> {
    type Item = Result<ResponseValue<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

/// The items of every page of a paginated operation, as a [`Stream`]: returned by the
/// `items()` method of its request builder. After an error the stream ends.
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> Items<T> {
    /// The next item, `None` after the last one. The same as `StreamExt::next`, without the import.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        StreamExt::next(self).await
    }

    /// Reads every remaining item, or stops at the first error.
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        self.try_collect().await
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(json: &str) -> PageMeta {
        serde_json::from_str(json).unwrap_or_default()
    }

    #[test]
    fn cursor_comes_from_pages_next() {
        let m = meta(r#"{"pages":{"next":{"starting_after":"abc"}}}"#);
        assert_eq!(next_cursor(Style::Cursor, None, m), Some(Cursor::StartingAfter("abc".into())));
        assert_eq!(next_cursor(Style::Cursor, None, meta(r#"{"pages":{"next":null}}"#)), None);
        assert_eq!(
            next_cursor(Style::Search, None, meta(r#"{"pages":{"next":{"starting_after":""}}}"#)),
            None
        );
    }

    #[test]
    fn page_numbers_stop_at_the_total() {
        let m = |s| meta(s);
        assert_eq!(
            next_cursor(Style::Page, None, m(r#"{"pages":{"page":1,"total_pages":3}}"#)),
            Some(Cursor::Page(2))
        );
        assert_eq!(next_cursor(Style::Page, None, m(r#"{"pages":{"page":3,"total_pages":3}}"#)), None);
        // No total: go on only when the server echoes the page asked for.
        assert_eq!(
            next_cursor(Style::Page, Some(&Cursor::Page(2)), m(r#"{"pages":{"page":2}}"#)),
            Some(Cursor::Page(3))
        );
        assert_eq!(next_cursor(Style::Page, Some(&Cursor::Page(2)), m(r#"{"pages":{"page":1}}"#)), None);
        assert_eq!(next_cursor(Style::Page, None, m(r#"{"pages":{"page":"x"}}"#)), None);
    }

    #[test]
    fn links_keep_only_path_and_query() {
        assert_eq!(
            next_url("http://127.0.0.1:9", "https://api.intercom.io/events?per_page=2&next=x").ok(),
            Some("http://127.0.0.1:9/events?per_page=2&next=x".to_owned())
        );
        assert_eq!(next_url("http://h", "/a?b=1").ok(), Some("http://h/a?b=1".to_owned()));
        assert!(next_url("http://h", "events").is_err());
    }

    #[test]
    fn search_bodies_keep_their_fields() {
        let body = serde_json::json!({"query": {"field": "x"}, "pagination": {"per_page": 5}});
        let out = search_body(&body, "c1").ok();
        assert_eq!(
            out,
            Some(serde_json::json!({
                "query": {"field": "x"},
                "pagination": {"per_page": 5, "starting_after": "c1"}
            }))
        );
        assert!(search_body(&"text", "c").is_err());
    }

    #[test]
    fn page_bodies_keep_their_fields() {
        let body = serde_json::json!({"created_at_after": 1, "per_page": 5, "page": 1});
        assert_eq!(
            page_body(&body, 3).ok(),
            Some(serde_json::json!({"created_at_after": 1, "per_page": 5, "page": 3}))
        );
        assert_eq!(page_body(&Option::<i32>::None, 2).ok(), Some(serde_json::json!({"page": 2})));
        assert!(page_body(&[1], 2).is_err());
    }
}
