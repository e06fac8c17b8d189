use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) {
    println!("{}", entry.full_name);
}

fn main() {}
