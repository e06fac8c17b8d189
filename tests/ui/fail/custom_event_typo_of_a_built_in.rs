// A custom name one letter away from a built-in event's is a warning (an error here, with
// `deny(deprecated)`), in case it is a typo.
#![deny(deprecated)]

use envoy_plugin::custom_events::Notification;
use envoy_plugin::prelude::*;

#[event(custom = "entry_sign_n", payload = Notification)]
async fn alert(notification: Notification) -> JobResult {
    Ok(Outcome::done(notification.message.unwrap_or_default()))
}

fn main() {}
