//! The generated client against a real HTTP server on loopback, for every operation in
//! `spec/`: what goes on the wire, and how answers (examples and errors) come back.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use intercom_api::types::{self, LisDataEventsFilter, LisDataEventsFilterByEmail};
use intercom_api::{Client, Error, ErrorKind, ProgenitorError, Region, RequestOptions};
use serde_json::Value;
use tests::server::{MockServer, Scripted};
use xtask::conformance::{Findings, compare, without_nulls};

const TOKEN: &str = "test-token-ABC123";

type Outcome = Pin<Box<dyn Future<Output = Result<Value, Error>>>>;

/// One operation: how to call it, and what the request must look like.
struct Case {
    id: &'static str,
    path: &'static str,
    query: &'static [(&'static str, &'static str)],
    call: fn(Client, Option<Value>) -> Outcome,
}

/// Turns the spec's request example into the operation's typed body.
fn typed<T: serde::de::DeserializeOwned>(example: Option<Value>) -> T {
    let example = example.expect("this operation's request has an example in the spec");
    serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("request example does not decode: {e}\n{example}"))
}

macro_rules! case {
    ($id:literal, $path:literal, [$($k:literal = $v:literal),*], |$client:ident, $body:ident| $call:expr) => {
        Case {
            id: $id,
            path: $path,
            query: &[$(($k, $v)),*],
            call: |$client, $body| {
                let _ = &$body;
                Box::pin(async move {
                    let response = $call.await?;
                    Ok(serde_json::to_value(response.into_inner()).expect("responses serialize"))
                })
            },
        }
    };
}

fn cases() -> Vec<Case> {
    vec![
        case!("identifyAdmin", "/me", [], |c, b| c.admins().identify_admin()),
        case!("listAdmins", "/admins", ["display_avatar" = "true"], |c, b| c
            .admins()
            .list_admins()
            .display_avatar(true)),
        case!("ListContacts", "/contacts", [], |c, b| c.contacts().list_contacts()),
        case!("CreateContact", "/contacts", [], |c, b| c.contacts().create_contact(typed(b))),
        case!("SearchContacts", "/contacts/search", [], |c, b| c.contacts().search_contacts(typed(b))),
        case!("listCompaniesForAContact", "/contacts/6329bd9ffe4e2e91dac76188/companies", [], |c, b| c
            .contacts()
            .list_companies_for_a_contact("6329bd9ffe4e2e91dac76188")),
        case!("scrollOverAllCompanies", "/companies/scroll", ["scroll_param" = "s-1"], |c, b| c
            .companies()
            .scroll_over_all_companies()
            .scroll_param("s-1")),
        case!("ShowContact", "/contacts/6329bd9ffe4e2e91dac76188", [], |c, b| c
            .contacts()
            .show_contact("6329bd9ffe4e2e91dac76188")),
        case!("listNotes", "/contacts/a%2Fb%20c/notes", [], |c, b| c.notes().list_notes("a/b c")),
        case!(
            "retrieveCompany",
            "/companies",
            ["name" = "Acme & Co", "page" = "2", "per_page" = "50"],
            |c, b| c.companies().retrieve_company().name("Acme & Co").page(2).per_page(50)
        ),
        case!("createOrUpdateCompany", "/companies", [], |c, b| c
            .companies()
            .create_or_update_company(typed(b))),
        case!(
            "listConversations",
            "/conversations",
            ["per_page" = "20", "starting_after" = "WzE3MDc5MjQ5NjcwMDAsMV0="],
            |c, b| c
                .conversations()
                .list_conversations()
                .per_page(20)
                .starting_after("WzE3MDc5MjQ5NjcwMDAsMV0=")
        ),
        case!("createConversation", "/conversations", [], |c, b| c
            .conversations()
            .create_conversation(typed(b))),
        case!(
            "retrieveConversation",
            "/conversations/147",
            ["display_as" = "plaintext", "include_translations" = "false"],
            |c, b| c
                .conversations()
                .retrieve_conversation(147)
                .display_as("plaintext")
                .include_translations(false)
        ),
        case!("manageConversation", "/conversations/147/parts", [], |c, b| c
            .conversations()
            .manage_conversation("147", typed(b))),
        case!("listArticles", "/articles", [], |c, b| c.articles().list_articles()),
        case!("createArticle", "/articles", [], |c, b| c.articles().create_article(typed(b))),
        case!("deleteArticle", "/articles/39", [], |c, b| c.articles().delete_article(39)),
        case!("listSegments", "/segments", ["include_count" = "true"], |c, b| c
            .segments()
            .list_segments()
            .include_count(true)),
        case!("createMessage", "/messages", [], |c, b| c.messages().create_message(typed(b))),
        case!("createDataEvent", "/events", [], |c, b| c.data_events().create_data_event(typed(b))),
        case!(
            "lisDataEvents",
            "/events",
            ["email" = "ada@example.com", "type" = "user", "summary" = "true"],
            |c, b| c
                .data_events()
                .lis_data_events(
                    LisDataEventsFilter::ByEmail(LisDataEventsFilterByEmail {
                        email: "ada@example.com".into()
                    }),
                    "user"
                )
                .summary(true)
        ),
        case!("createDataExport", "/export/content/data", [], |c, b| c
            .data_export()
            .create_data_export(typed(b))),
        case!("getDataExport", "/export/content/data/job-42", [], |c, b| c
            .data_export()
            .get_data_export("job-42")),
        case!("listNewsItems", "/news/news_items", [], |c, b| c.news().list_news_items()),
        case!("createNewsItem", "/news/news_items", [], |c, b| c.news().create_news_item(typed(b))),
    ]
}

