//! # envoy-plugin
//!
//! Write plugins for Envoy, the workplace platform, as typed async functions. Annotate a handler with
//! `#[event("entry_sign_in")]`, list it in one `plugin!` declaration, and get an actix-web server that
//! checks the signature of every request on its raw bytes, decodes the event into typed structs, runs
//! the handler and answers the status code the platform reads as the job's outcome.
//!
//! ```no_run
//! use envoy_plugin::prelude::*;
//!
//! #[derive(Deserialize)]
//! struct Config {
//!     #[serde(default)]
//!     greeting: Option<String>,
//! }
//!
//! #[event("entry_sign_in")]
//! async fn welcome(job: Job<Config>, entry: Entry) -> JobResult {
//!     let greeting = job.config().greeting.as_deref().unwrap_or("Welcome");
//!     Ok(Outcome::done(format!("{greeting}, {}", entry.full_name)))
//! }
//!
//! plugin! {
//!     Greeter { name: "Greeter", config: Config, events: [welcome] }
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     envoy_plugin::run(Greeter).await
//! }
//! ```
//!
//! What the platform sends and expects is in the models ([`Entry`], [`Invite`], [`EventMeta`], ...) and
//! in [`Outcome`]; every failure the framework produces itself is a [`PluginError`] answered with the
//! error taxonomy ([`ErrorKind`]).

#![warn(missing_docs)]

mod body;
mod context;
mod declaration;
mod decode;
mod error;
pub mod events;
mod extract;
mod job;
mod log;
pub mod model;
mod outcome;
mod secret;
mod serve;
mod settings;
mod signature;
mod worker;

pub use body::DEFAULT_BODY_LIMIT;
pub use context::PluginContext;
pub use declaration::{Plugin, configure};
pub use error::{ErrorKind, PluginError};
pub use extract::{ConfigType, EventParts, FromEvent};
pub use job::{Job, UntypedConfig};
pub use log::log_request;
pub use model::{
    Auth, Company, Entry, EntryAttributes, EnvoyObject, EventMeta, Id, Invite, InviteAttributes,
    JobMeta, Location, LocationAttributes, PlatformObject, RouteMeta, Timestamp, Zone,
};
pub use outcome::{Attachment, CredentialImage, IntoJobResult, JobResult, JobStatus, Outcome};
pub use secret::Secret;
pub use serve::{init_logging, run, serve};
pub use settings::{DEFAULT_BASE_URL, Settings, SettingsError};
pub use signature::{SIGNATURE_HEADER, SignatureVerifier, sign};
pub use worker::{Worker, WorkerInfo, WorkerRoute};

/// Declares an event worker: `#[event("entry_sign_in")]` on an `async fn`.
///
/// The function's arguments are taken from the verified request: the event's payload (`Entry`,
/// `Invite`, `Location` or `PlatformObject`), a [`Job`] with the typed install config, the
/// [`EventMeta`] or the [`actix_web::HttpRequest`]. It returns a [`JobResult`] (or an [`Outcome`]).
/// The route is `POST /events/<event>`; `path = "/..."` changes it.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[event("invite_created", path = "/hooks/invites")]
/// async fn invited(invite: Invite) -> JobResult {
///     Ok(Outcome::done(format!("{} is expected", invite.full_name)))
/// }
/// ```
pub use envoy_plugin_macros::event;

/// Declares the plugin: its name, install config type and workers, in order.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[event("entry_sign_in")]
/// async fn welcome(entry: Entry) -> JobResult {
///     Ok(Outcome::done(format!("Welcomed {}", entry.full_name)))
/// }
///
/// plugin! {
///     /// The greeter plugin.
///     pub Greeter {
///         name: "Greeter",
///         config: envoy_plugin::UntypedConfig,
///         events: [welcome],
///     }
/// }
///
/// assert_eq!(<Greeter as Plugin>::NAME, "Greeter");
/// assert_eq!(Greeter::workers()[0].path, "/events/entry_sign_in");
/// ```
pub use envoy_plugin_macros::plugin;

/// Everything a plugin usually needs, in one import.
pub mod prelude {
    pub use crate::{
        Attachment, Entry, EventMeta, Id, Invite, Job, JobResult, JobStatus, Location, Outcome,
        PlatformObject, Plugin, PluginError, Settings, event, plugin,
    };
    pub use serde::{Deserialize, Serialize};
}

/// What generated code uses. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::declaration::Plugin;
    pub use crate::events;
    pub use crate::extract::{ConfigType, EventParts, FromEvent};
    pub use crate::outcome::{IntoJobResult, JobResult};
    pub use crate::worker::{Worker, WorkerInfo, WorkerRoute, register_worker};

    /// Converts a worker's return value; the explicit type argument puts a wrong return type's error
    /// on the return type itself.
    pub fn into_job_result<T: IntoJobResult>(value: T) -> JobResult {
        value.into_job_result()
    }
    pub use actix_web;

    pub use crate::__placeholder_worker as placeholder_worker;

    /// The event of a placeholder worker (one whose `#[event]` failed to compile): it has no name, so
    /// it never collides with another worker in `plugin!`'s checks.
    #[derive(Debug, Clone, Copy)]
    pub struct PlaceholderEvent;

    impl events::Event for PlaceholderEvent {
        const NAME: &'static str = "";
        type Payload = crate::PlatformObject;
    }

    /// Whether two workers handle the same event (for the duplicate check in `plugin!`).
    pub const fn same_event<A: Worker, B: Worker>() -> bool {
        str_eq(
            <A::Event as events::Event>::NAME,
            <B::Event as events::Event>::NAME,
        )
    }

    /// Whether two workers are served at the same path (for the duplicate check in `plugin!`).
    pub const fn same_path<A: Worker, B: Worker>() -> bool {
        str_eq(A::PATH, B::PATH)
    }

    /// Equal and not empty (placeholders have empty names and paths).
    const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() || a.is_empty() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// The stand-in `#[event]` emits for a worker that failed to compile, so that the rest of the crate
/// (a `plugin!` listing it) still type-checks and only the real error is reported.
#[doc(hidden)]
#[macro_export]
macro_rules! __placeholder_worker {
    ($vis:vis $name:ident) => {
        #[allow(non_camel_case_types, dead_code)]
        $vis struct $name {}

        impl $crate::__private::Worker for $name {
            type Event = $crate::__private::PlaceholderEvent;
            const NAME: &'static str = "";
            const PATH: &'static str = "";

            fn config_types() -> ::std::vec::Vec<$crate::__private::ConfigType> {
                ::std::vec::Vec::new()
            }

            fn run(
                _: $crate::__private::EventParts<Self::Event>,
            ) -> impl ::std::future::Future<Output = $crate::__private::JobResult> + 'static {
                async { ::core::unreachable!("a worker that failed to compile is never served") }
            }
        }

        impl $crate::__private::actix_web::dev::HttpServiceFactory for $name {
            fn register(self, _: &mut $crate::__private::actix_web::dev::AppService) {}
        }
    };
}
