//! The command line: each command, its help and its arguments, read with `lexopt`. `main.rs`
//! only runs what [`parse`] returns, so the whole command line is testable as a library.

use std::ffi::OsString;
use std::path::PathBuf;

use codegen::DanglingRefs;
use lexopt::prelude::*;

use crate::GenerateArgs;
use crate::bump::BumpArgs;
use proof::bench::BenchArgs;
use proof::conformance::ConformanceArgs;
use proof::contract::ContractArgs;

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Print this text and succeed (`help`, `--help`).
    Help(String),
    /// `generate`.
    Generate(GenerateArgs),
    /// `conformance`.
    Conformance(ConformanceArgs),
    /// `contract`.
    Contract(ContractArgs),
    /// `test`.
    Test,
    /// `diff OLD NEW`.
    Diff(crate::bump::DiffArgs),
    /// `bump`.
    Bump(BumpArgs),
    /// `deny`.
    Deny,
    /// `api [--bless]`.
    Api {
        /// Record the API as a new version instead of checking it.
        bless: bool,
    },
    /// `api --list DIR`: print the listing of the crate in DIR.
    ApiList(PathBuf),
    /// `bench`.
    Bench(BenchArgs),
    /// `bench-run`: the measurements, in the release binary that `bench` builds.
    BenchRun(BenchArgs),
    /// `parse-yaml PATH`: the benchmark's floor, reading a file into a YAML value.
    ParseYaml(PathBuf),
}

/// One command: its name, the line that shows its arguments, and what each does.
struct Help {
    /// Whether `usage` lists it; `bench`'s own steps are not.
    listed: bool,
    name: &'static str,
    synopsis: &'static str,
    text: &'static str,
}

