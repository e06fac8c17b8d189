use envoy_plugin::prelude::*;

#[event]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
