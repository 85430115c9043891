//! Intercom's webhook notifications: checking their signature and decoding them into the
//! crate's types. Behind the `webhooks` feature.
//!
//! Intercom POSTs each notification as JSON to the app's URL, signed in the
//! [`SIGNATURE_HEADER`] header with the app's client secret. A handler takes the raw body (before
//! any JSON parsing, since the signature covers the exact bytes), checks it with [`verify`], then
//! decodes it with [`Notification::from_slice`]:
//!
//! ```
//! use intercom_api::webhooks::{self, Item, Notification};
//!
//! fn handle(secret: &str, signature: Option<&[u8]>, body: &[u8]) -> Result<(), webhooks::WebhookError> {
//!     webhooks::verify(secret, signature, body)?;
//!     let notification = Notification::from_slice(body)?;
//!     // Delivery is at least once: `notification.id` is what to deduplicate on.
//!     match &notification.item {
//!         Item::Ping => {}
//!         Item::Other => println!("{}: {}", notification.topic, notification.item_json),
//!         _ => println!("{}: {:?}", notification.topic, notification.item),
//!     }
//!     Ok(())
//! }
//! # let _ = handle;
//! ```
//!
//! Which type an item decodes into is decided by [`TOPICS`] and checked against the item's own
//! `type`. A topic the table does not name, or an item whose `type` is not the one expected, is
//! [`Item::Other`]: a new topic is never an error. Whatever the item decodes into, the item as
//! sent stays readable in [`Notification::item_json`], keys the types do not declare included.
//!
//! Each variant of [`Item`] exists when the feature of the tag its type belongs to is on (all are
//! by default): `conversations`, `contacts`, `companies`, `tickets`, `tags`. With a tag's feature
//! off, its items are [`Item::Other`].

use std::fmt;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha1::Sha1;

/// The request header that carries a notification's signature: `sha1=` and the hex HMAC-SHA1 of
/// the raw body, keyed with the app's client secret.
pub const SIGNATURE_HEADER: &str = "X-Hub-Signature";

/// Checks that `raw_body` was signed with `secret` (the app's client secret), given the value of
/// the [`SIGNATURE_HEADER`] header (`None` when the request has none). The comparison takes the
/// same time wherever the digests differ.
pub fn verify(
    secret: impl AsRef<[u8]>,
    signature_header: Option<&[u8]>,
    raw_body: &[u8],
) -> Result<(), SignatureError> {
    let header = signature_header.ok_or(SignatureError::Missing)?;
    let expected = parse_signature(header)?;
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_ref()).map_err(|_| SignatureError::Mismatch)?;
    mac.update(raw_body);
    mac.verify_slice(&expected).map_err(|_| SignatureError::Mismatch)
}

/// The 20 bytes of a `sha1=<40 hex digits>` header value. Surrounding whitespace and the case of
/// the prefix and of the digits do not matter.
fn parse_signature(header: &[u8]) -> Result<[u8; 20], SignatureError> {
    let header = header.trim_ascii();
    let hex = match header.split_at_checked(5) {
        Some((prefix, hex)) if prefix.eq_ignore_ascii_case(b"sha1=") => hex,
        _ => return Err(SignatureError::Malformed("it does not start with `sha1=`")),
    };
    if hex.len() != 40 {
        return Err(SignatureError::Malformed("the digest is not 40 hex digits"));
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let mut out = [0u8; 20];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(high), Some(low)) => *byte = (high << 4) | low,
            _ => return Err(SignatureError::Malformed("the digest has a character that is not a hex digit")),
        }
    }
    Ok(out)
}

/// Why [`verify`] refused a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The request has no [`SIGNATURE_HEADER`] header.
    Missing,
    /// The header is not `sha1=` followed by 40 hex digits; the text says what is wrong.
    Malformed(&'static str),
    /// The header is well formed, but the body was not signed with this secret (or was changed).
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Missing => write!(f, "the notification has no {SIGNATURE_HEADER} header"),
            SignatureError::Malformed(why) => write!(f, "the {SIGNATURE_HEADER} header is malformed: {why}"),
            SignatureError::Mismatch => {
                write!(f, "the {SIGNATURE_HEADER} signature does not match the body and the client secret")
            }
        }
    }
}

