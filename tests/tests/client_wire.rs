//! The generated client against a real HTTP server on loopback: errors, lenient decoding,
//! options and defaults. `wire_every_operation.rs` sends every operation of the spec.

use std::time::Duration;

use intercom_api::types;
use intercom_api::{Client, ErrorCode, ErrorKind, ProgenitorError, Region, RequestOptions};
use serde_json::Value;
use tests::server::{MockServer, Scripted};

const TOKEN: &str = "test-token-ABC123";

fn client(server: &MockServer) -> Client {
    Client::builder(TOKEN).base_url(server.url()).build().expect("client")
}

fn intercom_error(code: &str, message: &str) -> Value {
    serde_json::json!({
        "type": "error.list",
        "request_id": "req-123",
        "errors": [{"code": code, "message": message}]
    })
}

#[tokio::test]
async fn error_responses_are_typed() {
    let server = MockServer::start().await.expect("server");
    for (status, code) in [(401, "unauthorized"), (404, "not_found")] {
        server.push(Scripted::json(status, &intercom_error(code, "nope")));
        let error = client(&server).contacts().get("x").await.expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.kind(), ErrorKind::Api);
        assert_eq!(error.operation(), Some("contacts.get"));
        assert_eq!(error.operation_id(), Some("ShowContact"));
        assert_eq!(error.request_id(), Some("req-123"));
        assert!(!error.is_retryable());
        assert_eq!(
            error.to_string(),
            format!(
                "contacts.get: HTTP {}: {code}: nope (request id req-123)",
                reqwest::StatusCode::from_u16(status).expect("status")
            )
        );
        let body = error.api_error().expect("an error body");
        assert_eq!(body.request_id.as_deref(), Some("req-123"));
        assert_eq!(body.errors.len(), 1);
        assert_eq!(body.errors[0].code, code);
        assert_eq!(body.errors[0].message.as_deref(), Some("nope"));
    }
    // A body that is not Intercom's envelope is kept as it came.
    server.push(Scripted::raw(502, "text/html", "<html>bad gateway</html>"));
    let no_retry = RequestOptions::new().max_retries(0);
    let error = client(&server).contacts().list().options(no_retry).await.expect_err("502");
    let body = error.api_error().expect("an error body");
    assert!(body.errors.is_empty());
    assert_eq!(body.raw, "<html>bad gateway</html>");
    assert_eq!(error.to_string(), "contacts.list: HTTP 502 Bad Gateway: <html>bad gateway</html>");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn error_predicates_and_codes_name_the_status_and_the_code() {
    let server = MockServer::start().await.expect("server");
    let cases = [
        (401, "token_unauthorized", ErrorCode::TokenUnauthorized),
        (403, "api_plan_restricted", ErrorCode::ApiPlanRestricted),
        (404, "contact_not_found", ErrorCode::Unknown("contact_not_found".to_owned())),
        (409, "conflict", ErrorCode::Conflict),
        (400, "parameter_invalid", ErrorCode::ParameterInvalid),
        (422, "data_invalid", ErrorCode::DataInvalid),
    ];
    let sent = cases.len();
    for (status, code, expected) in cases {
        server.push(Scripted::json(status, &intercom_error(code, "nope")));
        let error = client(&server).contacts().get("x").await.expect_err("an error status");
        let flags = [
            error.is_unauthorized(),
            error.is_forbidden(),
            error.is_not_found(),
            error.is_conflict(),
            error.is_validation(),
        ];
        let wanted = match status {
            401 => [true, false, false, false, false],
            403 => [false, true, false, false, false],
            404 => [false, false, true, false, false],
            409 => [false, false, false, true, false],
            _ => [false, false, false, false, true],
        };
        assert_eq!(flags, wanted, "status {status}");
        assert_eq!(error.codes().collect::<Vec<_>>(), std::slice::from_ref(&expected));
        assert!(error.has_code(expected.clone()));
        assert_eq!(expected.as_str(), code);
        assert_eq!(expected.to_string(), code);
    }
    // A failure without a response has no status and no codes.
    let bad_version = RequestOptions::new().api_version("bad\nversion");
    let error = client(&server).contacts().list().options(bad_version).await.expect_err("not sent");
    assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error:?}");
    assert!(!error.is_not_found() && !error.is_validation() && error.codes().next().is_none());
    assert_eq!(server.requests().len(), sent, "the request with a bad version was sent");
}

