//! The greeter: a small but real Envoy plugin that uses every part of the framework.
//!
//! - Workers: it welcomes visitors when they sign in (with the greeting as an attachment), notes
//!   sign-outs when the install asks for it, confirms new invites, and passes on the notifications
//!   the platform sends it under a name of its own (`greeter_host_alert`, a custom event).
//! - Setup: a form step with every field type (text, checkbox, info, link, a searchable paginated
//!   select, a multi-select, a resource select, a mapping fed by cursor-paginated options), an
//!   OAuth2 step for a badge printer service and a pop-up step that pairs a kiosk.
//! - Routes: validation for each step, options, selected values, a remote value and a migration.
//! - Asynchronous work: badges for upcoming visits are printed by a (pretend) printer service; the
//!   worker answers "ongoing" and the printer's callback completes the job through the job API.
//! - The user API, acting as the installer: when the install asks for follow-ups, the sign-in
//!   worker looks up the visitor's host by email and invites the visitor back for the next day.
//!   The plugin declares the user scopes it uses (`GreeterScopes`); `dev` serves the user API from
//!   `examples/greeter-directory.json` (`--directory`).
//!
//! Run it with `ENVOY_CLIENT_SECRET=dev-secret cargo run --example greeter`; print what to enter in
//! the Dev Dashboard with `cargo run --example greeter -- manifest --base-url https://greeter.example.com`.

use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::HttpResponse;
use envoy_plugin::custom_events::Notification;
use envoy_plugin::prelude::*;
use envoy_plugin::user_api::{InviteDraft, UserApi};
use serde_json::{Value, json};

/// The greeting form: the first setup step, and the install config workers read.
#[derive(Debug, SetupForm, Serialize, Deserialize)]
#[form(
    title = "Greeting",
    info(text = "The greeter welcomes each visitor by name when they sign in."),
    link(
        label = "How the greeter works",
        url = "https://greeter.example.com/docs",
        popup
    )
)]
pub struct GreeterConfig {
    /// The greeting put before the visitor's name.
    #[field(text, label = "Greeting", required, placeholder = "Welcome")]
    #[serde(default = "default_greeting")]
    pub greeting: String,
    /// Whether the visitor is invited back for the next day, by their host (user API).
    #[field(checkbox, label = "Invite visitors back the next day")]
    #[serde(default)]
    pub follow_up_invites: bool,
    /// Whether sign-outs are acknowledged; when off, they are ignored.
    #[field(checkbox, label = "Acknowledge sign-outs")]
    #[serde(default)]
    pub notify_on_sign_out: bool,
    /// Which visitor type is greeted (a searchable, paginated select).
    #[field(select, label = "Visitor type", options = visitor_types, selected = visitor_type_values)]
    #[serde(default)]
    pub visitor_type: Option<String>,
    /// Languages of the greeting (a multi-select).
    #[field(select, label = "Languages", options = languages, multiple)]
    #[serde(default)]
    pub languages: Vec<String>,
    /// Locations where the greeter runs.
    #[field(resource, label = "Locations", resource = "locations", multiple)]
    #[serde(default)]
    pub locations: Vec<String>,
    /// A badge colour per sign-in flow (left: flows, loaded by cursor; right: text).
    #[field(mapping, label = "Badge colour per flow", options = flows, to = text)]
    #[serde(default)]
    pub badge_colours: BTreeMap<String, String>,
}

fn default_greeting() -> String {
    "Welcome".to_owned()
}

/// What the badge printer service returns at the end of its OAuth2 flow.
#[derive(Debug, OAuth2Step, Deserialize)]
#[oauth2(
    title = "Connect the badge printer",
    authorize_url = "https://printer.example.com/oauth/authorize",
    token_url = "https://printer.example.com/oauth/token",
    scopes = ["badges:print"],
    client_id_variable = "PRINTER_CLIENT_ID",
    client_secret_variable = "PRINTER_CLIENT_SECRET"
)]
pub struct PrinterLogin {
    /// The printer service's access token.
    pub access_token: envoy_plugin::Secret,
    /// The printer account.
    #[serde(default)]
    pub account: Option<String>,
}

/// What the kiosk pairing pop-up passes back.
#[derive(Debug, PopupStep, Deserialize)]
#[popup(title = "Pair a kiosk", content = kiosk_pairing)]
pub struct KioskPairing {
    /// The kiosk's code, typed by the installer in the pop-up.
    pub kiosk_code: String,
}

/// Where this plugin is served (its callback URLs start here).
pub const PLUGIN_URL: &str = "https://greeter.example.com";

/// Where the platform's pop-up callback lives (shown in the Dev Dashboard for the pop-up step).
pub const POPUP_CALLBACK_URL: &str = "https://app.envoy.com/platform/popup-callback";

envoy_plugin::user_scopes! {
    /// What the greeter asks the installer for: it reads employees and writes invites.
    pub GreeterScopes = [EmployeesRead, InvitesWrite]
}

// ----- workers -----

