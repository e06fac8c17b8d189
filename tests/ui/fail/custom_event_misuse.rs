use envoy_plugin::custom_events::Notification;
use envoy_plugin::prelude::*;

#[event(custom = "entry_sign_in", payload = Notification)]
async fn built_in_name(notification: Notification) -> JobResult {
    Ok(Outcome::done(notification.message.unwrap_or_default()))
}

#[event(custom = "acme_alert")]
async fn no_payload(notification: Notification) -> JobResult {
    Ok(Outcome::done(notification.message.unwrap_or_default()))
}

#[event("entry_sign_in", payload = Notification)]
async fn payload_of_a_built_in(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

#[event(custom = "acme_alert", payload = Notification)]
async fn wrong_argument(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
