use envoy_plugin::prelude::*;

#[event("entry_sign_in", budget = "soon")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
