use envoy_plugin::prelude::*;

#[event("entry_sign_in", pth = "/hooks/sign-in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
