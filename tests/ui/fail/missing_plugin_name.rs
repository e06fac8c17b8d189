use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { events: [welcome] }
}

fn main() {}
