//! What the generated code shares its crate with: the hand-written modules of the client
//! crate's shell, the methods of its `Client`, and the shell's cargo features. A tag's module
//! and accessor must not take any of these names; `tests/tests/tidy.rs` checks the lists
//! against the shell's sources, so they cannot go stale.

/// The shell's hand-written modules (`generated/src/<name>.rs`).
pub const SHELL_MODULES: &[&str] = &[
    "client",
    "compression",
    "error",
    "form",
    "json_path",
    "paging",
    "rate_limit",
    "runtime",
    "test_harness",
    "webhooks",
];

/// The modules the generator writes itself, beside one per tag.
pub const GENERATED_MODULES: &[&str] = &["generated", "types", "harness"];

/// Every method of `Client` in the shell (`impl Client` blocks of `client.rs`); a tag's accessor
/// is a method of `Client` too.
pub const CLIENT_METHODS: &[&str] =
    &["builder", "new", "base_url", "api_version", "http", "execute", "send_once", "raw"];

/// The features of the crate's hand-written shell, which live in the same table: each with the
/// comment that says what it is for.
pub const SHELL_FEATURES: &[(&str, &str)] = &[
    (
        "HTTPS through rustls with the aws-lc-rs provider and the platform's certificate verifier: reqwest's own default TLS.",
        "rustls = [\"reqwest/rustls\"]",
    ),
    (
        "HTTPS through the platform's TLS library (OpenSSL, Secure Transport, SChannel); preferred over `rustls` when both are on.",
        "native-tls = [\"reqwest/native-tls\"]",
    ),
    (
        "Asks for gzip- and deflate-compressed responses and inflates them in the client.",
        "gzip = [\"dep:async-compression\", \"async-compression?/gzip\", \"async-compression?/zlib\", \"dep:tokio-util\", \"dep:http\"]",
    ),
    (
        "Asks for brotli-compressed responses and decodes them in the client.",
        "brotli = [\"dep:async-compression\", \"async-compression?/brotli\", \"dep:tokio-util\", \"dep:http\"]",
    ),
    (
        "Verifying and decoding webhook notifications (`intercom_api::webhooks`).",
        "webhooks = [\"dep:hmac\", \"dep:sha1\", \"dep:serde_path_to_error\"]",
    ),
    (
        "Not part of the API: the repository's tests call every operation through it.",
        "test-harness = [\"full\", \"tokio/rt\", \"dep:serde_path_to_error\"]",
    ),
];

/// The shell's features that `default` turns on, beside `full`.
pub const DEFAULT_SHELL_FEATURES: &[&str] = &["rustls", "gzip", "brotli"];

/// The feature every tag's feature turns on: code that every tag needs is gated on it alone,
/// instead of on a list of every tag.
pub const ANY_TAG_FEATURE: &str = "any-tag";

/// The names of the shell's features as Rust spells them (`native-tls` is `native_tls`), and the
/// features the generator adds beside one per tag.
pub fn feature_names() -> impl Iterator<Item = String> {
    let shell = SHELL_FEATURES.iter().filter_map(|(_, line)| line.split(" = ").next());
    ["full", "default", ANY_TAG_FEATURE].into_iter().chain(shell).map(|name| name.replace('-', "_"))
}
