//! The README's example: a client for the EU region, every contact as a stream, and a rate-limit
//! error told apart from the others.
//!
//! Run it with `INTERCOM_TOKEN=… cargo run -p intercom-api --example quickstart`.

use intercom_api::{Client, RateLimited, Region};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder(std::env::var("INTERCOM_TOKEN")?).region(Region::Eu).build()?;
    let mut contacts = client.contacts().list().per_page(50).items();
    while let Some(contact) = contacts.next().await {
        match contact {
            Ok(contact) => println!("{:?} {:?}", contact.id, contact.email),
            Err(e) if e.is_rate_limited() => eprintln!("rate limited until {:?}", e.rate_limit()),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
