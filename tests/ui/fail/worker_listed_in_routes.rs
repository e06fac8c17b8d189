//! A worker listed where routes go.
use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", routes: [welcome] }
}

fn main() {
    let _ = actix_web::App::new().service(welcome);
}
