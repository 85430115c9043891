//! Tracing, in a test binary of its own: `tracing` caches whether a call site is enabled, and a
//! test on another thread without a subscriber can make that cache say "never" for this one.

use intercom_api::Client;
use serde_json::json;
use tests::server::{MockServer, Scripted};

fn list() -> Scripted {
    Scripted::json(200, &json!({"type": "list", "data": []}))
}

fn failure(status: u16) -> Scripted {
    Scripted::json(status, &json!({"type": "error.list", "errors": [{"code": "x", "message": "m"}]}))
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
    client.contacts().list().await.expect("ok after a retry");
    server.push(failure(401));
    let error = client.contacts().get("42").await.expect_err("401");

    let logs = String::from_utf8(captured.0.lock().expect("logs").clone()).expect("utf-8");
    assert!(logs.contains("intercom.request"), "no request span in:\n{logs}");
    assert!(
        logs.contains("operation=\"contacts.list\"") || logs.contains("operation=contacts.list"),
        "{logs}"
    );
    assert!(
        logs.contains("operation_id=\"ListContacts\"") || logs.contains("operation_id=ListContacts"),
        "{logs}"
    );
    assert!(
        logs.contains("path=\"/contacts/{contact_id}\"") || logs.contains("path=/contacts/{contact_id}"),
        "{logs}"
    );
    assert!(logs.contains("retrying"), "the retry is not logged:\n{logs}");
    for text in [logs.as_str(), &format!("{error}"), &format!("{error:?}"), &format!("{client:?}")] {
        assert!(!text.contains(secret), "the token leaked:\n{text}");
    }
}
