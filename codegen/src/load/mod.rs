//! Load: YAML text → a normalized document → `openapiv3::OpenAPI`.
//!
//! The `openapiv3` crate models OpenAPI 3.0. Intercom publishes 3.0.1 and our own spec is 3.1, so
//! before handing the document to `openapiv3` we rewrite the 3.1 forms we meet into their 3.0
//! equivalents, and reject the ones we cannot express, each with its JSON pointer. Before any of
//! that, YAML merge keys are expanded and the document is read strictly (see [`strict`]).

mod strict;

use serde_yaml::{Mapping, Value};

use crate::diag::{Diagnostics, join};

/// JSON Schema keywords of OpenAPI 3.1 that have no 3.0 equivalent and that the generator refuses.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "$defs",
    "$dynamicRef",
    "contains",
    "dependentRequired",
    "dependentSchemas",
    "else",
    "if",
    "patternProperties",
    "prefixItems",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];

/// Keys whose values are data (examples, defaults), never schemas, so normalization skips them.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "x-examples"];

/// A document read and normalized.
pub(crate) struct Loaded {
    pub api: openapiv3::OpenAPI,
    /// How many operations the raw document declares; the model must hold as many.
    pub operations: usize,
}

/// Parses and normalizes `text`, recording every problem in `diags`.
pub(crate) fn load(
    text: &str,
    diags: &mut Diagnostics,
    timings: &mut crate::options::Timings,
) -> Option<Loaded> {
    let started = std::time::Instant::now();
    // YAML aliases replay a node wherever they appear; a few kilobytes of them can stand for
    // millions of schemas. The document is built node by node against a budget for its size.
    let budget = MAX_NODES_PER_BYTE.saturating_mul(text.len()).saturating_add(MIN_NODE_BUDGET);
    let remaining = std::cell::Cell::new(budget);
    let parsed = serde::de::DeserializeSeed::deserialize(
        NodeBudget(&remaining),
        serde_yaml::Deserializer::from_str(text),
    );
    timings.parse_yaml = started.elapsed();
    let mut doc: Value = match parsed {
        Ok(doc) => doc,
        Err(_) if remaining.get() == 0 => {
            diags.error_hint(
                "#",
                format!("YAML aliases expand this {}-byte document past {budget} nodes", text.len()),
                "write the repeated schemas once under components and refer to them with $ref",
            );
            return None;
        }
        Err(e) => {
            diags.error("#", format!("the spec is not valid YAML: {e}"));
            return None;
        }
    };
    let Some(root) = doc.as_mapping() else {
        diags.error("#", "the spec is not an OpenAPI document: its top level is not a mapping");
        return None;
    };
    match root.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => {}
        Some(v) => {
            diags.error_hint(
                "#/openapi",
                format!("OpenAPI version `{v}` is not supported"),
                "the generator reads OpenAPI 3.0.x and 3.1.x documents",
            );
            return None;
        }
        None => {
            diags.error("#/openapi", "the spec is not an OpenAPI document: `openapi` is missing");
            return None;
        }
    }
    // JSON has no NaN or infinity, and openapiv3 panics on them: each is reported here.
    let mut non_finite = Diagnostics::default();
    non_finite_numbers(&doc, "#", &mut non_finite);
    if non_finite.has_errors() {
        diags.extend(non_finite);
        return None;
    }
    let mut structure = Diagnostics::default();
    merge_keys(&mut doc, "#", &mut structure);
    if !structure.has_errors() {
        strict::check(&doc, &mut structure);
    }
    let failed = structure.has_errors();
    diags.extend(structure);
    if failed {
        return None;
    }
    let operations = strict::operation_count(&doc);
    // Unsupported keywords are reported and removed, so that lowering can report the rest.
    normalize_node(&mut doc, "#", false, diags);
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(doc.clone()) {
        Ok(api) => Some(Loaded { api, operations }),
        Err(e) => {
            let (pointer, message) = locate_schema_error(&doc).unwrap_or_else(|| {
                let pointer = path_to_pointer(e.path());
                (pointer, e.into_inner().to_string())
            });
            diags.error(pointer, format!("the spec does not follow the OpenAPI schema: {message}"));
            None
        }
    }
}

