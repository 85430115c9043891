//! Retries and rate limits against the loopback server: what is retried, after how long, and
//! what is never retried.

use std::time::{Duration, Instant};

use intercom_api::{Client, ErrorKind, RateLimited, RequestOptions};
use serde_json::json;
use tests::server::{MockServer, Scripted};

fn client(server: &MockServer) -> Client {
    Client::builder("token").base_url(server.url()).build().expect("client")
}

fn list() -> Scripted {
    Scripted::json(200, &json!({"type": "list", "data": []}))
}

fn with_headers(mut response: Scripted, headers: &[(&str, &str)]) -> Scripted {
    response.headers.extend(headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
    response
}

fn failure(status: u16) -> Scripted {
    Scripted::json(status, &json!({"type": "error.list", "request_id": "r1", "errors": [{"code": "x"}]}))
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_once_after_the_wait() {
    let server = MockServer::start().await.expect("server");
    server.push(with_headers(failure(429), &[("Retry-After", "1")]));
    server.push(list());
    let started = Instant::now();
    client(&server).contacts().list().await.expect("succeeds on the retry");
    assert!(started.elapsed() >= Duration::from_secs(1), "did not wait: {:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_get_is_retried_after_5xx_until_it_succeeds() {
    let server = MockServer::start().await.expect("server");
    server.push(failure(503));
    server.push(failure(503));
    server.push(list());
    client(&server).contacts().list().await.expect("succeeds on the third try");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_5xx() {
    let server = MockServer::start().await.expect("server");
    server.push(failure(500));
    let body = serde_json::from_value(json!({"email": "ada@example.com"})).expect("body");
    let error = client(&server).contacts().create(body).await.expect_err("500");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.kind(), ErrorKind::Api);
    assert!(error.is_retryable(), "a 500 may succeed later, even though this POST is not retried");
    assert_eq!(server.requests().len(), 1, "a POST that reached the server must not be repeated");
}

#[tokio::test]
async fn a_post_is_retried_after_a_429_and_when_the_caller_opts_in() {
    let server = MockServer::start().await.expect("server");
    server.push(with_headers(failure(429), &[("Retry-After", "0")]));
    server.push(Scripted::json(200, &json!({"type": "contact", "id": "1"})));
    let body = || serde_json::from_value(json!({"email": "ada@example.com"})).expect("body");
    client(&server).contacts().create(body()).await.expect("a 429 was not acted on");
    assert_eq!(server.requests().len(), 2);

    server.clear();
    server.push(failure(502));
    server.push(Scripted::json(200, &json!({"type": "contact", "id": "1"})));
    let options = RequestOptions::new().retry_unsafe(true);
    client(&server).contacts().create(body()).options(options).await.expect("opted in");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_rate_limit_reset_is_waited_for_when_there_is_no_retry_after() {
    let server = MockServer::start().await.expect("server");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let reset = (now + 2).to_string();
    server.push(with_headers(
        failure(429),
        &[("X-RateLimit-Reset", reset.as_str()), ("X-RateLimit-Remaining", "0")],
    ));
    server.push(list());
    let started = Instant::now();
    client(&server).contacts().list().await.expect("succeeds after the reset");
    // The reset is a whole second, so the wait is between one and two seconds and a bit.
    assert!(started.elapsed() >= Duration::from_millis(900), "did not wait: {:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_given_as_an_http_date_is_waited_for() {
    let server = MockServer::start().await.expect("server");
    let at = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    server.push(with_headers(failure(429), &[("Retry-After", at.as_str())]));
    server.push(list());
    // A date already past asks for no wait at all.
    let past = httpdate::fmt_http_date(std::time::UNIX_EPOCH + Duration::from_secs(1_000_000_000));
    server.push(with_headers(failure(503), &[("Retry-After", past.as_str())]));
    server.push(list());
    let started = Instant::now();
    client(&server).contacts().list().await.expect("succeeds after the date");
    // The date has whole seconds, so the wait is between one and two seconds.
    assert!(started.elapsed() >= Duration::from_millis(900), "did not wait: {:?}", started.elapsed());
    client(&server).contacts().list().await.expect("succeeds on the retry");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn retries_can_be_turned_off_and_are_bounded() {
    let server = MockServer::start().await.expect("server");
    server.push(failure(503));
    let off = RequestOptions::new().max_retries(0);
    let error = client(&server).contacts().list().options(off).await.expect_err("no retry");
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 1);

    server.clear();
    for _ in 0..3 {
        server.push(failure(503));
    }
    let bounded = Client::builder("token").base_url(server.url()).max_retries(2).build().expect("client");
    bounded.contacts().list().await.expect_err("still failing after two retries");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_refused_connection_is_a_typed_error_after_the_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let client = Client::builder("token")
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(1)
        .build()
        .expect("client");
    let error = client.contacts().list().await.expect_err("nothing listens");
    assert_eq!(error.kind(), ErrorKind::Connect, "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.to_string(), "contacts.list: could not connect to the server");
}

#[tokio::test]
async fn rate_limits_are_read_from_successes_and_errors() {
    let server = MockServer::start().await.expect("server");
    let limits = [
        ("X-RateLimit-Limit", "10000"),
        ("X-RateLimit-Remaining", "9999"),
        ("X-RateLimit-Reset", "1700000000"),
    ];
    server.push(with_headers(list(), &limits));
    let response = client(&server).contacts().list().await.expect("ok");
    let limit = response.rate_limit().expect("headers present");
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(10000), Some(9999), Some(1700000000)));

    server.push(with_headers(failure(404), &limits));
    let error = client(&server).contacts().list().await.expect_err("404");
    assert_eq!(error.rate_limit().and_then(|l| l.remaining), Some(9999));
    assert!(!error.is_rate_limited());

    // A 429 that outlasts the retries is told apart, with the reset time to wait for.
    server.push(with_headers(failure(429), &limits));
    let error = client(&server)
        .contacts()
        .list()
        .options(RequestOptions::new().max_retries(0))
        .await
        .expect_err("429");
    assert!(error.is_rate_limited() && error.is_retryable());
    assert_eq!(error.rate_limit().and_then(|l| l.reset), Some(1700000000));

    server.push(list());
    assert_eq!(client(&server).contacts().list().await.expect("ok").rate_limit(), None);
}

/// A deadline bounds the whole call: an attempt gets only what is left of it, and a retry whose
/// wait would end past it is not made. The server's delays and waits are far longer than the
/// deadline, so a call that ignored it would still be running when the outer bound fires.
#[tokio::test]
async fn a_deadline_bounds_every_attempt_and_every_wait() {
    let server = MockServer::start().await.expect("server");
    let mut slow = list();
    slow.delay = Duration::from_secs(20);
    server.push(slow);
    let options = RequestOptions::new().deadline(Duration::from_millis(300));
    let call = client(&server).contacts().list().options(options).send();
    let error = tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call ended at its deadline")
        .expect_err("the server did not answer in time");
    assert_eq!(error.kind(), ErrorKind::Timeout);

    let server = MockServer::start().await.expect("server");
    server.push(with_headers(failure(429), &[("Retry-After", "30")]));
    server.push(list());
    let client = Client::builder("token")
        .base_url(server.url())
        .deadline(Duration::from_secs(2))
        .build()
        .expect("client");
    let call = client.contacts().list().send();
    let error = tokio::time::timeout(Duration::from_secs(10), call)
        .await
        .expect("the call did not wait past its deadline")
        .expect_err("the 429 is returned");
    assert!(error.is_rate_limited());
    assert_eq!(server.requests().len(), 1, "the retry would have started after the deadline");
}

/// A server that asks for a wait beyond the client's two-minute cap is not retried early: the
/// error comes back at once, after one request, with the header that says when to return.
#[tokio::test]
async fn a_wait_longer_than_the_cap_is_not_cut_short_and_retried() {
    for header in [
        ("Retry-After", "36000".to_owned()),
        ("Retry-After", httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(36_000))),
    ] {
        let server = MockServer::start().await.expect("server");
        server.push(with_headers(failure(429), &[(header.0, header.1.as_str())]));
        server.push(list());
        let call = client(&server).contacts().list().send();
        let error = tokio::time::timeout(Duration::from_secs(10), call)
            .await
            .expect("the call returned without waiting")
            .expect_err("the 429 is returned");
        assert!(error.is_rate_limited(), "{error}");
        assert_eq!(server.requests().len(), 1, "retried before the {} the server asked for", header.1);
        let asked = error.headers().and_then(|h| h.get("retry-after")).and_then(|v| v.to_str().ok());
        assert_eq!(asked, Some(header.1.as_str()), "the error keeps when to come back");
    }
}
