//! `cargo xtask conformance`: every Intercom spec in a folder, taken as it is, must generate a
//! crate with every operation, compile without warnings, and round-trip its examples.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use codegen::model::Payload;
use codegen::{DanglingRefs, Options};
use serde_json::Value;

use crate::scratch::{ScratchWorkspace, scratch_dir, shared_target_dir};
use crate::{Error, Result};

/// What `conformance` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct ConformanceArgs {
    /// The folder of `*.yaml` specs; by default that of Intercom's published descriptions.
    pub spec_dir: Option<PathBuf>,
    /// Only these versions (file stems), when given.
    pub only: Vec<String>,
    /// Where to write the Markdown report, when given.
    pub report: Option<PathBuf>,
    /// A report to compare with instead: the run fails when the results differ from it.
    pub check_report: Option<PathBuf>,
}

/// One request or response example of a spec.
#[derive(Debug, Clone)]
pub struct Example {
    /// The JSON pointer of the example in the spec.
    pub pointer: String,
    /// The operation's id in the generated crate.
    pub operation: String,
    /// `request`, `success` or `error`.
    pub part: &'static str,
    /// The example.
    pub value: Value,
}

/// The outcome of one spec.
#[derive(Debug, Default)]
pub struct VersionReport {
    /// The file stem, such as `2.15`.
    pub version: String,
    /// Operations the spec declares.
    pub spec_operations: usize,
    /// Operations the generated crate has.
    pub generated_operations: usize,
    /// Examples found.
    pub examples: usize,
    /// Examples that decoded and encoded back to the same JSON.
    pub round_tripped: usize,
    /// Examples that decoded, and differ from their round trip only as lenient decoding
    /// explains, with the first such difference.
    pub lenient: Vec<(String, String)>,
    /// Examples that did not, with the reason.
    pub failing: Vec<(String, String)>,
    /// Warnings of the generator.
    pub warnings: usize,
    /// Operations with page streams, from the version's pagination table.
    pub paged: usize,
    /// Why the version failed outright (generation, operation count), if it did.
    pub fatal: Option<String>,
}

fn version_key(stem: &str) -> Vec<u64> {
    stem.split('.').map(|p| p.parse().unwrap_or(u64::MAX)).collect()
}

/// The specs of the folder, oldest version first.
pub fn spec_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let entries = fs::read_dir(dir).map_err(Error::fs("list", dir))?;
    let mut specs: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
        .collect();
    specs.sort_by_key(|(stem, _)| (version_key(stem), stem.clone()));
    Ok(specs)
}

/// Counts the operations a spec declares, straight from the YAML (not from the model, so the
/// two counts are independent).
fn count_operations(doc: &Value) -> usize {
    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    doc.get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|item| item.keys().filter(|k| METHODS.contains(&k.as_str())).count())
                .sum()
        })
        .unwrap_or(0)
}

fn pointer_get<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    doc.pointer(pointer.trim_start_matches('#'))
}

/// Follows a local `$ref` once.
pub(crate) fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => pointer_get(doc, reference).unwrap_or(value),
        None => value,
    }
}

/// The JSON examples of a request body or response object at `pointer`.
fn media_examples(doc: &Value, node: &Value, pointer: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(content) = deref(doc, node).get("content").and_then(Value::as_object) else { return out };
    for (content_type, media) in content {
        if !codegen::is_json_media_type(content_type) {
            continue;
        }
        let media_pointer = format!("{pointer}/content/{}", codegen::diag::escape(content_type));
        if let Some(example) = media.get("example") {
            out.push((format!("{media_pointer}/example"), example.clone()));
        }
        for (name, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
            if let Some(value) = deref(doc, example).get("value") {
                out.push((
                    format!("{media_pointer}/examples/{}", codegen::diag::escape(name)),
                    value.clone(),
                ));
            }
        }
    }
    out
}

/// Every request and response example of the spec, attributed to the generated operation.
pub fn examples(doc: &Value, api: &codegen::model::Api) -> Vec<Example> {
    let mut out = Vec::new();
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        let Some(node) = pointer_get(doc, &op.pointer) else { continue };
        if let Some(body) = node.get("requestBody") {
            for (pointer, value) in media_examples(doc, body, &format!("{}/requestBody", op.pointer)) {
                out.push(Example { pointer, operation: op.id.clone(), part: "request", value });
            }
        }
        for (status, response) in node.get("responses").and_then(Value::as_object).into_iter().flatten() {
            let success = *status == op.success.status.to_string()
                || status.starts_with('2')
                || status.starts_with('3');
            let part = match (&op.success.payload, success) {
                (Payload::Json(_), true) => "success",
                (_, true) => continue,
                (_, false) => "error",
            };
            let pointer = format!("{}/responses/{}", op.pointer, codegen::diag::escape(status));
            for (pointer, value) in media_examples(doc, response, &pointer) {
                out.push(Example { pointer, operation: op.id.clone(), part, value });
            }
        }
    }
    out
}

