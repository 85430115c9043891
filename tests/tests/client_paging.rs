//! Pagination against a scripted server on loopback: every style of the pagination table, with
//! every item exactly once and in order, and the right request for each page.

use futures_util::StreamExt as _;
use intercom_api::types::{Contact, ContactSearchRequest};
use intercom_api::{Client, ErrorKind};
use serde_json::{Value, json};
use tests::server::{MockServer, Recorded, Scripted};

fn client(server: &MockServer) -> Client {
    Client::builder("token").base_url(server.url()).max_retries(0).build().expect("client")
}

fn contacts(ids: &[&str]) -> Vec<Value> {
    ids.iter().map(|id| json!({"type": "contact", "id": id, "email": format!("{id}@example.com")})).collect()
}

fn ids(contacts: &[Contact]) -> Vec<String> {
    contacts.iter().map(|c| c.id.clone()).collect()
}

/// A page of contacts whose next cursor is `next`.
fn cursor_page(items: &[&str], next: Option<&str>) -> Scripted {
    let next = next.map(|n| json!({"per_page": 2, "starting_after": n}));
    Scripted::json(
        200,
        &json!({"type": "list", "data": contacts(items), "pages": {"type": "pages", "next": next}}),
    )
}

fn query(request: &Recorded) -> Vec<(String, String)> {
    let mut query = request.query();
    query.sort();
    query
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn a_cursor_list_walks_three_pages() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1", "c2"], Some("cur-1")));
    server.push(cursor_page(&["c3", "c4"], Some("cur-2")));
    server.push(cursor_page(&["c5"], None));
    let all = client(&server).contacts().list().per_page(2).items().collect_all().await.expect("items");
    assert_eq!(ids(&all), ["c1", "c2", "c3", "c4", "c5"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.method == "GET" && r.path() == "/contacts"));
    assert_eq!(query(&requests[0]), pairs(&[("per_page", "2")]));
    assert_eq!(query(&requests[1]), pairs(&[("per_page", "2"), ("starting_after", "cur-1")]));
    assert_eq!(query(&requests[2]), pairs(&[("per_page", "2"), ("starting_after", "cur-2")]));
}