/// Greets a visitor who signed in, and shows the greeting on the job. When the install asks for
/// follow-ups, invites the visitor back for the next day, hosted by the same employee (looked up by
/// email through the user API, as the installer).
#[event("entry_sign_in")]
pub async fn welcome(
    job: Job<GreeterConfig>,
    entry: Entry,
    api: UserApi<GreeterScopes>,
) -> JobResult {
    let greeting = format!("{}, {}!", job.config().greeting, entry.full_name);
    let mut outcome = Outcome::done(format!("Greeted {}", entry.full_name))
        .attach(Attachment::text("Greeting", &greeting));
    if let Some(host) = &entry.host {
        outcome = outcome.attach(Attachment::text("Host", host));
    }
    if job.config().follow_up_invites {
        outcome = outcome.attach(follow_up(&api, &entry).await?);
    }
    Ok(outcome)
}

/// Invites the visitor of `entry` back for tomorrow, hosted by their host; says what it did.
async fn follow_up(api: &UserApi<GreeterScopes>, entry: &Entry) -> Result<Attachment, PluginError> {
    let Some(email) = entry.host_email.as_deref() else {
        return Ok(Attachment::text(
            "Follow-up",
            "no host to invite the visitor back",
        ));
    };
    let Some(host) = api.employees().by_email(email).await? else {
        return Ok(Attachment::text(
            "Follow-up",
            format!("no employee has the email {email}"),
        ));
    };
    let tomorrow = entry
        .signed_in_at
        .as_ref()
        .map_or_else(chrono::Utc::now, |at| at.utc())
        + chrono::Duration::days(1);
    let mut draft = InviteDraft::new(entry.full_name.clone(), tomorrow)
        .host(host.id.clone())
        .user_datum("Purpose of visit", "Follow-up");
    if let Some(email) = &entry.email {
        draft = draft.email(email.clone());
    }
    if let Some(location) = host.location_ids().first() {
        draft = draft.location((*location).clone());
    }
    let invite = api.invites().create(&draft).await?;
    Ok(Attachment::text(
        "Follow-up",
        format!(
            "invited back by {} (invite {})",
            host.attributes.name.unwrap_or_default(),
            invite.id
        ),
    ))
}

/// Passes on a notification the platform sends this plugin under a name it assigns to it (a
/// custom event), with its message as an attachment.
#[event(custom = "greeter_host_alert", payload = Notification)]
pub async fn host_alert(notification: Notification) -> JobResult {
    let recipient = notification.recipient.unwrap_or_default();
    let to = recipient
        .email
        .or_else(|| recipient.name.and_then(|name| name.full))
        .unwrap_or_else(|| "nobody".to_owned());
    Ok(
        Outcome::done(format!("Alerted {to}")).attach(Attachment::text(
            "Message",
            notification.message.unwrap_or_default(),
        )),
    )
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
            .debug_info(json!({ "invite": invite.id.to_string() })),
    )
}

/// Starts printing a badge for an upcoming visit. The printer works asynchronously: the job is
/// answered ongoing, and the printer calls `badge_printed` back with a job handle when it is done.
#[event("upcoming_visit")]
pub async fn print_badge(job: Job<GreeterConfig>, invite: Invite) -> JobResult {
    let handle = job.handle(badge_printed, Duration::from_secs(60 * 60))?;
    let callback = format!(
        "{PLUGIN_URL}{}?token={handle}",
        <badge_printed as envoy_plugin::Endpoint>::PATH
    );
    // A real plugin sends `callback` to the printer service here; the greeter remembers the request.
    job.install_storage()
        .set(
            &format!("badge:{}", job.id()),
            &json!({"name": invite.full_name, "callback_set": !callback.is_empty()}),
        )
        .await?;
    Ok(Outcome::ongoing(format!(
        "Printing a badge for {}",
        invite.full_name
    )))
}

/// The printer's callback: completes (or fails) the job its handle names.
#[callback]
pub async fn badge_printed(job: JobApi, result: Value) -> Result<(), PluginError> {
    match result["status"].as_str() {
        Some("printed") => {
            let url = result["badge_url"].as_str().unwrap_or_default();
            job.complete(
                "Badge printed",
                vec![Attachment::link("Badge", "Open the badge", url)],
            )
            .await?;
        }
        _ => {
            let reason = result["error"]
                .as_str()
                .unwrap_or("the printer gave no reason");
            job.fail("The badge could not be printed", reason).await?;
        }
    }
    Ok(())
}

// ----- setup routes -----

/// The visitor types offered, 3 to a page.
const VISITOR_TYPES: &[(&str, &str)] = &[
    ("Visitor", "visitor"),
    ("Contractor", "contractor"),
    ("Interview", "interview"),
    ("Delivery", "delivery"),
    ("Vendor", "vendor"),
];

/// Options of the visitor type select: searchable, 3 per page.
#[options(searchable, paginated)]
pub async fn visitor_types(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    let search = query.search.as_deref().unwrap_or("").to_lowercase();
    let page = query.page_or_first() as usize;
    Ok(VISITOR_TYPES
        .iter()
        .filter(|(label, _)| label.to_lowercase().contains(&search))
        .skip((page - 1) * 3)
        .take(3)
        .map(|(label, value)| SelectOption::new(*label, *value))
        .collect())
}

