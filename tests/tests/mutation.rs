//! A seeded mutation test of the generator. Each case slices a few operations (with the
//! components they reach) out of our spec or one of Intercom's published descriptions, makes
//! one to three random edits of the kinds the fuzz campaign found harmful (keys removed,
//! misspelled or doubled, values of another kind, broken `$ref`s, deep nesting, long lines),
//! and generates the result in a thread of its own. It must not panic or hang; a crate it
//! generates holds every operation the mutated document declares; every error it reports has a
//! JSON pointer to a node of the document (or to the parent of a missing one). The first few
//! crates it generates are built under clippy with warnings denied.
//!
//! `MUTATION_SEED` and `MUTATION_CASES` change the run; a failing case is written to
//! `target/mutation-failures/` with its seed, to be shrunk into a fixture.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use proof::scratch::{ScratchWorkspace, scratch_dir};
use serde_yaml::{Mapping, Value};
use tests::{Outcome, generate_isolated};

/// The seed of the CI run: fixed, so a failure reproduces anywhere.
const SEED: u64 = 0x1c0d_e9e4_2016;

/// Cases in the CI run; about a minute on a 2-core machine in a debug build.
const CASES: u64 = 240;

/// Generated mutants that are also built with clippy (warnings denied), in one scratch
/// workspace: building is what takes time, so only the first few are.
const BUILT: usize = 4;

/// Operations kept in each slice.
const OPERATIONS_PER_SLICE: usize = 6;

/// How long one generation may take before it counts as a hang (a debug build on a shared
/// machine; a slice generates in well under a second).
const HANG: Duration = Duration::from_secs(20);

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// xorshift64*: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The specs mutated: ours, and Intercom's published ones when they are here.
fn sources() -> Vec<(String, Value)> {
    let mut paths = vec![tests::workspace_root().join("spec/intercom.yaml")];
    paths.extend(tests::published_specs());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read a spec");
            let doc: Value = serde_yaml::from_str(&text).expect("a spec is YAML");
            (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), doc)
        })
        .collect()
}