impl std::error::Error for SignatureError {}

/// Which of the crate's types a topic's item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ItemKind {
    /// A conversation, as the conversations endpoints return it (`type: "conversation"`).
    Conversation,
    /// A contact, user or lead (`type: "contact"`, or `"user"` in older topics).
    Contact,
    /// A company (`type: "company"`).
    Company,
    /// A ticket (`type: "ticket"`).
    Ticket,
    /// A tag and the object it was put on or taken off (`type: "contact_tag"`, `"user_tag"`, …).
    Tagging,
    /// The test notification sent when a subscription is set up or tried (`type: "ping"`).
    Ping,
}

impl ItemKind {
    /// Whether an item whose `type` is `wire` is of this kind.
    fn accepts(self, wire: &str) -> bool {
        match self {
            ItemKind::Conversation => wire == "conversation",
            // A `user` is the older name of a contact.
            ItemKind::Contact => wire == "contact" || wire == "user",
            ItemKind::Company => wire == "company",
            ItemKind::Ticket => wire == "ticket",
            ItemKind::Tagging => wire.ends_with("_tag"),
            ItemKind::Ping => wire == "ping",
        }
    }
}

/// The kind of item each topic carries, first match wins. A pattern is a whole topic; one that
/// ends in `*` matches every topic that starts with what comes before it, and one that starts
/// with `*` every topic that ends with what follows it. Topics of other families (admins,
/// visitors, content statistics, data events, …) are not listed, so their items are
/// [`Item::Other`].
pub const TOPICS: &[(&str, ItemKind)] = &[
    // The subscription test.
    ("ping", ItemKind::Ping),
    // A tag put on a part of a conversation: the item is the whole conversation.
    ("conversation_part.tag.created", ItemKind::Conversation),
    // A tag put on or taken off an object: the item holds the tag and the object.
    ("*.tag.created", ItemKind::Tagging),
    ("*.tag.deleted", ItemKind::Tagging),
    // Created, replied to, assigned, closed, snoozed, rated, …
    ("conversation.*", ItemKind::Conversation),
    // A contact's lifecycle: users and leads created, updated, signed up, archived, …
    ("contact.*", ItemKind::Contact),
    // The older names of the same user events.
    ("user.*", ItemKind::Contact),
    ("company.*", ItemKind::Company),
    // Created, state changed, assigned, replied to, attributes updated, …
    ("ticket.*", ItemKind::Ticket),
];

/// The kind of item [`TOPICS`] gives `topic`, if it names one.
pub fn item_kind(topic: &str) -> Option<ItemKind> {
    TOPICS.iter().find(|(pattern, _)| matches_topic(pattern, topic)).map(|(_, kind)| *kind)
}

fn matches_topic(pattern: &str, topic: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix('*') {
        topic.starts_with(prefix)
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        topic.ends_with(suffix)
    } else {
        pattern == topic
    }
}

/// One webhook notification: its envelope, and its item decoded by topic.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Notification {
    /// The notification's id. Intercom delivers at least once: deduplicate on it.
    pub id: String,
    /// What happened, such as `conversation.user.replied` or `contact.user.created`.
    pub topic: String,
    /// The workspace the notification is about.
    pub app_id: Option<String>,
    /// When the event happened (Unix seconds).
    pub created_at: Option<i64>,
    /// When Intercom first tried to deliver the notification (Unix seconds).
    pub first_sent_at: Option<i64>,
    /// When this delivery was made (Unix seconds).
    pub delivered_at: Option<i64>,
    /// Intercom's state of the delivery, such as `pending`.
    pub delivery_status: Option<String>,
    /// How many times Intercom has tried to deliver the notification, this time included.
    pub delivery_attempts: Option<i64>,
    /// Links Intercom adds to the notification, as sent.
    pub links: Option<Value>,
    /// The notification's own URL, if any (the envelope's `self`).
    pub self_: Option<String>,
    /// The item, decoded into the crate's type for its topic.
    pub item: Item,
    /// The item exactly as sent, with every key, whatever it decoded into.
    pub item_json: Value,
    /// Keys of the envelope this type does not name, as sent.
    pub other: Map<String, Value>,
}

