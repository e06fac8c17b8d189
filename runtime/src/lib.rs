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
//! error taxonomy ([`ErrorKind`]). A retried event whose job has an outcome already is answered from
//! a record ([`deliveries`]); webhooks of other platforms are declared with
//! [`#[webhook]`](macro@webhook).
//!
//! New here? The [`guide`] answers a newcomer's questions one page each, and its tutorial builds a
//! tested plugin step by step.
//!
//! Features, none on by default, so that a production build carries no test kit: `dev` (the `dev`,
//! `send`, `options`, `validate` and `setup` commands: `cargo run --features envoy-plugin/dev --
//! dev`), `testing` (the test kit, `testing`, for dev-dependencies), `stand-in` (the local
//! platform, `stand_in`), `redis` (a duplicate-delivery store on Redis, shared by replicas),
//! `metrics` (Prometheus metrics at `GET /metrics`, [`metrics`]).

#![warn(missing_docs)]

pub mod api;
#[cfg(feature = "stand-in")]
mod background;
mod body;
mod cli;
mod context;
pub mod custom_events;
mod declaration;
mod decode;
pub mod deliveries;
#[cfg(feature = "dev")]
pub mod dev;
mod drain;
pub mod endpoint;
mod error;
pub mod events;
mod extract;
pub mod filters;
pub mod guide;
mod handler;
pub mod health;
pub mod html;
mod job;
mod log;
pub mod manifest;
pub mod metrics;
pub mod model;
mod outcome;
pub mod route;
mod secret;
mod serve;
mod settings;
pub mod setup;
mod signature;
#[cfg(feature = "stand-in")]
pub mod stand_in;
#[cfg(feature = "testing")]
pub mod testing;
pub mod user_api;
pub mod webhook;
pub mod worker;

pub use body::DEFAULT_BODY_LIMIT;
pub use cli::run;
pub use context::PluginContext;
pub use declaration::{Plugin, configure, configure_with};
pub use drain::{DRAIN_BOUND, Drain, drain_requests};
pub use endpoint::Endpoint;
pub use error::{ErrorKind, PluginError};
pub use extract::PayloadView;
pub use job::{Job, UntypedConfig};
pub use log::{
    LOG_BUFFER_BYTES, LOG_FLUSH_INTERVAL, LogGuard, LogWriter, init_logging, init_logging_to,
    log_request,
};
pub use model::{
    Auth, Company, Entry, EntryAttributes, EnvoyObject, EventMeta, Id, Invite, InviteAttributes,
    JobMeta, Lazy, Location, LocationAttributes, PlatformObject, RouteMeta, Timestamp, Zone,
};
pub use outcome::{Attachment, CredentialImage, IntoJobResult, JobResult, JobStatus, Outcome};
pub use route::{
    CursorPage, CursorQuery, OptionsQuery, SelectOption, SelectedValuesQuery, Validation,
};
pub use secret::Secret;
pub use serve::serve;
pub use settings::{
    DEFAULT_BASE_URL, DEFAULT_BUDGET, DEFAULT_READ_TIMEOUT, Settings, SettingsError,
};
pub use setup::{PopupRequest, SetupStep};
pub use signature::{SIGNATURE_HEADER, SignatureVerifier, sign};

/// The JSON crate the framework speaks: [`Value`](serde_json::Value) is what a migration returns,
/// a callback's body and an attachment's JSON; `json!` builds them. Re-exported so a plugin needs
/// no dependency of its own for it (the prelude has `json!` and `Value`); a plugin that does
/// depend on `serde_json` 1 gets the same types.
pub use serde_json;

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

