//! The greeter: a small but real Envoy plugin.
//!
//! It welcomes visitors when they sign in (with the greeting as an attachment), notes sign-outs when
//! the install asks for it, and confirms new invites. Run it with
//! `ENVOY_CLIENT_SECRET=dev-secret cargo run --example greeter`, then send it a signed event (README).

use envoy_plugin::prelude::*;

/// The install config, as the plugin's setup steps save it.
#[derive(Debug, Deserialize)]
pub struct GreeterConfig {
    /// The greeting put before the visitor's name.
    #[serde(default = "default_greeting")]
    pub greeting: String,
    /// Whether sign-outs are acknowledged; when off, they are ignored.
    #[serde(default)]
    pub notify_on_sign_out: bool,
}

fn default_greeting() -> String {
    "Welcome".to_owned()
}

/// Greets a visitor who signed in, and shows the greeting on the job.
#[event("entry_sign_in")]
pub async fn welcome(job: Job<GreeterConfig>, entry: Entry) -> JobResult {
    let greeting = format!("{}, {}!", job.config().greeting, entry.full_name);
    let mut outcome = Outcome::done(format!("Greeted {}", entry.full_name))
        .attach(Attachment::text("Greeting", &greeting));
    if let Some(host) = &entry.host {
        outcome = outcome.attach(Attachment::text("Host", host));
    }
    Ok(outcome)
}

/// Acknowledges a sign-out, when the install has that turned on.
#[event("entry_sign_out")]
pub async fn farewell(job: Job<GreeterConfig>, entry: Entry) -> JobResult {
    if !job.config().notify_on_sign_out {
        return Ok(Outcome::ignored(
            "sign-out notes are turned off for this install",
        ));
    }
    let Some(signed_out_at) = &entry.signed_out_at else {
        return Ok(Outcome::failed("the entry has no sign-out time"));
    };
    Ok(Outcome::done(format!(
        "{} signed out at {}",
        entry.full_name,
        signed_out_at.format("%H:%M UTC")
    )))
}

/// Confirms a new invite and when the invitee is expected.
#[event("invite_created")]
pub async fn invited(invite: Invite) -> JobResult {
    let when = invite
        .expected_arrival_time
        .as_ref()
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unspecified time".to_owned());
    Ok(
        Outcome::done(format!("Expecting {} at {when}", invite.full_name))
            .debug_info(serde_json::json!({ "invite": invite.id.to_string() })),
    )
}

plugin! {
    /// The greeter plugin.
    pub Greeter {
        name: "Greeter",
        config: GreeterConfig,
        events: [welcome, farewell, invited],
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    envoy_plugin::run(Greeter).await
}
