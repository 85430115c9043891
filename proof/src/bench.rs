//! `cargo xtask bench`: every figure of `BENCHMARKS.md`, each with how it was taken.
//!
//! `cargo xtask` is a debug build, so `bench` builds the release xtask and runs its `bench-run`,
//! which measures: generation (the whole process beside the YAML-parse floor measured in the
//! same run, and by phase and peak memory through the library, in its own process), compile times of the crates made from spec/ and
//! from the published 2.15 as a dependency pays them (whole, one tag and two tags), and, through `cargo bench -p tests --bench client` (criterion), the client's overhead
//! and decode throughput.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::scratch::ScratchWorkspace;
use crate::{Error, Result, cargo, workspace_root};

/// How many times each figure is taken.
#[derive(Debug, Clone, Copy)]
pub struct BenchArgs {
    /// Runs of each generation.
    pub runs: usize,
    /// Runs of each compile.
    pub compile_runs: usize,
}

impl Default for BenchArgs {
    fn default() -> Self {
        BenchArgs { runs: 7, compile_runs: 3 }
    }
}

fn status(command: &mut Command, what: &str) -> Result<()> {
    let status = command.status().map_err(Error::program(what))?;
    if status.success() { Ok(()) } else { Err(Error::program(what)(status)) }
}

/// `cargo xtask bench`: builds the release xtask and runs the measurements with it.
pub fn run(args: BenchArgs) -> Result<String> {
    let root = workspace_root();
    eprintln!("==> building the release xtask (measurements run in release)");
    status(
        cargo().args(["build", "--release", "--quiet", "-p", "xtask"]).current_dir(&root),
        "cargo build --release",
    )?;
    let binary = root.join("target/release").join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    status(
        Command::new(binary)
            .args([
                "bench-run",
                "--runs",
                &args.runs.to_string(),
                "--compile-runs",
                &args.compile_runs.to_string(),
            ])
            .current_dir(&root),
        "xtask bench-run",
    )?;
    Ok(String::new())
}

/// Median, minimum and maximum of a sample.
#[derive(Debug, Clone, Copy)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    fn of(values: &[f64]) -> Stats {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Stats {
            median,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
        }
    }

    /// `median (min–max)`, with `digits` decimals.
    fn show(&self, digits: usize) -> String {
        format!("{:.digits$} ({:.digits$}–{:.digits$})", self.median, self.min, self.max)
    }
}

/// One spec to generate.
struct SpecCase {
    label: String,
    spec: PathBuf,
    table: PathBuf,
    dangling: bool,
}

fn spec_cases(root: &Path) -> Vec<SpecCase> {
    let mut cases = vec![SpecCase {
        label: "spec/ (2.16, ours)".to_owned(),
        spec: root.join("spec/intercom.yaml"),
        table: root.join("spec/pagination.txt"),
        dangling: false,
    }];
    // Every published version there is, oldest first; without them, only ours is measured.
    let published = crate::published::dir().inspect_err(|why| eprintln!("measuring spec/ only: {why}"));
    let published = published.and_then(|dir| crate::conformance::spec_files(&dir)).unwrap_or_default();
    for (version, spec) in published {
        cases.push(SpecCase {
            table: crate::version_pagination_table(&version),
            label: version,
            spec,
            dangling: true,
        });
    }
    cases
}

/// The phases `generate --timings` prints, in its order.
const PHASES: [&str; 8] = ["read", "parse_yaml", "normalize", "lower", "emit", "format", "write", "total"];

struct GenerationResult {
    label: String,
    operations: usize,
    yaml: Stats,
    wall: Stats,
    phases: Vec<Stats>,
    peak_rss_kb: Option<f64>,
}

