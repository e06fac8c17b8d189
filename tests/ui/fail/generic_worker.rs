use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome<T: Default>(entry: Entry) -> JobResult {
    let _ = T::default();
    Ok(Outcome::done(entry.full_name.clone()))
}

fn main() {}
