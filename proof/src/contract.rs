//! `cargo xtask contract`: the generated client of an Intercom spec against Prism, a mock server
//! that validates every request against the spec. Every operation is called with arguments
//! taken from the spec's examples; a request Prism rejects, or a response that does not decode,
//! is a failure.

use std::fmt::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use codegen::model::{Api, TypeRef};
use serde_json::{Map, Value};

use crate::conformance::{build_crates, deref, run_runner, spec_files};
use crate::{Error, Result, workspace_root};

/// The Prism release the contract test installs.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// What `contract` is asked to do.
#[derive(Debug, Clone)]
pub struct ContractArgs {
    /// The spec; by default the newest in `../shared/specs/intercom`.
    pub spec: Option<PathBuf>,
}

/// Stops Prism however the run ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The Prism binary, installed under `target/prism` with npm when it is not there yet.
fn ensure_prism() -> Result<PathBuf> {
    let dir = workspace_root().join("target/prism");
    let binary = dir.join("node_modules/.bin/prism");
    if binary.exists() {
        return Ok(binary);
    }
    eprintln!("==> installing {PRISM} into {}", dir.display());
    std::fs::create_dir_all(&dir).map_err(Error::fs("create", &dir))?;
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
        .arg(&dir)
        .arg(PRISM)
        .status()
        .map_err(|e| Error::Program {
            program: format!("npm install {PRISM}"),
            detail: format!("{e}; the contract test needs Node.js and npm to install Prism"),
        })?;
    if !status.success() || !binary.exists() {
        return Err(Error::Program { program: format!("npm install {PRISM}"), detail: status.to_string() });
    }
    Ok(binary)
}

fn free_port() -> Result<u16> {
    let failed = |e: std::io::Error| Error::Invalid(format!("no free port on 127.0.0.1: {e}"));
    let listener = TcpListener::bind("127.0.0.1:0").map_err(failed)?;
    listener.local_addr().map(|a| a.port()).map_err(failed)
}

