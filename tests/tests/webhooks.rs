//! Webhook notifications: the signature check against known HMAC-SHA1 digests and against bad
//! headers, and decoding of every topic family the crate types, with items taken from the success
//! examples of our own spec.

use hmac::{Hmac, Mac};
use intercom_api::webhooks::{
    self, DecodeError, Item, ItemKind, Notification, SIGNATURE_HEADER, SignatureError, WebhookError,
};
use serde_json::{Value, json};
use tests::workspace_root;

const SECRET: &str = "client-secret-of-the-test-app";

/// The `X-Hub-Signature` value for `body` under `secret`.
fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha1={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The success example of the operation `id` in `spec/`.
fn example(id: &str) -> Value {
    let text = std::fs::read_to_string(workspace_root().join("spec/intercom.yaml")).expect("read spec");
    let doc: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let (api, _) = codegen::model(&text, &codegen::Options::default()).expect("spec lowers");
    let op = api.tags.iter().flat_map(|t| &t.operations).find(|op| op.id == id).expect("the operation");
    proof::contract::success_example(&doc, op).1.expect("the operation has a success example")
}

/// A notification envelope around `item`, as Intercom sends one.
fn envelope(topic: &str, item: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "notification_event",
        "app_id": "abc123de",
        "data": { "type": "notification_event_data", "item": item },
        "links": {},
        "id": "notif_4f0e6c2a-21b5-4d8f-9a3e-7b1c5d9e0f12",
        "topic": topic,
        "delivery_status": "pending",
        "delivery_attempts": 1,
        "delivered_at": 0,
        "first_sent_at": 1_764_590_400,
        "created_at": 1_764_590_399,
        "self": null
    }))
    .expect("encodes")
}

fn decode(topic: &str, item: Value) -> Notification {
    let body = envelope(topic, item);
    let signature = sign(SECRET, &body);
    Notification::verify_and_decode(SECRET, Some(signature.as_bytes()), &body).expect("a good notification")
}

#[test]
fn known_digests_verify() {
    // RFC 2202, test case 2, and the digest of the envelope computed with the hmac crate.
    let rfc = "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
    assert_eq!(webhooks::verify("Jefe", Some(rfc.as_bytes()), b"what do ya want for nothing?"), Ok(()));
    assert_eq!(sign("Jefe", b"what do ya want for nothing?"), rfc);
    let body = envelope("ping", json!({"type": "ping", "message": "hello"}));
    let header = sign(SECRET, &body);
    assert_eq!(webhooks::verify(SECRET, Some(header.as_bytes()), &body), Ok(()));
    // Case and surrounding whitespace do not matter.
    let loud = format!("  SHA1={} ", header["sha1=".len()..].to_uppercase());
    assert_eq!(webhooks::verify(SECRET, Some(loud.as_bytes()), &body), Ok(()));
}

#[test]
fn bad_signatures_are_refused_with_the_reason() {
    let body = envelope("ping", json!({"type": "ping"}));
    let good = sign(SECRET, &body);
    assert_eq!(webhooks::verify(SECRET, None, &body), Err(SignatureError::Missing));
    assert_eq!(
        webhooks::verify("another-secret", Some(good.as_bytes()), &body),
        Err(SignatureError::Mismatch)
    );
    let malformed = [
        good.trim_start_matches("sha1=").to_owned(),
        good.replace("sha1=", "sha256="),
        good[..good.len() - 1].to_owned(),
        format!("{good}0"),
        format!("{}g", &good[..good.len() - 1]),
        String::new(),
    ];
    for header in &malformed {
        let result = webhooks::verify(SECRET, Some(header.as_bytes()), &body);
        assert!(matches!(result, Err(SignatureError::Malformed(_))), "{header:?} gave {result:?}");
    }
    assert!(matches!(
        webhooks::verify(SECRET, Some(&[0xff, 0xfe][..]), &body),
        Err(SignatureError::Malformed(_))
    ));
    let error = WebhookError::from(SignatureError::Missing).to_string();
    assert!(error.contains(SIGNATURE_HEADER), "{error}");
}

#[test]
fn a_body_changed_by_one_byte_is_refused() {
    let body = envelope("contact.user.created", example("ShowContact"));
    let header = sign(SECRET, &body);
    for at in [0, body.len() / 2, body.len() - 1] {
        let mut changed = body.clone();
        changed[at] ^= 0x01;
        assert_eq!(
            webhooks::verify(SECRET, Some(header.as_bytes()), &changed),
            Err(SignatureError::Mismatch),
            "byte {at} changed"
        );
    }
    let mut longer = body.clone();
    longer.push(b' ');
    assert_eq!(webhooks::verify(SECRET, Some(header.as_bytes()), &longer), Err(SignatureError::Mismatch));
}

