//! Issue 24: a record read from Intercom and written back keeps the JSON kinds it was received
//! with, in the cases the issue lists from responses recorded by third parties (values described
//! here in our own words). `decode_every_type` checks the same for every response type.

use intercom_api::types::{Company, Contact, ConversationStatistics, Ticket};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `sent` as `T` and encodes it again.
fn again<T: DeserializeOwned + Serialize>(sent: &Value) -> Value {
    let value: T = serde_json::from_value(sent.clone()).expect("decodes");
    serde_json::to_value(&value).expect("encodes")
}

#[test]
fn attribute_maps_keep_booleans_and_numbers() {
    let sent = json!({
        "type": "company",
        "id": "6657a9f1",
        "custom_attributes": {"paying": true, "mrr": 155.5, "seats": 9, "plan": "pro"}
    });
    assert_eq!(again::<Company>(&sent), sent);
    // The value is text in Rust, as the description types it.
    let company: Company = serde_json::from_value(sent).expect("decodes");
    let attributes = company.custom_attributes.expect("attributes");
    assert_eq!(attributes.get("mrr").map(String::as_str), Some("155.5"));
}

#[test]
fn an_avatar_sent_as_its_url_is_written_as_its_url() {
    let sent = json!({"type": "contact", "id": "c1", "avatar": "https://example.com/a.png"});
    assert_eq!(again::<Contact>(&sent), sent);
    let contact: Contact = serde_json::from_value(sent).expect("decodes");
    let avatar = contact.avatar.clone().expect("an avatar");
    assert_eq!(avatar.image_url.as_deref(), Some("https://example.com/a.png"));
    // Given more than its URL, it is an object again.
    let mut changed = contact.clone();
    changed.avatar = Some(avatar.image_url("https://example.com/b.png").type_("avatar"));
    let written = serde_json::to_value(&changed).expect("encodes");
    assert!(written["avatar"].is_object(), "{written}");
}

#[test]
fn ids_keep_their_wire_kind() {
    let sent = json!({"type": "ticket", "id": "t1", "admin_assignee_id": "0"});
    assert_eq!(again::<Ticket>(&sent), sent);
    let sent = json!({"type": "conversation_statistics", "last_closed_by_id": 10553731});
    assert_eq!(again::<ConversationStatistics>(&sent), sent);
}

#[test]
fn a_changed_value_is_written_as_its_type_says() {
    let sent = json!({"type": "conversation_statistics", "last_closed_by_id": 10553731});
    let mut statistics: ConversationStatistics = serde_json::from_value(sent).expect("decodes");
    statistics.last_closed_by_id = Some("admin-7".to_owned());
    let written = serde_json::to_value(&statistics).expect("encodes");
    assert_eq!(written["last_closed_by_id"], json!("admin-7"));
}

#[test]
fn nulls_stay_null_and_absent_required_values_stay_absent() {
    let sent = json!({"type": "contact", "id": "c1", "email": null, "phone": null});
    assert_eq!(again::<Contact>(&sent), sent);
}

/// Issue 24: a property the table's evidence says is always sent is no `Option`, and a response
/// without it is an error that names where, never a silent default.
#[test]
fn a_missing_always_sent_id_is_an_error_naming_it() {
    let contact: Contact = serde_json::from_value(json!({"type": "contact", "id": "c1"})).expect("decodes");
    let id: &str = &contact.id;
    assert_eq!(id, "c1");
    let error = serde_json::from_value::<Contact>(json!({"type": "contact", "email": "ada@example.com"}))
        .expect_err("a contact without an id");
    assert!(error.to_string().contains("missing field `id`"), "{error}");
}

/// Issue 24: fields Intercom's servers send that the description lacks are typed fields (the
/// table's `field` lines), and a conversation's boolean custom attribute is a `Bool` (its
/// `branch` line), not `Other`.
#[test]
fn fields_the_description_lacks_are_typed() {
    use intercom_api::types::{Conversation, CustomAttributesValue};
    let sent = json!({
        "type": "contact",
        "id": "c1",
        "sms_consent": true,
        "unsubscribed_from_sms": false,
        "location": {"type": "location", "country": "France", "country_code": "FRA", "continent_code": "EU"}
    });
    let contact: Contact = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!((contact.sms_consent, contact.unsubscribed_from_sms), (Some(true), Some(false)));
    let location = contact.location.clone().expect("a location");
    assert_eq!(location.continent_code.as_deref(), Some("EU"));
    assert!(contact.extra.is_empty(), "nothing left untyped: {:?}", contact.extra);
    assert_eq!(serde_json::to_value(&contact).expect("encodes"), sent);

    let sent = json!({"type": "conversation", "id": "9", "custom_attributes": {"vip": true, "tier": 2}});
    let conversation: Conversation = serde_json::from_value(sent.clone()).expect("decodes");
    let attributes = conversation.custom_attributes.clone().expect("attributes");
    assert_eq!(attributes.get("vip"), Some(&CustomAttributesValue::Bool(true)));
    assert_eq!(serde_json::to_value(&conversation).expect("encodes"), sent);
}
