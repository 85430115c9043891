//! Scratch crates: a generated client for any spec, built beside the checked-in one.
//!
//! A scratch crate is the hand-written shell of `generated/` (its manifest and `src/*.rs`) with
//! another `src/generated/`. Scratch crates live in one scratch workspace under `target/`, which
//! copies this workspace's dependency table and lock file, so they build with the same versions
//! and share one build of the dependencies.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::GeneratedFile;

use crate::{Error, OWNED_DIR, Result, workspace_root};

/// The hand-written files of the client crate, copied into every scratch crate: the crate
/// root, the shell's modules, and the README the crate's docs include.
pub fn shell_files() -> Vec<String> {
    let modules = codegen::shell::SHELL_MODULES.iter().map(|m| format!("src/{m}.rs"));
    std::iter::once("src/lib.rs".to_owned()).chain(modules).chain(["README.md".to_owned()]).collect()
}

/// A workspace of scratch crates in `dir`.
pub struct ScratchWorkspace {
    dir: PathBuf,
    members: Vec<String>,
}

impl ScratchWorkspace {
    /// A scratch workspace in `dir` (created, or emptied of earlier members).
    pub fn new(dir: impl Into<PathBuf>) -> io::Result<Self> {
        let dir = dir.into();
        fs::create_dir_all(&dir)?;
        Ok(ScratchWorkspace { dir, members: Vec::new() })
    }

    /// The folder of the member `name`.
    pub fn member_dir(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Adds a crate named `name` holding `files` as its `src/generated/`, with the `[features]`
    /// table `features` that the generator made with them.
    pub fn add_crate(&mut self, name: &str, files: &[GeneratedFile], features: &str) -> io::Result<()> {
        let root = workspace_root();
        let crate_dir = self.member_dir(name);
        if crate_dir.exists() {
            fs::remove_dir_all(&crate_dir)?;
        }
        fs::create_dir_all(crate_dir.join(OWNED_DIR))?;
        let ours = fs::read_to_string(root.join("generated/Cargo.toml"))?;
        let manifest = crate::manifest::client_manifest(&ours, "", name, crate::manifest::Home::Member)
            .and_then(|manifest| crate::with_features(&manifest, features))
            .map_err(|e| io::Error::other(e.to_string()))?;
        fs::write(crate_dir.join("Cargo.toml"), manifest)?;
        for file in shell_files() {
            fs::copy(root.join("generated").join(&file), crate_dir.join(&file))?;
        }
        for file in files {
            let path = crate_dir.join(OWNED_DIR).join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, &file.contents)?;
        }
        self.members.push(name.to_owned());
        Ok(())
    }

    /// Adds the runner package of the member `client` (see [`crate::manifest::runner_manifest`]):
    /// its binary, named after `client`, is `proof/runner/main.rs` built against that crate.
    pub fn add_runner(&mut self, client: &str) -> io::Result<()> {
        let name = format!("{client}-runner");
        let dir = self.member_dir(&name);
        fs::create_dir_all(&dir)?;
        let manifest = crate::manifest::runner_manifest(client, &crate::manifest::runner_main());
        fs::write(dir.join("Cargo.toml"), manifest)?;
        self.members.push(name);
        Ok(())
    }

    /// Writes the workspace manifest (this workspace's, with other members) and lock file.
    pub fn write_manifest(&self) -> io::Result<()> {
        let root = workspace_root();
        let ours = fs::read_to_string(root.join("Cargo.toml"))?;
        let manifest = crate::manifest::scratch_workspace_manifest(&ours, &self.members)
            .map_err(|e| io::Error::other(e.to_string()))?;
        fs::write(self.dir.join("Cargo.toml"), manifest)?;
        fs::copy(root.join("Cargo.lock"), self.dir.join("Cargo.lock"))?;
        Ok(())
    }

    /// Runs `cargo <subcommand>` on every member; returns the diagnostics printed, or an error
    /// when cargo failed or printed any warning.
    pub fn cargo(&self, subcommand: &[&str]) -> Result<String> {
        self.run_cargo(subcommand, &["--workspace"])
    }