#[test]
fn the_envelope_is_decoded_whole() {
    let item = example("retrieveConversation");
    let mut body: Value =
        serde_json::from_slice(&envelope("conversation.user.replied", item.clone())).expect("JSON");
    body["a_key_added_later"] = json!({"nested": true});
    let n = Notification::from_slice(&serde_json::to_vec(&body).expect("encodes")).expect("decodes");
    assert_eq!(n.id, "notif_4f0e6c2a-21b5-4d8f-9a3e-7b1c5d9e0f12");
    assert_eq!(n.topic, "conversation.user.replied");
    assert_eq!(n.app_id.as_deref(), Some("abc123de"));
    assert_eq!(
        (n.created_at, n.first_sent_at, n.delivered_at),
        (Some(1_764_590_399), Some(1_764_590_400), Some(0))
    );
    assert_eq!((n.delivery_status.as_deref(), n.delivery_attempts), (Some("pending"), Some(1)));
    assert_eq!(n.links, Some(json!({})));
    assert_eq!(n.self_, None);
    assert_eq!(n.item_json, item);
    assert_eq!(n.other.get("a_key_added_later"), Some(&json!({"nested": true})));
}

#[test]
fn every_topic_family_decodes_into_its_type() {
    let conversation = example("retrieveConversation");
    let contact = example("ShowContact");
    let company = example("RetrieveACompanyById");
    let ticket = example("getTicket");
    let tag = example("findTag");
    // The fields compared below are in the examples, so each comparison can fail.
    for (value, key) in [
        (&conversation, "id"),
        (&contact, "email"),
        (&company, "name"),
        (&ticket, "ticket_id"),
        (&tag, "name"),
    ] {
        assert!(value[key].is_string(), "the example has no {key}: {value}");
    }
    for topic in ["conversation.user.created", "conversation.admin.closed", "conversation_part.tag.created"] {
        match decode(topic, conversation.clone()).item {
            Item::Conversation(c) => assert_eq!(c.id.as_deref(), conversation["id"].as_str()),
            other => panic!("{topic}: {other:?}"),
        }
    }
    for topic in ["contact.user.created", "contact.lead.updated", "user.created"] {
        match decode(topic, contact.clone()).item {
            Item::Contact(c) => assert_eq!(c.email.as_deref(), contact["email"].as_str()),
            other => panic!("{topic}: {other:?}"),
        }
    }
    match decode("company.created", company.clone()).item {
        Item::Company(c) => assert_eq!(c.name.as_deref(), company["name"].as_str()),
        other => panic!("company.created: {other:?}"),
    }
    for topic in ["ticket.created", "ticket.state.updated"] {
        match decode(topic, ticket.clone()).item {
            Item::Ticket(t) => assert_eq!(t.ticket_id.as_deref(), ticket["ticket_id"].as_str()),
            other => panic!("{topic}: {other:?}"),
        }
    }
    let tagging = json!({"type": "contact_tag", "created_at": 1_764_590_000, "tag": tag, "contact": contact});
    for topic in ["contact.tag.created", "contact.tag.deleted"] {
        match decode(topic, tagging.clone()).item {
            Item::Tagging(t) => {
                assert_eq!(t.tag.name.as_deref(), tag["name"].as_str());
                assert_eq!(t.created_at, Some(1_764_590_000));
                assert!(
                    matches!(&t.target, Item::Contact(c) if c.email.as_deref() == contact["email"].as_str())
                );
            }
            other => panic!("{topic}: {other:?}"),
        }
    }
    assert!(matches!(decode("ping", json!({"type": "ping", "message": "hi"})).item, Item::Ping));
}

#[test]
fn unknown_topics_and_other_items_are_kept_as_sent() {
    let item = json!({"type": "admin", "id": "991267", "anything": [1, 2, 3]});
    let n = decode("admin.logged_in", item.clone());
    assert!(matches!(n.item, Item::Other));
    assert_eq!((n.topic.as_str(), &n.item_json), ("admin.logged_in", &item));
    // A known family whose item is another type: not forced into the family's type.
    let attached = json!({"type": "contact_company", "company": example("RetrieveACompanyById")});
    let n = decode("company.contact.attached", attached.clone());
    assert!(matches!(n.item, Item::Other), "{:?}", n.item);
    assert_eq!(n.item_json, attached);
    assert_eq!(webhooks::item_kind("visitor.signed_up"), None);
    assert_eq!(webhooks::item_kind("conversation_part.tag.created"), Some(ItemKind::Conversation));
    assert_eq!(webhooks::item_kind("user.tag.deleted"), Some(ItemKind::Tagging));
}

#[test]
fn an_item_that_does_not_fit_its_type_names_the_field() {
    let mut conversation = example("retrieveConversation");
    conversation["created_at"] = json!({"not": "a time"});
    let n = decode("conversation.admin.replied", conversation.clone());
    match n.item {
        Item::Undecoded { kind: ItemKind::Conversation, error } => {
            assert_eq!(error.path, "created_at", "{error}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(n.item_json, conversation);
}

#[test]
fn bodies_that_are_not_notifications_are_errors_with_a_place() {
    let cases: [(&[u8], &str); 4] = [
        (b"{\"type\": \"notification_event\", ", "."),
        (br#"{"type": "list", "id": "1", "topic": "ping", "data": {"item": {}}}"#, "type"),
        (br#"{"type": "notification_event", "id": 7, "topic": "ping", "data": {"item": {}}}"#, "id"),
        (br#"{"type": "notification_event", "id": "1", "topic": "ping"}"#, "."),
    ];
    for (body, path) in cases {
        let error: DecodeError = Notification::from_slice(body).expect_err("not a notification");
        assert_eq!(error.path, path, "{}: {error}", String::from_utf8_lossy(body));
    }
}
