use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> String {
    entry.full_name.clone()
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {}
