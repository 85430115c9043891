//! TLS that a security review accepts, and no side effects on the user's other reqwest clients:
//! the default backend is rustls on aws-lc-rs (reqwest's own default), nothing in the default
//! graph calls itself a pre-release, a default client speaks TLS, and a program that also uses
//! reqwest with its default features off still builds working clients of its own.

use std::process::Command;

use intercom_api::{Client, ErrorKind};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// `cargo tree` of the client crate with default features, one `name vX.Y.Z` a line.
fn default_tree() -> Vec<(String, String)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(tests::workspace_root())
        .args([
            "tree",
            "--package",
            "intercom-api",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--target",
            "all",
        ])
        .output()
        .expect("run cargo tree");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.trim_start_matches('v').to_owned()))
        })
        .collect()
}

/// `major.minor.patch` as numbers, ignoring a pre-release or build suffix.
fn numbers(version: &str) -> (u64, u64, u64) {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let mut parts = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn the_default_tls_is_a_mature_provider() {
    let tree = default_tree();
    let has = |name: &str| tree.iter().any(|(n, _)| n == name);
    assert!(has("aws-lc-rs"), "the default TLS provider is missing: {tree:?}");
    assert!(!has("rustls-rustcrypto"), "the alpha pure-Rust provider is back in the default graph");
    // RUSTSEC-2026-0104, -0049, -0098 and -0099 are fixed from 0.103.13 on.
    for (name, version) in &tree {
        if name == "rustls-webpki" {
            assert!(numbers(version) >= (0, 103, 13), "rustls-webpki {version} has open advisories");
        }
    }
    // A version with a pre-release suffix (`-alpha`, `-rc.1`) is its authors saying it is not
    // ready; the default graph has none. Build metadata (`+wasi-snapshot-preview1`) is not one.
    let pre_release = |v: &str| v.split('+').next().is_some_and(|core| core.contains('-'));
    let early: Vec<String> =
        tree.iter().filter(|(_, v)| pre_release(v)).map(|(n, v)| format!("{n} {v}")).collect();
    assert!(early.is_empty(), "pre-release crates in the default graph: {early:?}");
}

#[tokio::test]
async fn a_default_client_opens_tls() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut hello = [0u8; 3];
        socket.read_exact(&mut hello).await.expect("read the first bytes");
        // Dropping the socket ends the handshake there.
        hello
    });
    let client =
        Client::builder("token").base_url(format!("https://localhost:{port}")).build().expect("client");
    let error = client.admins().identify().await.expect_err("the server never finishes the handshake");
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    // A TLS record of type handshake (22) in TLS 1.x framing: a ClientHello, which takes the
    // crypto provider's key share to write.
    let hello = server.await.expect("server task");
    assert_eq!(hello[0], 22, "not a TLS handshake record: {hello:?}");
    assert_eq!(hello[1], 3, "not TLS record framing: {hello:?}");
}

/// A `reqwest::Client` built the ordinary way, in a program that depends on this crate, works
/// on its own and as the client's transport.
#[tokio::test]
async fn an_ordinary_reqwest_client_serves_as_the_transport() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(async move {
        let mut seen = Vec::new();
        for _ in 0..2 {
            let (mut socket, _) = listener.accept().await.expect("accept");
            let mut request = vec![0u8; 4096];
            let read = socket.read(&mut request).await.expect("read the request");
            seen.push(String::from_utf8_lossy(&request[..read]).into_owned());
            let body = r#"{"type":"admin","id":"7","email":"a@example.com"}"#;
            let answer = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            tokio::io::AsyncWriteExt::write_all(&mut socket, answer.as_bytes()).await.expect("answer");
        }
        seen
    });
    let http = reqwest::Client::new();
    let plain = http.get(format!("{url}/plain")).send().await.expect("a plain request");
    assert!(plain.status().is_success());
    drop(plain);
    let client = Client::builder("token").base_url(&url).http_client(http).build().expect("client");
    let me = client.admins().identify().await.expect("identify through the caller's client");
    assert!(format!("{:?}", me.into_inner()).contains("a@example.com"));
    let seen = server.await.expect("server task");
    assert!(seen[1].to_ascii_lowercase().contains("authorization: bearer token"), "{}", seen[1]);
}

/// The program a user writes: this crate with its default features, beside reqwest with its
/// default features off. Cargo unifies features, so a TLS feature of reqwest that this crate
/// turns on reaches the user's reqwest too; the user's client must still build and work.
const USER_PROGRAM: &str = r#"
use std::io::{Read, Write};

fn main() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().expect("accept");
        let mut request = [0u8; 2048];
        let _ = socket.read(&mut request).expect("read");
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello")
            .expect("answer");
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let body = runtime.block_on(async {
        // This panicked when the crate left reqwest with rustls and no crypto provider.
        let http = reqwest::Client::builder().build().expect("a reqwest client of the user's own");
        let response = http.get(format!("http://{address}/")).send().await.expect("send");
        response.text().await.expect("body")
    });
    server.join().expect("server");
    let _ = intercom_api::Client::new("token").expect("the crate's client");
    println!("user program: {body}");
}
"#;

#[test]
fn a_user_reqwest_without_default_features_still_works() {
    let root = tests::workspace_root();
    let dir = proof::scratch::scratch_dir("other-reqwest");
    std::fs::create_dir_all(dir.join("src")).expect("scratch folder");
    let manifest = format!(
        r#"[package]
name = "other-reqwest"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
intercom-api = {{ path = {generated:?} }}
reqwest = {{ version = "0.13", default-features = false }}
tokio = {{ version = "1", default-features = false, features = ["rt", "net", "time"] }}
"#,
        generated = root.join("generated").display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::write(dir.join("src/main.rs"), USER_PROGRAM).expect("program");
    // The workspace's lock file, so the same versions are built, offline as the rest is.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(&dir)
        .args(["run", "--quiet"])
        .env("CARGO_TARGET_DIR", proof::scratch::shared_target_dir())
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("user program: hello"),
        "the user's program failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