/// Drops `null` members: the generated types read an absent value and `null` alike.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Whether `v` is what a type's `Default` encodes to.
fn is_default(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.values().all(is_default),
        Value::Null => true,
    }
}

/// How an example compares with its round trip.
#[derive(Debug, Default, PartialEq)]
pub struct Findings {
    /// The first difference that a documented lenient decoding explains: a number read as a
    /// string or a numeric string read as a number, or a required value that is absent or null
    /// and decodes as its default.
    pub lenient: Option<String>,
    /// The first difference nothing explains.
    pub different: Option<String>,
}

/// The `(property, value)` pairs that the model's structs write themselves: their constants,
/// which a round trip adds where an example omits them.
pub type Constants = std::collections::BTreeSet<(String, String)>;

/// The constants of every struct of `api`.
pub fn constants(api: &codegen::model::Api) -> Constants {
    api.types
        .iter()
        .filter_map(|t| match &t.kind {
            codegen::model::TypeKind::Struct(s) => Some(s),
            _ => None,
        })
        .flat_map(|s| s.constants.iter().map(|c| (c.wire.clone(), c.value.clone())))
        .collect()
}

/// Compares an example with its round trip. `null` members must already be dropped from both;
/// numbers compare by value (`0` and `0.0` are one number).
pub fn compare(original: &Value, again: &Value, path: &str, findings: &mut Findings) {
    compare_with(original, again, path, &Constants::new(), findings);
}

/// [`compare`], where a constant of `constants` that the example omits is lenient: the type
/// writes it, as the description requires.
pub fn compare_with(
    original: &Value,
    again: &Value,
    path: &str,
    constants: &Constants,
    findings: &mut Findings,
) {
    let here = || if path.is_empty() { ".".to_owned() } else { path.to_owned() };
    match (original, again) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let child = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    // Undeclared keys are kept, so a key lost in the round trip is data lost.
                    (Some(v), None) => {
                        findings
                            .different
                            .get_or_insert(format!("at `{child}`: {v} is lost in the round trip"));
                    }
                    (None, Some(v)) if is_default(v) => {
                        findings.lenient.get_or_insert(format!(
                            "at `{child}`: a required value the example omits decodes as {v}"
                        ));
                    }
                    (None, Some(Value::String(text))) if constants.contains(&(k.clone(), text.clone())) => {
                        findings.lenient.get_or_insert(format!(
                            "at `{child}`: a constant the example omits is written by the type (\"{text}\")"
                        ));
                    }
                    (None, Some(v)) => {
                        findings
                            .different
                            .get_or_insert(format!("at `{child}`: absent from the example, encoded as {v}"));
                    }
                    (Some(a), Some(b)) => compare_with(a, b, &child, constants, findings),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (a, b)) in x.iter().zip(y).enumerate() {
                compare_with(a, b, &format!("{path}[{i}]"), constants, findings);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n))
            if n.to_string() == *s =>
        {
            findings.lenient.get_or_insert(format!("at `{}`: {original} is read as {again}", here()));
        }
        _ if original == again => {}
        _ => {
            findings.different.get_or_insert(format!(
                "at `{}`: the example has {original}, the round trip gives {again}",
                here()
            ));
        }
    }
}

/// The opening of the Markdown report: what the columns mean and which differences are allowed.
const REPORT_PREAMBLE: &str = "\
# Conformance with Intercom's published descriptions

Written by `cargo xtask conformance --report CONFORMANCE.md`; `cargo xtask test` fails when a
fresh run differs from it. Each spec is taken as it is (with `--allow-dangling-refs`, since
2.7–2.11 refer to an undefined `custom_attributes` schema), generated into a scratch crate,
built under clippy and documented, with warnings as errors, and every JSON request and
response example is decoded into the generated type of its operation and status (errors into
`ApiError`) and encoded again. The usage examples in the docs of the two newest versions are
compiled (`cargo test --doc`).

- **paged**: operations that get `pages()` and `items()` streams, from the version's table in
  `xtask/pagination/`; each line of it is checked against the spec, so a table that names a
  missing operation or field fails the run.
- **round-tripped**: the encoding equals the example, where `null` members count as absent and
  numbers compare by value (`0` is `0.0`).