#[tokio::test]
async fn raw_requests_go_through_the_client() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(429, &intercom_error("rate_limit_exceeded", "slow down")));
    server.push(Scripted::json(200, &serde_json::json!({"type": "note", "id": "n1"})));
    server.push(Scripted::empty(204));
    server.push(Scripted::json(404, &intercom_error("not_found", "nope")));
    let client = client(&server);

    #[derive(serde::Deserialize)]
    struct Note {
        id: String,
    }
    let note = client
        .raw(intercom_api::Method::POST, "/contacts/c%201/notes")
        .query("draft", true)
        .json(&serde_json::json!({"body": "hi"}))
        .send::<Note>()
        .await
        .expect("a note, after the 429 was retried");
    assert_eq!(note.into_inner().id, "n1");
    let gone = client.raw(intercom_api::Method::DELETE, "/notes/n1").send_json().await.expect("204");
    assert_eq!((gone.status().as_u16(), gone.into_inner()), (204, Value::Null));
    let error = client.raw(intercom_api::Method::GET, "/nothing").send_json().await.expect_err("404");
    assert!(error.is_not_found() && error.has_code(ErrorCode::NotFound));
    assert_eq!((error.operation(), error.operation_id()), (Some("raw"), Some("raw")));

    let sent = server.requests();
    assert_eq!(sent.len(), 4);
    let whole = |r: &tests::server::Recorded| (r.method.clone(), r.target.clone(), r.body.clone());
    assert_eq!(whole(&sent[0]), whole(&sent[1]), "the retry differs from the first request");
    assert_eq!((sent[1].method.as_str(), sent[1].path()), ("POST", "/contacts/c%201/notes"));
    assert_eq!(sent[1].query(), [("draft".to_owned(), "true".to_owned())]);
    assert_eq!(sent[1].json(), Some(serde_json::json!({"body": "hi"})));
    assert_eq!(sent[1].header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(sent[1].header("intercom-version"), Some(intercom_api::API_VERSION));
    assert_eq!((sent[2].method.as_str(), sent[2].path()), ("DELETE", "/notes/n1"));

    let bad = client.raw(intercom_api::Method::GET, "notes").send_json().await.expect_err("no leading /");
    assert_eq!(bad.kind(), ErrorKind::InvalidRequest);
    assert_eq!(server.requests().len(), 4, "a bad path was sent");
}

/// `ErrorCode` lists exactly the codes in the error examples of Intercom's published
/// descriptions, so a new version's codes show up here.
#[test]
fn error_codes_are_those_of_the_published_examples() {
    fn codes_in(node: &serde_yaml::Value, out: &mut std::collections::BTreeSet<String>) {
        match node {
            serde_yaml::Value::Mapping(map) => {
                let is_list = map.get("type").and_then(serde_yaml::Value::as_str) == Some("error.list");
                if let (true, Some(serde_yaml::Value::Sequence(errors))) = (is_list, map.get("errors")) {
                    out.extend(errors.iter().filter_map(|e| e.get("code")?.as_str().map(str::to_owned)));
                }
                map.values().for_each(|v| codes_in(v, out));
            }
            serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| codes_in(v, out)),
            _ => {}
        }
    }
    let specs = tests::published_specs();
    if specs.is_empty() {
        return;
    }
    let mut found = std::collections::BTreeSet::new();
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("read a published description");
        codes_in(&serde_yaml::from_str(&text).expect("YAML"), &mut found);
    }
    let listed: std::collections::BTreeSet<String> =
        ErrorCode::KNOWN.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(listed, found);
    for code in ErrorCode::KNOWN {
        assert!(!matches!(ErrorCode::from_wire(code), ErrorCode::Unknown(_)), "{code}");
        assert_eq!(ErrorCode::from_wire(code).as_str(), *code);
    }
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_field() {
    let server = MockServer::start().await.expect("server");
    let mut page =
        Scripted::json(200, &serde_json::json!({"type": "segment.list", "segments": [{"id": {"no": 1}}]}));
    page.headers.push(("X-Request-Id".to_owned(), "req-decode-1".to_owned()));
    page.headers.push(("X-RateLimit-Remaining".to_owned(), "41".to_owned()));
    server.push(page);
    let error = client(&server).segments().list().await.expect_err("an object is no id");
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    // What the server sent beside the body is kept.
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.request_id(), Some("req-decode-1"));
    assert_eq!(intercom_api::RateLimited::rate_limit(&error).and_then(|r| r.remaining), Some(41));
    assert!(!error.is_retryable(), "a body that does not match will not match the next time");
    let ProgenitorError::InvalidResponsePayload(_, e) = error.as_progenitor() else {
        panic!("expected InvalidResponsePayload, got {error:?}")
    };
    assert!(e.to_string().contains("segments[0].id"), "{e}");
    let line = error.to_string();
    assert!(
        line.starts_with("segments.list: the response does not match its schema: at `segments[0].id`"),
        "{line}"
    );
}

