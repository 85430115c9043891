//! The client crate is ready for the registry: `cargo package` lists its files without a
//! warning about missing metadata, the list holds the README and both license texts, and
//! nothing in it comes from outside the crate's folder.

use std::process::Command;

#[test]
fn the_client_crate_packages_from_its_own_folder() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(tests::workspace_root())
        .args(["package", "--package", "intercom-api", "--list", "--allow-dirty", "--offline"])
        .output()
        .expect("run cargo package");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo package failed: {stderr}");
    assert!(!stderr.contains("warning"), "cargo package warns: {stderr}");
    let listed = String::from_utf8_lossy(&output.stdout);
    let files: Vec<&str> = listed.lines().collect();
    for needed in
        ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md", "src/lib.rs", "src/generated/mod.rs"]
    {
        assert!(files.contains(&needed), "{needed} is not in the package: {files:?}");
    }
    // Files cargo writes itself; every other one is a file of the crate's folder.
    let written_by_cargo = [".cargo_vcs_info.json", "Cargo.toml", "Cargo.toml.orig", "Cargo.lock"];
    let crate_dir = tests::workspace_root().join("generated");
    for file in files.iter().filter(|f| !written_by_cargo.contains(f)) {
        assert!(!file.contains(".."), "{file} is outside the crate");
        assert!(crate_dir.join(file).is_file(), "{file} is not a file of generated/");
    }
}
