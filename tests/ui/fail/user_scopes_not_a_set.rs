use envoy_plugin::prelude::*;

struct NotASet;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", user_scopes: NotASet, events: [welcome] }
}

fn main() {}