/// A property fixed to one value is written by the type, never by the caller; decoding takes it
/// absent or equal, and keeps another value rather than losing it, to write it back.
#[test]
fn constants_are_written_by_the_type() {
    let close = types::CloseConversationRequest::new("7");
    let sent = serde_json::json!({"message_type": "close", "type": "admin", "admin_id": "7"});
    assert_eq!(serde_json::to_value(&close).expect("encodes"), sent);
    // A union's branch writes its own tag.
    let manage = types::ManageConversationRequest::CloseConversationRequest(close.clone());
    assert_eq!(serde_json::to_value(&manage).expect("encodes"), sent);

    let absent: types::CloseConversationRequest =
        serde_json::from_value(serde_json::json!({"admin_id": "7"})).expect("decodes without its constants");
    assert_eq!(absent, close);
    let other: types::CloseConversationRequest =
        serde_json::from_value(serde_json::json!({"message_type": "close", "type": "bot", "admin_id": "7"}))
            .expect("decodes with another value");
    assert_eq!(other.extra.get("type"), Some(&serde_json::json!("bot")), "the value sent is kept");
    // Encoding writes the kept value back in the constant's place, once: what the server sent.
    let text = serde_json::to_string(&other).expect("encodes");
    assert_eq!(text.matches("\"type\"").count(), 1, "{text}");
    assert_eq!(
        serde_json::to_value(&other).expect("encodes"),
        serde_json::json!({"message_type": "close", "type": "bot", "admin_id": "7"})
    );
}

/// A union argument is `value.into()`: each branch's type, and text for a string branch,
/// converts into the union.
#[test]
fn branches_convert_into_their_unions() {
    let filter = types::SingleFilterSearchRequest {
        field: Some("email".to_owned()),
        operator: Some(types::SingleFilterSearchRequestOperator::Eq),
        value: types::SingleFilterSearchRequestValue::from("ada@example.com").into(),
        ..Default::default()
    };
    let request = types::SearchRequest::new(filter);
    assert_eq!(
        serde_json::to_value(&request).expect("encodes"),
        serde_json::json!({"query": {"field": "email", "operator": "=", "value": "ada@example.com"}})
    );
    let either = types::SearchRequestQuery::from(types::MultipleFilterSearchRequest::default());
    assert!(matches!(either, types::SearchRequestQuery::MultipleFilterSearchRequest(_)));
    assert_eq!(
        types::SingleFilterSearchRequestValue::from(5_i64),
        types::SingleFilterSearchRequestValue::Integer(5)
    );
}