fn start_prism(binary: &Path, spec: &Path, port: u16) -> Result<Server> {
    let log_path = workspace_root().join("target/prism/prism.log");
    let log = std::fs::File::create(&log_path).map_err(Error::fs("create", &log_path))?;
    let child = Command::new(binary)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .stdout(Stdio::from(log.try_clone().map_err(Error::fs("open", &log_path))?))
        .stderr(Stdio::from(log))
        .spawn()
        .map_err(Error::program("Prism"))?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(120);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(Error::program("Prism")(
                "it did not listen within 120 s; see target/prism/prism.log",
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Ok(server)
}

/// A value for a parameter: its example, its schema's example, default or first enum value,
/// or one made from its type.
fn parameter_value(doc: &Value, param: &Value) -> Value {
    if let Some(example) = param.get("example") {
        return example.clone();
    }
    if let Some(first) = param.get("examples").and_then(Value::as_object).and_then(|m| m.values().next())
        && let Some(value) = deref(doc, first).get("value")
    {
        return value.clone();
    }
    let schema = param.get("schema").map(|s| deref(doc, s)).unwrap_or(&Value::Null);
    for key in ["example", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    synthesize(doc, schema, 0)
}

/// A small value that the schema accepts: its example, default or first enum value, else the
/// first branch of a union, every required property of an object, or a value of its type.
fn synthesize(doc: &Value, schema: &Value, depth: usize) -> Value {
    if schema.is_null() {
        // A required property that no schema describes: a string is the likeliest fit.
        return Value::from("1");
    }
    let schema = deref(doc, schema);
    for key in ["example", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.first()) {
        return first.clone();
    }
    if depth > 8 {
        return Value::Null;
    }
    for key in ["oneOf", "anyOf"] {
        // The branch that asks least is the likeliest to match exactly one branch.
        let fewest = schema.get(key).and_then(Value::as_array).and_then(|branches| {
            branches
                .iter()
                .min_by_key(|b| deref(doc, b).get("required").and_then(Value::as_array).map_or(0, Vec::len))
        });
        if let Some(first) = fewest {
            // The branch adds to the properties and required list around it.
            let branch = deref(doc, first);
            let mut merged = schema.as_object().cloned().unwrap_or_default();
            merged.remove("oneOf");
            merged.remove("anyOf");
            if merged.is_empty() {
                return synthesize(doc, branch, depth + 1);
            }
            for (name, value) in branch.as_object().into_iter().flatten() {
                match (name.as_str(), merged.get_mut(name)) {
                    ("properties", Some(Value::Object(own))) => {
                        own.extend(value.as_object().cloned().unwrap_or_default());
                    }
                    ("required", Some(Value::Array(own))) => {
                        own.extend(value.as_array().cloned().unwrap_or_default())
                    }
                    (_, None) => {
                        merged.insert(name.clone(), value.clone());
                    }
                    _ => {}
                }
            }
            return synthesize(doc, &Value::Object(merged), depth + 1);
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(map) = synthesize(doc, part, depth + 1) {
                merged.extend(map);
            }
        }
        return Value::Object(merged);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer" | "number") => Value::from(1),
        Some("boolean") => Value::Bool(true),
        Some("array") => Value::Array(Vec::new()),
        Some("string") => Value::from(match schema.get("format").and_then(Value::as_str) {
            Some("email") => "ada@example.com",
            Some("uri") => "https://example.com/",
            Some("date-time") => "2024-01-01T00:00:00Z",
            Some("date") => "2024-01-01",
            Some("uuid") => "123e4567-e89b-12d3-a456-426614174000",
            _ => "1",
        }),
        _ => {
            let mut object = Map::new();
            let properties = schema.get("properties");
            for name in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
                object.insert(name.to_owned(), synthesize(doc, property, depth + 1));
            }
            Value::Object(object)
        }
    }
}

/// Makes a scalar fit the parameter's Rust type: spec examples give `123` for string ids and
/// `"123"` for integer ones.
fn coerce(value: Value, ty: &TypeRef) -> Value {
    match (ty, &value) {
        (TypeRef::String, Value::Number(n)) => Value::from(n.to_string()),
        (TypeRef::String, Value::Bool(b)) => Value::from(b.to_string()),
        (TypeRef::I32 | TypeRef::I64 | TypeRef::UnixTime, Value::String(s)) => {
            s.parse::<i64>().map(Value::from).unwrap_or(value)
        }
        _ => value,
    }
}

/// The request example to send: one whose name says it succeeds, else the first that is not
/// `null` (Intercom lists examples of bad requests too).
fn request_example(doc: &Value, media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let examples = media.get("examples")?.as_object()?;
    let values: Vec<(&String, &Value)> =
        examples.iter().filter_map(|(name, e)| Some((name, deref(doc, e).get("value")?))).collect();
    let successful =
        values.iter().find(|(name, v)| name.to_ascii_lowercase().contains("success") && !v.is_null());
    successful.or_else(|| values.iter().find(|(_, v)| !v.is_null())).map(|(_, v)| (*v).clone())
}

/// The documented success status of `op` and the first example of its JSON body, if any.
pub fn success_example(doc: &Value, op: &codegen::model::Operation) -> (u16, Option<Value>) {
    // A range or `default` is answered as its most usual code.
    let status = match op.success.status {
        codegen::model::Status::Code(code) => code,
        codegen::model::Status::Range(class) => class * 100,
        codegen::model::Status::Default => 200,
    };
    let key = op.success.status.to_string();
    let example = doc
        .pointer(op.pointer.trim_start_matches('#'))
        .and_then(|node| node.get("responses")?.get(&key))
        .map(|r| deref(doc, r))
        .and_then(|r| {
            r.get("content")?
                .as_object()?
                .iter()
                .find(|(ct, _)| codegen::is_json_media_type(ct))
                .map(|(_, m)| m.clone())
        })
        .and_then(|media| request_example(doc, &media));
    (status, example)
}

/// Where arguments come from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    /// The spec's examples (and schema examples where a parameter has none).
    Examples,
    /// Values made from the schemas alone, with responses made from the schema too.
    Schemas,
}

/// The arguments of every operation: `{"path": {…}, "query": {…}, "header": {…}, "body": …}`.
/// Also the cases of the loopback wire test of every operation.
pub fn arguments(doc: &Value, api: &Api, source: Source) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        let Some(node) = doc.pointer(op.pointer.trim_start_matches('#')) else { continue };
        let item_pointer = op.pointer.rsplit_once('/').map(|(item, _)| item).unwrap_or_default();
        let item = doc.pointer(item_pointer.trim_start_matches('#')).unwrap_or(&Value::Null);
        let declared: Vec<&Value> = [item.get("parameters"), node.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|p| deref(doc, p))
            .collect();
        let mut args = Map::new();
        for param in &op.params {
            let spec_param =
                declared.iter().rev().find(|p| p.get("name").and_then(Value::as_str) == Some(&param.wire));
            let has_example =
                spec_param.is_some_and(|p| p.get("example").is_some() || p.get("examples").is_some());
            if !param.required && (!has_example || source == Source::Schemas) {
                continue;
            }
            let value = match (spec_param, source) {
                (Some(p), Source::Examples) => parameter_value(doc, p),
                (Some(p), Source::Schemas) => synthesize(doc, p.get("schema").unwrap_or(&Value::Null), 0),
                (None, _) => Value::from("1"),
            };
            let value = coerce(value, &param.ty);
            let location = param.location.as_str();
            let entry = args.entry(location).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = entry {
                map.insert(param.wire.clone(), value);
            }
        }
        if op.body.is_some() {
            let media = node
                .get("requestBody")
                .map(|b| deref(doc, b))
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .and_then(|c| c.iter().find(|(ct, _)| codegen::is_json_media_type(ct)).map(|(_, m)| m));
            let example = media.and_then(|m| request_example(doc, m)).filter(|_| source == Source::Examples);
            let schema = media.and_then(|m| m.get("schema")).unwrap_or(&Value::Null);
            args.insert("body".to_owned(), example.unwrap_or_else(|| synthesize(doc, schema, 0)));
        }
        if source == Source::Schemas {
            args.insert("prefer".to_owned(), Value::from("dynamic=true"));
        }
        out.push((op.id.clone(), Value::Object(args)));
    }
    out
}

