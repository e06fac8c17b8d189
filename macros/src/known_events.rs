//! The events the platform sends, as the macro checks them. The runtime's `envoy_plugin::events`
//! has a marker type of the same name for each; a generated worker names that type, so a name here
//! without a marker there fails to compile, and a test in the runtime keeps the two lists equal.

pub const EVENTS: &[&str] = &[
    "entry_sign_in",
    "entry_sign_out",
    "entry_blacklist_review",
    "entry_blacklist_deny",
    "employee_entry_sign_in",
    "employee_entry_sign_out",
    "employee_entry_blacklist_review",
    "employee_entry_blacklist_deny",
    "invite_created",
    "invite_updated",
    "invite_removed",
    "upcoming_visit",
    "qr_code_sent",
    "employee_invite_created",
    "employee_invite_updated",
    "employee_invite_removed",
    "employee_upcoming_visit",
    "location_capacity_updated",
    "desk_sign_in",
    "ticket_created",
    "plugin_uninstalled",
];
