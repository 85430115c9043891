//! Every operation of `spec/` sent through the generated client to a loopback server. The cases
//! come from the spec itself: arguments from its parameter and request examples, the answer from
//! its success example. Each request is checked against the spec (method, path, query, headers,
//! JSON body) and each answer must decode into the operation's type and encode back unchanged.

use std::collections::BTreeMap;

use codegen::model::{Api, Operation, ParamLocation, PathSegment, Payload};
use proof::conformance::{Findings, compare, without_nulls};
use proof::contract::{Source, arguments, success_example};
use serde_json::Value;
use tests::server::{MockServer, Recorded, Scripted};
use tests::workspace_root;

const TOKEN: &str = "wire-token-XYZ";

fn spec() -> (String, Value, Api) {
    let text = std::fs::read_to_string(workspace_root().join("spec/intercom.yaml")).expect("read spec");
    let doc: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let pagination = xtask::read_pagination(&workspace_root().join("spec/pagination.txt")).expect("table");
    let options = codegen::Options { pagination, ..codegen::Options::default() };
    let (api, _) = codegen::model(&text, &options).expect("spec lowers");
    (text, doc, api)
}

/// A scalar argument as it is written into a URL.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Decodes `%XX` escapes.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Checks the request path segment by segment: literals as the template has them, each path
/// argument percent-encoded into exactly one segment.
fn check_path(op: &Operation, args: &Value, sent: &Recorded) -> Result<(), String> {
    let mut expected = String::new();
    let mut params = Vec::new();
    for segment in &op.segments {
        match segment {
            PathSegment::Literal(text) => expected.push_str(text),
            PathSegment::Param(i) => {
                let wire = &op.params[*i].wire;
                let value = args["path"].get(wire).map(scalar).ok_or(format!("no argument for `{wire}`"))?;
                expected.push('\u{0}');
                params.push(value);
            }
        }
    }
    let template: Vec<&str> = expected.split('/').collect();
    let got: Vec<&str> = sent.path().split('/').collect();
    if template.len() != got.len() {
        return Err(format!("path {} does not have the segments of {}", sent.path(), op.path));
    }
    let mut params = params.into_iter();
    for (want, got) in template.iter().zip(&got) {
        if want.contains('\u{0}') {
            // One argument per segment, between literal text (`/export/{id}` or `/{id}.json`).
            let (prefix, suffix) = want.split_once('\u{0}').unwrap_or_default();
            let value = params.next().unwrap_or_default();
            let inner = got.strip_prefix(prefix).and_then(|g| g.strip_suffix(suffix));
            if inner.map(percent_decode).as_deref() != Some(value.as_str()) {
                return Err(format!("path {} should carry `{value}` in place of a parameter", sent.path()));
            }
        } else if want != got {
            return Err(format!("path {} differs from the template {}", sent.path(), op.path));
        }
    }
    Ok(())
}

/// The query pairs the spec's default serialization (`style: form`, `explode: true`) gives.
fn expected_query(op: &Operation, args: &Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for param in op.params.iter().filter(|p| p.location == ParamLocation::Query || p.also_in_query) {
        let location = if param.location == ParamLocation::Query { "query" } else { "path" };
        match args[location].get(&param.wire) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => pairs.extend(items.iter().map(|v| (param.wire.clone(), scalar(v)))),
            Some(Value::Object(members)) => pairs.extend(members.iter().map(|(k, v)| (k.clone(), scalar(v)))),
            Some(value) => pairs.push((param.wire.clone(), scalar(value))),
        }
    }
    pairs.sort();
    pairs
}