/// Declares the validation route of a setup step: `#[validate(MyStep)]` on an `async fn`.
///
/// The handler takes the step's struct (decoded from `payload`), and may take `RouteMeta` and
/// `HttpRequest`; it returns a [`Validation`] (or `Result<Validation, E>`). Served at
/// `POST /routes/<fn name>` unless `path = "/..."` says otherwise.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[derive(SetupForm, Serialize, Deserialize)]
/// struct ApiKey {
///     #[field(text, label = "API key", required)]
///     api_key: String,
/// }
///
/// #[validate(ApiKey)]
/// async fn check_api_key(form: ApiKey) -> Result<Validation, PluginError> {
///     if form.api_key.len() < 8 {
///         return Ok(Validation::reject("That API key is too short"));
///     }
///     Ok(Validation::save(form))
/// }
/// ```
pub use envoy_plugin_macros::validate;

/// Declares an options route: `#[options]`, `#[options(searchable, paginated)]` or
/// `#[options(cursor)]` (optionally with `searchable`) on an `async fn`.
///
/// A plain or paginated handler takes [`OptionsQuery`] and returns `Vec<SelectOption>`; a cursor
/// handler takes [`CursorQuery`] and returns a [`CursorPage`]. A select naming a paginated or cursor
/// handler must also name a `#[selected_values]` handler.
///
/// A paginated handler answers page `query.page_or_first()` (from 1) of a size it chooses (the
/// platform sends none), and an empty list past the end: the dropdown asks for the next page as the
/// installer scrolls, and an empty page tells it there are no more. A cursor page without a cursor
/// is the last. [`guide::paging`] has the rules in full.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// const PAGE_SIZE: usize = 2;
///
/// #[options(searchable, paginated)]
/// async fn visitor_types(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
///     let all = ["Visitor", "Contractor", "Interview", "Delivery", "Vendor"];
///     let search = query.search.as_deref().unwrap_or("").to_lowercase();
///     let page = query.page_or_first() as usize;
///     Ok(all.iter()
///         .filter(|t| t.to_lowercase().contains(&search))
///         .skip((page - 1) * PAGE_SIZE) // pages 1, 2 and 3 hold 2, 2 and 1 types;
///         .take(PAGE_SIZE)              // page 4 is empty: the end of the list
///         .map(|t| SelectOption::new(*t, t.to_lowercase()))
///         .collect())
/// }
/// ```
pub use envoy_plugin_macros::options;

/// Declares the selected-values route of a paginated select: takes [`SelectedValuesQuery`], returns
/// the options of those values (`Vec<SelectOption>`).
pub use envoy_plugin_macros::selected_values;

/// Declares a remote-value route: returns the value as a `String` (answered `{"value": ...}`).
pub use envoy_plugin_macros::remote_value;

/// Declares a migration route: takes the old config (from [`RouteMeta`]'s `config`) and returns the
/// new one as a `serde_json::Value`.
pub use envoy_plugin_macros::migration;

/// Declares the content URL of a pop-up step: `#[popup_content(MyStep)]` on an
/// `async fn(PopupRequest) -> HttpResponse`, served at `GET /popup/<fn name>` (not signed: the
/// installer's browser opens it; another method is 405). End the pop-up with
/// [`PopupRequest::complete`]. The page runs inside the same guards as every handler: a panic is a
/// structured 500 and the server keeps serving, and it has the settings' time budget. The generated
/// unit struct is an actix-web service (`App::new().service(my_popup_content)`).
pub use envoy_plugin_macros::popup_content;

