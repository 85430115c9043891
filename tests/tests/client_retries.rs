//! Retries and rate limits against the loopback server: what is retried, after how long, and
//! what is never retried.

use std::time::{Duration, Instant};

use intercom_api::{Client, Error, RateLimited, RequestOptions};
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
    client(&server).contacts().list_contacts().await.expect("succeeds on the retry");
    assert!(started.elapsed() >= Duration::from_secs(1), "did not wait: {:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_get_is_retried_after_5xx_until_it_succeeds() {
    let server = MockServer::start().await.expect("server");
    server.push(failure(503));
    server.push(failure(503));
    server.push(list());
    client(&server).contacts().list_contacts().await.expect("succeeds on the third try");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_5xx() {
    let server = MockServer::start().await.expect("server");
    server.push(failure(500));
    let body = serde_json::from_value(json!({"email": "ada@example.com"})).expect("body");
    let error = client(&server).contacts().create_contact(body).await.expect_err("500");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(matches!(error, Error::ErrorResponse(_)));
    assert_eq!(server.requests().len(), 1, "a POST that reached the server must not be repeated");
}

#[tokio::test]
async fn a_post_is_retried_after_a_429_and_when_the_caller_opts_in() {
    let server = MockServer::start().await.expect("server");
    server.push(with_headers(failure(429), &[("Retry-After", "0")]));
    server.push(Scripted::json(200, &json!({"type": "contact", "id": "1"})));
    let body = || serde_json::from_value(json!({"email": "ada@example.com"})).expect("body");
    client(&server).contacts().create_contact(body()).await.expect("a 429 was not acted on");
    assert_eq!(server.requests().len(), 2);

    server.clear();
    server.push(failure(502));
    server.push(Scripted::json(200, &json!({"type": "contact", "id": "1"})));
    let options = RequestOptions::new().retry_unsafe(true);
    client(&server).contacts().create_contact(body()).options(options).await.expect("opted in");
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
    client(&server).contacts().list_contacts().await.expect("succeeds after the reset");
    // The reset is a whole second, so the wait is between one and two seconds and a bit.
    assert!(started.elapsed() >= Duration::from_millis(900), "did not wait: {:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_can_be_turned_off_and_are_bounded() {
    let server = MockServer::start().await.expect("server");
    server.push(failure(503));
    let off = RequestOptions::new().max_retries(0);
    let error = client(&server).contacts().list_contacts().options(off).await.expect_err("no retry");
    assert!(error.is_retryable());
    assert_eq!(server.requests().len(), 1);

    server.clear();
    for _ in 0..3 {
        server.push(failure(503));
    }
    let bounded = Client::builder("token").base_url(server.url()).max_retries(2).build().expect("client");
    bounded.contacts().list_contacts().await.expect_err("still failing after two retries");
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
    let error = client.contacts().list_contacts().await.expect_err("nothing listens");
    assert!(matches!(error, Error::CommunicationError(ref e) if e.is_connect()), "{error:?}");
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
    let response = client(&server).contacts().list_contacts().await.expect("ok");
    let limit = response.rate_limit().expect("headers present");
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(10000), Some(9999), Some(1700000000)));

    server.push(with_headers(failure(404), &limits));
    let error = client(&server).contacts().list_contacts().await.expect_err("404");
    assert_eq!(error.rate_limit().and_then(|l| l.remaining), Some(9999));

    server.push(list());
    assert_eq!(client(&server).contacts().list_contacts().await.expect("ok").rate_limit(), None);
}

/// A writer that keeps everything logged, for the test below.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn requests_are_traced_without_the_token() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await.expect("server");
    server.push(failure(503));
    server.push(list());
    let secret = "s3cret-token-value";
    let client = Client::builder(secret).base_url(server.url()).build().expect("client");
    client.contacts().list_contacts().await.expect("ok after a retry");
    server.push(failure(401));
    let error = client.contacts().show_contact("42").await.expect_err("401");

    let logs = String::from_utf8(captured.0.lock().expect("logs").clone()).expect("utf-8");
    assert!(logs.contains("intercom.request"), "no request span in:\n{logs}");
    assert!(logs.contains("operation=\"ListContacts\"") || logs.contains("operation=ListContacts"), "{logs}");
    assert!(
        logs.contains("path=\"/contacts/{contact_id}\"") || logs.contains("path=/contacts/{contact_id}"),
        "{logs}"
    );
    assert!(logs.contains("retrying"), "the retry is not logged:\n{logs}");
    for text in [logs.as_str(), &format!("{error}"), &format!("{error:?}"), &format!("{client:?}")] {
        assert!(!text.contains(secret), "the token leaked:\n{text}");
    }
}
