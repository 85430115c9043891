//! The supply-chain check is live: against the RustSec snapshot, a project that depends on a
//! crate with a known advisory fails it, naming the advisory. (`cargo xtask deny`, a step of
//! `cargo xtask test`, runs the same check on this workspace.)

use std::fs;

#[test]
fn the_advisories_check_names_a_known_advisory() {
    match proof::supply_chain::prepare() {
        Ok(laid_out) => laid_out.expect("lay the snapshot out for cargo-deny"),
        Err(why) => {
            assert!(std::env::var_os("CI").is_none(), "CI needs the RustSec snapshot: {why}");
            eprintln!("skipped: {why}");
            return;
        }
    }
    // rsa 0.9.10: the Marvin timing side channel, RUSTSEC-2023-0071, which has no fixed release.
    let dir = proof::scratch::scratch_dir("deny-probe");
    fs::create_dir_all(dir.join("src")).expect("scratch folder");
    let manifest = "[package]\nname = \"deny-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\nlicense = \"MIT\"\npublish = false\n\n[workspace]\n\n[dependencies]\nrsa = \"=0.9.10\"\n";
    fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    fs::write(dir.join("src/lib.rs"), "").expect("library");
    let config = tests::workspace_root().join("deny.toml");
    let (passed, printed) =
        proof::supply_chain::check(&dir, &config, &["advisories"]).expect("cargo-deny runs");
    assert!(!passed, "a dependency with an open advisory passed:\n{printed}");
    assert!(printed.contains("RUSTSEC-2023-0071"), "the advisory is not named:\n{printed}");
}