/// Search queries are built from the spec's own types with `filter`, `and` and `or`, nest, and
/// go on the wire as Intercom's query objects.
#[tokio::test]
async fn search_queries_are_built_with_filter_and_or() {
    use types::SingleFilterSearchRequestOperator as Op;
    use types::{MultipleFilterSearchRequest as Group, SingleFilterSearchRequest as Filter};
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(200, &serde_json::json!({"type": "conversation.list", "conversations": []})));
    let open_or_snoozed =
        Group::or(vec![Filter::filter("state", Op::Eq, "open"), Filter::filter("state", Op::Eq, "snoozed")]);
    let recent = Group::and(vec![Filter::filter("created_at", Op::Gt, 1_700_000_000_i64)]);
    let query = Group::and(vec![open_or_snoozed, recent]);
    client(&server).conversations().search(types::SearchRequest::new(query)).await.expect("searches");
    let sent = server.requests()[0].json().expect("a JSON body");
    let filter = |field: &str, operator: &str, value: Value| serde_json::json!({"field": field, "operator": operator, "value": value});
    assert_eq!(
        sent,
        serde_json::json!({"query": {"operator": "AND", "value": [
            {"operator": "OR", "value": [filter("state", "=", "open".into()), filter("state", "=", "snoozed".into())]},
            {"operator": "AND", "value": [filter("created_at", ">", 1_700_000_000.into())]},
        ]}})
    );
    // A list of values is one value too.
    let tagged = Filter::filter("tag_ids", Op::In, vec![types::SearchFilterListValue::from("7")]);
    assert_eq!(
        serde_json::to_value(&tagged).expect("encodes"),
        filter("tag_ids", "IN", serde_json::json!(["7"]))
    );
}

/// What real servers send beyond the schema decodes: numbers for strings, and missing or
/// null required values as their defaults; unions still pick the right branch.
#[test]
fn lenient_decoding_of_what_servers_send() {
    let close: types::CloseConversationRequest =
        serde_json::from_value(serde_json::json!({"message_type": "close", "type": "admin", "admin_id": 12}))
            .expect("a numeric id decodes");
    assert_eq!(close.admin_id, "12");
    let close: types::CloseConversationRequest =
        serde_json::from_value(serde_json::json!({"message_type": "close", "type": null})).expect("decodes");
    assert_eq!(close.admin_id, "");
    // Encoding stays faithful to the schema.
    assert_eq!(serde_json::to_value(&close).expect("encodes")["admin_id"], serde_json::json!(""));

    // `message_type` tells the branches apart although every branch has `type: admin`.
    let open: types::ManageConversationRequest =
        serde_json::from_value(serde_json::json!({"message_type": "open", "type": "admin", "admin_id": "1"}))
            .expect("decodes");
    assert!(matches!(open, types::ManageConversationRequest::OpenConversationRequest(_)), "{open:?}");
    // Untagged unions pick the branch by the value's JSON kind.
    let number: types::CustomAttributesValue = serde_json::from_value(serde_json::json!(5)).expect("decodes");
    let text: types::CustomAttributesValue = serde_json::from_value(serde_json::json!("5")).expect("decodes");
    assert_eq!(serde_json::to_value(number).expect("encodes"), serde_json::json!(5));
    assert_eq!(serde_json::to_value(text).expect("encodes"), serde_json::json!("5"));
    let future: types::ManageConversationRequest =
        serde_json::from_value(serde_json::json!({"message_type": "escalate", "type": "admin"}))
            .expect("decodes");
    assert!(matches!(future, types::ManageConversationRequest::Other(_)), "{future:?}");
}

/// An error body is read up to `MAX_ERROR_BODY` and no further, so a hostile server cannot make
/// an error take unbounded memory; what was read is kept.
#[tokio::test]
async fn a_huge_error_body_is_cut_at_the_limit() {
    let server = MockServer::start().await.expect("server");
    let huge = "x".repeat(intercom_api::MAX_ERROR_BODY * 3);
    server.push(Scripted::raw(400, "text/plain", &huge));
    let error = client(&server).contacts().get("x").await.expect_err("an error status");
    let body = error.api_error().expect("an error body");
    assert!(body.truncated);
    assert_eq!(body.raw.len(), intercom_api::MAX_ERROR_BODY);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    // A body within the limit is whole.
    server.push(Scripted::json(404, &intercom_error("not_found", "nope")));
    let error = client(&server).contacts().get("x").await.expect_err("an error status");
    assert!(!error.api_error().expect("an error body").truncated);
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(
        200,
        &serde_json::json!({
            "type": "conversation", "id": "1", "state": "escalated", "brand_new_field": {"x": 1},
            "created_at": 1, "updated_at": 2
        }),
    ));
    let conversation = client(&server).conversations().get("1").await.expect("decodes").into_inner();
    assert_eq!(conversation.state, Some(types::ConversationState::Unknown("escalated".into())));
    // The undeclared key is readable, and encoded back as it came.
    assert_eq!(conversation.extra["brand_new_field"], serde_json::json!({"x": 1}));
    assert_eq!(
        serde_json::to_value(&conversation).expect("encodes")["brand_new_field"],
        serde_json::json!({"x": 1})
    );
}

