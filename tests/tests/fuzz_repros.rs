//! The specs of `../shared/fuzz-repros/` (small descriptions a mutation campaign found to break
//! the generator), each held to what its README asks of its kind: no panic, no hang, located
//! errors, and a generated crate that compiles without warnings under clippy.
//!
//! Repros not fixed yet are listed in `KNOWN`, each with the reason; the test fails when one of
//! them starts to pass (so the list only shrinks) and when any other repro fails.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use codegen::Options;
use xtask::scratch::{ScratchWorkspace, scratch_dir};

/// How long one generation may take before it counts as a hang. The README asks for well under
/// a second; this is a debug build on a shared 2-core machine, so the limit leaves room.
const HANG: Duration = Duration::from_secs(10);

/// Repros that do not behave yet, with what is wrong. Kept short by fixing them (issue 13).
const KNOWN: &[(&str, &str)] = &[
    (
        "compile-bidi-codepoint-in-description",
        "a bidi control character is copied into a doc comment, which rustc rejects",
    ),
    ("compile-deep-array-request-body", "a type 100 arrays deep overflows rustc's trait solver (E0275)"),
    ("compile-self-ref-component", "`A: {$ref: A}` defines no type, and the operation names it"),
    (
        "compile-union-branch-named-D",
        "a branch named `D` clashes with the generic parameter of the union's Deserialize impl",
    ),
    (
        "errors-only-first-structural-error",
        "openapiv3 stops at the first structural error, so only it is reported",
    ),
    ("nopointer-non-utf8", "the generator takes text; nothing reports where the bytes stop being UTF-8"),
    (
        "silent-allof-conflicting-property-types",
        "the last of two conflicting `allOf` property types wins silently",
    ),
    ("silent-discriminator-mapping-to-missing-schema", "`discriminator` is ignored"),
    ("silent-enum-non-string-values", "non-string enum values are dropped"),
    ("silent-int-and-string-key-twins", "keys `200` and `'200'` collapse into one"),
    ("silent-method-key-uppercase", "a method key `GET` is not an operation and is skipped"),
    ("silent-path-nested-braces", "a path template `{{id}}` is read as a parameter"),
    ("silent-path-without-slash", "a path key without its leading `/` is accepted"),
    ("silent-ref-not-a-string", "`$ref: 5` is not reported"),
    ("silent-status-key-2OO", "a response key `2OO` is skipped"),
    ("silent-typo-Properties", "an unknown key `Properties:` is ignored (no strict reading yet)"),
    ("silent-typo-parameter", "an unknown key `parameter:` is ignored (no strict reading yet)"),
    ("silent-typo-requestbody", "an unknown key `requestbody:` is ignored (no strict reading yet)"),
    ("silent-yaml-merge-key", "YAML merge keys are not expanded or reported"),
    ("warn-enum-duplicate-values", "duplicate enum values make unreachable match arms"),
    ("warn-names-Self_2", "a type named from `Self` warns"),
];

/// Repros whose kind asks for a crate, where a located error is the decision instead, and why.
const ACCEPTED_ERRORS: &[(&str, &str)] = &[(
    "compile-alias-cycle-in-property",
    "`A: {$ref: B}`, `B: {$ref: A}` never reaches a schema, so there is no type to generate",
)];

/// Repros that are not run at all until fixed, because running them would harm the machine.
const NOT_RUN: &[(&str, &str)] = &[(
    "oom-alias-bomb-inline-schemas",
    "it multiplies inline objects into a million structs and exhausts memory",
)];

fn repros_dir() -> Option<PathBuf> {
    let dir = tests::workspace_root().join("../shared/fuzz-repros");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(!xtask::published::required(), "CI needs {}", dir.display());
    eprintln!("skipped: {} is not beside this clone", dir.display());
    None
}

/// What generating one repro did.
enum Outcome {
    Generated(Box<codegen::Generated>),
    Failed(codegen::Diagnostics),
    NotText(String),
    Panicked(String),
    Hung,
}

fn run(bytes: Vec<u8>) -> (Outcome, Duration) {
    let started = Instant::now();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return (Outcome::NotText(e.to_string()), started.elapsed()),
    };
    let (send, receive) = mpsc::channel();
    // A hung generation keeps its thread until the test process ends; the others go on. The
    // thread has the stack a program's main thread has (8 MiB on Linux), as `cargo xtask
    // generate` runs the generator there.
    let spawned = std::thread::Builder::new().stack_size(8 << 20).spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(|| codegen::generate(&text, &Options::default())));
        let _ = send.send(result);
    });
    if let Err(e) = spawned {
        return (Outcome::Panicked(format!("cannot start a thread: {e}")), started.elapsed());
    }
    let outcome = match receive.recv_timeout(HANG) {
        Ok(Ok(Ok(generated))) => Outcome::Generated(Box::new(generated)),
        Ok(Ok(Err(diags))) => Outcome::Failed(diags),
        Ok(Err(payload)) => Outcome::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default(),
        ),
        Err(_) => Outcome::Hung,
    };
    (outcome, started.elapsed())
}