fn check_request(op: &Operation, args: &Value, sent: &Recorded) -> Result<(), String> {
    if sent.method != op.method.as_str() {
        return Err(format!("method {} instead of {}", sent.method, op.method));
    }
    check_path(op, args, sent)?;
    let mut query = sent.query();
    query.sort();
    let expected = expected_query(op, args);
    if query != expected {
        return Err(format!("query {query:?}, the spec's arguments give {expected:?}"));
    }
    let mut headers = vec![
        ("authorization", format!("Bearer {TOKEN}")),
        ("intercom-version", intercom_api::API_VERSION.to_owned()),
    ];
    // An operation may declare `Accept` as a parameter of its own; that is checked below.
    if !op.params.iter().any(|p| p.location == ParamLocation::Header && p.wire.eq_ignore_ascii_case("accept"))
    {
        headers.push(("accept", op.success.accept.clone()));
    }
    for (name, value) in headers {
        if sent.header(name) != Some(value.as_str()) {
            return Err(format!("header {name}: {:?} instead of {value:?}", sent.header(name)));
        }
    }
    for param in op.params.iter().filter(|p| p.location == ParamLocation::Header) {
        let expected = args["header"].get(&param.wire).map(scalar);
        if sent.header(&param.wire).map(str::to_owned) != expected {
            return Err(format!(
                "header {}: {:?} instead of {expected:?}",
                param.wire,
                sent.header(&param.wire)
            ));
        }
    }
    match (&op.body, args.get("body")) {
        (Some(_), Some(body)) => {
            if sent.header("content-type") != Some("application/json") {
                return Err(format!("content-type {:?}", sent.header("content-type")));
            }
            let sent_body = sent.json().map(|v| without_nulls(&v));
            if sent_body.as_ref() != Some(&without_nulls(body)) {
                return Err(format!("body {sent_body:?}, the spec's example is {body}"));
            }
        }
        _ if !sent.body.is_empty() => return Err("a body was sent that the spec does not have".to_owned()),
        _ => {}
    }
    Ok(())
}

#[tokio::test]
async fn every_operation_goes_over_the_wire_as_the_spec_says() {
    let (_, doc, api) = spec();
    let args: BTreeMap<String, Value> = arguments(&doc, &api, Source::Examples).into_iter().collect();
    let ops: Vec<&Operation> = api.tags.iter().flat_map(|t| &t.operations).collect();
    assert!(ops.len() >= 231, "spec/ has {} operations; Intercom 2.16 has 231", ops.len());
    let server = MockServer::start().await.expect("server");
    let client = intercom_api::Client::builder(TOKEN).base_url(server.url()).build().expect("client");
    let mut failures = Vec::new();
    for op in &ops {
        let Some(args) = args.get(&op.id) else {
            failures.push(format!("{}: the spec gives no arguments", op.id));
            continue;
        };
        let (status, example) = success_example(&doc, op);
        let answer = match (&op.success.payload, &example) {
            (Payload::Json(_), Some(example)) => Scripted::json(status, example),
            (Payload::Json(_), None) => {
                failures.push(format!("{}: the success response has no example", op.id));
                continue;
            }
            (Payload::Text, _) => Scripted::raw(status, "text/plain", "text"),
            (Payload::Binary, _) => Scripted::raw(status, &op.success.accept, "bytes"),
            (Payload::Empty, _) => Scripted::empty(status),
            // Intercom 2.16 has none; the status_bodies fixture's wire test covers them.
            (Payload::ByStatus(_), _) => {
                failures.push(format!("{}: success bodies by status are not exercised here", op.id));
                continue;
            }
        };
        server.reset();
        server.push(answer);
        let decoded = intercom_api::harness::call(&client, &op.id, args).await;
        let requests = server.requests();
        let outcome = match (&decoded, requests.as_slice()) {
            (Err(e), _) => Err(format!("the call failed: {e}")),
            (Ok(_), [sent]) => check_request(op, args, sent),
            (Ok(_), sent) => Err(format!("{} requests instead of one", sent.len())),
        };
        let outcome = outcome.and_then(|()| match (&op.success.payload, example, decoded) {
            (Payload::Json(_), Some(example), Ok(decoded)) => {
                let mut findings = Findings::default();
                compare(&without_nulls(&example), &without_nulls(&decoded), "", &mut findings);
                if findings == Findings::default() {
                    Ok(())
                } else {
                    Err(format!("the answer: {findings:?}"))
                }
            }
            _ => Ok(()),
        });
        if let Err(e) = outcome {
            failures.push(format!("{} ({} {}): {e}", op.id, op.method, op.path));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} operations failed:\n{}",
        failures.len(),
        ops.len(),
        failures.join("\n")
    );
}
