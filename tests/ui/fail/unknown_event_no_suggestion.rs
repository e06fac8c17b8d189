use envoy_plugin::prelude::*;

#[event("badge_printed")]
async fn printed(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