/// Whether every diagnostic has a JSON pointer; otherwise the first that has none.
fn located(diags: &codegen::Diagnostics) -> Result<(), String> {
    match diags.iter().find(|d| !d.pointer.starts_with('#')) {
        Some(d) => Err(format!("an error without a JSON pointer: {d}")),
        None if diags.has_errors() => Ok(()),
        None => Err("failed without an error".to_owned()),
    }
}

/// Builds a generated crate with clippy, warnings denied.
fn compiles(name: &str, generated: &codegen::Generated) -> Result<(), String> {
    let mut workspace =
        ScratchWorkspace::new(scratch_dir("fuzz-repros").join(name)).map_err(|e| e.to_string())?;
    let member = format!("repro-{}", name.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    workspace.add_crate(&member, &generated.files, &generated.features).map_err(|e| e.to_string())?;
    // Any warning fails the build (see `ScratchWorkspace::cargo`).
    workspace.cargo(&["clippy", "--quiet"]).map(|_| ())
}

/// Checks one repro against what its kind must do.
fn check(name: &str, outcome: Outcome) -> Result<(), String> {
    let kind = name.split('-').next().unwrap_or_default();
    match outcome {
        Outcome::Panicked(message) => Err(format!("panicked: {message}")),
        Outcome::Hung => Err(format!("did not finish within {HANG:?}")),
        Outcome::NotText(why) => Err(format!("not UTF-8 ({why}), and nothing located it")),
        Outcome::Failed(diags) => {
            located(&diags)?;
            if ACCEPTED_ERRORS.iter().any(|(n, _)| *n == name) {
                return Ok(());
            }
            match kind {
                "reject" | "compile" | "warn" => Err(format!("a valid spec was rejected:\n{diags}")),
                "errors"
                    if diags.iter().filter(|d| d.severity == codegen::diag::Severity::Error).count() < 2 =>
                {
                    Err(format!("only one error reported:\n{diags}"))
                }
                _ => Ok(()),
            }
        }
        Outcome::Generated(generated) => match kind {
            // Something is lost today; only a located error is certain not to lose it.
            "silent" => Err("generated with exit 0; a located error was expected".to_owned()),
            "panic" | "errors" => Err("generated; located errors were expected".to_owned()),
            _ => compiles(name, &generated),
        },
    }
}

#[test]
fn every_repro_behaves_as_its_kind_requires() {
    let Some(dir) = repros_dir() else { return };
    let mut names: Vec<String> = tests::files_below(&dir)
        .into_iter()
        .filter_map(|f| f.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    names.sort();
    assert!(names.len() >= 38, "repros went missing: {names:?}");
    let known: BTreeMap<&str, &str> = KNOWN.iter().copied().collect();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut still_failing = 0;
    for name in &names {
        if let Some((_, why)) = NOT_RUN.iter().find(|(n, _)| n == name) {
            println!("{name}: not run: {why}");
            continue;
        }
        let bytes = std::fs::read(dir.join(format!("{name}.yaml"))).expect("read repro");
        let (outcome, took) = run(bytes);
        let result = check(name, outcome);
        match &result {
            Ok(()) => println!("{name}: ok in {took:.2?}"),
            Err(e) => println!("{name}: in {took:.2?}: {e}"),
        }
        match (result, known.get(name.as_str())) {
            (Ok(()), Some(_)) => fixed.push(name.clone()),
            (Ok(()), None) => {}
            (Err(_), Some(_)) => still_failing += 1,
            (Err(e), None) => unexpected.push(format!("{name}: {e}")),
        }
    }
    println!("{} repros, {still_failing} known to fail, {} not run", names.len(), NOT_RUN.len());
    assert!(fixed.is_empty(), "these now behave; take them off KNOWN: {fixed:?}");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n\n"));
    for (name, _) in KNOWN.iter().chain(NOT_RUN).chain(ACCEPTED_ERRORS) {
        assert!(names.iter().any(|n| n == name), "{name} is listed but is not a repro");
    }
}
