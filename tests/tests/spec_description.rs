//! `spec/intercom.yaml` against Intercom's published 2.16: the same facts, our own prose.
//!
//! The facts are checked twice: as documents (every key but prose and examples equal) and as
//! the generator sees them (`cargo xtask diff` finds no change). The prose is checked for
//! completeness and for runs of eight words shared with any published description.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use serde_json::Value;
use tests::{published_spec, published_specs, workspace_root};

/// The published version `spec/` describes.
const VERSION: &str = "2.16";

/// Runs of eight words that `spec/` shares with a published description by accident: phrases
/// that have one natural wording. Each must still occur, so the list cannot go stale.
const ALLOWED_RUNS: &[&str] = &[];

fn yaml(path: &std::path::Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

fn ours() -> Value {
    yaml(&workspace_root().join("spec/intercom.yaml"))
}

/// Keys whose members are names (of properties, paths, statuses, media types), not keywords.
const NAME_MAPS: &[&str] =
    &["properties", "schemas", "responses", "paths", "content", "headers", "securitySchemes", "mapping"];

/// Keys that hold prose or examples rather than facts about the API.
fn is_prose(key: &str) -> bool {
    matches!(key, "description" | "summary" | "example" | "examples" | "externalDocs")
        || key.starts_with("x-")
}

/// The document without prose and examples, and without `info`, `servers` and the tags'
/// texts, which describe the document rather than the API.
fn facts(value: &Value) -> Value {
    fn strip(value: &Value, names: bool) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| names || !is_prose(k))
                    .map(|(k, v)| (k.clone(), strip(v, !names && NAME_MAPS.contains(&k.as_str()))))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| strip(v, false)).collect()),
            other => other.clone(),
        }
    }
    let mut out = strip(value, false);
    if let Value::Object(map) = &mut out {
        map.remove("info");
        map.remove("servers");
        if let Some(Value::Array(tags)) = map.get_mut("tags") {
            for tag in tags {
                if let Value::Object(tag) = tag {
                    tag.retain(|k, _| k == "name");
                }
            }
        }
    }
    out
}

/// The first place where two documents differ, as a JSON pointer with both values.
fn first_difference(a: &Value, b: &Value, pointer: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let here = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(a), Some(b)) => first_difference(a, b, &here),
                    (a, b) => Some(format!("{here}: published {a:?}, ours {b:?}")),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (a, b))| first_difference(a, b, &format!("{pointer}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{pointer}: published {a}, ours {b}")),
    }
}

#[test]
fn facts_are_those_of_the_published_description() {
    let Some(published) = published_spec(VERSION) else { return };
    let (published, ours) = (facts(&yaml(&published)), facts(&ours()));
    if let Some(difference) = first_difference(&published, &ours, "#") {
        panic!("spec/intercom.yaml differs from Intercom's {VERSION} in a fact: {difference}");
    }
}

/// The check of the issue that asked for this spec: the generator's own diff between the two
/// documents, with the same pagination table on both sides, is empty.
#[test]
fn the_generated_api_is_that_of_the_published_description() {
    let Some(published) = published_spec(VERSION) else { return };
    let table = xtask::read_pagination(&workspace_root().join("spec/pagination.txt")).expect("table");
    let model = |path: &std::path::Path| {
        let text = fs::read_to_string(path).expect("read spec");
        let options = codegen::Options { pagination: table.clone(), ..codegen::Options::default() };
        codegen::model(&text, &options).unwrap_or_else(|d| panic!("{}:\n{d}", path.display())).0
    };
    let changelog =
        codegen::diff::diff(&model(&published), &model(&workspace_root().join("spec/intercom.yaml")));
    assert!(changelog.changes.is_empty(), "{}", changelog.markdown(None));
}

/// Every `summary` and `description` in a document, with its JSON pointer.
fn texts(value: &Value, pointer: &str, names: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                match v {
                    Value::String(text) if !names && (k == "description" || k == "summary") => {
                        out.push((here, text.clone()))
                    }
                    _ => texts(v, &here, !names && NAME_MAPS.contains(&k.as_str()), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                texts(v, &format!("{pointer}/{i}"), false, out);
            }
        }
        _ => {}
    }
}

