use envoy_plugin::custom_events::{Notification, Takeover};
use envoy_plugin::prelude::*;

#[event(custom = "acme_alert", payload = Notification)]
async fn alert(notification: Notification, job: Job) -> JobResult {
    Ok(Outcome::done(format!("{:?} for {}", notification.message, job.id())))
}

#[event(custom = "acme_takeover", payload = Takeover, path = "/hooks/takeover")]
async fn show(takeover: Takeover) -> JobResult {
    Ok(Outcome::done(takeover.id.to_string()))
}

plugin! {
    Alerts { name: "Alerts", events: [alert, show] }
}

fn main() {
    assert_eq!(Alerts::workers()[0].event, "acme_alert");
    assert_eq!(Alerts::workers()[1].path, "/hooks/takeover");
}