const COMMANDS: &[Help] = &[
    Help {
        listed: true,
        name: "test",
        synopsis: "cargo xtask test",
        text: "Runs every check CI runs: the drift check, rustfmt, clippy, the tests, rustdoc,
conformance and the two contract runs.",
    },
    Help {
        listed: true,
        name: "generate",
        synopsis: "cargo xtask generate [--check] [--verbose] [--timings] [--spec PATH] [--pagination PATH]
                     [--out DIR [--crate-name NAME]] [--allow-dangling-refs] [--partial]",
        text: "Regenerates generated/src/generated/ from spec/intercom.yaml.

  --check                write nothing; fail with a diff if the checked-in files are stale
  --verbose              print every warning
  --timings              print the time of each phase
  --spec PATH            read another spec
  --pagination PATH      the spec's table: pagination, method and type names (default:
                         pagination.txt beside the spec, if any)
  --out DIR              write into another client crate folder (its src/generated/ and the
                         [features] of its Cargo.toml); a new or empty folder gets a whole
                         crate named after it (manifest, the client's shell, generated code)
  --crate-name NAME      the name of that new crate (default: the folder's name, lowercased,
                         other characters made `-`)
  --allow-dangling-refs  read values of `$ref`s to missing schemas as untyped JSON
  --partial              leave out operations that cannot be generated (each error becomes a
                         warning) instead of writing nothing",
    },
    Help {
        listed: true,
        name: "conformance",
        synopsis: "cargo xtask conformance [--spec-dir DIR] [--only VERSION,...] [--report FILE] [--check-report FILE]",
        text: "Generates, compiles and round-trips the examples of every spec in a folder.

  --spec-dir DIR         the folder of *.yaml specs (default: Intercom's published ones, found
                         or downloaded as proof/published-specs.txt says)
  --only VERSIONS        only these versions (file stems, comma-separated)
  --report FILE          also write the Markdown report to FILE
  --check-report FILE    fail when the results differ from the report in FILE",
    },
    Help {
        listed: true,
        name: "contract",
        synopsis: "cargo xtask contract [--spec PATH]",
        text: "Calls every operation of a spec (default: the newest Intercom spec) through its generated
client against Prism, which validates each request; installs Prism with npm under target/prism
when missing.

  --spec PATH            the spec to call",
    },
    Help {
        listed: true,
        name: "api",
        synopsis: "cargo xtask api [--bless | --list DIR]",
        text: "Compares the client crate's public API, read from its source, with the listing recorded for
its version in generated/api/<version>.txt, and prints what changed with its semver verdict.

  --bless                record the API: when it changed, move the crate to the version the
                         verdict asks for (Cargo.toml, Cargo.lock), start a changelog entry that
                         lists the change, and write that version's listing
  --list DIR             print the listing of the crate in DIR (another checkout, say)",
    },
    Help {
        listed: true,
        name: "deny",
        synopsis: "cargo xtask deny",
        text: "The supply-chain check: `cargo deny check` of advisories, licenses, sources and bans, as
deny.toml sets them. Advisories are read offline from the RustSec snapshot in
$RUSTSEC_ADVISORY_DB or ../shared/advisory-db/ (without one they are skipped, with the reason;
under CI that is a failure). Installs cargo-deny, pinned, under target/cargo-deny when missing.",
    },
    Help {
        listed: true,
        name: "bench",
        synopsis: "cargo xtask bench [--runs N] [--compile-runs N]",
        text: "Measures generation, compile times, client overhead and memory, and writes BENCHMARKS.md
(about 15 minutes on 2 cores).

  --runs N               runs of each generation (default 7)
  --compile-runs N       runs of each compile (default 3)",
    },
    Help {
        listed: true,
        name: "diff",
        synopsis: "cargo xtask diff OLD.yaml NEW.yaml [--json] [--old-pagination PATH] [--new-pagination PATH]",
        text: "The changes of the generated Rust API between two specs, each marked breaking or not, and
the semver bump they call for.

  --json                 as JSON instead of Markdown
  --old-pagination PATH  the older spec's table (default: pagination.txt beside it, if any)
  --new-pagination PATH  the newer spec's table (default: pagination.txt beside it, if any)",
    },
    Help {
        listed: true,
        name: "bump",
        synopsis: "cargo xtask bump (NEW.yaml | --version VERSION [--base-url URL]) [--allow-dangling-refs]",
        text: "Moves spec/intercom.yaml to a new spec: it must generate and compile; then regenerates
generated/, adds the changelog entry to generated/CHANGELOG.md and bumps the crate version as
the diff says. Nothing changes if any step fails.

  --version VERSION      download Intercom's published description of VERSION
  --base-url URL         where to download it from (default https://raw.githubusercontent.com)
  --allow-dangling-refs  read values of `$ref`s to missing schemas as untyped JSON",
    },
    Help {
        listed: false,
        name: "bench-run",
        synopsis: "cargo xtask bench-run [--runs N] [--compile-runs N]",
        text: "The measurements of `bench`, run by it in the release binary it builds.",
    },
    Help {
        listed: false,
        name: "parse-yaml",
        synopsis: "cargo xtask parse-yaml PATH",
        text: "The benchmark's floor: reads a file and parses it into a YAML value, nothing more.",
    },
];

/// The list of commands, for `cargo xtask` alone, `help`, or a command that does not exist.
pub fn usage() -> String {
    let mut text = String::from("usage:\n");
    for command in COMMANDS.iter().filter(|c| c.listed) {
        text.push_str(&format!("  {}\n", command.synopsis));
    }
    text.push_str("\n`cargo xtask <command> --help` prints what a command does and its options.\n");
    text
}

fn help(command: &Help) -> String {
    format!("usage: {}\n\n{}\n", command.synopsis, command.text)
}

/// Why a command's arguments were not read: the user asked for its help, or they are wrong.
enum Stop {
    Help,
    Error(String),
}

impl From<lexopt::Error> for Stop {
    fn from(e: lexopt::Error) -> Self {
        Stop::Error(e.to_string())
    }
}

/// Reads the command line (without the program name). `Err` is the message for a wrong one.
pub fn parse(args: impl IntoIterator<Item = impl Into<OsString>>) -> Result<Command, String> {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let Some((name, rest)) = args.split_first() else { return Err(usage()) };
    let name = name.to_string_lossy();
    if matches!(name.as_ref(), "help" | "--help" | "-h") {
        return match rest.first().map(|a| a.to_string_lossy()) {
            None => Ok(Command::Help(usage())),
            Some(topic) => match COMMANDS.iter().find(|c| c.name == topic) {
                Some(command) => Ok(Command::Help(help(command))),
                None => Err(format!("no command `{topic}`\n\n{}", usage())),
            },
        };
    }
    let Some(command) = COMMANDS.iter().find(|c| c.name == name) else {
        return Err(format!("no command `{name}`\n\n{}", usage()));
    };
    let mut parser = lexopt::Parser::from_args(rest.to_vec());
    let parsed = match command.name {
        "test" => no_arguments(&mut parser).map(|()| Command::Test),
        "deny" => no_arguments(&mut parser).map(|()| Command::Deny),
        "api" => api(&mut parser),
        "generate" => generate(&mut parser).map(Command::Generate),
        "conformance" => conformance(&mut parser).map(Command::Conformance),
        "contract" => contract(&mut parser).map(Command::Contract),
        "bench" => bench(&mut parser).map(Command::Bench),
        "bench-run" => bench(&mut parser).map(Command::BenchRun),
        "diff" => diff(&mut parser),
        "bump" => bump(&mut parser).map(Command::Bump),
        "parse-yaml" => one_path(&mut parser).map(Command::ParseYaml),
        other => Err(Stop::Error(format!("`{other}` has no parser"))),
    };
    match parsed {
        Ok(parsed) => Ok(parsed),
        Err(Stop::Help) => Ok(Command::Help(help(command))),
        Err(Stop::Error(e)) => Err(format!("error: {e}\n\n{}", help(command))),
    }
}

fn no_arguments(parser: &mut lexopt::Parser) -> Result<(), Stop> {
    match parser.next()? {
        None => Ok(()),
        Some(Short('h') | Long("help")) => Err(Stop::Help),
        Some(arg) => Err(arg.unexpected().into()),
    }
}

fn path(parser: &mut lexopt::Parser) -> Result<PathBuf, Stop> {
    Ok(PathBuf::from(parser.value()?))
}

fn text(parser: &mut lexopt::Parser) -> Result<String, Stop> {
    parser.value()?.into_string().map_err(|v| Stop::Error(format!("{} is not UTF-8", v.to_string_lossy())))
}

fn generate(parser: &mut lexopt::Parser) -> Result<GenerateArgs, Stop> {
    let mut args = GenerateArgs::default_paths();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("check") => args.check = true,
            Long("timings") => args.timings = true,
            Short('v') | Long("verbose") => args.verbose = true,
            Long("allow-dangling-refs") => args.dangling_refs = DanglingRefs::Json,
            Long("partial") => args.partial = true,
            Long("spec") => args.spec = path(parser)?,
            Long("out") => args.out = path(parser)?,
            Long("crate-name") => args.crate_name = Some(text(parser)?),
            Long("pagination") => args.pagination = Some(path(parser)?),
            arg => return Err(arg.unexpected().into()),
        }
    }
    Ok(args)
}

