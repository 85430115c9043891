//! HTTPS with only a Rust toolchain: the client crate's default TLS backend is rustls on
//! RustCrypto's primitives, so nothing in its build graph compiles C, and a default client does
//! speak TLS.

use std::process::Command;

use intercom_api::{Client, ErrorKind};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// Crates whose build scripts compile C or C++ or call a C build system.
const NEEDS_A_C_TOOLCHAIN: &[&str] =
    &["cc", "cmake", "aws-lc-sys", "aws-lc-fips-sys", "ring", "openssl-sys", "bindgen"];

#[test]
fn the_default_build_compiles_no_c() {
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
    let tree = String::from_utf8_lossy(&output.stdout);
    let names: Vec<&str> = tree.lines().filter_map(|line| line.split_whitespace().next()).collect();
    assert!(names.contains(&"rustls-rustcrypto"), "the default TLS backend is missing:\n{tree}");
    let offenders: Vec<&&str> = names.iter().filter(|name| NEEDS_A_C_TOOLCHAIN.contains(name)).collect();
    assert!(offenders.is_empty(), "the default build needs a C toolchain for {offenders:?}");
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