/// `openapiv3` flattens and untags much of its model, which hides where a deserialization
/// failed; deserializing the pieces one by one finds the innermost one that fails.
fn locate_schema_error(doc: &Value) -> Option<(String, String)> {
    fn try_as<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str) -> Option<(String, String)> {
        let e = serde_path_to_error::deserialize::<_, T>(value.clone()).err()?;
        let inner = path_to_pointer(e.path());
        Some((format!("{pointer}{}", inner.trim_start_matches('#')), e.into_inner().to_string()))
    }
    let entries = |value: Option<&Value>| -> Vec<(String, Value)> {
        value
            .and_then(Value::as_mapping)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone()))).collect())
            .unwrap_or_default()
    };
    for (path, item) in entries(doc.get("paths")) {
        let item_pointer = join("#/paths", &path);
        for (method, op) in entries(Some(&item)) {
            let op_pointer = join(&item_pointer, &method);
            if strict::METHODS.contains(&method.as_str()) {
                for (status, response) in entries(op.get("responses")) {
                    let pointer = join(&join(&op_pointer, "responses"), &status);
                    if let Some(found) =
                        try_as::<openapiv3::ReferenceOr<openapiv3::Response>>(&response, &pointer)
                    {
                        return Some(found);
                    }
                }
                if let Some(found) = try_as::<openapiv3::Operation>(&op, &op_pointer) {
                    return Some(found);
                }
            }
        }
        if let Some(found) = try_as::<openapiv3::PathItem>(&item, &item_pointer) {
            return Some(found);
        }
    }
    let components = doc.get("components");
    for (name, schema) in entries(components.and_then(|c| c.get("schemas"))) {
        let pointer = join("#/components/schemas", &name);
        if let Some(found) = try_as::<openapiv3::ReferenceOr<openapiv3::Schema>>(&schema, &pointer) {
            return Some(found);
        }
    }
    None
}

