//! Compressed responses on the wire: the client asks for gzip, deflate and brotli, inflates each
//! (success and error bodies, typed and raw calls), reports a corrupt body as an error, and asks
//! for nothing when compression is turned off.

use std::io::Write;

use intercom_api::{Client, ErrorKind};
use serde_json::json;
use tests::server::{MockServer, Scripted};

/// An encoder of a body into one content coding.
type Encode = fn(&[u8]) -> Vec<u8>;

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).expect("compress");
    encoder.finish().expect("compress")
}

/// HTTP's `deflate`: the zlib format.
fn zlib(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).expect("compress");
    encoder.finish().expect("compress")
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(body).expect("compress");
    }
    out
}

/// A JSON response whose body is `encode(json)`, labelled with `coding`.
fn compressed(
    status: u16,
    value: &serde_json::Value,
    coding: &str,
    encode: fn(&[u8]) -> Vec<u8>,
) -> Scripted {
    let mut response = Scripted::json(status, value);
    response.body = encode(&response.body);
    response.headers.push(("Content-Encoding".into(), coding.into()));
    response
}

/// An admin large enough that compression shrinks it, as list pages are.
fn admin() -> serde_json::Value {
    let padding = "a long away-mode reason, repeated ".repeat(200);
    json!({"type": "admin", "id": "991", "email": "ada@example.com", "name": padding})
}

async fn server_and_client() -> (MockServer, Client) {
    let server = MockServer::start().await.expect("server");
    let client = Client::builder("token").base_url(server.url()).max_retries(0).build().expect("client");
    (server, client)
}

#[tokio::test]
async fn each_encoding_is_asked_for_and_inflated() {
    let (server, client) = server_and_client().await;
    let encodings: [(&str, Encode); 4] =
        [("gzip", gzip), ("x-gzip", gzip), ("deflate", zlib), ("br", brotli)];
    for (coding, encode) in encodings {
        server.reset();
        let response = compressed(200, &admin(), coding, encode);
        assert!(response.body.len() < admin().to_string().len() / 4, "{coding} did not shrink the body");
        server.push(response);
        let me = client.admins().identify().await.unwrap_or_else(|e| panic!("{coding}: {e}"));
        assert!(
            me.headers().get("content-encoding").is_none(),
            "{coding}: the header of the compressed body stays"
        );
        let me = serde_json::to_value(me.into_inner()).expect("encode");
        assert_eq!(me["email"], "ada@example.com", "{coding}");
        assert_eq!(me["name"], admin()["name"], "{coding}");
        let sent = server.requests();
        assert_eq!(sent[0].header("accept-encoding"), Some("gzip, deflate, br"), "{coding}");
    }
}

#[tokio::test]
async fn a_compressed_error_body_is_read() {
    let (server, client) = server_and_client().await;
    let body = json!({"type": "error.list", "request_id": "req-7", "errors": [{"code": "not_found", "message": "Admin Not Found"}]});
    server.push(compressed(404, &body, "gzip", gzip));
    let error = client.admins().identify().await.expect_err("a 404");
    assert_eq!(error.kind(), ErrorKind::Api, "{error}");
    assert!(error.is_not_found());
    assert_eq!(error.request_id(), Some("req-7"), "{error}");
    assert!(error.has_code(intercom_api::ErrorCode::NotFound), "{error}");
}

#[tokio::test]
async fn a_raw_call_is_inflated_too() {
    let (server, client) = server_and_client().await;
    server.push(compressed(200, &json!({"type": "note", "id": "5"}), "br", brotli));
    let note = client.raw(intercom_api::Method::GET, "/notes/5").send_json().await.expect("raw call");
    assert_eq!(note.into_inner(), json!({"type": "note", "id": "5"}));
}

#[tokio::test]
async fn a_corrupt_compressed_body_is_an_error_not_a_panic() {
    let (server, client) = server_and_client().await;
    let mut response = Scripted::json(200, &admin());
    response.headers.push(("Content-Encoding".into(), "gzip".into()));
    server.push(response);
    let error = client.admins().identify().await.expect_err("the body is not gzip");
    assert_eq!(error.kind(), ErrorKind::ResponseBody, "{error}");
}

#[tokio::test]
async fn turned_off_it_asks_for_nothing() {
    let server = MockServer::start().await.expect("server");
    let client = Client::builder("token").base_url(server.url()).compression(false).build().expect("client");
    server.push(Scripted::json(200, &admin()));
    client.admins().identify().await.expect("a plain body");
    assert_eq!(server.requests()[0].header("accept-encoding"), None);
}
