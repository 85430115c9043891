//! The README's example: a client for the EU region, one contact, one handled error.
//!
//! Run it with `INTERCOM_TOKEN=… cargo run -p intercom-api --example quickstart`.

use intercom_api::{Client, Error, Region};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("INTERCOM_TOKEN").unwrap_or_default();
    let client = Client::builder(token).region(Region::Eu).build()?;
    let contact = client.contacts().show_contact("6329bd9ffe4e2e91dac76188").await?;
    println!("{:?} (HTTP {})", contact.email, contact.status());
    match client.conversations().retrieve_conversation(147).await {
        Err(Error::ErrorResponse(e)) => eprintln!("{}: {:?}", e.status(), e.errors),
        other => println!("{:?}", other.map(|r| r.into_inner().id)),
    }
    Ok(())
}
