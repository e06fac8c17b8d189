use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(invite: Invite) -> JobResult {
    Ok(Outcome::done(invite.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(welcome);
}