    /// Runs `cargo <subcommand>` on the member `name` only, as [`ScratchWorkspace::cargo`] does
    /// on all of them.
    pub fn cargo_member(&self, name: &str, subcommand: &[&str]) -> Result<String> {
        self.run_cargo(subcommand, &["--package", name])
    }

    /// Runs `cargo <subcommand>` on the members `names`, as [`ScratchWorkspace::cargo`] does on
    /// all of them.
    pub fn cargo_members(&self, names: &[&str], subcommand: &[&str]) -> Result<String> {
        let members: Vec<&str> = names.iter().flat_map(|name| ["--package", name]).collect();
        self.run_cargo(subcommand, &members)
    }

    /// `cargo build` of every member with clippy's lints on, so one compile both makes the
    /// binaries and holds the code to `clippy -D warnings`: clippy's driver stands in for rustc on
    /// the members (as `cargo clippy` does for a check), and any warning fails the run.
    pub fn build_linted(&self, args: &[&str]) -> Result<String> {
        let driver = clippy_driver()?;
        let subcommand: Vec<&str> = ["build"].into_iter().chain(args.iter().copied()).collect();
        self.run_cargo_with(&subcommand, &["--workspace"], &[("RUSTC_WORKSPACE_WRAPPER", driver.as_os_str())])
    }

    fn run_cargo(&self, subcommand: &[&str], members: &[&str]) -> Result<String> {
        self.run_cargo_with(subcommand, members, &[])
    }

    fn run_cargo_with(
        &self,
        subcommand: &[&str],
        members: &[&str],
        env: &[(&str, &std::ffi::OsStr)],
    ) -> Result<String> {
        self.write_manifest().map_err(Error::fs("write the scratch workspace", &self.dir))?;
        // Members go before a `--`, whose arguments are for the program cargo runs.
        let split = subcommand.iter().position(|a| *a == "--").unwrap_or(subcommand.len());
        let output = crate::cargo()
            .args(&subcommand[..split])
            .args(members)
            .args(["--message-format", "short"])
            .args(&subcommand[split..])
            .current_dir(&self.dir)
            .envs(env.iter().copied())
            .env("CARGO_TARGET_DIR", shared_target_dir())
            // Scratch crates are built once per run: incremental state (over a gigabyte for
            // the 2.15 crate) would only fill the disk.
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(Error::program("cargo"))?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                l.starts_with("warning")
                    || l.starts_with("error")
                    || l.contains(": warning:")
                    || l.contains(": error")
            })
            .collect();
        if !output.status.success() || !problems.is_empty() {
            return Err(Error::Program {
                program: format!("cargo {} in {}", subcommand.join(" "), self.dir.display()),
                detail: format!("\n{}", problems.join("\n")),
            });
        }
        Ok(stderr)
    }
}

/// One target folder for every scratch workspace, so dependencies are built once. A copy of
/// the workspace (the bump test makes one) can point it elsewhere with `XTASK_SCRATCH_TARGET`.
pub fn shared_target_dir() -> PathBuf {
    match std::env::var_os("XTASK_SCRATCH_TARGET") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target/scratch"),
    }
}

/// The folder for scratch workspaces of a given purpose.
pub fn scratch_dir(purpose: &str) -> PathBuf {
    workspace_root().join("target").join(purpose)
}

/// Clippy's driver, beside the toolchain's `rustc` (the default `rustup` profile has it).
fn clippy_driver() -> Result<PathBuf> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(Error::program(format!("{rustc} --print sysroot")))?;
    let sysroot = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let driver =
        Path::new(&sysroot).join("bin").join(format!("clippy-driver{}", std::env::consts::EXE_SUFFIX));
    if driver.is_file() {
        Ok(driver)
    } else {
        Err(Error::Invalid(format!(
            "{} is missing: install clippy with `rustup component add clippy`",
            driver.display()
        )))
    }
}
