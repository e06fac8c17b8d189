use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {}
