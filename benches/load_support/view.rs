//! The greeter with its `welcome` worker reading the payload through a view
//! (`PayloadView`): the same plugin, steps, routes and answer, but only the two fields the worker
//! reads are decoded. `LOAD_GREETER=view cargo bench --bench load` serves it in the greeter's place.

use envoy_plugin::prelude::*;
use envoy_plugin::user_api::UserApi;

use crate::greeter::{
    GreeterConfig, GreeterScopes, KioskPairing, PrinterLogin, badge_printed, check_greeting,
    check_kiosk, check_printer, farewell, flows, greeting_count, host_alert, invited,
    kiosk_pairing, languages, migrate_config, print_badge, visitor_type_values, visitor_types,
};

/// What `welcome` reads of the entry.
#[derive(Deserialize)]
pub struct Arrival {
    attributes: ArrivalAttributes,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ArrivalAttributes {
    full_name: String,
    host: Option<String>,
}

/// The greeter's `welcome` without follow-up invites (off in the benchmark's config), on a view.
#[event("entry_sign_in")]
pub async fn welcome(
    job: Job<GreeterConfig>,
    arrival: PayloadView<Arrival>,
    _api: UserApi<GreeterScopes>,
) -> JobResult {
    let entry = &arrival.attributes;
    let greeting = format!("{}, {}!", job.config().greeting, entry.full_name);
    let mut outcome = Outcome::done(format!("Greeted {}", entry.full_name))
        .attach(Attachment::text("Greeting", &greeting));
    if let Some(host) = &entry.host {
        outcome = outcome.attach(Attachment::text("Host", host));
    }
    Ok(outcome)
}

plugin! {
    /// The greeter, its `welcome` on a view.
    pub ViewGreeter {
        name: "Greeter",
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
