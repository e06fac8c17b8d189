//! Every mistake in one declaration, reported in one pass; the plugin still exists for `run`.
use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { nmae: "Greeter", events: [welcome, welcome], routes: welcome, colour: "blue" }
}

fn main() {
    let _ = envoy_plugin::run(Greeter);
}
