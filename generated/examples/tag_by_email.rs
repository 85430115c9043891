//! The README's second example: find a contact by email with a search, then tag it, telling a
//! missing contact (404) apart from a rate limit (429).
//!
//! Run it with `INTERCOM_TOKEN=… cargo run -p intercom-api --example tag_by_email -- EMAIL TAG_ID`.

use intercom_api::types::{
    AttachTagToContactRequest, ContactSearchRequest, MultipleFilterSearchRequest, SingleFilterSearchRequest,
    SingleFilterSearchRequestOperator as Op,
};
use intercom_api::{Client, ErrorKind, RateLimited};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(email), Some(tag_id)) = (args.next(), args.next()) else {
        return Err("usage: tag_by_email EMAIL TAG_ID".into());
    };
    let client = Client::new(std::env::var("INTERCOM_TOKEN")?)?;
    // Filters combine with `and` and `or`; a single filter is a query too.
    let query = MultipleFilterSearchRequest::and(vec![
        SingleFilterSearchRequest::filter("email", Op::Eq, email.as_str()),
        SingleFilterSearchRequest::filter("role", Op::Eq, "user"),
    ]);
    let found = client.contacts().search(ContactSearchRequest::new(query)).await?.into_inner();
    let Some(contact) = found.data.unwrap_or_default().into_iter().next() else {
        return Err(format!("no contact has the email {email}").into());
    };
    let tag = AttachTagToContactRequest::new(tag_id);
    match client.tags().attach_contact(contact.id, tag).await {
        Ok(tag) => println!("tagged: {:?}", tag.into_inner().name),
        Err(e) if e.is_not_found() => eprintln!("no such tag or contact"),
        Err(e) if e.is_rate_limited() => eprintln!("rate limited until {:?}", e.rate_limit()),
        Err(e) if e.kind() == ErrorKind::Timeout => eprintln!("timed out; try again"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
