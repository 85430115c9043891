//! Eleven everyday tasks against Intercom, written as a user of the crate would write them: no
//! `unwrap`, no `expect`, and no `ok_or` on an id or on a body Intercom always sends. The tests
//! compile it; running it needs a workspace's token and changes that workspace.
//!
//! `INTERCOM_TOKEN=… INTERCOM_ADMIN_ID=… INTERCOM_TAG_ID=… INTERCOM_TICKET_TYPE_ID=…
//! INTERCOM_CLIENT_SECRET=… cargo run -p intercom-api --features webhooks --example everyday`

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::TryStreamExt;
use intercom_api::types::{
    AdminReplyConversationRequest, AdminReplyConversationRequestMessageType as ReplyKind,
    AttachTagToContactRequest, CloseConversationRequest, ContactSearchRequest, ConversationAttachmentFiles,
    CreateContactRequest, CreateTicketRequest, CreateTicketRequestContactsItemId, ManageConversationRequest,
    ReplyConversationRequest, SingleFilterSearchRequest, SingleFilterSearchRequestOperator as Op,
    TicketRequestCustomAttributesValue as AttributeValue, UpdateContactRequest,
};
use intercom_api::webhooks::{Item, Notification};
use intercom_api::{Client, Error, ErrorKind, Method, Nullable, RateLimited, RequestOptions};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> Result<()> {
    let client = Client::new(std::env::var("INTERCOM_TOKEN")?)?;
    let admin_id = std::env::var("INTERCOM_ADMIN_ID")?;
    let tag_id = std::env::var("INTERCOM_TAG_ID")?;
    let ticket_type_id = std::env::var("INTERCOM_TICKET_TYPE_ID")?;

    let contact_id = set_plan_by_email(&client, "ada@example.com", "enterprise").await?;
    let new_contact_id = create_and_tag(&client, "grace@example.com", &tag_id).await?;
    reply_and_close(&client, "123456", &admin_id).await?;
    let ticket_id = create_ticket(&client, &ticket_type_id, &contact_id).await?;
    let (companies, contacts) = count_companies_and_contacts(&client).await?;
    println!("ticket {ticket_id}; {companies} companies, {contacts} contacts");
    explain(client.contacts().get("no-such-contact").await.map(|_| ()));
    // 8. Calls an endpoint through `raw()`, with the client's auth, retries and typed errors.
    let me = client.raw(Method::GET, "/me").send_json().await?.into_inner();
    println!("the token belongs to {}", me["email"]);
    send_file(&client, "123456", &admin_id).await?;
    careful_get(&client, &new_contact_id).await?;
    clear_phone(&client, &new_contact_id).await?;
    let secret = std::env::var("INTERCOM_CLIENT_SECRET")?;
    handle_webhook(&secret, None, br#"{"type":"notification_event","topic":"ping","data":{"item":{}}}"#);
    Ok(())
}

/// 1. Finds a contact by email and sets a custom attribute on it.
async fn set_plan_by_email(client: &Client, email: &str, plan: &str) -> Result<String> {
    let query = SingleFilterSearchRequest::filter("email", Op::Eq, email);
    let found = client.contacts().search(ContactSearchRequest::new(query)).await?.into_inner();
    let Some(contact) = found.data.unwrap_or_default().into_iter().next() else {
        return Err(format!("no contact has the email {email}").into());
    };
    let attributes = BTreeMap::from([("plan".to_owned(), serde_json::json!(plan))]);
    let update = UpdateContactRequest::default().custom_attributes(attributes);
    client.contacts().update(&contact.id, update).await?;
    Ok(contact.id)
}

/// 2. Creates a contact and tags it.
async fn create_and_tag(client: &Client, email: &str, tag_id: &str) -> Result<String> {
    let created = client.contacts().create(CreateContactRequest::default().email(email)).await?.into_inner();
    client.tags().attach_contact(&created.id, AttachTagToContactRequest::new(tag_id)).await?;
    Ok(created.id)
}

/// 3. Replies to a conversation as an admin, then closes it.
async fn reply_and_close(client: &Client, conversation_id: &str, admin_id: &str) -> Result<()> {
    let reply =
        AdminReplyConversationRequest::new(ReplyKind::Comment, admin_id).body("Fixed in today's release.");
    client.conversations().reply(conversation_id, ReplyConversationRequest::from(reply)).await?;
    let close = CloseConversationRequest::new(admin_id).body("Closing: the fix is live.");
    client.conversations().manage(conversation_id, ManageConversationRequest::from(close)).await?;
    Ok(())
}

/// 4. Creates a ticket with attributes.
async fn create_ticket(client: &Client, ticket_type_id: &str, contact_id: &str) -> Result<String> {
    let attributes = BTreeMap::from([
        ("_default_title_".to_owned(), Some(AttributeValue::String("Refund".to_owned()))),
        ("amount".to_owned(), Some(AttributeValue::Number(42.5))),
    ]);
    let contact = CreateTicketRequestContactsItemId::new(contact_id);
    let request =
        CreateTicketRequest::new(ticket_type_id, vec![contact.into()]).ticket_attributes(attributes);
    let ticket = client.tickets().create(request).await?.into_inner();
    Ok(ticket.id)
}

/// 5. Scrolls every company and pages through every contact.
async fn count_companies_and_contacts(client: &Client) -> Result<(usize, usize)> {
    let companies: Vec<_> = client.companies().scroll().items().try_collect().await?;
    let mut contacts = client.contacts().list().items();
    let mut count = 0;
    while let Some(contact) = contacts.try_next().await? {
        count += usize::from(!contact.id.is_empty());
    }
    Ok((companies.len(), count))
}

/// 6. Tells a 404 from a 429 from a 422, with the request id Intercom's support asks for.
fn explain(outcome: std::result::Result<(), Error>) {
    let Err(e) = outcome else { return };
    let request = e.request_id().unwrap_or("none");
    match e.status().map(|s| s.as_u16()) {
        Some(404) => eprintln!("not found (request {request})"),
        Some(429) => eprintln!("rate limited until {:?} (request {request})", e.rate_limit()),
        Some(422) => eprintln!("rejected: {e} (request {request})"),
        _ if e.kind() == ErrorKind::Timeout => eprintln!("timed out"),
        _ => eprintln!("failed: {e}"),
    }
}

/// 7. Checks a webhook's signature and decodes it.
fn handle_webhook(secret: &str, signature: Option<&[u8]>, body: &[u8]) {
    match Notification::verify_and_decode(secret, signature, body) {
        Ok(notification) => match notification.item {
            Item::Contact(contact) => println!("{}: contact {}", notification.topic, contact.id),
            Item::Ping => println!("ping"),
            _ => println!("{}: {}", notification.topic, notification.item_json),
        },
        Err(e) => eprintln!("refused: {e}"),
    }
}

/// 9. Sends a file with a reply (Intercom takes it base64-encoded in the body).
async fn send_file(client: &Client, conversation_id: &str, admin_id: &str) -> Result<()> {
    let file = ConversationAttachmentFiles::default()
        .name("invoice.txt")
        .content_type("text/plain")
        .data("SW52b2ljZSAxMjM=");
    let note = AdminReplyConversationRequest::new(ReplyKind::Note, admin_id).attachment_files(vec![file]);
    client.conversations().reply(conversation_id, note.into()).await?;
    Ok(())
}

/// 10. Reads a contact with a per-request timeout and another `Intercom-Version`.
async fn careful_get(client: &Client, contact_id: &str) -> Result<()> {
    let options = RequestOptions::new().timeout(Duration::from_secs(5)).api_version("2.15");
    let contact = client.contacts().get(contact_id).options(options).await?.into_inner();
    println!("{} <{}>", contact.id, contact.email.unwrap_or_default());
    Ok(())
}

/// 11. Clears a contact's phone with an explicit `null`.
async fn clear_phone(client: &Client, contact_id: &str) -> Result<()> {
    client.contacts().update(contact_id, UpdateContactRequest::default().phone(Nullable::Null)).await?;
    Ok(())
}