/// The spec as JSON, and its operations by id: (method, request example, success status,
/// response example).
struct SpecOp {
    method: String,
    request: Option<Value>,
    status: u16,
    response: Option<Value>,
}

fn spec() -> Value {
    let text =
        std::fs::read_to_string(tests::workspace_root().join("spec/intercom.yaml")).expect("read spec");
    serde_yaml::from_str(&text).expect("spec is YAML")
}

fn first_example(media: &Value) -> Option<Value> {
    media
        .get("example")
        .cloned()
        .or_else(|| media.get("examples")?.as_object()?.values().next()?.get("value").cloned())
}

fn spec_op(spec: &Value, id: &str) -> SpecOp {
    for item in spec["paths"].as_object().expect("paths").values() {
        for (method, op) in item.as_object().expect("path item") {
            if op.get("operationId").and_then(Value::as_str) != Some(id) {
                continue;
            }
            let request = op.pointer("/requestBody/content/application~1json").and_then(first_example);
            let (status, response) = op["responses"]
                .as_object()
                .expect("responses")
                .iter()
                .find(|(code, _)| code.starts_with('2'))
                .map(|(code, r)| {
                    (
                        code.parse().expect("status"),
                        r.pointer("/content/application~1json").and_then(first_example),
                    )
                })
                .expect("a success response");
            return SpecOp { method: method.to_ascii_uppercase(), request, status, response };
        }
    }
    panic!("operation {id} is not in the spec");
}

fn client(server: &MockServer) -> Client {
    Client::builder(TOKEN).base_url(server.url()).build().expect("client")
}