- **decoded leniently**: it decoded, and differs only as the documented lenient decoding
  explains (`ARCHITECTURE.md`): a number read into a string field or a numeric string into an
  integer field, a required value that is absent or `null` and decodes as its default, or a
  constant (a property with one allowed value) that the example omits and the type writes. Keys
  the schema does not declare are kept and encoded again, so they round-trip.
- **failing**: it did not decode, or differs otherwise; each is listed with its JSON pointer
  and the field path where it fails. They are examples that break their own schema.

";

fn crate_name(version: &str) -> String {
    format!("conformance-{}", version.replace(|c: char| !c.is_ascii_alphanumeric(), "-"))
}

/// A generated scratch crate of one spec.
pub(crate) struct BuiltCrate {
    /// The index of its report.
    pub report: usize,
    /// The crate (and runner binary) name.
    pub name: String,
    /// The spec as JSON.
    pub doc: Value,
    /// The model it was generated from.
    pub api: codegen::model::Api,
}

/// The outcome of generating and building the scratch crates of several specs.
pub(crate) struct Built {
    pub reports: Vec<VersionReport>,
    pub crates: Vec<BuiltCrate>,
    /// Cargo's diagnostics, or why the build failed.
    pub build: Result<String>,
    pub build_seconds: f64,
    /// The scratch workspace the crates are members of.
    pub workspace: ScratchWorkspace,
}

/// Generates a scratch crate (with the conformance harness and runner) for each spec and
/// builds them all, with warnings as errors.
pub(crate) fn build_crates(specs: &[(String, PathBuf)]) -> Result<Built> {
    let dir = scratch_dir("conformance");
    let mut workspace = ScratchWorkspace::new(&dir).map_err(Error::fs("create", &dir))?;
    let mut reports = Vec::new();
    let mut crates = Vec::new();
    for (version, path) in specs {
        let mut report = VersionReport { version: version.clone(), ..VersionReport::default() };
        let text = fs::read_to_string(path).map_err(Error::fs("read", path))?;
        let doc: Value = match serde_yaml::from_str(&text) {
            Ok(doc) => doc,
            Err(e) => {
                report.fatal = Some(format!("not YAML: {e}"));
                reports.push(report);
                continue;
            }
        };
        report.spec_operations = count_operations(&doc);
        let label = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // Intercom's versions have their own pagination tables; a version without one (a new
        // one) still generates, with a warning for each list operation.
        let table = crate::version_pagination_table(version);
        let pagination = if table.is_file() { crate::read_pagination(&table)? } else { Default::default() };
        let name = crate_name(version);
        let options = Options {
            spec_label: label,
            dangling_refs: DanglingRefs::Json,
            pagination,
            crate_name: crate::lib_name(&name),
            ..Options::default()
        };
        let generated = match codegen::generate(&text, &options) {
            Ok(generated) => generated,
            Err(diags) => {
                report.fatal = Some(format!("does not generate:\n{diags}"));
                reports.push(report);
                continue;
            }
        };
        report.warnings = generated.warnings.len();
        report.paged =
            generated.api.tags.iter().flat_map(|t| &t.operations).filter(|o| o.paging.is_some()).count();
        report.generated_operations = generated.api.tags.iter().map(|t| t.operations.len()).sum();
        if report.generated_operations != report.spec_operations {
            report.fatal = Some(format!(
                "{} operations in the spec, {} generated",
                report.spec_operations, report.generated_operations
            ));
        }
        let member = workspace.member_dir(&name);
        workspace
            .add_crate(&name, &generated.files, &generated.features)
            .map_err(Error::fs("write", &member))?;
        // The runner is the crate's own harness program (its `test-harness` feature), in a
        // package of its own that builds `proof/runner/main.rs` against the crate.
        workspace.add_runner(&name).map_err(Error::fs("write the runner of", &member))?;
        crates.push(BuiltCrate { report: reports.len(), name, doc, api: generated.api });
        reports.push(report);
    }

    eprintln!(
        "==> building {} generated crates (cargo build under clippy, warnings are errors)",
        crates.len()
    );
    let build_started = Instant::now();
    let features: Vec<String> = crates.iter().map(|c| format!("{}/test-harness", c.name)).collect();
    let build = workspace.build_linted(&["--features", &features.join(",")]);
    let build_seconds = build_started.elapsed().as_secs_f64();
    Ok(Built { reports, crates, build, build_seconds, workspace })
}

