//! `cargo xtask`: the project's commands. `cargo xtask help` lists them; `cargo xtask <command>
//! --help` prints one. This file only runs what `xtask::cli` read and prints the outcome.

use std::process::ExitCode;

use xtask::cli::{self, Command};

fn main() -> ExitCode {
    let outcome = cli::parse(std::env::args_os().skip(1)).map_err(Into::into).and_then(run);
    match outcome {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command; its report, or why it failed, is what `main` prints.
fn run(command: Command) -> Result<String, Box<dyn std::error::Error>> {
    Ok(match command {
        Command::Help(text) => text,
        Command::Generate(args) => xtask::generate(&args)?,
        Command::Conformance(args) => proof::conformance::run(&args)?,
        Command::Contract(args) => proof::contract::run(&args)?,
        Command::Test => xtask::checks::run_all()?,
        Command::Deny => proof::supply_chain::run()?,
        Command::Api { bless: false } => xtask::api::check()?,
        Command::Api { bless: true } => xtask::api::bless()?,
        Command::ApiList(dir) => proof::public_api::to_file(&xtask::api::current_listing(&dir)?),
        Command::Diff(args) => xtask::bump::diff_files(&args)?,
        Command::Bump(args) => xtask::bump::bump(&args)?,
        Command::Bench(args) => proof::bench::run(args)?,
        Command::BenchRun(args) => proof::bench::run_measurements(args)?,
        Command::ParseYaml(path) => {
            let text = std::fs::read_to_string(&path).map_err(proof::Error::fs("read", &path))?;
            serde_yaml::from_str::<serde_yaml::Value>(&text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            String::new()
        }
    })
}
