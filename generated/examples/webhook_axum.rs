//! The README's webhook example: an axum handler that checks each notification's signature,
//! decodes it and acts on its topic.
//!
//! Run it with `INTERCOM_CLIENT_SECRET=… cargo run -p intercom-api --features webhooks --example
//! webhook_axum`, and point the app's webhook URL at `/intercom/webhooks` on port 3000.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use intercom_api::webhooks::{Item, Notification, SIGNATURE_HEADER, WebhookError};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = Arc::new(std::env::var("INTERCOM_CLIENT_SECRET")?);
    let app = Router::new().route("/intercom/webhooks", post(receive)).with_state(secret);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app).await?;
    Ok(())
}

// The body is taken as raw bytes: the signature covers exactly what Intercom sent.
async fn receive(State(secret): State<Arc<String>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    let notification = match Notification::verify_and_decode(secret.as_bytes(), signature, &body) {
        Ok(notification) => notification,
        Err(WebhookError::Signature(e)) => {
            eprintln!("refused: {e}");
            return StatusCode::UNAUTHORIZED;
        }
        Err(e) => {
            eprintln!("refused: {e}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // Intercom delivers at least once: a real handler skips ids it has already seen.
    let topic = &notification.topic;
    match &notification.item {
        Item::Conversation(c) => println!("{topic}: conversation {:?}", c.id),
        Item::Contact(c) => println!("{topic}: contact {:?} <{:?}>", c.id, c.email),
        Item::Ticket(t) => println!("{topic}: ticket {:?}", t.ticket_id),
        Item::Tagging(t) => println!("{topic}: tag {:?}", t.tag.name),
        Item::Ping => println!("ping: the subscription works"),
        // Topics the crate has no type for, and items that do not fit theirs, stay readable.
        _ => println!("{topic}: {}", notification.item_json),
    }
    StatusCode::OK
}
