//! The specs of `../shared/fuzz-repros/` (small descriptions a mutation campaign found to break
//! the generator), each held to what its README asks of its kind: no panic, no hang, located
//! errors, and a generated crate that compiles without warnings under clippy.
//!
//! Repros not fixed yet are listed in `KNOWN`, each with the reason; the test fails when one of
//! them starts to pass (so the list only shrinks) and when any other repro fails.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use codegen::Options;
use proof::scratch::{ScratchWorkspace, scratch_dir};
use tests::{Outcome, generate_isolated};

/// How long one generation may take before it counts as a hang. The README asks for well under
/// a second; this is a debug build on a shared 2-core machine, so the limit leaves room.
const HANG: Duration = Duration::from_secs(10);

/// Repros that do not behave yet, with what is wrong. Kept short by fixing them (issue 13).
const KNOWN: &[(&str, &str)] = &[];

/// Repros whose kind asks for a crate, where a located error is the decision instead, and why.
const ACCEPTED_ERRORS: &[(&str, &str)] = &[
    (
        "compile-alias-cycle-in-property",
        "`A: {$ref: B}`, `B: {$ref: A}` never reaches a schema, so there is no type to generate",
    ),
    ("compile-self-ref-component", "`A: {$ref: A}` never says what A is, so there is no type to generate"),
    (
        "compile-deep-array-request-body",
        "arrays 100 deep overflow rustc's trait solver (E0275); more than 16 levels are refused",
    ),
];

/// Checks that a generated crate keeps what a repro used to lose.
type KeptCheck = fn(&codegen::Generated) -> Result<(), String>;

/// `silent-` repros where the generator now keeps what was lost instead of refusing the spec,
/// each with the check that it is kept.
const FAITHFUL: &[(&str, KeptCheck)] = &[("silent-yaml-merge-key", merged_properties_are_fields)];

/// The merge key `<<: &common {id, created_at}` beside `name` gives a struct of all three.
fn merged_properties_are_fields(generated: &codegen::Generated) -> Result<(), String> {
    let wanted = ["id", "created_at", "name"];
    let found = generated.api.types.iter().any(|t| match &t.kind {
        codegen::model::TypeKind::Struct(s) => {
            let mut wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
            wires.sort_unstable();
            let mut expected = wanted;
            expected.sort_unstable();
            wires == expected
        }
        _ => false,
    });
    if found { Ok(()) } else { Err(format!("no struct has exactly the fields {wanted:?}")) }
}

/// Repros that are not run at all until fixed, because running them would harm the machine.
const NOT_RUN: &[(&str, &str)] = &[];

fn repros_dir() -> Option<PathBuf> {
    let dir = tests::workspace_root().join("../shared/fuzz-repros");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(!proof::published::required(), "CI needs {}", dir.display());
    eprintln!("skipped: {} is not beside this clone", dir.display());
    None
}

fn run(bytes: Vec<u8>) -> (Outcome, Duration) {
    let started = Instant::now();
    let outcome = match codegen::spec_text(&bytes) {
        Ok(text) => generate_isolated(text.to_owned(), Options::default(), HANG),
        Err(diags) => Outcome::Failed(diags),
    };
    (outcome, started.elapsed())
}

/// Whether every diagnostic has a JSON pointer; otherwise the first that has none.
fn located(diags: &codegen::Diagnostics) -> Result<(), String> {
    match diags.iter().find(|d| !d.at.pointer().is_some_and(|p| p.starts_with('#'))) {
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
    workspace.cargo(&["clippy", "--quiet"]).map(|_| ()).map_err(|e| e.to_string())
}

/// Checks one repro against what its kind must do.
fn check(name: &str, outcome: Outcome) -> Result<(), String> {
    let kind = name.split('-').next().unwrap_or_default();
    match outcome {
        Outcome::Panicked(message) => Err(format!("panicked: {message}")),
        Outcome::Hung => Err(format!("did not finish within {HANG:?}")),
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
            "silent" => match FAITHFUL.iter().find(|(n, _)| *n == name) {
                Some((_, kept)) => kept(&generated).and_then(|()| compiles(name, &generated)),
                None => Err("generated with exit 0; a located error was expected".to_owned()),
            },
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
    let faithful = FAITHFUL.iter().map(|(name, _)| name);
    for name in KNOWN.iter().chain(NOT_RUN).chain(ACCEPTED_ERRORS).map(|(name, _)| name).chain(faithful) {
        assert!(names.iter().any(|n| n == name), "{name} is listed but is not a repro");
    }
}