/// Operations that cannot pass against Prism, by spec version, with the reason; kept as data
/// in `proof/contract-known-failures.txt` (`VERSION OPERATION: why`). The run fails when one of
/// them passes (the entry is stale) or when any other operation fails.
fn known_failures(version: &str) -> Result<Vec<(String, String)>> {
    let path = workspace_root().join("proof/contract-known-failures.txt");
    let text = std::fs::read_to_string(&path).map_err(Error::fs("read", &path))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (head, why) = l.split_once(':')?;
            let (v, op) = head.trim().split_once(' ')?;
            (v == version).then(|| (op.trim().to_owned(), why.trim().to_owned()))
        })
        .collect())
}

/// Whether there is a program called `name` on the `PATH`.
fn on_path(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs the contract test; fails when any operation fails.
pub fn run(args: &ContractArgs) -> Result<String> {
    let (version, spec) = match &args.spec {
        Some(path) => {
            (path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(), path.clone())
        }
        None => {
            let dir = match crate::published::dir() {
                Ok(dir) => dir,
                Err(why) => return crate::published::not_run(&why),
            };
            spec_files(&dir)?.pop().ok_or_else(|| Error::Invalid(format!("no spec in {}", dir.display())))?
        }
    };
    let known = known_failures(&version)?;
    if !workspace_root().join("target/prism/node_modules/.bin/prism").exists() && !on_path("npm") {
        let message = "not run: the contract test installs Prism with npm, and npm is not on this machine (install Node.js)";
        // CI's machines have Node.js, so there a missing npm is a failure, not a skip.
        return if std::env::var_os("CI").is_some() {
            Err(Error::Invalid(message.to_owned()))
        } else {
            Ok(format!("{message}\n"))
        };
    }
    let prism = ensure_prism()?;
    let built = build_crates(&[(version.clone(), spec.clone())])?;
    if let Err(e) = &built.build {
        return Err(Error::Check(format!("the generated crate does not compile cleanly:\n{e}")));
    }
    let krate = built.crates.first().ok_or_else(|| Error::Check(format!("{version} did not generate")))?;
    let port = free_port()?;
    let server = start_prism(&prism, &spec, port)?;
    let base_url = format!("http://127.0.0.1:{port}");
    let call = |calls: &[(String, Value)]| -> Result<Vec<Option<String>>> {
        let lines: Vec<Value> =
            calls.iter().map(|(op, args)| serde_json::json!({ "operation": op, "args": args })).collect();
        let answers = run_runner(&krate.name, &["contract", &base_url], &lines)?;
        Ok(answers.iter().map(|a| a.get("err").and_then(Value::as_str).map(str::to_owned)).collect())
    };
    // First with the spec's examples; an operation that fails is tried again with arguments
    // and a response made from the schemas, since some of Intercom's examples break their own
    // schemas. Both outcomes are reported.
    let from_examples = arguments(&krate.doc, &krate.api, Source::Examples);
    let from_schemas = arguments(&krate.doc, &krate.api, Source::Schemas);
    let first = call(&from_examples)?;
    let retry: Vec<(String, Value)> =
        from_schemas.into_iter().zip(&first).filter(|(_, e)| e.is_some()).map(|(c, _)| c).collect();
    let second = call(&retry)?;
    drop(server);
    judge(&version, &known, &from_examples, &first, &retry, second)
}

/// The contract run's report: each operation passed with the spec's examples, passed only with
/// arguments made from the schemas (the `retry` and its outcomes, `second`), failed as
/// `proof/contract-known-failures.txt` expects, or failed; an error when any failed or an
/// expected failure passes.
fn judge(
    version: &str,
    known: &[(String, String)],
    from_examples: &[(String, Value)],
    first: &[Option<String>],
    retry: &[(String, Value)],
    second: Vec<Option<String>>,
) -> Result<String> {
    let mut second = retry.iter().map(|(op, _)| op).zip(second);
    let (mut passed, mut retried, mut failed, mut expected) =
        (0, String::new(), String::new(), String::new());
    for ((op, _), error) in from_examples.iter().zip(first) {
        let known_reason = known.iter().find(|(k, _)| k == op).map(|(_, why)| why);
        let Some(error) = error else {
            passed += 1;
            if known_reason.is_some() {
                let _ = writeln!(
                    failed,
                    "- {op}: passes, so its entry in proof/contract-known-failures.txt is stale"
                );
            }
            continue;
        };
        match second.next() {
            Some((_, Some(_))) if known_reason.is_some() => {
                let _ =
                    writeln!(expected, "- {op}: {}", known_reason.map(String::as_str).unwrap_or_default());
            }
            Some((_, None)) if known_reason.is_some() => {
                let _ = writeln!(
                    failed,
                    "- {op}: passes with schema-made arguments, so its entry in proof/contract-known-failures.txt is stale"
                );
            }
            Some((_, None)) => {
                let _ = writeln!(retried, "- {op}: with the spec's examples: {}", shorten(error));
            }
            Some((_, Some(again))) => {
                let args =
                    retry.iter().find(|(o, _)| o == op).map(|(_, a)| a.to_string()).unwrap_or_default();
                let _ = writeln!(
                    failed,
                    "- {op}: with the spec's examples: {}\n  from the schemas: {}\n  schema-made arguments: {}",
                    shorten(error),
                    shorten(&again),
                    shorten(&args)
                );
            }
            None => {
                let _ = writeln!(failed, "- {op}: {}", shorten(error));
            }
        }
    }
    let (retried_count, failed_count) =
        (retried.lines().count(), failed.lines().filter(|l| l.starts_with("- ")).count());
    let mut report = String::new();
    if !expected.is_empty() {
        let _ = write!(report, "Known failures (proof/contract-known-failures.txt):\n{expected}");
    }
    if !retried.is_empty() {
        let _ = write!(report, "Passed only with arguments and responses made from the schemas:\n{retried}");
    }
    if !failed.is_empty() {
        let _ = write!(report, "Failed:\n{failed}");
    }
    let _ = writeln!(
        report,
        "contract test of {version} against Prism: {} passed, {failed_count} failed, {} known failures ({retried_count} of the passed needed schema-made arguments)",
        passed + retried_count,
        expected.lines().count()
    );
    if failed.is_empty() { Ok(report) } else { Err(Error::Check(report)) }
}

/// The first 400 characters of an error, on one line.
fn shorten(error: &str) -> String {
    let line = error.replace('\n', " ");
    match line.char_indices().nth(400) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}