/// Bodies as Intercom's servers send them where they differ from the description: each decodes,
/// and nothing in them is lost.
#[tokio::test]
async fn what_intercom_sends_beyond_its_description_decodes() {
    let server = MockServer::start().await.expect("server");
    let client = client(&server);

    // Intercom's own boolean attributes in a conversation's custom attributes: a branch the
    // table's evidence adds.
    server.push(Scripted::json(
        200,
        &serde_json::json!({
            "type": "conversation", "id": "1", "created_at": 1, "updated_at": 2,
            "custom_attributes": {"Auto-translated": false, "plan": "pro", "seats": 4}
        }),
    ));
    let conversation = client.conversations().get("1").await.expect("decodes").into_inner();
    let attributes = conversation.custom_attributes.clone().expect("attributes");
    assert_eq!(attributes["Auto-translated"], types::CustomAttributesValue::Bool(false));
    let again = serde_json::to_value(&conversation).expect("encodes");
    assert_eq!(
        again["custom_attributes"],
        serde_json::json!({"Auto-translated": false, "plan": "pro", "seats": 4})
    );

    // A company's attributes holding numbers and booleans, read as text.
    server.push(Scripted::json(
        200,
        &serde_json::json!({
            "type": "company", "id": "c1", "company_id": "acme",
            "custom_attributes": {"plan": "pro", "seats": 12, "paying": true, "mrr": 99.5}
        }),
    ));
    let company = client.companies().get("c1").await.expect("decodes").into_inner();
    let attributes = company.custom_attributes.expect("attributes");
    let read: Vec<(&str, &str)> = attributes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(read, [("mrr", "99.5"), ("paying", "true"), ("plan", "pro"), ("seats", "12")]);

    // A contact's avatar as a bare URL.
    server.push(Scripted::json(
        200,
        &serde_json::json!({"type": "contact", "id": "u1", "avatar": "https://example.com/a.png"}),
    ));
    let contact = client.contacts().get("u1").await.expect("decodes").into_inner();
    let avatar = contact.avatar.expect("an avatar");
    assert_eq!(avatar.image_url.as_deref(), Some("https://example.com/a.png"));

    // An article listing whose `pages.next` is a URL, not the cursor object: kept beside the
    // typed fields, and the page-number stream still reads both pages.
    let listing = |page: i64, ids: &[&str]| {
        let data: Vec<Value> =
            ids.iter().map(|id| serde_json::json!({"type": "article", "id": id})).collect();
        serde_json::json!({
            "type": "list", "total_count": 3, "data": data,
            "pages": {"type": "pages", "page": page, "per_page": 2, "total_pages": 2,
                      "next": format!("https://api.intercom.io/articles?page={}", page + 1)}
        })
    };
    server.push(Scripted::json(200, &listing(1, &["a1", "a2"])));
    let list = client.articles().list().await.expect("decodes").into_inner();
    let pages = list.pages.expect("pages");
    assert!(pages.next.is_none());
    assert_eq!(pages.extra["next"], serde_json::json!("https://api.intercom.io/articles?page=2"));
    assert_eq!(serde_json::to_value(&pages).expect("encodes")["next"], pages.extra["next"]);
    server.push(Scripted::json(200, &listing(1, &["a1", "a2"])));
    server.push(Scripted::json(200, &listing(2, &["a3"])));
    let items = client.articles().list().items().collect_all().await.expect("both pages");
    assert_eq!(items.len(), 3);
}