/// Turns a `serde_path_to_error` path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = join(&pointer, key),
            Segment::Enum { variant } => pointer = join(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Walks a non-schema node, normalizing every schema found below it.
fn normalize_node(node: &mut Value, pointer: &str, in_schemas: bool, diags: &mut Diagnostics) {
    match node {
        Value::Mapping(map) => {
            stringify_keys(map);
            for (key, value) in map.iter_mut() {
                let Some(key) = key.as_str() else { continue };
                let child = join(pointer, key);
                if in_schemas || key == "schema" {
                    normalize_schema(value, &child, diags);
                } else if DATA_KEYS.contains(&key) && !pointer.ends_with("/responses") {
                    // Under `responses`, `default` is a response, not a default value.
                    continue;
                } else {
                    let schemas = pointer == "#/components" && key == "schemas";
                    normalize_node(value, &child, schemas, diags);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                normalize_node(item, &join(pointer, &i.to_string()), false, diags);
            }
        }
        _ => {}
    }
}

/// How many nodes a document may hold per byte of its text. Written out, every node takes at
/// least two bytes (a value and a separator); only aliases can go past one per byte.
const MAX_NODES_PER_BYTE: usize = 4;

/// The node budget of even the smallest document.
const MIN_NODE_BUDGET: usize = 10_000;

/// Builds a YAML document as a `Value`, taking one from the budget per node and failing once
/// it is spent, so an alias bomb stops before it fills memory. Keys appear once per mapping.
struct NodeBudget<'b>(&'b std::cell::Cell<usize>);

impl NodeBudget<'_> {
    fn take<E: serde::de::Error>(&self, value: Value) -> Result<Value, E> {
        let left = self.0.get().checked_sub(1).ok_or_else(|| E::custom("the node budget is spent"))?;
        self.0.set(left);
        Ok(value)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for NodeBudget<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for NodeBudget<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML node")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.take(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.take(Value::Number(v.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.take(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.take(Value::Number(v.into()))
    }

    // An integer beyond 64 bits (an example's long id, say) stays a number, as the nearest
    // float: where it only illustrates, that is enough; where a count is due, the schema check
    // that reads it names its place.
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        self.take(Value::Number((v as f64).into()))
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)]
        self.take(Value::Number((v as f64).into()))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.take(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.take(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.take(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.take(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.take(Value::Null)?;
        let mut items = Vec::new();
        // Each element takes from the budget, so the loop ends when it is spent.
        while let Some(item) = seq.next_element_seed(NodeBudget(self.0))? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        use serde::de::Error;
        self.take(Value::Null)?;
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(NodeBudget(self.0))? {
            let value = map.next_value_seed(NodeBudget(self.0))?;
            if mapping.contains_key(&key) {
                let shown = serde_yaml::to_string(&key).unwrap_or_default();
                return Err(A::Error::custom(format!(
                    "the key `{}` appears twice in one mapping",
                    shown.trim()
                )));
            }
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!tag value`): the tag, then its value.
        use serde::de::VariantAccess;
        self.take(Value::Null)?;
        let (tag, value) = data.variant::<String>()?;
        let value = value.newtype_variant_seed(NodeBudget(self.0))?;
        Ok(Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
            tag: serde_yaml::value::Tag::new(tag),
            value,
        })))
    }
}

/// A mapping key as a JSON pointer segment: its text, or its YAML for a key that is not text.
fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).map(|s| s.trim().to_owned()).unwrap_or_default(),
    }
}

/// Reports every number that is not finite (`.nan`, `.inf`, `-.inf`). The walk's depth is
/// bounded by the YAML parser's own nesting limit.
fn non_finite_numbers(node: &Value, pointer: &str, diags: &mut Diagnostics) {
    match node {
        Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            diags.error(pointer, format!("`{n}` is not a number JSON can hold; OpenAPI values are JSON"));
        }
        Value::Mapping(map) => {
            for (key, value) in map {
                non_finite_numbers(value, &join(pointer, &key_text(key)), diags);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                non_finite_numbers(item, &join(pointer, &i.to_string()), diags);
            }
        }
        Value::Tagged(tagged) => non_finite_numbers(&tagged.value, pointer, diags),
        _ => {}
    }
}

/// Expands YAML merge keys (`<<: *base`, `<<: [*a, *b]`), which serde_yaml leaves as a plain
/// `<<` key: the merged mappings' entries join the mapping unless it has them already, and an
/// earlier mapping in a list wins over a later one, as the YAML merge type says.
fn merge_keys(node: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    match node {
        Value::Mapping(map) => {
            // A merged mapping may have a merge key of its own; each round takes a smaller tree.
            while let Some(merged) = map.remove("<<") {
                let sources = match merged {
                    Value::Mapping(source) => vec![source],
                    Value::Sequence(items) => items
                        .into_iter()
                        .filter_map(|item| match item {
                            Value::Mapping(source) => Some(source),
                            _ => {
                                diags.error(
                                    join(pointer, "<<"),
                                    "a merge key lists something that is not a mapping",
                                );
                                None
                            }
                        })
                        .collect(),
                    _ => {
                        diags.error(
                            join(pointer, "<<"),
                            "a merge key's value must be a mapping or a list of mappings",
                        );
                        Vec::new()
                    }
                };
                for source in sources {
                    for (key, value) in source {
                        if !map.contains_key(&key) {
                            map.insert(key, value);
                        }
                    }
                }
            }
            for (key, value) in map.iter_mut() {
                merge_keys(value, &join(pointer, &key_text(key)), diags);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                merge_keys(item, &join(pointer, &i.to_string()), diags);
            }
        }
        Value::Tagged(tagged) => merge_keys(&mut tagged.value, pointer, diags),
        _ => {}
    }
}

/// YAML allows `200:` as an integer key; OpenAPI keys are always strings.
fn stringify_keys(map: &mut Mapping) {
    if map.keys().all(Value::is_string) {
        return;
    }
    let entries = std::mem::take(map);
    for (key, value) in entries {
        let key = match key {
            Value::String(s) => Value::String(s),
            Value::Number(n) => Value::String(n.to_string()),
            Value::Bool(b) => Value::String(b.to_string()),
            other => other,
        };
        map.insert(key, value);
    }
}

/// Normalizes one schema and every schema nested in it.
fn normalize_schema(node: &mut Value, pointer: &str, diags: &mut Diagnostics) {
    let Value::Mapping(map) = node else {
        // `additionalProperties: true` and the like are booleans, which openapiv3 handles.
        return;
    };
    stringify_keys(map);
    for keyword in UNSUPPORTED_KEYWORDS {
        if map.remove(*keyword).is_some() {
            diags.error_hint(
                join(pointer, keyword),
                format!("the JSON Schema keyword `{keyword}` is not supported"),
                "describe the shape with properties, items, allOf, oneOf or anyOf instead",
            );
        }
    }
    normalize_type_list(map, pointer, diags);
    strip_null_branches(map, pointer, diags);
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), Value::Sequence(vec![value]));
    }
    if let Some(Value::Sequence(examples)) = map.get("examples").cloned() {
        map.remove("examples");
        if let (false, Some(first)) = (map.contains_key("example"), examples.into_iter().next()) {
            map.insert("example".into(), first);
        }
    }
    for (bound, limit) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(value @ Value::Number(_)) = map.get(bound).cloned() {
            map.insert(limit.into(), value);
            map.insert(bound.into(), Value::Bool(true));
        }
    }
    wrap_ref_with_siblings(map);

    for (key, value) in map.iter_mut() {
        let Some(key) = key.as_str() else { continue };
        let child = join(pointer, key);
        match key {
            "properties" => {
                if let Value::Mapping(props) = value {
                    stringify_keys(props);
                    for (name, prop) in props.iter_mut() {
                        let name = name.as_str().unwrap_or_default();
                        normalize_schema(prop, &join(&child, name), diags);
                    }
                }
            }
            "items" | "additionalProperties" | "not" => normalize_schema(value, &child, diags),
            "allOf" | "oneOf" | "anyOf" => {
                if let Value::Sequence(branches) = value {
                    for (i, branch) in branches.iter_mut().enumerate() {
                        normalize_schema(branch, &join(&child, &i.to_string()), diags);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `type: [string, "null"]` (3.1) becomes `type: string, nullable: true` (3.0).
fn normalize_type_list(map: &mut Mapping, pointer: &str, diags: &mut Diagnostics) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Sequence(items)) => items.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        Some(Value::String(t)) if t == "null" => {
            diags.error(
                join(pointer, "type"),
                "a schema whose only type is `null` is not supported outside oneOf/anyOf",
            );
            map.remove("type");
            return;
        }
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let others: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    match others.as_slice() {
        [single] => {
            map.insert("type".into(), Value::String(single.clone()));
        }
        [] => {
            diags.error(join(pointer, "type"), "a schema whose only type is `null` is not supported");
            return;
        }
        _ => {
            // Several types are a union of primitives; only a bare list can be rewritten safely.
            let plain = map.keys().all(|k| {
                matches!(k.as_str(), Some("type" | "description" | "title" | "nullable" | "example"))
            });
            if !plain {
                diags.error_hint(
                    join(pointer, "type"),
                    "a list of several types beside other keywords is not supported",
                    "use anyOf with one branch per type",
                );
                return;
            }
            map.remove("type");
            let branches = others
                .into_iter()
                .map(|t| {
                    let mut branch = Mapping::new();
                    branch.insert("type".into(), Value::String(t));
                    Value::Mapping(branch)
                })
                .collect();
            map.insert("anyOf".into(), Value::Sequence(branches));
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// `oneOf: [X, {type: "null"}]` (3.1) becomes `oneOf: [X], nullable: true`.
fn strip_null_branches(map: &mut Mapping, pointer: &str, diags: &mut Diagnostics) {
    let mut nullable = false;
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(branches)) = map.get_mut(key) else { continue };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() != before {
            nullable = true;
            if branches.is_empty() {
                diags.error(join(pointer, key), "a union whose only branch is `null` is not supported");
            }
        }
    }
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

fn is_null_schema(node: &Value) -> bool {
    let Some(map) = node.as_mapping() else { return false };
    match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Sequence(ts)) => ts.iter().all(|t| t.as_str() == Some("null")),
        _ => false,
    }
}

/// The extension that marks the `allOf` part [`wrap_ref_with_siblings`] made, by its index, so
/// that lowering reports it where the `$ref` was.
pub(crate) const REF_PART: &str = "x-codegen-ref-part";

/// A `$ref` with siblings (`nullable`, `description`) would lose them in `openapiv3`, which reads
/// any mapping with `$ref` as a bare reference; an `allOf` part of its own keeps them (after the
/// parts of an `allOf` the schema already has).
fn wrap_ref_with_siblings(map: &mut Mapping) {
    if map.len() < 2 || !map.contains_key("$ref") {
        return;
    }
    let Some(reference) = map.remove("$ref") else { return };
    let mut inner = Mapping::new();
    inner.insert("$ref".into(), reference);
    let parts = match map.remove("allOf") {
        Some(Value::Sequence(parts)) => parts,
        // A malformed `allOf` is reported by strict reading, which runs before this.
        _ => Vec::new(),
    };
    let index = parts.len();
    let mut parts = parts;
    parts.push(Value::Mapping(inner));
    map.insert("allOf".into(), Value::Sequence(parts));
    map.insert(REF_PART.into(), Value::Number(index.into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> String {
        let mut diags = Diagnostics::default();
        let loaded = load(text, &mut diags, &mut crate::options::Timings::default());
        assert!(loaded.is_none() || !diags.has_errors());
        diags.to_string()
    }

    #[test]
    fn a_key_twice_in_one_mapping_is_an_error() {
        let found = errors_of("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\npaths: {}\n");
        assert!(found.contains("the key `paths` appears twice in one mapping"), "{found}");
    }

    #[test]
    fn aliases_may_not_multiply_the_document() {
        // Ten aliases of ten aliases of … a leaf: 10^6 nodes from a few hundred bytes.
        let mut text =
            String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a0: &a0 [1]\n");
        for level in 1..=6 {
            let previous = format!("*a{}", level - 1);
            text.push_str(&format!("x-a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
        }
        let found = errors_of(&text);
        assert!(found.contains("YAML aliases expand this"), "{found}");
    }

    #[test]
    fn merge_keys_join_their_mapping_and_tags_are_kept() {
        let mut diags = Diagnostics::default();
        let mut doc: Value =
            serde_yaml::from_str("a: &base {x: 1, y: 2}\nb: {<<: *base, y: 3}\nc: !t 4\n").expect("YAML");
        merge_keys(&mut doc, "#", &mut diags);
        assert!(diags.is_empty(), "{diags}");
        let expected: Value =
            serde_yaml::from_str("a: {x: 1, y: 2}\nb: {y: 3, x: 1}\nc: !t 4\n").expect("YAML");
        assert_eq!(doc, expected);
    }
}
