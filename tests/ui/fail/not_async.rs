use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(welcome);
}