/// Documents every crate (`cargo doc`, where a warning fails as in the build) and compiles the
/// usage examples in the docs of the two newest versions (`cargo test --doc`); a doctest build
/// of every version would double the step for little.
fn check_docs(built: &Built) -> Result<()> {
    eprintln!("==> documenting {} generated crates (cargo doc, warnings are errors)", built.crates.len());
    let started = Instant::now();
    built
        .workspace
        .cargo(&["doc", "--no-deps"])
        .map_err(|e| Error::Check(format!("the docs do not build cleanly:\n{e}")))?;
    let newest: Vec<&str> = built.crates.iter().rev().take(2).map(|c| c.name.as_str()).collect();
    if newest.is_empty() {
        return Ok(());
    }
    eprintln!("==> compiling the docs' usage examples of {} (cargo test --doc)", newest.join(", "));
    // Only the generated modules' examples: the shell's own docs name the crate `intercom_api`,
    // which a scratch crate is not.
    let outcome = built.workspace.cargo_members(&newest, &["test", "--doc", "--", "generated::"]);
    eprintln!("==> docs took {:.0} s", started.elapsed().as_secs_f64());
    outcome
        .map(drop)
        .map_err(|e| Error::Check(format!("the usage examples in the docs do not compile:\n{e}")))
}

/// Runs the conformance check and returns the report; fails when a version does not generate,
/// misses an operation, or does not compile cleanly.
pub fn run(args: &ConformanceArgs) -> Result<String> {
    let started = Instant::now();
    let spec_dir = match &args.spec_dir {
        Some(dir) => dir.clone(),
        None => match crate::published::dir() {
            Ok(dir) => dir,
            Err(why) => return crate::published::not_run(&why),
        },
    };
    let mut specs = spec_files(&spec_dir)?;
    if !args.only.is_empty() {
        specs.retain(|(v, _)| args.only.contains(v));
    }
    if specs.is_empty() {
        return Err(Error::Invalid(format!("no specs to check in {}", spec_dir.display())));
    }
    let built = build_crates(&specs)?;
    let mut failed = Vec::new();
    if let Err(e) = &built.build {
        failed.push(format!("the generated crates do not compile cleanly:\n{e}"));
    } else if let Err(e) = check_docs(&built) {
        failed.push(e.to_string());
    }
    let mut reports = built.reports;
    let build_seconds = built.build_seconds;
    let build = built.build;
    let pending: Vec<(usize, String, Vec<Example>, Constants)> = built
        .crates
        .into_iter()
        .map(|c| (c.report, c.name, examples(&c.doc, &c.api), constants(&c.api)))
        .collect();
    for (index, name, examples, constants) in pending {
        let report = &mut reports[index];
        report.examples = examples.len();
        if build.is_err() {
            continue;
        }
        match round_trip(&name, &examples, &constants) {
            Ok(outcomes) => {
                for (example, outcome) in examples.iter().zip(outcomes) {
                    match outcome {
                        Outcome::Identical => report.round_tripped += 1,
                        Outcome::Lenient(reason) => report.lenient.push((example.pointer.clone(), reason)),
                        Outcome::Failing(reason) => report.failing.push((example.pointer.clone(), reason)),
                    }
                }
            }
            Err(e) => report.fatal = Some(e.to_string()),
        }
    }
    for report in &reports {
        if let Some(fatal) = &report.fatal {
            failed.push(format!("{}: {fatal}", report.version));
        }
    }
    eprintln!(
        "==> built in {build_seconds:.0} s; conformance took {:.0} s in all",
        started.elapsed().as_secs_f64()
    );
    let text = render(&reports);
    if let Some(path) = &args.report {
        fs::write(path, &text).map_err(Error::fs("write", path))?;
    }
    if let Some(path) = &args.check_report {
        let recorded = fs::read_to_string(path).unwrap_or_default();
        if recorded != text {
            let diff = similar::TextDiff::from_lines(&recorded, &text);
            failed.push(format!(
                "the results differ from {}:\n{}\nreview them, then run `cargo xtask conformance --report {}`",
                path.display(),
                diff.unified_diff().context_radius(1).header("recorded", "now"),
                path.display()
            ));
        }
    }
    if failed.is_empty() { Ok(text) } else { Err(Error::Check(format!("{text}\n{}", failed.join("\n")))) }
}

/// What became of one example.
enum Outcome {
    Identical,
    Lenient(String),
    Failing(String),
}

