use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(entry: Entry, greeting: String) -> JobResult {
    Ok(Outcome::done(format!("{greeting} {}", entry.full_name)))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(welcome);
}
