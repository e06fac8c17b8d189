//! A webhook served at a worker's path: the message names both and the path.
use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

#[webhook(auth = none, path = "/events/entry_sign_in")]
async fn order_created(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

plugin! {
    Hooks { name: "Hooks", events: [welcome], webhooks: [order_created] }
}

fn main() {}