#[tokio::test]
async fn a_search_walks_three_pages_with_the_cursor_in_the_body() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1", "c2"], Some("cur-1")));
    server.push(cursor_page(&["c3", "c4"], Some("cur-2")));
    server.push(cursor_page(&["c5"], None));
    let query_json =
        json!({"operator": "AND", "value": [{"field": "created_at", "operator": ">", "value": "1"}]});
    let body: ContactSearchRequest =
        serde_json::from_value(json!({"query": query_json, "pagination": {"per_page": 2}})).expect("body");
    let mut items = client(&server).contacts().search(body).items();
    let mut seen = Vec::new();
    while let Some(contact) = items.next().await {
        seen.push(contact.expect("a contact"));
    }
    assert_eq!(ids(&seen), ["c1", "c2", "c3", "c4", "c5"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let bodies: Vec<Value> = requests.iter().map(|r| r.json().expect("a JSON body")).collect();
    assert_eq!(bodies[0], json!({"query": query_json, "pagination": {"per_page": 2}}));
    assert_eq!(
        bodies[1],
        json!({"query": query_json, "pagination": {"per_page": 2, "starting_after": "cur-1"}})
    );
    assert_eq!(
        bodies[2],
        json!({"query": query_json, "pagination": {"per_page": 2, "starting_after": "cur-2"}})
    );
    assert!(
        requests.iter().all(|r| r.method == "POST" && r.path() == "/contacts/search" && r.query().is_empty())
    );
}

fn company_page(items: &[&str], page: u32, total: u32) -> Scripted {
    let data: Vec<Value> = items.iter().map(|id| json!({"type": "company", "id": id})).collect();
    Scripted::json(
        200,
        &json!({"type": "list", "data": data, "pages": {"type": "pages", "page": page, "per_page": 2, "total_pages": total}}),
    )
}

#[tokio::test]
async fn a_page_number_list_stops_at_the_total() {
    let server = MockServer::start().await.expect("server");
    server.push(company_page(&["a", "b"], 1, 3));
    server.push(company_page(&["c", "d"], 2, 3));
    server.push(company_page(&["e"], 3, 3));
    let pages: Vec<_> = client(&server).companies().find().tag_id("t1").per_page(2).pages().collect().await;
    let ids: Vec<Vec<String>> = pages
        .into_iter()
        .map(|p| p.expect("a page").into_inner().data.unwrap_or_default().into_iter().map(|c| c.id).collect())
        .collect();
    assert_eq!(ids, [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "no request after the last page");
    assert_eq!(query(&requests[0]), pairs(&[("per_page", "2"), ("tag_id", "t1")]));
    assert_eq!(query(&requests[1]), pairs(&[("page", "2"), ("per_page", "2"), ("tag_id", "t1")]));
    assert_eq!(query(&requests[2]), pairs(&[("page", "3"), ("per_page", "2"), ("tag_id", "t1")]));
}

#[tokio::test]
async fn a_page_number_list_stops_at_an_empty_page() {
    let server = MockServer::start().await.expect("server");
    server.push(company_page(&["a", "b"], 1, 9));
    server.push(company_page(&[], 2, 9));
    let all = client(&server).companies().find().items().collect_all().await.expect("items");
    assert_eq!(all.len(), 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_scroll_follows_its_param_until_an_empty_page() {
    let server = MockServer::start().await.expect("server");
    let page = |ids: &[&str]| {
        let data: Vec<Value> = ids.iter().map(|id| json!({"type": "company", "id": id})).collect();
        // Intercom keeps one scroll_param for the whole scroll.
        Scripted::json(200, &json!({"type": "list", "data": data, "pages": null, "scroll_param": "s-1"}))
    };
    server.push(page(&["a", "b"]));
    server.push(page(&["c"]));
    server.push(page(&[]));
    let all = client(&server).companies().scroll().items().collect_all().await.expect("items");
    let ids: Vec<String> = all.into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(query(&requests[0]), pairs(&[]));
    assert_eq!(query(&requests[1]), pairs(&[("scroll_param", "s-1")]));
    assert_eq!(query(&requests[2]), pairs(&[("scroll_param", "s-1")]));
}

#[tokio::test]
async fn a_failed_scroll_page_ends_the_stream_without_a_retry() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(200, &json!({"type": "list", "data": [{"id": "a"}], "scroll_param": "s-1"})));
    server.push(Scripted::json(500, &json!({"type": "error.list", "errors": [{"code": "server_error"}]})));
    // Retries are on for this client, but a scroll page is never sent twice.
    let client = Client::builder("token").base_url(server.url()).build().expect("client");
    let mut items = client.companies().scroll().items();
    assert_eq!(items.next().await.and_then(Result::ok).map(|c| c.id).as_deref(), Some("a"));
    let error = items.next().await.expect("an item").expect_err("the second page failed");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(items.next().await.is_none(), "the stream ends after an error");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_scroll_page_refused_with_a_429_is_asked_again() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(200, &json!({"type": "list", "data": [{"id": "a"}], "scroll_param": "s-1"})));
    let mut limited =
        Scripted::json(429, &json!({"type": "error.list", "errors": [{"code": "rate_limit_exceeded"}]}));
    limited.headers.push(("Retry-After".to_owned(), "0".to_owned()));
    server.push(limited);
    server.push(Scripted::json(200, &json!({"type": "list", "data": [{"id": "b"}], "scroll_param": "s-1"})));
    server.push(Scripted::json(200, &json!({"type": "list", "data": [], "scroll_param": "s-1"})));
    let client = Client::builder("token").base_url(server.url()).build().expect("client");
    let all = client.companies().scroll().items().collect_all().await.expect("items");
    let ids: Vec<String> = all.into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["a", "b"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(query(&requests[1]), pairs(&[("scroll_param", "s-1")]));
    assert_eq!(query(&requests[2]), pairs(&[("scroll_param", "s-1")]), "the refused page is asked again");
}

#[tokio::test]
async fn a_search_is_retried_after_a_5xx_as_a_read() {
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::json(
        503,
        &json!({"type": "error.list", "errors": [{"code": "service_unavailable"}]}),
    ));
    server.push(cursor_page(&["c1"], None));
    let client = Client::builder("token").base_url(server.url()).build().expect("client");
    let search: ContactSearchRequest = serde_json::from_value(
        json!({"query": {"field": "email", "operator": "=", "value": "a@example.com"}}),
    )
    .expect("a search");
    let found = client.contacts().search(search).await.expect("succeeds on the retry");
    assert_eq!(found.into_inner().data.map(|d| d.len()), Some(1));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "POST" && r.path() == "/contacts/search"));
}