/// Declares a callback route for work handed to another system: `#[callback]` on an `async fn`
/// taking any of `JobApi` (the job the handle names), `Id`, `UserApi<S>` (acting as the installer
/// of the job's install, which the handle names: see [`user_api`]), `serde_json::Value` (the body)
/// and `HttpRequest`, returning `Result<(), PluginError>`. Served at `POST /callbacks/<fn name>`
/// (`path = "/..."` changes it; `#[callback(get)]` accepts `GET` too, for a system that can only
/// redirect a browser). Not signed by the platform, it must carry a job handle made for it by
/// [`Job::handle`], in `Authorization: Bearer <handle>` (preferred) or `?token=<handle>`: without
/// one, with one for another callback, expired or not yet valid it answers 401, and a handle used
/// before answers 409; the handler does not run. The handle is checked before the body is read.
/// The generated unit struct is an actix-web service (`App::new().service(badge_printed)`).
///
/// ```
/// use envoy_plugin::prelude::*;
/// use envoy_plugin::api::JobApi;
///
/// #[callback]
/// async fn badge_printed(job: JobApi) -> Result<(), PluginError> {
///     job.complete("Badge printed", vec![]).await?;
///     Ok(())
/// }
///
/// #[event("upcoming_visit")]
/// async fn print_badge(job: Job<envoy_plugin::UntypedConfig>) -> JobResult {
///     let handle = job.handle(badge_printed, std::time::Duration::from_secs(600))?;
///     // hand the work over with `Authorization: Bearer {handle}` for the call back
///     # let _ = handle;
///     Ok(Outcome::ongoing("Printing"))
/// }
/// ```
///
/// A callback that acts as the installer: its `UserApi` gets the installer's token through the
/// `plugin_install` grant for the install the handle names (a handle made by `Job::handle` names
/// it; one made from a bare job id does not, and the callback then fails with a 500 saying so).
/// Its scope set is checked against the plugin's `user_scopes` before the server starts, as a
/// worker's is.
///
/// ```
/// use envoy_plugin::prelude::*;
/// use envoy_plugin::user_api::UserApi;
///
/// envoy_plugin::user_scopes!(pub Scopes = [EmployeesRead]);
///
/// #[callback]
/// async fn host_found(
///     job: JobApi,
///     api: UserApi<Scopes>,
///     body: serde_json::Value,
/// ) -> Result<(), PluginError> {
///     let email = body["email"].as_str().unwrap_or_default();
///     match api.employees().by_email(email).await? {
///         Some(host) => job.complete(format!("host is {}", host.id), vec![]).await?,
///         None => job.ignore("no host", format!("no employee has the email {email}")).await?,
///     }
///     Ok(())
/// }
///
/// plugin! { Lookup { name: "Lookup", user_scopes: Scopes, routes: [host_found] } }
/// # assert_eq!(<Lookup as Plugin>::check(), Ok(()));
/// ```
pub use envoy_plugin_macros::callback;

/// Declares a webhook for a platform other than Envoy (epilot, GitHub-style senders, ...):
/// `#[webhook(auth = ...)]` on an `async fn`.
///
/// The function takes its payload, any `T: DeserializeOwned` decoded from the whole body, and may
/// take actix-web's [`HttpRequest`](actix_web::HttpRequest). It returns `Result<T, E>` (`E` is
/// [`PluginError`] or any error `?` converts): `T: Serialize` is answered 200 with `T` as JSON,
/// `HttpResponse` as it is, `()` 204. An `Err(PluginError::new(kind, message))` is answered with that
/// row of the taxonomy. What an argument is and how the answer is written follow from the types
/// themselves ([`webhook::shape`]), so type aliases and re-exports behave like the originals; each
/// argument other than the request is decoded from the whole body.
///
/// | argument | meaning | default |
/// | --- | --- | --- |
/// | `auth = hmac(header = "...", secret_env = "...", algorithm = "sha256", encoding = "hex", prefix = "")` | an HMAC of the raw body in `header`, keyed with the variable `secret_env`; `algorithm` is `"sha256"`, `"sha384"` or `"sha512"`, `encoding` `"hex"` or `"base64"`, `prefix` what precedes it (`"sha256="` for GitHub) | required, one of the three |
/// | `auth = bearer(env = "...")` | `Authorization: Bearer <token>`, the token in the variable `env` | |
/// | `auth = none` | no authentication (say so explicitly) | |
/// | `path = "/..."` | where it is served (`POST` only) | `/webhooks/<fn name>` |
/// | `allow_from = ["10.0.0.0/8", "127.0.0.1"]` | the peer addresses or networks allowed to call (403 otherwise) | any |
/// | `read_timeout = "10s"` | how long the body may take to arrive (408 after) | [`DEFAULT_READ_TIMEOUT`] |
/// | `budget = "5s"` | how long the handler may run (504 after) | [`DEFAULT_BUDGET`] |
/// | `request_id_header = "..."` | the header echoed as `error.request_id` | `X-Request-Id` |
///
/// Secrets are read from the environment when the route is registered; an unset one makes the
/// webhook answer 503 naming the variable. The generated unit struct is an actix-web service
/// (`App::new().service(order_created)`), and `plugin! { ..., webhooks: [order_created] }` lists
/// it. Every failure has the body `{"message", "error": {"message", "type", "code",
/// "request_id"?}}`; see [`webhook`](mod@webhook) and the README for which situation gives which
/// row.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[derive(Deserialize)]
/// struct Opportunity {
///     opportunity_id: String,
///     street_name: String,
/// }
///
/// #[derive(Serialize)]
/// struct Accepted {
///     id: String,
/// }
///
/// #[webhook(
///     path = "/epilot/opportunity",
///     auth = hmac(header = "X-Epilot-Signature", algorithm = "sha256", encoding = "hex", secret_env = "EPILOT_WEBHOOK_SECRET"),
///     budget = "5s",
/// )]
/// async fn opportunity_completed(o: Opportunity) -> Result<Accepted, PluginError> {
///     if o.street_name.is_empty() {
///         return Err(PluginError::new(ErrorKind::InvalidData, "property 'street_name' is empty"));
///     }
///     Ok(Accepted { id: o.opportunity_id })
/// }
///
/// let app = actix_web::App::new().service(opportunity_completed);
/// # let _ = app;
/// ```
pub use envoy_plugin_macros::webhook;

