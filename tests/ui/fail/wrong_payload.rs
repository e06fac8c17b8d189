use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
async fn welcome(invite: Invite) -> JobResult {
    Ok(Outcome::done(invite.full_name.clone()))
}

plugin! {
    Greeter { name: "Greeter", events: [welcome] }
}

fn main() {}
