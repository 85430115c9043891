//! `cargo xtask`: the project's commands. See `cargo xtask help`.

use std::path::PathBuf;
use std::process::ExitCode;

use codegen::DanglingRefs;
use xtask::{GenerateArgs, generate};

const USAGE: &str = "\
usage: cargo xtask generate [--check] [--verbose] [--timings] [--spec PATH] [--pagination PATH]
                            [--out DIR] [--allow-dangling-refs] [--partial]
       cargo xtask conformance [--spec-dir DIR] [--only VERSION,...] [--report FILE] [--check-report FILE]
       cargo xtask contract [--spec PATH]
       cargo xtask bench [--runs N] [--compile-runs N]
       cargo xtask diff OLD.yaml NEW.yaml [--json]
       cargo xtask bump (NEW.yaml | --version VERSION [--base-url URL]) [--allow-dangling-refs]
       cargo xtask test

  test                   run every check CI runs: drift check, rustfmt, clippy, tests, rustdoc,
                         conformance and the contract test
  generate               regenerate generated/src/generated/ from spec/intercom.yaml
  --check                write nothing; fail with a diff if the checked-in files are stale
  --verbose              print every warning
  --timings              print the time of each phase
  --spec PATH            read another spec
  --pagination PATH      the spec's table: pagination, method and type names (default:
                         pagination.txt beside the spec, if any)
  --out DIR              write into another client crate folder (its src/generated/)
  --allow-dangling-refs  read values of `$ref`s to missing schemas as untyped JSON
  --partial              leave out operations that cannot be generated (each error becomes a
                         warning) instead of writing nothing

  conformance            generate, compile and round-trip the examples of every spec in a folder
  --spec-dir DIR         the folder of *.yaml specs (default: Intercom's published ones, found
                         or downloaded as xtask/published-specs.txt says)
  --only VERSIONS        only these versions (file stems, comma-separated)
  --report FILE          also write the Markdown report to FILE
  --check-report FILE    fail when the results differ from the report in FILE

  contract               call every operation of a spec (default: the newest Intercom spec)
                         through its generated client against Prism, which validates each
                         request; installs Prism with npm under target/prism when missing

  bench                  measure generation, compile times, client overhead and memory, and
                         write BENCHMARKS.md (about 15 minutes on 2 cores)
  --runs N               runs of each generation (default 7)
  --compile-runs N       runs of each compile (default 3)

  diff                   the changes of the generated Rust API between two specs, each marked
                         breaking or not, and the semver bump they call for
  --json                 as JSON instead of Markdown

  bump                   move spec/intercom.yaml to a new spec: it must generate and compile;
                         then regenerate generated/, add the changelog entry to
                         generated/CHANGELOG.md and bump the crate version as the diff says.
                         Nothing changes if any step fails.
  --version VERSION      download Intercom's published description of VERSION
  --base-url URL         where to download it from (default https://raw.githubusercontent.com)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = run(&args);
    // The benchmark reads the peak memory of a generation run from here (Linux only).
    if std::env::var_os("XTASK_PEAK_RSS").is_some()
        && let Some(line) = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
    {
        eprintln!("peak rss: {}", line.trim_start_matches("VmHWM:").trim());
    }
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

fn run(args: &[String]) -> Result<String, String> {
    let Some((command, rest)) = args.split_first() else { return Err(USAGE.to_owned()) };
    match command.as_str() {
        "generate" => {
            let parsed = parse_generate(rest)?;
            generate(&parsed).map_err(|e| e.to_string())
        }
        "conformance" => xtask::conformance::run(&parse_conformance(rest)?),
        "contract" => {
            let spec = match rest {
                [] => None,
                [flag, path] if flag == "--spec" => Some(PathBuf::from(path)),
                _ => return Err(USAGE.to_owned()),
            };
            xtask::contract::run(&xtask::contract::ContractArgs { spec })
        }
        "test" if rest.is_empty() => xtask::checks::run_all(),
        "diff" => {
            let json = rest.iter().any(|a| a == "--json");
            let paths: Vec<&String> = rest.iter().filter(|a| *a != "--json").collect();
            match paths.as_slice() {
                [old, new] => xtask::bump::diff_files(old.as_ref(), new.as_ref(), json),
                _ => Err(USAGE.to_owned()),
            }
        }
        "bump" => xtask::bump::bump(&parse_bump(rest)?),
        "bench" => xtask::bench::run(parse_bench(rest)?),
        "bench-run" => xtask::bench::run_measurements(parse_bench(rest)?),
        // The benchmark's floor: read a file and parse it into a YAML value, nothing more.
        "parse-yaml" => match rest {
            [path] => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
                serde_yaml::from_str::<serde_yaml::Value>(&text).map_err(|e| format!("{path}: {e}"))?;
                Ok(String::new())
            }
            _ => Err(USAGE.to_owned()),
        },
        "help" | "--help" | "-h" => Ok(format!("{USAGE}\n")),
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
}

fn parse_conformance(args: &[String]) -> Result<xtask::conformance::ConformanceArgs, String> {
    let mut parsed = xtask::conformance::ConformanceArgs::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec-dir" => {
                parsed.spec_dir = Some(PathBuf::from(iter.next().ok_or("--spec-dir needs a folder")?))
            }
            "--only" => {
                let list = iter.next().ok_or("--only needs versions")?;
                parsed.only = list.split(',').map(str::to_owned).collect();
            }
            "--report" => parsed.report = Some(PathBuf::from(iter.next().ok_or("--report needs a file")?)),
            "--check-report" => {
                parsed.check_report = Some(PathBuf::from(iter.next().ok_or("--check-report needs a file")?))
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn parse_generate(args: &[String]) -> Result<GenerateArgs, String> {
    let mut parsed = GenerateArgs::default_paths();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--timings" => parsed.timings = true,
            "--verbose" | "-v" => parsed.verbose = true,
            "--allow-dangling-refs" => parsed.dangling_refs = DanglingRefs::Json,
            "--partial" => parsed.partial = true,
            "--spec" => parsed.spec = PathBuf::from(iter.next().ok_or("--spec needs a path")?),
            "--out" => parsed.out = PathBuf::from(iter.next().ok_or("--out needs a folder")?),
            "--pagination" => {
                parsed.pagination = Some(PathBuf::from(iter.next().ok_or("--pagination needs a path")?))
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn parse_bump(args: &[String]) -> Result<xtask::bump::BumpArgs, String> {
    let mut parsed = xtask::bump::BumpArgs::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--version" => parsed.version = Some(iter.next().ok_or("--version needs a version")?.clone()),
            "--base-url" => parsed.base_url = Some(iter.next().ok_or("--base-url needs a URL")?.clone()),
            "--allow-dangling-refs" => parsed.allow_dangling_refs = true,
            other if !other.starts_with('-') && parsed.spec.is_none() => {
                parsed.spec = Some(PathBuf::from(other))
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn parse_bench(args: &[String]) -> Result<xtask::bench::BenchArgs, String> {
    let mut parsed = xtask::bench::BenchArgs::default();
    let mut iter = args.iter();
    let number = |value: Option<&String>, flag: &str| -> Result<usize, String> {
        value.and_then(|v| v.parse().ok()).filter(|n| *n > 0).ok_or(format!("{flag} needs a positive number"))
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--runs" => parsed.runs = number(iter.next(), "--runs")?,
            "--compile-runs" => parsed.compile_runs = number(iter.next(), "--compile-runs")?,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}
