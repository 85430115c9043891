//! Every request and response type of `spec/`, decoded from bodies made from the model:
//! - a body with every property filled and an undeclared key in every object decodes and
//!   encodes back to the same JSON, so nothing Intercom sends is out of reach;
//! - random, truncated and mistyped bodies give an error or a value, never a panic.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use codegen::model::{Api, Payload, TypeDef, TypeKind, TypeRef};
use proof::conformance::{Findings, compare, without_nulls};
use serde_json::{Value, json};
use tests::workspace_root;

fn model() -> Api {
    let text = std::fs::read_to_string(workspace_root().join("spec/intercom.yaml")).expect("read spec");
    let pagination = xtask::read_pagination(&workspace_root().join("spec/pagination.txt")).expect("table");
    let options = codegen::Options { pagination, ..codegen::Options::default() };
    codegen::model(&text, &options).expect("spec lowers").0
}

/// The undeclared key put into every object.
const UNKNOWN_KEY: &str = "zz_not_in_the_spec";

/// Makes a JSON value of type `ty` with every property present, each union given its
/// `choice`-th branch (modulo their number), and an undeclared key in each struct. Types already
/// being made further up are left out (as `null` where a value is needed), which bounds the depth.
struct Filler<'a> {
    api: &'a Api,
    choice: usize,
    open: Vec<&'a str>,
    reached: BTreeSet<String>,
}

impl<'a> Filler<'a> {
    fn find(&self, name: &str) -> Option<&'a TypeDef> {
        self.api.types.iter().find(|t| t.name == name)
    }

    fn value(&mut self, ty: &'a TypeRef) -> Option<Value> {
        fill(ty, &mut |name| self.named(name))
    }

    fn named(&mut self, name: &'a str) -> Option<Value> {
        if self.open.contains(&name) {
            return None;
        }
        let def = self.find(name)?;
        self.open.push(name);
        self.reached.insert(name.to_owned());
        let value = match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = serde_json::Map::new();
                for constant in &s.constants {
                    object.insert(constant.wire.clone(), json!(constant.value));
                }
                for field in &s.fields {
                    match self.value(&field.ty) {
                        Some(value) => {
                            object.insert(field.wire.clone(), value);
                        }
                        // A required property of a type already open cannot be left out.
                        None if field.required && !field.nullable => {
                            self.open.pop();
                            return None;
                        }
                        None => {}
                    }
                }
                match &s.additional {
                    Some(extra) => {
                        if let Some(value) = self.value(extra) {
                            object.insert(UNKNOWN_KEY.to_owned(), value);
                        }
                    }
                    None => {
                        object.insert(UNKNOWN_KEY.to_owned(), json!({"nested": [1, "two", {"three": 3}]}));
                    }
                }
                Some(Value::Object(object))
            }
            TypeKind::Enum(e) => e.variants.first().map(|v| json!(v.wire)).or(Some(json!("a value"))),
            TypeKind::Union(u) if u.variants.is_empty() => None,
            TypeKind::Union(u) => {
                // Each branch is chosen in turn, over the rounds.
                self.value(&u.variants[self.choice % u.variants.len()].ty)
            }
            TypeKind::Alias(target) => self.value(target),
        };
        self.open.pop();
        value
    }
}

/// A JSON value of type `ty` with every list and map holding one item, a named type made by
/// `named`; `None` when `named` cannot make one.
fn fill<'a>(ty: &'a TypeRef, named: &mut dyn FnMut(&'a str) -> Option<Value>) -> Option<Value> {
    Some(match ty {
        TypeRef::Bool => json!(true),
        TypeRef::I32 | TypeRef::I64 | TypeRef::UnixTime => json!(7),
        TypeRef::F64 => json!(1.5),
        TypeRef::String => json!("text"),
        TypeRef::Json => json!({"any": [1, "two"]}),
        TypeRef::Option(inner) => fill(inner, named)?,
        TypeRef::Vec(inner) => json!([fill(inner, named)?]),
        TypeRef::Map(inner) => json!({"key": fill(inner, named)?}),
        TypeRef::Named { name, .. } => named(name)?,
    })
}

