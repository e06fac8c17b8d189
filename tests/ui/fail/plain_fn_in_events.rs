//! A plain async fn (no `#[event]`) listed as a worker.
use envoy_plugin::prelude::*;

async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {}
