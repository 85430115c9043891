//! `cargo xtask`: the project's commands. `cargo xtask help` lists them; `cargo xtask <command>
//! --help` prints one. This file only runs what `xtask::cli` read and prints the outcome.

use std::process::ExitCode;

use xtask::cli::{self, Command};

fn main() -> ExitCode {
    match cli::parse(std::env::args_os().skip(1)).and_then(run) {
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

fn run(command: Command) -> Result<String, String> {
    match command {
        Command::Help(text) => Ok(text),
        Command::Generate(args) => xtask::generate(&args).map_err(|e| e.to_string()),
        Command::Conformance(args) => proof::conformance::run(&args),
        Command::Contract(args) => proof::contract::run(&args),
        Command::Test => xtask::checks::run_all(),
        Command::Diff(args) => xtask::bump::diff_files(&args),
        Command::Bump(args) => xtask::bump::bump(&args),
        Command::Bench(args) => proof::bench::run(args),
        Command::BenchRun(args) => proof::bench::run_measurements(args),
        Command::ParseYaml(path) => {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_yaml::from_str::<serde_yaml::Value>(&text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(String::new())
        }
    }
}