#[tokio::test]
async fn next_page_links_are_followed_on_the_client_base_url() {
    let server = MockServer::start().await.expect("server");
    let page = |id: &str, next: Value| {
        Scripted::json(
            200,
            &json!({"type": "list", "companies": [{"type": "company", "id": id}], "pages": {"type": "pages", "next": next}}),
        )
    };
    server.push(page("a", json!("https://api.intercom.io/contacts/c%201/companies?page=2&per_page=1")));
    server.push(page("b", json!("https://api.intercom.io/contacts/c%201/companies?page=3&per_page=1")));
    server.push(page("c", Value::Null));
    let all = client(&server).contacts().list_companies("c 1").items().collect_all().await.expect("items");
    let ids: Vec<String> = all.into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "the links went to the test server, not to api.intercom.io");
    assert!(requests.iter().all(|r| r.path() == "/contacts/c%201/companies"));
    assert_eq!(query(&requests[1]), pairs(&[("page", "2"), ("per_page", "1")]));
    assert_eq!(query(&requests[2]), pairs(&[("page", "3"), ("per_page", "1")]));
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_once_and_ends_it() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1"], Some("cur-1")));
    server.push(Scripted::json(401, &json!({"type": "error.list", "errors": [{"code": "unauthorized"}]})));
    let mut items = client(&server).contacts().list().items();
    assert!(items.next().await.is_some_and(|c| c.is_ok()));
    let error = items.next().await.expect("an item").expect_err("the second page failed");
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(error.operation(), Some("contacts.list"));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn a_server_that_repeats_a_cursor_does_not_loop() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1"], Some("same")));
    server.push(cursor_page(&["c2"], Some("same")));
    server.push(cursor_page(&["c3"], Some("same")));
    let all = client(&server).contacts().list().items().collect_all().await.expect("items");
    assert_eq!(ids(&all), ["c1", "c2"], "the second answer repeats the cursor it was asked with");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn cursors_that_cycle_end_the_stream_with_an_error_naming_the_cursor() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1"], Some("A")));
    server.push(cursor_page(&["c2"], Some("B")));
    server.push(cursor_page(&["c3"], Some("A")));
    server.push(cursor_page(&["c4"], Some("B")));
    let mut items = client(&server).contacts().list().items();
    let mut seen = Vec::new();
    let error = loop {
        match items.next().await.expect("the stream ends with an error, not silently") {
            Ok(contact) => seen.push(contact),
            Err(e) => break e,
        }
    };
    assert_eq!(ids(&seen), ["c1", "c2", "c3"], "every page before the repeat is yielded");
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert_eq!(error.operation(), Some("contacts.list"));
    assert!(error.to_string().contains("`A`"), "{error}");
    assert_eq!(server.requests().len(), 3, "the repeated cursor is not requested");
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn ended_streams_stay_ended() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1"], None));
    let mut items = client(&server).contacts().list().items();
    assert!(items.next().await.is_some_and(|c| c.is_ok()));
    for _ in 0..3 {
        assert!(items.next().await.is_none());
    }
    server.push(cursor_page(&["c1"], None));
    let mut pages = client(&server).contacts().list().pages();
    assert!(pages.next().await.is_some_and(|p| p.is_ok()));
    for _ in 0..3 {
        assert!(pages.next().await.is_none());
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_page_that_does_not_decode_is_an_error_naming_the_field() {
    let server = MockServer::start().await.expect("server");
    server.push(cursor_page(&["c1"], Some("cur-1")));
    server.push(Scripted::json(200, &json!({"type": "list", "data": [{"id": "c2"}, {"id": {"bad": 1}}]})));
    let result = client(&server).contacts().list().items().collect_all().await;
    let error = result.expect_err("the second page is broken");
    assert_eq!(error.kind(), ErrorKind::InvalidResponse);
    assert!(error.to_string().contains("data[1].id"), "{error}");
}

/// A page of activity logs, page `page` of `total`.
fn activity_page(ids: &[&str], page: i64, total: i64) -> Scripted {
    let logs: Vec<Value> =
        ids.iter().map(|id| json!({"id": id, "activity_type": "app_name_change"})).collect();
    Scripted::json(
        200,
        &json!({
            "type": "activity_log.list",
            "activity_logs": logs,
            "pages": {"type": "pages", "page": page, "per_page": 2, "total_pages": total}
        }),
    )
}

#[tokio::test]
async fn a_search_by_page_number_sets_the_page_in_the_body() {
    let server = MockServer::start().await.expect("server");
    server.push(activity_page(&["l1", "l2"], 1, 2));
    server.push(activity_page(&["l3"], 2, 2));
    let body = intercom_api::types::SearchActivityLogsRequest {
        created_at_after: 1_700_000_000,
        created_at_before: None,
        event_types: Some(vec!["app_name_change".into()]),
        page: None,
        per_page: Some(2),
        extra: Default::default(),
    };
    let logs = client(&server).admins().search_activity_logs(body).items().collect_all().await.expect("logs");
    let ids: Vec<String> = logs.into_iter().filter_map(|l| l.and_then(|l| l.id)).collect();
    assert_eq!(ids, ["l1", "l2", "l3"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "no request after the last page");
    assert!(requests.iter().all(|r| r.method == "POST" && r.path() == "/admins/activity_logs/search"));
    let first = json!({"created_at_after": 1_700_000_000, "event_types": ["app_name_change"], "per_page": 2});
    assert_eq!(requests[0].json(), Some(first.clone()));
    let mut second = first;
    second["page"] = json!(2);
    assert_eq!(requests[1].json(), Some(second), "the next page number goes into the body");
}