/// Every `$ref` string below `node`.
fn refs(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Mapping(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some("$ref"), Value::String(target)) => out.push(target.clone()),
                    _ => refs(value, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

/// A document with `count` operations of `doc` picked by `rng`, and every component they
/// reach, so that the slice generates as the whole does.
fn slice(doc: &Value, rng: &mut Rng, count: usize) -> Value {
    let mut out = Mapping::new();
    for key in ["openapi", "info", "servers", "tags"] {
        if let Some(value) = doc.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    let all: Vec<(Value, Value)> = doc
        .get("paths")
        .and_then(Value::as_mapping)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let mut paths = Mapping::new();
    for _ in 0..count.min(all.len()) {
        let (key, item) = &all[rng.below(all.len())];
        paths.insert(key.clone(), item.clone());
    }
    // Components are added as references reach them, until no new one is reached.
    let components = doc.get("components").cloned().unwrap_or(Value::Null);
    let mut kept = Mapping::new();
    let mut pending = Vec::new();
    refs(&Value::Mapping(paths.clone()), &mut pending);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(target) = pending.pop() {
        if !seen.insert(target.clone()) {
            continue;
        }
        let Some(rest) = target.strip_prefix("#/components/") else { continue };
        let Some((section, name)) = rest.split_once('/') else { continue };
        let Some(found) = components.get(section).and_then(|s| s.get(name)) else { continue };
        refs(found, &mut pending);
        let entry = kept.entry(section.into()).or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Value::Mapping(section) = entry {
            section.insert(name.into(), found.clone());
        }
    }
    if let Some(schemes) = components.get("securitySchemes") {
        kept.insert("securitySchemes".into(), schemes.clone());
    }
    out.insert("paths".into(), Value::Mapping(paths));
    out.insert("components".into(), Value::Mapping(kept));
    Value::Mapping(out)
}

/// One step from a node to a child.
#[derive(Clone, Debug)]
enum Step {
    Key(Value),
    Index(usize),
}

/// The address of every node of `node`.
fn addresses(node: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match node {
        Value::Mapping(map) => {
            for (key, value) in map {
                prefix.push(Step::Key(key.clone()));
                addresses(value, prefix, out);
                prefix.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                addresses(item, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(node: &'v mut Value, address: &[Step]) -> Option<&'v mut Value> {
    let mut current = node;
    for step in address {
        current = match (step, current) {
            (Step::Key(key), Value::Mapping(map)) => map.get_mut(key)?,
            (Step::Index(i), Value::Sequence(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Applies one random edit to `doc` and says what it was.
fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    addresses(doc, &mut Vec::new(), &mut all);
    let address = all[rng.below(all.len())].clone();
    let Some(node) = at_mut(doc, &address) else { return "nothing".to_owned() };
    let place = format!("{address:?}");
    let kind = rng.below(9);
    match (kind, node) {
        (0, Value::Mapping(map)) if !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or(Value::Null);
            map.remove(&key);
            format!("removed {key:?} at {place}")
        }
        (1, Value::Mapping(map)) if !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or(Value::Null);
            let Some(value) = map.remove(&key) else { return "nothing".to_owned() };
            let text = key.as_str().unwrap_or("k").to_owned();
            let renamed = match rng.below(4) {
                0 => text.to_uppercase(),
                1 => text.chars().skip(1).collect(),
                2 => format!("{text}s"),
                _ => format!("{text} "),
            };
            map.insert(renamed.clone().into(), value);
            format!("renamed {text:?} to {renamed:?} at {place}")
        }
        (2, Value::Mapping(map)) if !map.is_empty() => {
            // A twin key: the same text as a number, where it is one.
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or(Value::Null);
            let value = map.get(&key).cloned().unwrap_or(Value::Null);
            let twin = match key.as_str().and_then(|k| k.parse::<u64>().ok()) {
                Some(n) => Value::Number(n.into()),
                None => Value::String(key.as_str().unwrap_or("k").to_uppercase()),
            };
            map.insert(twin, value);
            format!("twinned {key:?} at {place}")
        }
        (3, node) if node.get("$ref").is_some() => {
            let target = match rng.below(4) {
                0 => Value::String("#/components/schemas/missing".to_owned()),
                1 => Value::Number(5.into()),
                2 => Value::String("#/components/schemas/a%2".to_owned()),
                _ => Value::String("other.yaml#/x".to_owned()),
            };
            if let Value::Mapping(map) = node {
                map.insert("$ref".into(), target.clone());
            }
            format!("$ref set to {target:?} at {place}")
        }
        (4, node) => {
            let replacement = match rng.below(8) {
                0 => Value::Number(5.into()),
                1 => Value::String("5".to_owned()),
                2 => Value::Bool(true),
                3 => Value::Null,
                4 => Value::Sequence(Vec::new()),
                5 => Value::Mapping(Mapping::new()),
                6 => Value::Number(f64::NAN.into()),
                _ => Value::Number(1e300.into()),
            };
            *node = replacement.clone();
            format!("replaced with {replacement:?} at {place}")
        }
        (5, node) => {
            let depth = 2 + rng.below(30);
            for _ in 0..depth {
                let inner = std::mem::take(node);
                let mut wrapper = Mapping::new();
                wrapper.insert("type".into(), "array".into());
                wrapper.insert("items".into(), inner);
                *node = Value::Mapping(wrapper);
            }
            format!("wrapped in {depth} arrays at {place}")
        }
        (6, node @ Value::String(_)) => {
            *node = Value::String("[".repeat(20_000));
            format!("a long line of brackets at {place}")
        }
        (7, node) => {
            let inner = std::mem::take(node);
            *node = Value::Sequence(vec![inner]);
            format!("wrapped in a list at {place}")
        }
        (_, Value::Mapping(map)) => {
            // A method key in another case, or a key the specification does not define.
            let key = ["GET", "Post", "requestbody", "x-extra", "Properties", "2OO"][rng.below(6)];
            map.insert(key.into(), Value::Mapping(Mapping::new()));
            format!("added {key:?} at {place}")
        }
        (_, node) => {
            *node = Value::String(String::new());
            format!("emptied at {place}")
        }
    }
}

/// Operations the document declares, counted from the raw document.
fn declared_operations(doc: &Value) -> usize {
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else { return 0 };
    paths
        .values()
        .filter_map(Value::as_mapping)
        .map(|item| item.keys().filter(|k| k.as_str().is_some_and(|k| METHODS.contains(&k))).count())
        .sum()
}

/// Whether a JSON pointer names a node of `doc`, or the missing child of one.
fn resolves(doc: &serde_json::Value, pointer: &str) -> bool {
    let Some(path) = pointer.strip_prefix('#') else { return false };
    if doc.pointer(path).is_some() {
        return true;
    }
    match path.rsplit_once('/') {
        Some((parent, _)) => doc.pointer(parent).is_some(),
        None => true,
    }
}

fn run(text: String) -> Outcome {
    let options = codegen::Options { dangling_refs: codegen::DanglingRefs::Json, ..Default::default() };
    generate_isolated(text, options, HANG)
}

/// What is wrong with one outcome, if anything.
fn judge(doc: &Value, outcome: &Outcome) -> Result<&'static str, String> {
    match outcome {
        Outcome::Panicked(message) => Err(format!("panicked: {message}")),
        Outcome::Hung => Err(format!("did not finish within {HANG:?}")),
        Outcome::Generated(generated) => {
            let lowered: usize = generated.api.tags.iter().map(|t| t.operations.len()).sum();
            let declared = declared_operations(doc);
            if lowered == declared {
                Ok("generated")
            } else {
                Err(format!("generated {lowered} operations of the {declared} declared"))
            }
        }
        Outcome::Failed(diags) => {
            // The document as JSON, to resolve pointers; one that is not JSON-shaped
            // (non-text keys) only gets the `#` check.
            let json = serde_json::to_value(doc).ok();
            let errors: Vec<_> = diags.iter().filter(|d| d.severity == codegen::Severity::Error).collect();
            if errors.is_empty() {
                return Err("failed without an error".to_owned());
            }
            for d in diags.iter() {
                let located = match (&json, d.at.pointer()) {
                    (_, None) => false,
                    (Some(json), Some(pointer)) => resolves(json, pointer),
                    (None, Some(pointer)) => pointer.starts_with('#'),
                };
                if !located {
                    return Err(format!("a diagnostic whose pointer is not in the document: {d}"));
                }
            }
            Ok("errors")
        }
    }
}

#[test]
fn mutants_are_generated_or_located_never_panic_hang_or_lose_an_operation() {
    let seed = env_number("MUTATION_SEED", SEED);
    let cases = env_number("MUTATION_CASES", CASES);
    let sources = sources();
    let started = Instant::now();
    let mut tally = std::collections::BTreeMap::<&str, usize>::new();
    let mut failures = Vec::new();
    let mut to_build = Vec::new();
    let failure_dir = tests::workspace_root().join("target/mutation-failures");
    let keep = |case: u64, text: &str| -> PathBuf {
        let file = failure_dir.join(format!("seed-{seed}-case-{case}.yaml"));
        let _ = std::fs::create_dir_all(&failure_dir);
        let _ = std::fs::write(&file, text);
        file
    };
    for case in 0..cases {
        let mut rng = Rng::new(seed ^ case.wrapping_mul(0x100_0000_01b3));
        let (name, source) = &sources[rng.below(sources.len())];
        let mut doc = slice(source, &mut rng, OPERATIONS_PER_SLICE);
        let mut edits = Vec::new();
        for _ in 0..=rng.below(3) {
            edits.push(mutate(&mut doc, &mut rng));
        }
        let Ok(text) = serde_yaml::to_string(&doc) else { continue };
        let took = Instant::now();
        let outcome = run(text.clone());
        let verdict = judge(&doc, &outcome);
        let took = took.elapsed();
        match (verdict, outcome) {
            (Ok(kind), outcome) => {
                *tally.entry(kind).or_default() += 1;
                if let Outcome::Generated(generated) = outcome
                    && to_build.len() < BUILT
                {
                    to_build.push((case, text, format!("{name}; {}", edits.join("; ")), generated));
                }
            }
            (Err(why), _) => {
                let file = keep(case, &text);
                failures.push(format!(
                    "case {case} ({name}; {}) in {took:.2?}: {why}\n  written to {}",
                    edits.join("; "),
                    file.display()
                ));
            }
        }
    }
    let generating = started.elapsed();
    if !to_build.is_empty() {
        let mut workspace = ScratchWorkspace::new(scratch_dir("mutation")).expect("a scratch workspace");
        for (case, _, _, generated) in &to_build {
            workspace
                .add_crate(&format!("mutant-{case}"), &generated.files, &generated.features)
                .expect("write a scratch crate");
        }
        if let Err(e) = workspace.cargo(&["clippy", "--quiet"]) {
            let cases: Vec<String> = to_build
                .iter()
                .map(|(case, text, what, _)| format!("case {case} ({what}): {}", keep(*case, text).display()))
                .collect();
            failures
                .push(format!("a generated mutant does not build cleanly: {e}\n  {}", cases.join("\n  ")));
        }
    }
    println!(
        "seed {seed:#x}: {cases} mutants of {} specs generated in {generating:.1?} ({tally:?}), {} of them built, \
         {:.1?} in all; {} failing",
        sources.len(),
        to_build.len(),
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn slices_of_the_specs_generate_unmutated() {
    // The mutation test's baseline: a slice without edits generates, so what a mutant does is
    // the edit's doing.
    for (name, source) in sources() {
        for case in 0..3 {
            let mut rng = Rng::new(SEED ^ case);
            let doc = slice(&source, &mut rng, OPERATIONS_PER_SLICE);
            let text = serde_yaml::to_string(&doc).expect("a slice is YAML");
            match judge(&doc, &run(text)) {
                Ok("generated") => {}
                other => panic!("{name}, slice {case}: {other:?}"),
            }
        }
    }
}