/// The options of visitor types saved earlier, which may lie past the first page.
#[selected_values]
pub async fn visitor_type_values(
    query: SelectedValuesQuery,
) -> Result<Vec<SelectOption>, PluginError> {
    Ok(VISITOR_TYPES
        .iter()
        .filter(|(_, value)| query.values.iter().any(|v| v == value))
        .map(|(label, value)| SelectOption::new(*label, *value))
        .collect())
}

/// Languages of the greeting; Klingon is shown but cannot be chosen.
#[options]
pub async fn languages(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![
        SelectOption::new("English", "en"),
        SelectOption::new("Deutsch", "de"),
        SelectOption::new("Klingon", "tlh").disabled(),
    ])
}

/// Sign-in flows, two per page, by cursor.
#[options(cursor)]
pub async fn flows(query: CursorQuery) -> Result<CursorPage, PluginError> {
    const FLOWS: &[&str] = &["Visitor", "Employee", "Delivery"];
    let start: usize = match query.cursor.as_deref() {
        None => 0,
        Some(cursor) => cursor.parse().map_err(|_| {
            PluginError::new(envoy_plugin::ErrorKind::InvalidData, "unknown cursor")
        })?,
    };
    let page: Vec<_> = FLOWS
        .iter()
        .skip(start)
        .take(2)
        .map(|f| SelectOption::new(*f, f.to_lowercase()))
        .collect();
    let next = start + 2;
    Ok(if next < FLOWS.len() {
        CursorPage::next(page, next.to_string())
    } else {
        CursorPage::last(page)
    })
}

/// Validates the greeting form: a long greeting is refused; a greeting is saved trimmed. (An empty
/// one never gets here: the field is `required`, which the framework checks first.)
#[validate(GreeterConfig)]
pub async fn check_greeting(form: GreeterConfig) -> Result<Validation, PluginError> {
    let greeting = form.greeting.trim();
    if greeting.len() > 60 {
        return Ok(Validation::reject("Keep the greeting under 60 characters"));
    }
    Ok(Validation::save(GreeterConfig {
        greeting: greeting.to_owned(),
        ..form
    })
    // Versions before 0.2 saved the greeting under `message`.
    .remove("message"))
}

/// Saves the printer account; the token itself belongs in storage, never in the config.
#[validate(PrinterLogin)]
pub async fn check_printer(login: PrinterLogin) -> Result<Validation, PluginError> {
    if login.access_token.is_empty() {
        return Ok(Validation::reject("The printer service returned no token"));
    }
    Ok(Validation::save_nothing().set("printer_account", login.account.unwrap_or_default()))
}

/// Saves the paired kiosk.
#[validate(KioskPairing)]
pub async fn check_kiosk(pairing: KioskPairing) -> Result<Validation, PluginError> {
    if pairing.kiosk_code.len() != 6 {
        return Ok(Validation::reject("A kiosk code has 6 characters"));
    }
    Ok(Validation::save_nothing().set("kiosk", pairing.kiosk_code))
}

/// The pop-up's page: a kiosk code read from the query (a real pop-up would show a form first).
#[popup_content(KioskPairing)]
pub async fn kiosk_pairing(request: PopupRequest) -> HttpResponse {
    match request.query.get("code") {
        Some(code) => request.complete(POPUP_CALLBACK_URL, &[("kiosk_code", code)]),
        // The state comes from the query string: escaped, as everything from outside the page.
        None => envoy_plugin::html::page(
            "Pair a kiosk",
            &format!(
                r#"<form><label>Kiosk code <input name="code"></label><input type="hidden" name="state" value="{}"><button>Pair</button></form>"#,
                envoy_plugin::html::escape(&request.state)
            ),
        ),
    }
}

/// How many greetings the install has made (shown read-only in the setup).
#[remote_value]
pub async fn greeting_count(meta: RouteMeta) -> Result<String, PluginError> {
    Ok(format!("install {}: 0 greetings so far", meta.install_id))
}

/// Moves configs saved by versions before 0.2 (`message`) to the current key (`greeting`).
#[migration]
pub async fn migrate_config(meta: RouteMeta) -> Result<Value, PluginError> {
    let mut config = meta.config.clone();
    if let Some(object) = config.as_object_mut()
        && let Some(message) = object.remove("message")
    {
        object.entry("greeting").or_insert(message);
    }
    Ok(config)
}

plugin! {
    /// The greeter plugin.
    pub Greeter {
        name: "Greeter",
        description: "Greets every visitor by name, acknowledges sign-outs and confirms invites.",
        config: GreeterConfig,
        user_scopes: GreeterScopes,
        steps: [GreeterConfig, PrinterLogin, KioskPairing],
        events: [welcome, farewell, invited, print_badge, host_alert],
        routes: [
            badge_printed,
            check_greeting, check_printer, check_kiosk, kiosk_pairing,
            visitor_types, visitor_type_values, languages, flows,
            greeting_count, migrate_config,
        ],
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    envoy_plugin::run(Greeter).await
}