/// A notification's item: the object its topic is about.
#[derive(Clone, Debug)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum Item {
    /// Items of `conversation.*` topics, and of `conversation_part.tag.created`.
    #[cfg(feature = "conversations")]
    Conversation(Box<crate::types::Conversation>),
    /// Items of `contact.*` and `user.*` topics.
    #[cfg(feature = "contacts")]
    Contact(Box<crate::types::Contact>),
    /// Items of `company.*` topics.
    #[cfg(feature = "companies")]
    Company(Box<crate::types::Company>),
    /// Items of `ticket.*` topics.
    #[cfg(feature = "tickets")]
    Ticket(Box<crate::types::Ticket>),
    /// Items of `*.tag.created` and `*.tag.deleted` topics.
    #[cfg(feature = "tags")]
    Tagging(Box<Tagging>),
    /// The item of a `ping`.
    Ping,
    /// A topic the crate has no type for, an item whose `type` is not the topic's, or a type
    /// whose feature is off: read [`Notification::item_json`].
    Other,
    /// An item of a known kind that does not fit its type; [`Notification::item_json`] has it.
    Undecoded {
        /// The kind the topic called for.
        kind: ItemKind,
        /// Why it does not fit, with the path of the field.
        error: DecodeError,
    },
}

/// A tag put on or taken off an object (the item of `*.tag.created` and `*.tag.deleted`).
#[cfg(feature = "tags")]
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Tagging {
    /// The tag.
    pub tag: crate::types::Tag,
    /// The tagged object, decoded as an item of its own `type` (`Item::Other` when the crate has
    /// no type for it or it is absent).
    pub target: Item,
    /// When the tag was put on or taken off (Unix seconds).
    pub created_at: Option<i64>,
}

/// A notification body that is not a notification, with where it goes wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The JSON path of the offending value (`.` for the whole body).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A notification refused: a bad signature, or a body that is not a notification.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// [`verify`] refused it.
    Signature(SignatureError),
    /// [`Notification::from_slice`] refused it.
    Decode(DecodeError),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Signature(e) => e.fmt(f),
            WebhookError::Decode(e) => write!(f, "not an Intercom notification: {e}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Signature(e) => Some(e),
            WebhookError::Decode(e) => Some(e),
        }
    }
}

impl From<SignatureError> for WebhookError {
    fn from(e: SignatureError) -> Self {
        WebhookError::Signature(e)
    }
}

impl From<DecodeError> for WebhookError {
    fn from(e: DecodeError) -> Self {
        WebhookError::Decode(e)
    }
}

/// The envelope as sent, before its item is decoded.
#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    type_: String,
    id: String,
    topic: String,
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    first_sent_at: Option<i64>,
    #[serde(default)]
    delivered_at: Option<i64>,
    #[serde(default)]
    delivery_status: Option<String>,
    #[serde(default)]
    delivery_attempts: Option<i64>,
    #[serde(default)]
    links: Option<Value>,
    #[serde(rename = "self", default)]
    self_: Option<String>,
    data: Data,
    #[serde(flatten)]
    other: Map<String, Value>,
}

#[derive(Deserialize)]
struct Data {
    item: Value,
}

impl Notification {
    /// Decodes a notification from its raw body. Fails only when the body is not a notification
    /// envelope; an item of an unknown topic is [`Item::Other`], and one that does not fit its
    /// type [`Item::Undecoded`].
    pub fn from_slice(raw_body: &[u8]) -> Result<Notification, DecodeError> {
        let body: Value = serde_json::from_slice(raw_body)
            .map_err(|e| DecodeError { path: ".".to_owned(), message: e.to_string() })?;
        let envelope: Envelope = typed(&body)?;
        if envelope.type_ != "notification_event" {
            return Err(DecodeError {
                path: "type".to_owned(),
                message: format!("expected `notification_event`, found `{}`", envelope.type_),
            });
        }
        let item = match item_kind(&envelope.topic) {
            Some(kind) => decode_item(kind, &envelope.data.item),
            None => Item::Other,
        };
        Ok(Notification {
            id: envelope.id,
            topic: envelope.topic,
            app_id: envelope.app_id,
            created_at: envelope.created_at,
            first_sent_at: envelope.first_sent_at,
            delivered_at: envelope.delivered_at,
            delivery_status: envelope.delivery_status,
            delivery_attempts: envelope.delivery_attempts,
            links: envelope.links,
            self_: envelope.self_,
            item,
            item_json: envelope.data.item,
            other: envelope.other,
        })
    }

