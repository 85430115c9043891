//! `cargo xtask test`: every check CI runs, in one command, so a newcomer and CI run the same.

use std::process::Command;
use std::time::Instant;

use crate::{GenerateArgs, generate, workspace_root};

/// One step: a name, the cargo arguments it runs, and extra environment.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step { name: "rustfmt", args: &["fmt", "--all", "--check"], env: &[] },
    Step {
        name: "clippy",
        args: &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"],
        env: &[],
    },
    // What a team's review runs on every dependency: advisories, licenses, sources, bans.
    Step { name: "supply chain", args: &["xtask", "deny"], env: &[] },
    Step { name: "tests", args: &["test", "--workspace", "--locked", "--no-fail-fast"], env: &[] },
    Step {
        name: "rustdoc",
        args: &["doc", "--workspace", "--no-deps", "--locked"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    // Every published Intercom version must generate, compile cleanly and round-trip its
    // examples; the report is rewritten so that a change in the table shows in review.
    Step {
        name: "conformance",
        args: &["xtask", "conformance", "--check-report", "CONFORMANCE.md"],
        env: &[],
    },
    // The newest Intercom version, and our own spec, against Prism, which validates every request.
    Step { name: "contract", args: &["xtask", "contract"], env: &[] },
    Step { name: "contract (spec/)", args: &["xtask", "contract", "--spec", "spec/intercom.yaml"], env: &[] },
];

/// Runs the drift check and every step, all of them even after a failure, and reports once.
pub fn run_all() -> proof::Result<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut report = Vec::new();
    let mut failed = Vec::new();

    let start = Instant::now();
    eprintln!("==> drift check: cargo xtask generate --check");
    match generate(&GenerateArgs { check: true, ..GenerateArgs::default_paths() }) {
        Ok(_) => report.push(format!("ok      drift check ({:.1}s)", start.elapsed().as_secs_f64())),
        Err(e) => {
            eprintln!("{e}");
            failed.push("drift check");
            report.push("FAILED  drift check".to_owned());
        }
    }

    for step in STEPS {
        let start = Instant::now();
        if step.name == "rustfmt" && !has_rustfmt(&cargo) {
            // rustfmt is a rustup component; say so rather than pass quietly.
            report.push("missing rustfmt (install it with `rustup component add rustfmt`)".to_owned());
            failed.push("rustfmt");
            continue;
        }
        eprintln!("==> {}: cargo {}", step.name, step.args.join(" "));
        let status = Command::new(&cargo)
            .args(step.args)
            .envs(step.env.iter().copied())
            // The test command builds once; incremental state (two gigabytes) would only fill
            // the disk.
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(workspace_root())
            .status();
        let Ok(status) = status else {
            failed.push(step.name);
            report.push(format!("FAILED  {} (cannot run cargo)", step.name));
            continue;
        };
        let seconds = start.elapsed().as_secs_f64();
        if status.success() {
            report.push(format!("ok      {} ({seconds:.1}s)", step.name));
        } else {
            failed.push(step.name);
            report.push(format!("FAILED  {} ({seconds:.1}s)", step.name));
        }
    }
    let summary = format!("\n{}\n", report.join("\n"));
    if failed.is_empty() {
        Ok(summary)
    } else {
        Err(proof::Error::Check(format!("{summary}failed: {}", failed.join(", "))))
    }
}

fn has_rustfmt(cargo: &str) -> bool {
    Command::new(cargo).args(["fmt", "--version"]).output().is_ok_and(|o| o.status.success())
}