/// Feeds JSON lines to a crate's runner binary (with `args`) and returns one answer per line.
pub(crate) fn run_runner(name: &str, args: &[&str], lines: &[Value]) -> Result<Vec<Value>> {
    let binary = shared_target_dir().join("debug").join(name);
    let program = || format!("the runner {}", binary.display());
    let mut child = Command::new(&binary)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(Error::program(program()))?;
    let mut input = String::new();
    for line in lines {
        let _ = writeln!(input, "{line}");
    }
    let mut stdin = child.stdin.take().ok_or_else(|| Error::program(program())("it has no stdin"))?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(Error::program(program()))?;
    let _ = writer.join();
    let answers: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    if answers.len() != lines.len() {
        let detail = format!("it answered {} of {} lines", answers.len(), lines.len());
        return Err(Error::Program { program: program(), detail });
    }
    Ok(answers)
}

/// Runs a version's runner over its examples.
fn round_trip(name: &str, examples: &[Example], constants: &Constants) -> Result<Vec<Outcome>> {
    let input: Vec<Value> = examples
        .iter()
        .map(|e| serde_json::json!({ "operation": e.operation, "part": e.part, "json": e.value }))
        .collect();
    let lines = run_runner(name, &[], &input)?;
    Ok(examples
        .iter()
        .zip(lines)
        .map(|(example, line)| {
            if let Some(error) = line.get("err").and_then(Value::as_str) {
                return Outcome::Failing(format!("does not decode: {error}"));
            }
            let Some(again) =
                line.get("ok").and_then(Value::as_str).and_then(|s| serde_json::from_str::<Value>(s).ok())
            else {
                return Outcome::Failing("the runner gave no JSON back".to_owned());
            };
            let mut findings = Findings::default();
            compare_with(
                &without_nulls(&example.value),
                &without_nulls(&again),
                "",
                constants,
                &mut findings,
            );
            match findings {
                Findings { different: Some(reason), .. } => Outcome::Failing(reason),
                Findings { lenient: Some(reason), .. } => Outcome::Lenient(reason),
                _ => Outcome::Identical,
            }
        })
        .collect())
}

fn render(reports: &[VersionReport]) -> String {
    let mut out = String::from(REPORT_PREAMBLE);
    let _ = writeln!(
        out,
        "| version | operations in spec | generated | paged | examples | round-tripped | decoded leniently | failing | generator warnings |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    for r in reports {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.version,
            r.spec_operations,
            r.generated_operations,
            r.paged,
            r.examples,
            r.round_tripped,
            r.lenient.len(),
            r.failing.len(),
            r.warnings
        );
    }
    for r in reports {
        if let Some(fatal) = &r.fatal {
            let _ = writeln!(out, "\n## {}: FAILED\n\n{fatal}", r.version);
        }
        for (title, list) in
            [("examples that do not round-trip", &r.failing), ("examples decoded leniently", &r.lenient)]
        {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n## {}: {title}\n", r.version);
            for (pointer, reason) in list {
                let _ = writeln!(out, "- `{pointer}`: {reason}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Findings, compare, without_nulls};

    fn findings(original: serde_json::Value, again: serde_json::Value) -> Findings {
        let mut f = Findings::default();
        compare(&without_nulls(&original), &without_nulls(&again), "", &mut f);
        f
    }

    #[test]
    fn allowed_normalizations_are_identical() {
        assert_eq!(findings(json!({"a": 1, "b": null}), json!({"a": 1.0})), Findings::default());
    }

    #[test]
    fn lenient_differences_are_told_apart() {
        assert!(findings(json!({"id": 7}), json!({"id": "7"})).lenient.is_some_and(|r| r.contains("`.id`")));
        assert!(findings(json!({}), json!({"name": ""})).lenient.is_some_and(|r| r.contains("omits")));
    }

    #[test]
    fn other_differences_fail() {
        let f = findings(json!({"a": [1, 2]}), json!({"a": [1, 3]}));
        assert!(f.different.is_some_and(|r| r.contains("`.a[1]`")));
        assert!(findings(json!({}), json!({"name": "x"})).different.is_some());
        assert!(findings(json!({"x": 1}), json!({})).different.is_some_and(|r| r.contains("lost")));
        assert!(findings(json!({"id": 7}), json!({"id": "8"})).different.is_some());
    }

    #[test]
    fn a_constant_the_type_writes_is_lenient_only_when_it_is_one() {
        let constants: super::Constants = [("type".to_owned(), "admin".to_owned())].into();
        let check = |again: serde_json::Value| {
            let mut f = Findings::default();
            super::compare_with(&json!({"id": "1"}), &again, "", &constants, &mut f);
            f
        };
        assert!(check(json!({"id": "1", "type": "admin"})).lenient.is_some_and(|r| r.contains("constant")));
        assert!(check(json!({"id": "1", "type": "bot"})).different.is_some());
        assert!(check(json!({"id": "1", "kind": "admin"})).different.is_some());
    }
}
