use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry, greeting: String) -> JobResult {
    Ok(Outcome::done(format!("{greeting} {}", entry.full_name)))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {}