#[tokio::test]
async fn every_operation_sends_what_the_spec_says_and_decodes_its_examples() {
    let spec = spec();
    let cases = cases();
    let (model, _) = codegen::model(
        &std::fs::read_to_string(tests::workspace_root().join("spec/intercom.yaml")).expect("read spec"),
        &codegen::Options::default(),
    )
    .expect("spec lowers");
    let in_spec: BTreeSet<&str> =
        model.tags.iter().flat_map(|t| &t.operations).map(|o| o.id.as_str()).collect();
    let tested: BTreeSet<&str> = cases.iter().map(|c| c.id).collect();
    assert_eq!(in_spec, tested, "every operation in spec/ needs a case here");

    let server = MockServer::start().await.expect("server");
    for case in &cases {
        let op = spec_op(&spec, case.id);
        server.clear();
        server.push(match &op.response {
            Some(example) => Scripted::json(op.status, example),
            None => Scripted::empty(op.status),
        });
        let decoded = (case.call)(client(&server), op.request.clone())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.id));

        let requests = server.requests();
        assert_eq!(requests.len(), 1, "{}: one request", case.id);
        let sent = &requests[0];
        assert_eq!(sent.method, op.method, "{}: method", case.id);
        assert_eq!(sent.path(), case.path, "{}: path", case.id);
        let mut query = sent.query();
        query.sort();
        let mut expected: Vec<(String, String)> =
            case.query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        expected.sort();
        assert_eq!(query, expected, "{}: query", case.id);
        assert_eq!(sent.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()), "{}", case.id);
        assert_eq!(sent.header("intercom-version"), Some(intercom_api::API_VERSION), "{}", case.id);
        assert_eq!(sent.header("accept"), Some("application/json"), "{}", case.id);
        assert!(sent.header("user-agent").is_some_and(|ua| ua.starts_with("intercom-api/")), "{}", case.id);
        match &op.request {
            Some(example) => {
                assert_eq!(sent.header("content-type"), Some("application/json"), "{}", case.id);
                assert_eq!(
                    sent.json().map(|v| without_nulls(&v)),
                    Some(without_nulls(example)),
                    "{}: body",
                    case.id
                );
            }
            None => assert!(sent.body.is_empty(), "{}: no body expected", case.id),
        }
        match &op.response {
            Some(example) => {
                let mut findings = Findings::default();
                compare(&without_nulls(example), &without_nulls(&decoded), "", &mut findings);
                assert_eq!(findings, Findings::default(), "{}: response", case.id);
            }
            None => assert_eq!(decoded, Value::Null, "{}: empty response", case.id),
        }
    }
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
        let error = client(&server).contacts().show_contact("x").await.expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.kind(), ErrorKind::Api);
        assert_eq!(error.operation(), Some("ShowContact"));
        assert_eq!(error.request_id(), Some("req-123"));
        assert!(!error.is_retryable());
        assert_eq!(
            error.to_string(),
            format!(
                "ShowContact: HTTP {}: {code}: nope (request id req-123)",
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
    let error = client(&server).contacts().list_contacts().options(no_retry).await.expect_err("502");
    let body = error.api_error().expect("an error body");
    assert!(body.errors.is_empty());
    assert_eq!(body.raw, "<html>bad gateway</html>");
    assert_eq!(error.to_string(), "ListContacts: HTTP 502 Bad Gateway: <html>bad gateway</html>");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_field() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(
        200,
        &serde_json::json!({"type": "segment.list", "segments": [{"id": {"no": 1}}]}),
    ));
    let error = client(&server).segments().list_segments().await.expect_err("an object is no id");
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    let ProgenitorError::InvalidResponsePayload(_, e) = error.as_progenitor() else {
        panic!("expected InvalidResponsePayload, got {error:?}")
    };
    assert!(e.to_string().contains("segments[0].id"), "{e}");
    let line = error.to_string();
    assert!(
        line.starts_with("listSegments: the response does not match its schema: at `segments[0].id`"),
        "{line}"
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
    assert_eq!((close.type_.as_str(), close.admin_id.as_str()), ("", ""));
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
    let conversation =
        client(&server).conversations().retrieve_conversation(1).await.expect("decodes").into_inner();
    assert_eq!(conversation.state, Some(types::ConversationState::Unknown("escalated".into())));
}

#[tokio::test]
async fn per_request_options_apply() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(200, &serde_json::json!({"type": "list", "data": []})));
    let options = RequestOptions::new()
        .header(
            reqwest::header::HeaderName::from_static("x-trace"),
            reqwest::header::HeaderValue::from_static("abc"),
        )
        .api_version(reqwest::header::HeaderValue::from_static("Unstable"));
    client(&server).contacts().list_contacts().options(options).await.expect("ok");
    let sent = &server.requests()[0];
    assert_eq!(sent.header("x-trace"), Some("abc"));
    assert_eq!(sent.header("intercom-version"), Some("Unstable"));

    let mut slow = Scripted::json(200, &serde_json::json!({"type": "list", "data": []}));
    slow.delay = Duration::from_millis(500);
    server.push(slow);
    let error = client(&server)
        .contacts()
        .list_contacts()
        .options(RequestOptions::new().timeout(Duration::from_millis(50)).max_retries(0))
        .await
        .expect_err("times out");
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error:?}");
    assert_eq!(error.to_string(), "ListContacts: the request timed out");

    // A GET that timed out is sent again.
    let mut slow = Scripted::json(200, &serde_json::json!({"type": "list", "data": []}));
    slow.delay = Duration::from_millis(500);
    server.clear();
    server.push(slow);
    server.push(Scripted::json(200, &serde_json::json!({"type": "list", "data": []})));
    client(&server)
        .contacts()
        .list_contacts()
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
    let error = client(&server).segments().list_segments().await.expect_err("truncated");
    let ProgenitorError::InvalidResponsePayload(_, e) = error.as_progenitor() else {
        panic!("expected InvalidResponsePayload, got {error:?}")
    };
    assert!(e.to_string().contains("EOF"), "{e}");

    server.push(Scripted::raw(200, "text/html", "<html>502 from a proxy</html>"));
    let error = client(&server).segments().list_segments().await.expect_err("not JSON");
    let ProgenitorError::InvalidResponsePayload(body, e) = error.as_progenitor() else {
        panic!("expected InvalidResponsePayload, got {error:?}")
    };
    assert!(e.to_string().contains("expected JSON but the response is `text/html`"), "{e}");
    assert_eq!(&body[..], b"<html>502 from a proxy</html>");
}
