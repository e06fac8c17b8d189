//! Three mistakes in one attribute and one in the function: all four reported at once.
use envoy_plugin::prelude::*;

#[event("entry_signin", pth = "/hooks/sign-in", budget = "soon")]
fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {
    let _ = actix_web::App::new().service(welcome);
}
