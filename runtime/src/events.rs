//! The events the platform sends to workers, each a marker type that names its payload.
//!
//! `#[event("entry_sign_in")]` refers to [`entry_sign_in`] here; the macro rejects names that are not
//! in this list (with a "did you mean"), and the marker's [`Event::Payload`] is the type the worker's
//! payload argument must have. The markers keep the platform's snake_case names so that compiler
//! messages speak of `entry_sign_in`, not of a Rust rendering of it.
#![allow(non_camel_case_types)]

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{Entry, Invite, Location, PlatformObject};

/// An event the platform sends to workers.
pub trait Event: 'static {
    /// The event's name on the wire (`meta.event`).
    const NAME: &'static str;
    /// The typed object in the request's `payload`.
    type Payload: DeserializeOwned + Serialize + 'static;
}

macro_rules! events {
    ($($(#[$doc:meta])* $name:ident => $payload:ty;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Event for $name {
                const NAME: &'static str = stringify!($name);
                type Payload = $payload;
            }
        )*
        /// Every event name the framework knows, in the order of the platform's documentation.
        pub const ALL: &[&str] = &[$(stringify!($name)),*];

        /// Every event with the name of its payload type (`Entry`, `Invite`, `Location`,
        /// `PlatformObject`).
        pub const PAYLOADS: &[(&str, &str)] = &[$((stringify!($name), stringify!($payload))),*];
    };
}

/// Calls `$callback! { event => Payload; ... }` with every event, so another module (`extract`,
/// which lets a worker take the payload) can derive what it needs from the one list without this
/// module depending on it.
macro_rules! event_list {
    ($callback:ident) => {
        $callback! {
        /// A visitor signed in. Payload: [`Entry`].
        entry_sign_in => Entry;
        /// A visitor signed out. Payload: [`Entry`].
        entry_sign_out => Entry;
        /// A visitor matched the block list and awaits review. Payload: [`Entry`].
        entry_blacklist_review => Entry;
        /// A visitor on the block list was denied. Payload: [`Entry`].
        entry_blacklist_deny => Entry;
        /// An employee signed in. Payload: [`Entry`].
        employee_entry_sign_in => Entry;
        /// An employee signed out. Payload: [`Entry`].
        employee_entry_sign_out => Entry;
        /// An employee matched the block list and awaits review. Payload: [`Entry`].
        employee_entry_blacklist_review => Entry;
        /// An employee on the block list was denied. Payload: [`Entry`].
        employee_entry_blacklist_deny => Entry;
        /// An invite was created. Payload: [`Invite`].
        invite_created => Invite;
        /// An invite was changed. Payload: [`Invite`].
        invite_updated => Invite;
        /// An invite was removed. Payload: [`Invite`].
        invite_removed => Invite;
        /// An invited visit is coming up. Payload: [`Invite`].
        upcoming_visit => Invite;
        /// An invite's QR code was sent. Payload: [`Invite`].
        qr_code_sent => Invite;
        /// An employee invite was created. Payload: [`Invite`].
        employee_invite_created => Invite;
        /// An employee invite was changed. Payload: [`Invite`].
        employee_invite_updated => Invite;
        /// An employee invite was removed. Payload: [`Invite`].
        employee_invite_removed => Invite;
        /// An employee's invited visit is coming up. Payload: [`Invite`].
        employee_upcoming_visit => Invite;
        /// A location's capacity changed. Payload: [`Location`].
        location_capacity_updated => Location;
        /// Someone signed in at a desk. Payload: [`PlatformObject`] (untyped for now).
        desk_sign_in => PlatformObject;
        /// A ticket was created (beta). Payload: [`PlatformObject`] (untyped for now).
        ticket_created => PlatformObject;
        /// The plugin is being uninstalled. Payload: [`PlatformObject`], the install being removed.
        plugin_uninstalled => PlatformObject;
            }
    };
}
pub(crate) use event_list;

event_list!(events);