/// Lowercase words, with code spans left out (a wire name is a fact, not prose).
fn words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            plain.push(' ');
        } else if !in_code {
            plain.push(c);
        }
    }
    plain
        .to_lowercase()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_run_of_eight_words_comes_from_intercom() {
    let specs = published_specs();
    if specs.is_empty() {
        return;
    }
    let mut theirs: BTreeSet<Vec<String>> = BTreeSet::new();
    for path in &specs {
        let mut found = Vec::new();
        texts(&yaml(path), "#", false, &mut found);
        for (_, text) in found {
            theirs.extend(words(&text).windows(8).map(<[String]>::to_vec));
        }
    }
    let mut found = Vec::new();
    texts(&ours(), "#", false, &mut found);
    let mut shared: BTreeMap<String, String> = BTreeMap::new();
    for (pointer, text) in &found {
        for run in words(text).windows(8).filter(|run| theirs.contains(*run)) {
            shared.entry(run.join(" ")).or_insert_with(|| pointer.clone());
        }
    }
    let unexpected: Vec<String> = shared
        .iter()
        .filter(|(run, _)| !ALLOWED_RUNS.contains(&run.as_str()))
        .map(|(run, pointer)| format!("{pointer}: \"{run}\""))
        .collect();
    assert!(
        unexpected.is_empty(),
        "spec/ shares eight-word runs with Intercom's prose:\n{}",
        unexpected.join("\n")
    );
    for allowed in ALLOWED_RUNS {
        assert!(shared.contains_key(*allowed), "`{allowed}` no longer occurs; take it off ALLOWED_RUNS");
    }
}

/// Whether a schema node is only a reference, which its target describes.
fn is_bare_ref(schema: &Value) -> bool {
    schema.as_object().is_some_and(|m| m.len() == 1 && m.contains_key("$ref"))
}

/// Counts the properties below a schema: (all, described, bare references).
fn count_properties(schema: &Value, counts: &mut (usize, usize, usize)) {
    let Some(map) = schema.as_object() else { return };
    if let Some(Value::Object(properties)) = map.get("properties") {
        for property in properties.values() {
            counts.0 += 1;
            if property.get("description").is_some() {
                counts.1 += 1;
            } else if is_bare_ref(property) {
                counts.2 += 1;
            }
            count_properties(property, counts);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(inner) = map.get(key) {
            count_properties(inner, counts);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            count_properties(branch, counts);
        }
    }
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

#[test]
fn every_operation_schema_and_most_properties_are_described() {
    let spec = ours();
    let mut missing = Vec::new();
    let mut counts = (0, 0, 0);
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in
            item.as_object().expect("path item").iter().filter(|(m, _)| METHODS.contains(&m.as_str()))
        {
            let at = format!("{} {path}", method.to_uppercase());
            for key in ["summary", "description"] {
                if op.get(key).and_then(Value::as_str).is_none_or(|s| s.trim().is_empty()) {
                    missing.push(format!("{at}: no {key}"));
                }
            }
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param.get("description").is_none() {
                    missing.push(format!("{at}: parameter {} has no description", param["name"]));
                }
            }
            let media =
                |node: &Value| node.get("content").and_then(Value::as_object).cloned().unwrap_or_default();
            for content in media(&op["requestBody"]).values() {
                count_properties(&content["schema"], &mut counts);
            }
            for (status, response) in op["responses"].as_object().expect("responses") {
                if response.get("description").is_none() && response.get("$ref").is_none() {
                    missing.push(format!("{at}: response {status} has no description"));
                }
                for content in media(response).values() {
                    count_properties(&content["schema"], &mut counts);
                }
            }
        }
    }
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        if schema.get("description").is_none() && !is_bare_ref(schema) {
            missing.push(format!("schema {name} has no description"));
        }
        count_properties(schema, &mut counts);
    }
    assert!(missing.is_empty(), "{} places lack prose:\n{}", missing.len(), missing.join("\n"));
    let (all, described, refs) = counts;
    let share = described as f64 / all as f64;
    eprintln!(
        "{described} of {all} properties are described, {refs} more are bare references ({:.1} %)",
        share * 100.0
    );
    assert!(share >= 0.9, "only {described} of {all} properties have a description");
}