#[tokio::test]
async fn per_request_options_apply() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(200, &serde_json::json!({"type": "list", "data": []})));
    let options = RequestOptions::new()
        .header(
            intercom_api::HeaderName::from_static("x-trace"),
            intercom_api::HeaderValue::from_static("abc"),
        )
        .api_version("Unstable");
    client(&server).contacts().list().options(options).await.expect("ok");
    let sent = &server.requests()[0];
    assert_eq!(sent.header("x-trace"), Some("abc"));
    assert_eq!(sent.header("intercom-version"), Some("Unstable"));

    let mut slow = Scripted::json(200, &serde_json::json!({"type": "list", "data": []}));
    slow.delay = Duration::from_millis(500);
    server.push(slow);
    let error = client(&server)
        .contacts()
        .list()
        .options(RequestOptions::new().timeout(Duration::from_millis(50)).max_retries(0))
        .await
        .expect_err("times out");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_eq!(error.to_string(), "contacts.list: the request timed out");

    // A GET that timed out is sent again.
    let mut slow = Scripted::json(200, &serde_json::json!({"type": "list", "data": []}));
    slow.delay = Duration::from_millis(500);
    server.clear();
    server.push(slow);
    server.push(Scripted::json(200, &serde_json::json!({"type": "list", "data": []})));
    client(&server)
        .contacts()
        .list()
        .options(RequestOptions::new().timeout(Duration::from_millis(100)))
        .await
        .expect("the retry answers in time");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn client_defaults_and_redaction() {
    let client = Client::builder(TOKEN).region(Region::Eu).build().expect("client");
    assert_eq!(client.base_url(), "https://api.eu.intercom.io");
    assert_eq!(client.api_version(), intercom_api::API_VERSION);
    assert_eq!(Client::new(TOKEN).expect("client").base_url(), "https://api.intercom.io");
    assert_eq!(Region::Au.base_url(), "https://api.au.intercom.io");
    let debug = format!("{client:?} {:?}", Client::builder(TOKEN));
    assert!(!debug.contains(TOKEN), "the token leaked into Debug: {debug}");
    let bad = Client::builder("bad\ntoken").build().expect_err("a newline cannot be sent");
    assert!(!bad.to_string().contains("bad\ntoken"));
}

#[test]
fn error_bodies_of_every_shape_decode() {
    let list =
        intercom_api::ApiError::from_body(br#"{"type":"error.list","errors":[{"code":"a","message":"m"}]}"#);
    assert_eq!(list.errors[0].code, "a");
    let one =
        intercom_api::ApiError::from_body(br#"{"type":"error.list","errors":{"code":"b","message":"m"}}"#);
    assert_eq!(one.errors.len(), 1);
    assert_eq!(one.errors[0].code, "b");
    let by_field = intercom_api::ApiError::from_body(br#"{"type":"error.list","errors":{"rating":"bad"}}"#);
    assert_eq!(by_field.errors[0].field.as_deref(), Some("rating"));
    assert_eq!(by_field.errors[0].message.as_deref(), Some("bad"));
    let html = intercom_api::ApiError::from_body(b"<html>oops</html>");
    assert!(html.errors.is_empty());
    assert_eq!(html.raw, "<html>oops</html>");
}

#[tokio::test]
async fn broken_bodies_are_typed_errors() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::raw(
        200,
        "application/json",
        r#"{"type": "segment.list", "segments": [{"id": "1""#,
    ));
    let error = client(&server).segments().list().await.expect_err("truncated");
    let ProgenitorError::InvalidResponsePayload(_, e) = error.as_progenitor() else {
        panic!("expected InvalidResponsePayload, got {error:?}")
    };
    assert!(e.to_string().contains("EOF"), "{e}");

    server.push(Scripted::raw(200, "text/html", "<html>502 from a proxy</html>"));
    let error = client(&server).segments().list().await.expect_err("not JSON");
    let ProgenitorError::InvalidResponsePayload(body, e) = error.as_progenitor() else {
        panic!("expected InvalidResponsePayload, got {error:?}")
    };
    assert!(e.to_string().contains("expected JSON but the response is `text/html`"), "{e}");
    assert_eq!(&body[..], b"<html>502 from a proxy</html>");
}

/// A client built without timeouts still has them, so a server that never answers cannot hang a
/// call (the bounds themselves are tested above with short ones).
#[test]
fn a_default_client_has_timeouts() {
    let builder = format!("{:?}", Client::builder("token"));
    assert!(builder.contains("timeout: Some(60s)"), "{builder}");
    assert!(builder.contains("connect_timeout: Some(10s)"), "{builder}");
}