    /// [`verify`], then [`Notification::from_slice`]: the whole of a handler's checks.
    pub fn verify_and_decode(
        secret: impl AsRef<[u8]>,
        signature_header: Option<&[u8]>,
        raw_body: &[u8],
    ) -> Result<Notification, WebhookError> {
        verify(secret, signature_header, raw_body)?;
        Ok(Notification::from_slice(raw_body)?)
    }
}

fn decode_error(e: serde_path_to_error::Error<serde_json::Error>) -> DecodeError {
    DecodeError { path: e.path().to_string(), message: e.inner().to_string() }
}

/// The item as `kind`, when its `type` (if it has one) is that kind's.
fn decode_item(kind: ItemKind, item: &Value) -> Item {
    match item.get("type").and_then(Value::as_str) {
        Some(wire) if !kind.accepts(wire) => return Item::Other,
        _ => {}
    }
    // Each arm exists only with its type's feature; the last arm takes the kinds left out.
    #[allow(unreachable_patterns)]
    match kind {
        ItemKind::Ping => Item::Ping,
        #[cfg(feature = "conversations")]
        ItemKind::Conversation => typed(item)
            .map_or_else(|error| Item::Undecoded { kind, error }, |x| Item::Conversation(Box::new(x))),
        #[cfg(feature = "contacts")]
        ItemKind::Contact => {
            typed(item).map_or_else(|error| Item::Undecoded { kind, error }, |x| Item::Contact(Box::new(x)))
        }
        #[cfg(feature = "companies")]
        ItemKind::Company => {
            typed(item).map_or_else(|error| Item::Undecoded { kind, error }, |x| Item::Company(Box::new(x)))
        }
        #[cfg(feature = "tickets")]
        ItemKind::Ticket => {
            typed(item).map_or_else(|error| Item::Undecoded { kind, error }, |x| Item::Ticket(Box::new(x)))
        }
        #[cfg(feature = "tags")]
        ItemKind::Tagging => tagging(item),
        _ => Item::Other,
    }
}

/// `value` as a `T`, or where it does not fit.
fn typed<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(decode_error)
}

/// A tagging item: `tag`, and the object under the key its `type` names (`contact` for
/// `contact_tag`), decoded as an item of that kind.
#[cfg(feature = "tags")]
fn tagging(item: &Value) -> Item {
    let tag = match item.get("tag").map(typed) {
        Some(Ok(tag)) => tag,
        Some(Err(error)) => {
            let error = DecodeError { path: format!("tag.{}", error.path), ..error };
            return Item::Undecoded { kind: ItemKind::Tagging, error };
        }
        None => {
            let error = DecodeError { path: "tag".to_owned(), message: "missing field `tag`".to_owned() };
            return Item::Undecoded { kind: ItemKind::Tagging, error };
        }
    };
    let key = item.get("type").and_then(Value::as_str).and_then(|t| t.strip_suffix("_tag"));
    let target = match key.and_then(|key| Some((key, item.get(key)?))) {
        Some(("contact" | "user", object)) => decode_item(ItemKind::Contact, object),
        Some(("company", object)) => decode_item(ItemKind::Company, object),
        Some(("conversation", object)) => decode_item(ItemKind::Conversation, object),
        Some(("ticket", object)) => decode_item(ItemKind::Ticket, object),
        _ => Item::Other,
    };
    let created_at = item.get("created_at").and_then(Value::as_i64);
    Item::Tagging(Box::new(Tagging { tag, target, created_at }))
}