/// Derives a form setup step from a struct: `#[field(...)]` on each field, `#[form(...)]` on the
/// struct. Every widget and setting is in [`guide::fields`].
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[derive(SetupForm, Serialize, Deserialize)]
/// #[form(title = "Greeting")]
/// struct Greeting {
///     #[field(text, label = "Greeting", required, placeholder = "Welcome")]
///     greeting: String,
///     #[field(checkbox, label = "Notify the host")]
///     #[serde(default)]
///     notify_host: bool,
/// }
/// ```
pub use envoy_plugin_macros::SetupForm;

/// Derives an OAuth2 setup step: `#[oauth2(title, authorize_url, token_url, scopes,
/// client_id_variable, client_secret_variable)]`. The struct is what the provider returns.
pub use envoy_plugin_macros::OAuth2Step;

/// Derives a pop-up setup step: `#[popup(title, content = my_popup_content)]`. The struct is what
/// the pop-up passes back.
pub use envoy_plugin_macros::PopupStep;

/// Everything a plugin usually needs, in one import: the attributes and derives, the models and
/// answers, serde's `Deserialize` and `Serialize`, and serde_json's `json!` and `Value`.
///
/// The serde derives write paths to the `serde` crate, so a plugin lists `serde` (with `derive`)
/// among its dependencies; `serde_json` it need not (it is [`crate::serde_json`]).
pub mod prelude {
    pub use crate::api::JobApi;
    pub use crate::{
        Attachment, CursorPage, CursorQuery, Entry, EventMeta, Id, Invite, Job, JobResult,
        JobStatus, Location, OptionsQuery, Outcome, PayloadView, PlatformObject, Plugin,
        PluginError, PopupRequest, RouteMeta, SelectOption, SelectedValuesQuery, Settings,
        Validation, callback, event, migration, options, plugin, popup_content, remote_value,
        selected_values, validate,
    };
    pub use crate::{ErrorKind, webhook};
    pub use crate::{OAuth2Step, PopupStep, SetupForm};
    pub use serde::{Deserialize, Serialize};
    pub use serde_json::{Value, json};
}

/// What generated code uses. Not a public API: it changes without notice.
#[doc(hidden)]
#[path = "contract.rs"]
pub mod __private;