fn conformance(parser: &mut lexopt::Parser) -> Result<ConformanceArgs, Stop> {
    let mut args = ConformanceArgs::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("spec-dir") => args.spec_dir = Some(path(parser)?),
            Long("only") => args.only = text(parser)?.split(',').map(str::to_owned).collect(),
            Long("report") => args.report = Some(path(parser)?),
            Long("check-report") => args.check_report = Some(path(parser)?),
            arg => return Err(arg.unexpected().into()),
        }
    }
    Ok(args)
}

fn contract(parser: &mut lexopt::Parser) -> Result<ContractArgs, Stop> {
    let mut args = ContractArgs { spec: None };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("spec") => args.spec = Some(path(parser)?),
            arg => return Err(arg.unexpected().into()),
        }
    }
    Ok(args)
}

fn bench(parser: &mut lexopt::Parser) -> Result<BenchArgs, Stop> {
    let mut args = BenchArgs::default();
    let count = |parser: &mut lexopt::Parser, flag: &str| -> Result<usize, Stop> {
        let value = text(parser)?;
        value
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Stop::Error(format!("{flag} needs a positive number, not `{value}`")))
    };
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("runs") => args.runs = count(parser, "--runs")?,
            Long("compile-runs") => args.compile_runs = count(parser, "--compile-runs")?,
            arg => return Err(arg.unexpected().into()),
        }
    }
    Ok(args)
}

fn diff(parser: &mut lexopt::Parser) -> Result<Command, Stop> {
    let (mut json, mut old_table, mut new_table) = (false, None, None);
    let mut paths = Vec::new();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("json") => json = true,
            Long("old-pagination") => old_table = Some(path(parser)?),
            Long("new-pagination") => new_table = Some(path(parser)?),
            Value(path) if paths.len() < 2 => paths.push(PathBuf::from(path)),
            arg => return Err(arg.unexpected().into()),
        }
    }
    match <[PathBuf; 2]>::try_from(paths) {
        Ok([old, new]) => Ok(Command::Diff(crate::bump::DiffArgs { old, new, old_table, new_table, json })),
        Err(_) => Err(Stop::Error("diff needs two specs, OLD and NEW".to_owned())),
    }
}

fn bump(parser: &mut lexopt::Parser) -> Result<BumpArgs, Stop> {
    let mut args = BumpArgs::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("version") => args.version = Some(text(parser)?),
            Long("base-url") => args.base_url = Some(text(parser)?),
            Long("allow-dangling-refs") => args.allow_dangling_refs = true,
            Value(spec) if args.spec.is_none() => args.spec = Some(PathBuf::from(spec)),
            arg => return Err(arg.unexpected().into()),
        }
    }
    Ok(args)
}

fn api(parser: &mut lexopt::Parser) -> Result<Command, Stop> {
    let mut bless = false;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Long("bless") => bless = true,
            Long("list") => return Ok(Command::ApiList(path(parser)?)),
            arg => return Err(arg.unexpected().into()),
        }
    }
    Ok(Command::Api { bless })
}

fn one_path(parser: &mut lexopt::Parser) -> Result<PathBuf, Stop> {
    let mut found = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Err(Stop::Help),
            Value(path) if found.is_none() => found = Some(PathBuf::from(path)),
            arg => return Err(arg.unexpected().into()),
        }
    }
    found.ok_or_else(|| Stop::Error("needs a path".to_owned()))
}
