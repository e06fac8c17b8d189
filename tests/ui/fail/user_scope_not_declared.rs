use envoy_plugin::prelude::*;
use envoy_plugin::user_api::UserApi;

envoy_plugin::user_scopes!(pub ReadOnly = [EmployeesRead]);

#[event("entry_sign_in")]
async fn follow_up(api: UserApi<ReadOnly>) -> JobResult {
    api.invites().delete("42").await?;
    Ok(Outcome::done("deleted"))
}

plugin! {
    Greeter { name: "Greeter", user_scopes: ReadOnly, events: [follow_up] }
}

fn main() {}