fn measure_generation(root: &Path, case: &SpecCase, runs: usize) -> Result<GenerationResult> {
    let text = fs::read_to_string(&case.spec).map_err(Error::fs("read", &case.spec))?;
    let table = crate::read_pagination(&case.table)?;
    let dangling_refs =
        if case.dangling { codegen::DanglingRefs::Json } else { codegen::DanglingRefs::Error };
    let options = codegen::Options {
        spec_label: case.label.clone(),
        dangling_refs,
        pagination: table,
        ..codegen::Options::default()
    };
    let (api, _) = codegen::model(&text, &options)?;
    let operations = api.tags.iter().map(|t| t.operations.len()).sum();

    // A crate named after the case; `generate` makes it whole when the folder is new.
    let slug: String = case.label.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let out = root.join("target/bench/generate").join(format!("bench-{}", slug.trim_matches('-')));
    let in_process = root.join("target/bench/generate").join(format!("library-{}", slug.trim_matches('-')));
    let exe =
        std::env::current_exe().map_err(|e| Error::Invalid(format!("cannot find this program: {e}")))?;
    let mut wall = Vec::new();
    let mut phases: Vec<Vec<f64>> = vec![Vec::new(); PHASES.len()];
    let mut peak = None::<f64>;
    let mut yaml = Vec::new();
    let mut command = Command::new(&exe);
    command
        .args(["generate", "--spec"])
        .arg(&case.spec)
        .arg("--pagination")
        .arg(&case.table)
        .arg("--out")
        .arg(&out);
    if case.dangling {
        command.arg("--allow-dangling-refs");
    }
    if !out.join("Cargo.toml").exists() {
        // The first run into a new folder writes the whole crate; it is not one of the measured
        // runs, which only rewrite the generated code.
        succeeds(command.stdout(Stdio::null()), &format!("generate for {}", case.label))?;
    }
    for _ in 0..runs {
        // The floor, as a process too and in turn with the generator, so that both pay for
        // starting a process and both meet the same moments of a noisy machine: the same file
        // read and parsed into a `serde_yaml::Value`.
        let started = Instant::now();
        succeeds(
            Command::new(&exe).arg("parse-yaml").arg(&case.spec).stdout(Stdio::null()),
            "xtask parse-yaml",
        )?;
        yaml.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        succeeds(command.stdout(Stdio::null()), &format!("generate for {}", case.label))?;
        wall.push(started.elapsed().as_secs_f64() * 1000.0);
        // The phases, and the memory, of the same work done by calling the library here.
        let reset = crate::memory::reset_peak();
        let run = generate_in_process(&case.spec, &options, &in_process)?;
        if reset && let Some(kb) = crate::memory::peak_kb() {
            peak = Some(peak.map_or(kb, |p: f64| p.max(kb)));
        }
        for (all, value) in phases.iter_mut().zip(run) {
            all.push(value);
        }
    }
    Ok(GenerationResult {
        label: case.label.clone(),
        operations,
        yaml: Stats::of(&yaml),
        wall: Stats::of(&wall),
        phases: phases.iter().map(|p| Stats::of(p)).collect(),
        peak_rss_kb: peak,
    })
}

/// Runs `command` to the end; an error says what failed and what it printed on stderr.
fn succeeds(command: &mut Command, what: &str) -> Result<()> {
    let output = command.stderr(Stdio::piped()).output().map_err(Error::program(what))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::program(what)(format!("\n{}", String::from_utf8_lossy(&output.stderr))))
    }
}

/// What `xtask generate` does, done by calling the library: read the spec, generate, write the
/// files into `dir`. Returns the time of each of [`PHASES`], in ms.
fn generate_in_process(spec: &Path, options: &codegen::Options, dir: &Path) -> Result<[f64; PHASES.len()]> {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let started = Instant::now();
    let bytes = fs::read(spec).map_err(Error::fs("read", spec))?;
    let text = codegen::spec_text(&bytes)?;
    let read = started.elapsed();
    let mut timings = codegen::Timings::default();
    let generated = codegen::generate_timed(text, options, &mut timings)?;
    let writing = Instant::now();
    crate::files::write_atomically(dir, &generated.files, None)?;
    let t = &timings;
    Ok([
        ms(read),
        ms(t.parse_yaml),
        ms(t.normalize),
        ms(t.lower),
        ms(t.emit),
        ms(t.format),
        ms(writing.elapsed()),
        ms(started.elapsed()),
    ])
}

