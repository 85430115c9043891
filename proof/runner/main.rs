//! The runner of one scratch client crate: its package depends on that crate under the name
//! `client`, so this one file serves every crate that conformance and contract runs build.

fn main() -> std::process::ExitCode {
    client::test_harness::main()
}