/// Each operation's JSON parts: (operation id, part, type).
fn parts(api: &Api) -> Vec<(&str, &'static str, &TypeRef)> {
    let mut parts = Vec::new();
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        if let Some(ty) = op.body.as_ref().and_then(|b| b.json()) {
            parts.push((op.id.as_str(), "request", ty));
        }
        if let Payload::Json(ty) = &op.success.payload {
            parts.push((op.id.as_str(), "success", ty));
        }
    }
    parts
}

#[test]
fn undeclared_keys_survive_a_round_trip_of_every_type() {
    let api = model();
    let mut failures = Vec::new();
    let mut reached = BTreeSet::new();
    let mut checked = 0;
    // Enough rounds that every union shows each of its branches.
    let rounds = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Union(u) => Some(u.variants.len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    for choice in 0..rounds {
        for (operation, part, ty) in parts(&api) {
            let mut filler = Filler { api: &api, choice, open: Vec::new(), reached: BTreeSet::new() };
            let Some(body) = filler.value(ty) else { continue };
            reached.extend(filler.reached);
            checked += 1;
            match intercom_api::harness::check(operation, part, &body.to_string()) {
                Ok(again) => {
                    let again: Value = serde_json::from_str(&again).expect("the harness writes JSON");
                    let mut findings = Findings::default();
                    compare(&without_nulls(&body), &without_nulls(&again), "", &mut findings);
                    if findings != Findings::default() {
                        failures.push(format!("{operation} {part}: {findings:?}"));
                    }
                }
                Err(e) => failures.push(format!("{operation} {part}: does not decode: {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} bodies lost data:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every type an operation reaches was filled at least once.
    let reachable = reachable(&api);
    let missed: Vec<&String> = reachable.difference(&reached).collect();
    println!("{checked} bodies; {} of the {} types operations reach", reached.len(), reachable.len());
    assert!(missed.is_empty(), "types never filled: {missed:?}");
}

/// The named types an operation's request or success body can hold.
fn reachable(api: &Api) -> BTreeSet<String> {
    fn walk<'a>(api: &'a Api, ty: &'a TypeRef, seen: &mut BTreeSet<String>) {
        match ty {
            TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => walk(api, inner, seen),
            TypeRef::Named { name, .. } if seen.insert(name.clone()) => {
                let Some(def) = api.types.iter().find(|t| &t.name == name) else { return };
                match &def.kind {
                    TypeKind::Struct(s) => {
                        s.fields.iter().for_each(|f| walk(api, &f.ty, seen));
                        s.additional.iter().for_each(|t| walk(api, t, seen));
                    }
                    TypeKind::Union(u) => u.variants.iter().for_each(|v| walk(api, &v.ty, seen)),
                    TypeKind::Alias(target) => walk(api, target, seen),
                    TypeKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    for (_, _, ty) in parts(api) {
        walk(api, ty, &mut seen);
    }
    seen
}

/// A small deterministic generator (xorshift64), so a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Replaces one value somewhere in `value` (at most `depth` levels down) with a value of
/// another JSON kind.
fn mistype(value: &mut Value, rng: &mut Rng, depth: usize) {
    const REPLACEMENTS: [fn() -> Value; 7] = [
        || Value::Null,
        || json!(true),
        || json!(-1),
        || json!(1e300),
        || json!("x"),
        || json!([]),
        || json!({}),
    ];
    let descend = depth > 0 && rng.below(3) > 0;
    match value {
        Value::Object(map) if descend && !map.is_empty() => {
            let i = rng.below(map.len());
            if let Some((_, child)) = map.iter_mut().nth(i) {
                return mistype(child, rng, depth - 1);
            }
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let i = rng.below(items.len());
            if let Some(child) = items.get_mut(i) {
                return mistype(child, rng, depth - 1);
            }
        }
        _ => {}
    }
    *value = REPLACEMENTS[rng.below(REPLACEMENTS.len())]();
}

#[test]
fn hostile_bodies_never_panic() {
    let api = model();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut panics = Vec::new();
    let mut bodies = 0;
    let mut decoded = 0;
    let mut parts = parts(&api);
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        parts.push((op.id.as_str(), "error", &TypeRef::Json));
    }
    for (operation, part, ty) in parts {
        let mut filler = Filler { api: &api, choice: 0, open: Vec::new(), reached: BTreeSet::new() };
        let whole = match part {
            "error" => {
                json!({"type": "error.list", "request_id": "r", "errors": [{"code": "c", "message": "m"}]})
            }
            _ => filler.value(ty).unwrap_or(Value::Null),
        };
        let text = whole.to_string();
        let mut inputs = Vec::new();
        // Truncated at twenty points, as a dropped connection leaves it.
        for k in 0..20 {
            let mut cut = text.len() * k / 20;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            inputs.push(text[..cut].to_owned());
        }
        // A value of the wrong kind somewhere inside.
        for _ in 0..20 {
            let mut body = whole.clone();
            mistype(&mut body, &mut rng, 8);
            inputs.push(body.to_string());
        }
        // Random printable bytes, and random bytes after a valid opening.
        for _ in 0..10 {
            let len = rng.below(64);
            let noise: String = (0..len).map(|_| (b' ' + rng.below(95) as u8) as char).collect();
            inputs.push(noise.clone());
            inputs.push(format!("{{\"type\":{noise}"));
        }
        for input in inputs {
            bodies += 1;
            match catch_unwind(AssertUnwindSafe(|| intercom_api::harness::check(operation, part, &input))) {
                Ok(Ok(_)) => decoded += 1,
                Ok(Err(_)) => {}
                Err(_) => panics.push(format!("{operation} {part}: {input}")),
            }
        }
    }
    println!("{bodies} hostile bodies, {decoded} of them decoded");
    assert!(panics.is_empty(), "{} bodies panicked:\n{}", panics.len(), panics.join("\n"));
}

/// Makes a body like [`Filler`], but with every property of a type that is only received given a
/// JSON kind other than its declared one, where decoding is lenient, in turn by `choice`: a number
/// or a boolean for a string, a string for an integer, mixed values in a map of strings, `null`
/// for an optional or a required scalar, a required scalar left out, and an object with one URL
/// sent as its bare URL. Types that are also sent are filled as declared.
struct MixedFiller<'a> {
    api: &'a Api,
    choice: usize,
    open: Vec<&'a str>,
    /// How many properties were given another kind.
    mixed: usize,
}

impl<'a> MixedFiller<'a> {
    fn plain(&mut self, ty: &'a TypeRef) -> Option<Value> {
        fill(ty, &mut |name| self.named(name))
    }

    /// The struct `ty` names when it has one URL property and nothing required: sent as its bare
    /// URL, Intercom's way with avatars.
    fn is_link(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named { name, .. } = ty else { return false };
        let Some(TypeKind::Struct(s)) = self.api.types.iter().find(|t| &t.name == name).map(|t| &t.kind)
        else {
            return false;
        };
        let urls = s
            .fields
            .iter()
            .filter(|f| f.ty == TypeRef::String && (f.name == "url" || f.name.ends_with("_url")));
        s.additional.is_none() && !s.fields.iter().any(|f| f.required) && urls.count() == 1
    }

    /// The value of one property of a received struct, or `None` to leave it out.
    fn property(&mut self, field: &'a codegen::model::Field, turn: usize) -> Option<Option<Value>> {
        // A property the evidence says is always sent is never left out or null.
        let scalar = matches!(field.ty, TypeRef::String | TypeRef::I64 | TypeRef::I32 | TypeRef::UnixTime)
            && !field.always_sent;
        let mixed = match (&field.ty, turn % 4) {
            (_, 3) if field.optional() && !field.clearable => Some(Some(Value::Null)),
            (_, 3) if scalar && field.required && !field.nullable => Some(None),
            (_, 2) if scalar && field.required && !field.nullable => Some(Some(Value::Null)),
            (TypeRef::String, 0) => Some(Some(json!(10553731))),
            (TypeRef::String, 1) => Some(Some(json!(true))),
            (TypeRef::I64 | TypeRef::I32 | TypeRef::UnixTime, 0 | 1) => Some(Some(json!("0"))),
            (TypeRef::Map(value), _) if **value == TypeRef::String => {
                Some(Some(json!({"flag": true, "price": 155.5, "count": 9, "name": "text"})))
            }
            (ty, 1) if !field.required && self.is_link(ty) => {
                Some(Some(json!("https://example.com/avatar.png")))
            }
            _ => None,
        };
        if mixed.is_some() {
            self.mixed += 1;
        }
        mixed.or_else(|| Some(self.plain(&field.ty)))
    }

    fn named(&mut self, name: &'a str) -> Option<Value> {
        if self.open.contains(&name) {
            return None;
        }
        let def = self.api.types.iter().find(|t| t.name == name)?;
        self.open.push(name);
        let value = match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = serde_json::Map::new();
                for constant in &s.constants {
                    object.insert(constant.wire.clone(), json!(constant.value));
                }
                for (i, field) in s.fields.iter().enumerate() {
                    let value = if def.sent {
                        Some(self.plain(&field.ty))
                    } else {
                        self.property(field, self.choice + i)
                    };
                    match value {
                        Some(Some(value)) => {
                            object.insert(field.wire.clone(), value);
                        }
                        Some(None) if !def.sent => {}
                        _ if field.required && !field.nullable => {
                            self.open.pop();
                            return None;
                        }
                        _ => {}
                    }
                }
                Some(Value::Object(object))
            }
            TypeKind::Enum(e) => e.variants.first().map(|v| json!(v.wire)).or(Some(json!("a value"))),
            TypeKind::Union(u) if u.variants.is_empty() => None,
            TypeKind::Union(u) => self.plain(&u.variants[self.choice % u.variants.len()].ty),
            TypeKind::Alias(target) => self.plain(target),
        };
        self.open.pop();
        value
    }
}

/// The JSON pointer of the first place where `a` and `b` differ, with both values there.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(x), Some(y)) => first_difference(x, y, &format!("{at}/{k}")),
                (x, y) => Some(format!("{at}/{k}: sent {x:?}, written back {y:?}")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (x, y))| first_difference(x, y, &format!("{at}/{i}")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: sent {a}, written back {b}")),
    }
}

/// Issue 24: a response read and written back keeps the JSON kinds it came with, where lenient
/// decoding made a value fit its type: numbers and booleans in strings, strings in integers,
/// mixed attribute maps, `null`s, left-out required values, and objects sent as a bare URL.
#[test]
fn mixed_kinds_survive_a_round_trip_of_every_response() {
    let api = model();
    let mut failures = Vec::new();
    let (mut checked, mut mixed) = (0, 0);
    for choice in 0..4 {
        for (operation, part, ty) in parts(&api).into_iter().filter(|(_, part, _)| *part == "success") {
            let mut filler = MixedFiller { api: &api, choice, open: Vec::new(), mixed: 0 };
            let Some(body) = filler.plain(ty) else { continue };
            checked += 1;
            mixed += filler.mixed;
            match intercom_api::harness::check(operation, part, &body.to_string()) {
                Ok(again) => {
                    let again: Value = serde_json::from_str(&again).expect("the harness writes JSON");
                    if let Some(difference) = first_difference(&body, &again, "") {
                        failures.push(format!("{operation} (round {choice}): {difference}"));
                    }
                }
                Err(e) => failures.push(format!("{operation} (round {choice}): does not decode: {e}")),
            }
        }
    }
    println!("{checked} bodies with {mixed} values of another kind");
    assert!(mixed > 1000, "too few values of another kind to mean anything: {mixed}");
    assert!(failures.is_empty(), "{} of {checked} bodies changed:\n{}", failures.len(), failures.join("\n"));
}