struct CompileResult {
    what: String,
    /// One figure per measured crate, in the order of [`COMPILED`].
    seconds: Vec<Stats>,
}

/// The crates whose compile times are measured: ours, and the one the published 2.15 makes.
const COMPILED: [&str; 2] = ["spec/ (2.16, 231 operations)", "published 2.15 (162 operations)"];

/// How users pay for the crate: as a dependency, built from nothing in every CI run. So each
/// timed run first removes the crate's own artifacts (`cargo clean -p`), keeps the dependencies,
/// and builds without incremental state.
fn measure_compiles(root: &Path, runs: usize) -> Result<(Vec<CompileResult>, Vec<usize>, usize)> {
    let ours = (
        fs::read_to_string(root.join("spec/intercom.yaml"))
            .map_err(Error::fs("read", &root.join("spec/intercom.yaml")))?,
        crate::read_pagination(&root.join("spec").join(crate::PAGINATION_FILE))?,
        "spec/intercom.yaml",
        "intercom-api-spec",
    );
    let published = (
        {
            let path = crate::published::dir()?.join("2.15.yaml");
            fs::read_to_string(&path).map_err(Error::fs("read", &path))?
        },
        crate::read_pagination(&crate::version_pagination_table("2.15"))?,
        "2.15.yaml",
        "intercom-api-2-15",
    );
    let dir = root.join("target/bench/compile");
    let mut workspace = ScratchWorkspace::new(&dir).map_err(Error::fs("create", &dir))?;
    let mut lines = Vec::new();
    let mut names = Vec::new();
    for (text, pagination, label, name) in [ours, published] {
        let options = codegen::Options {
            spec_label: label.to_owned(),
            dangling_refs: codegen::DanglingRefs::Json,
            pagination,
            crate_name: crate::lib_name(name),
            ..codegen::Options::default()
        };
        let generated = codegen::generate(&text, &options)?;
        // The harness is off by default, as in a user's build; its lines are not counted.
        lines.push(
            generated
                .files
                .iter()
                .filter(|f| f.path != "harness.rs")
                .map(|f| f.contents.lines().count())
                .sum(),
        );
        workspace.add_crate(name, &generated.files, &generated.features).map_err(Error::fs("write", &dir))?;
        names.push(name);
    }
    workspace.write_manifest().map_err(Error::fs("write", &dir))?;
    let shell_lines: usize = crate::scratch::shell_files()
        .iter()
        .filter(|f| f.ends_with(".rs"))
        .filter_map(|f| fs::read_to_string(root.join("generated").join(f)).ok())
        .map(|t| t.lines().count())
        .sum();
    let target = dir.join("target");
    let cases: [(&str, &[&str]); 4] = [
        ("cargo check", &["check"]),
        ("cargo build --release", &["build", "--release"]),
        ("cargo check, tag contacts alone", &["check", "--no-default-features", "--features", "contacts"]),
        (
            "cargo check, tags contacts + conversations",
            &["check", "--no-default-features", "--features", "contacts,conversations"],
        ),
    ];
    let cargo_in = |args: &[&str], name: &str| -> Result<Duration> {
        let started = Instant::now();
        status(
            cargo()
                .args(args)
                .args(["--quiet", "-p", name])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_INCREMENTAL", "0"),
            &format!("cargo {} -p {name}", args.join(" ")),
        )?;
        Ok(started.elapsed())
    };
    let mut results = Vec::new();
    for (what, args) in cases {
        let mut per_crate = Vec::new();
        for name in &names {
            eprintln!(
                "==> {what} of {name}: the dependencies once, then {runs} timed runs from a clean crate"
            );
            cargo_in(args, name)?;
            let clean: &[&str] =
                if args.contains(&"--release") { &["clean", "--release"] } else { &["clean"] };
            let mut seconds = Vec::new();
            for _ in 0..runs {
                cargo_in(clean, name)?;
                seconds.push(cargo_in(args, name)?.as_secs_f64());
            }
            per_crate.push(Stats::of(&seconds));
        }
        results.push(CompileResult { what: what.to_owned(), seconds: per_crate });
    }
    Ok((results, lines, shell_lines))
}

