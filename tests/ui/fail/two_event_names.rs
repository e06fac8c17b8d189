use envoy_plugin::prelude::*;

#[event("entry_sign_in", "entry_sign_out")]
async fn visitor(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