/// A criterion result: per-iteration times in microseconds, from its samples.
struct Criterion {
    samples: usize,
    iterations: f64,
    median_us: f64,
    per_iter: Stats,
}

fn read_criterion(root: &Path, id: &str) -> Result<Criterion> {
    let dir = root.join("target/criterion").join(id).join("new");
    let read = |file: &str| -> Result<Value> {
        let path = dir.join(file);
        let text = fs::read_to_string(&path).map_err(Error::fs("read", &path))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::Invalid(format!("{} is not JSON: {e}", path.display())))
    };
    let sample = read("sample.json")?;
    let estimates = read("estimates.json")?;
    let numbers = |v: &Value| -> Vec<f64> {
        v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
    };
    let iters = numbers(&sample["iters"]);
    let times = numbers(&sample["times"]);
    let per_iter: Vec<f64> = iters.iter().zip(&times).map(|(i, t)| t / i / 1000.0).collect();
    Ok(Criterion {
        samples: per_iter.len(),
        iterations: iters.iter().sum(),
        median_us: estimates["median"]["point_estimate"].as_f64().unwrap_or(f64::NAN) / 1000.0,
        per_iter: Stats::of(&per_iter),
    })
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpus} CPUs ({model}), {rustc}")
}

/// `xtask bench-run`, in the release binary: takes every figure and writes `BENCHMARKS.md`.
pub fn run_measurements(args: BenchArgs) -> Result<String> {
    let root = workspace_root();
    let started = Instant::now();
    let mut generation = Vec::new();
    for case in spec_cases(&root) {
        eprintln!("==> generation: {} ({} runs)", case.label, args.runs);
        generation.push(measure_generation(&root, &case, args.runs)?);
    }
    let client = measure_client(&root)?;
    let compiles = measure_compiles(&root, args.compile_runs)?;

    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask bench` (about {} minutes here); rerun it to reproduce. Machine: {}.\n\
         Every figure is the median of its runs, with the minimum and maximum in brackets; comparisons\n\
         are taken in the same run, so the machine's noise affects both sides.\n",
        started.elapsed().as_secs().div_ceil(60),
        machine()
    );

    let newest = generation_section(&mut md, &generation, args.runs)?;
    compile_section(&mut md, &compiles, args.compile_runs);
    client_section(&mut md, &client);
    memory_section(&mut md, newest, args.runs);
    // What the numbers above do not say by themselves: kept by hand beside this harness.
    if let Ok(notes) = fs::read_to_string(root.join("proof/bench-notes.md")) {
        let _ = write!(md, "\n{notes}");
    }
    let path = root.join("BENCHMARKS.md");
    fs::write(&path, &md).map_err(Error::fs("write", &path))?;
    println!("{md}");
    Ok(String::new())
}

/// The client's figures: criterion's estimates, and the paired runs the client bench wrote.
struct ClientFigures {
    /// What `target/bench/client-pairs.json` holds: the paired series and the body sizes.
    pairs: Value,
    generated_request: Criterion,
    by_hand: Criterion,
    typed: Criterion,
    value: Criterion,
    undeclared: Criterion,
    decode_bytes: u64,
    undeclared_bytes: u64,
}

/// Runs the client bench (`cargo bench -p tests --bench client`) and reads what it wrote.
fn measure_client(root: &Path) -> Result<ClientFigures> {
    eprintln!("==> client overhead and decode throughput: cargo bench -p tests --bench client");
    status(
        cargo().args(["bench", "--quiet", "-p", "tests", "--bench", "client"]).current_dir(root),
        "cargo bench",
    )?;
    let pairs: Value = fs::read_to_string(root.join("target/bench/client-pairs.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| {
            Error::Invalid("the client bench wrote no target/bench/client-pairs.json".to_owned())
        })?;
    let decode_bytes = pairs["decode_body_bytes"].as_u64().unwrap_or(0);
    let generated_request = read_criterion(root, "request/generated")?;
    let by_hand = read_criterion(root, "request/by_hand")?;
    let typed = read_criterion(root, &format!("decode/typed/{decode_bytes}"))?;
    let value = read_criterion(root, &format!("decode/value/{decode_bytes}"))?;
    let undeclared_bytes = pairs["decode_undeclared_bytes"].as_u64().unwrap_or(0);
    let undeclared = read_criterion(root, &format!("decode_undeclared/typed/{undeclared_bytes}"))?;
    Ok(ClientFigures {
        pairs,
        generated_request,
        by_hand,
        typed,
        value,
        undeclared,
        decode_bytes,
        undeclared_bytes,
    })
}

/// A series of numbers the client bench wrote, as statistics.
fn series(v: &Value) -> Stats {
    Stats::of(
        &v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect::<Vec<_>>()).unwrap_or_default(),
    )
}

/// Section 1 of `BENCHMARKS.md`, generation; returns the newest spec's figures.
fn generation_section<'a>(
    md: &mut String,
    generation: &'a [GenerationResult],
    runs: usize,
) -> Result<&'a GenerationResult> {
    let _ = writeln!(md, "## 1. Generation\n");
    let _ = writeln!(
        md,
        "Wall time of the release `xtask generate` process ({} runs per spec). The floor is a release\n\
         `xtask parse-yaml` process that reads the same file and parses it into a `serde_yaml::Value`,\n\
         run in turn with the generator. The phases come from the same work done in the bench's own\n\
         process by calling the library (read, `codegen::generate_timed`, the atomic write), in turn\n\
         with the two. \"Ratio\" divides the two walls; \"in-process\" divides the library run's total\n\
         by its YAML phase. Times in ms.\n",
        runs
    );
    let _ = writeln!(
        md,
        "| spec | operations | YAML floor | generate (wall) | ratio | in-process | µs per operation | read | parse YAML | normalize | lower | emit | format | write |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for g in generation {
        let ratio = g.wall.median / g.yaml.median;
        let per_op = g.wall.median * 1000.0 / g.operations.max(1) as f64;
        let phase = |i: usize| format!("{:.1}", g.phases[i].median);
        let in_process = g.phases[7].median / g.phases[1].median;
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {ratio:.1}× | {in_process:.1}× | {per_op:.0} | {} | {} | {} | {} | {} | {} | {} |",
            g.label,
            g.operations,
            g.yaml.show(1),
            g.wall.show(1),
            phase(0),
            phase(1),
            phase(2),
            phase(3),
            phase(4),
            phase(5),
            phase(6)
        );
    }
    let newest = generation.last().ok_or_else(|| Error::Invalid("no specs to measure".to_owned()))?;
    let ratio = newest.wall.median / newest.yaml.median;
    let in_process = newest.phases[7].median / newest.phases[1].median;
    let _ = writeln!(
        md,
        "\nTarget: generating the newest published version ({}) end to end within 5× the YAML floor. Measured: **{ratio:.1}×** ({:.1} ms against {:.1} ms;\n\
         {in_process:.1}× inside the generating process){}.",
        newest.label,
        newest.wall.median,
        newest.yaml.median,
        if ratio <= 5.0 {
            ", met".to_owned()
        } else {
            format!(", missed by {:.0} %", (ratio / 5.0 - 1.0) * 100.0)
        }
    );
    let versions: Vec<&GenerationResult> = generation.iter().skip(1).collect();
    if let (Some(small), Some(large)) = (versions.first(), versions.last()) {
        let per = |g: &GenerationResult| g.wall.median / g.operations.max(1) as f64;
        let _ = writeln!(
            md,
            "Growth: from {} to {} operations the time per operation goes from {:.0} µs to {:.0} µs ({:+.0} %);\n\
             a cost that grew faster than the spec would show here as a rising time per operation.",
            small.operations,
            large.operations,
            per(small) * 1000.0,
            per(large) * 1000.0,
            (per(large) / per(small) - 1.0) * 100.0
        );
    }

    Ok(newest)
}

/// Section 2 of `BENCHMARKS.md`, the compile time of the generated crates.
fn compile_section(
    md: &mut String,
    (compiles, lines, shell_lines): &(Vec<CompileResult>, Vec<usize>, usize),
    runs: usize,
) {
    let _ = writeln!(md, "\n## 2. Compile time of the generated crate, as a dependency\n");
    let _ = writeln!(
        md,
        "Both crates in one scratch workspace (`target/bench/compile`), dependencies built first. Each\n\
         figure is {} runs of the crate alone from a clean state, as a user's CI builds a dependency:\n\
         `cargo clean -p <crate>` before each run, `CARGO_INCREMENTAL=0`. Seconds.\n",
        runs
    );
    let _ = writeln!(md, "| command | {} |\n|---|---|---|", COMPILED.join(" | "));
    for c in compiles {
        let cells: Vec<String> = c.seconds.iter().map(|s| s.show(1)).collect();
        let _ = writeln!(md, "| {} | {} |", c.what, cells.join(" | "));
    }
    let ours = |i: usize| compiles.get(i).and_then(|c| c.seconds.first()).map_or(f64::NAN, |s| s.median);
    let verdict = |value: f64, target: f64| if value <= target { "met" } else { "missed" };
    let _ = writeln!(
        md,
        "\nLines generated (without the test harness, which is off by default): {} for spec/, {} for the\n\
         published 2.15; {shell_lines} hand-written in the crate's shell.\n\
         Targets for spec/: `cargo check` within 12 s, measured **{:.1} s** ({}); release build within\n\
         80 s, measured **{:.1} s** ({}).",
        lines.first().copied().unwrap_or(0),
        lines.get(1).copied().unwrap_or(0),
        ours(0),
        verdict(ours(0), 12.0),
        ours(1),
        verdict(ours(1), 80.0),
    );
}

/// Section 3 of `BENCHMARKS.md`, the client's overhead and decode throughput.
fn client_section(md: &mut String, client: &ClientFigures) {
    let ClientFigures {
        pairs: cpu,
        generated_request,
        by_hand,
        typed,
        value,
        undeclared,
        decode_bytes,
        undeclared_bytes,
    } = client;
    let (decode_bytes, undeclared_bytes) = (*decode_bytes, *undeclared_bytes);
    let _ = writeln!(md, "\n## 3. Client overhead\n");
    let request_bytes = cpu["request_body_bytes"].as_u64().unwrap_or(0);
    let rounds = cpu["rounds"].as_u64().unwrap_or(0);
    let block = cpu["block"].as_u64().unwrap_or(0);
    let _ = writeln!(
        md,
        "`client.contacts().list()` against a keep-alive server on loopback (its own runtime\n\
         and thread), answering a {request_bytes}-byte page, beside the same GET made by hand with\n\
         `reqwest` and decoded with `serde_json` into the same type. Criterion: {} and {} samples\n\
         ({:.0} and {:.0} iterations). The paired figures alternate blocks of {block} requests by each\n\
         client, {rounds} rounds, swapping which goes first, so drift in the machine hits both; CPU time\n\
         is the client thread's own (`/proc/thread-self/schedstat`), without the server's.\n",
        generated_request.samples, by_hand.samples, generated_request.iterations, by_hand.iterations
    );
    let _ = writeln!(
        md,
        "| client | µs per request, criterion (min–max of samples) | requests/s | µs per request, paired | client CPU µs per request |\n|---|---|---|---|---|"
    );
    for (name, c) in [("generated", generated_request), ("by_hand", by_hand)] {
        let _ = writeln!(
            md,
            "| {name} | {:.1} ({:.1}–{:.1}) | {:.0} | {} | {} |",
            c.median_us,
            c.per_iter.min,
            c.per_iter.max,
            1e6 / c.median_us,
            series(&cpu[name]["wall_us"]).show(1),
            series(&cpu[name]["cpu_us"]).show(1)
        );
    }
    let wall_ratio = series(&cpu["wall_ratio"]);
    let cpu_ratio = series(&cpu["cpu_ratio"]);
    let overhead = (wall_ratio.median - 1.0) * 100.0;
    let _ = writeln!(
        md,
        "\nTarget: within 5 % of the hand-written call. Measured, paired: time per request **{overhead:+.1} %**\n\
         (ratio per round {}), client CPU {:+.1} % (ratio per round {}){}.",
        wall_ratio.show(3),
        (cpu_ratio.median - 1.0) * 100.0,
        cpu_ratio.show(3),
        if overhead <= 5.0 { ", met" } else { ", missed" }
    );
    let mb = decode_bytes as f64 / 1e6;
    let _ = writeln!(
        md,
        "\nDecoding a page of 1,000 contacts ({decode_bytes} bytes), criterion, {} samples each:\n\n\
         | into | ms | MB/s |\n|---|---|---|\n\
         | `ContactList` (generated) | {:.2} ({:.2}–{:.2}) | {:.0} |\n\
         | `serde_json::Value` | {:.2} ({:.2}–{:.2}) | {:.0} |\n\
         | `ContactList`, five undeclared keys per contact kept in `extra` ({undeclared_bytes} bytes) | {:.2} ({:.2}–{:.2}) | {:.0} |",
        typed.samples,
        typed.median_us / 1000.0,
        typed.per_iter.min / 1000.0,
        typed.per_iter.max / 1000.0,
        mb / (typed.median_us / 1e6),
        value.median_us / 1000.0,
        value.per_iter.min / 1000.0,
        value.per_iter.max / 1000.0,
        mb / (value.median_us / 1e6),
        undeclared.median_us / 1000.0,
        undeclared.per_iter.min / 1000.0,
        undeclared.per_iter.max / 1000.0,
        undeclared_bytes as f64 / 1e6 / (undeclared.median_us / 1e6)
    );
}

/// Section 4 of `BENCHMARKS.md`, memory.
fn memory_section(md: &mut String, newest: &GenerationResult, runs: usize) {
    let _ = writeln!(md, "\n## 4. Memory\n");
    let _ = writeln!(
        md,
        "Peak resident memory of the bench process while it generates the newest published spec by\n\
         calling the library, {}: {} (largest of {} runs; `VmHWM`, reset through\n\
         `/proc/self/clear_refs` before each run).",
        newest.label,
        newest.peak_rss_kb.map_or(
            "not measured (no /proc, or its peak cannot be reset)".to_owned(),
            |kb| format!("{:.1} MB", kb / 1024.0)
        ),
        runs
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_run_writes_the_files_and_times_each_phase() {
        let root = workspace_root();
        let dir = std::env::temp_dir().join(format!("proof-bench-{}", std::process::id()));
        let spec = root.join("tests/fixtures/specs/ids.yaml");
        let phases = generate_in_process(&spec, &codegen::Options::default(), &dir).expect("generates");
        assert!(dir.join("mod.rs").is_file() && dir.join("types.rs").is_file());
        // The total is the whole run, so no phase is longer, and the phases do not add up past it.
        let (parts, total) = phases.split_at(PHASES.len() - 1);
        assert!(parts.iter().all(|p| *p >= 0.0 && *p <= total[0]), "{phases:?}");
        assert!(parts.iter().sum::<f64>() <= total[0] * 1.01 + 0.1, "{phases:?}");
        let _ = fs::remove_dir_all(&dir);
    }
}
