//! The one shape of everything a plugin serves: what every handler attribute (`#[event]`,
//! `#[validate]`, `#[options]`, `#[selected_values]`, `#[remote_value]`, `#[migration]`,
//! `#[popup_content]`, `#[callback]`, `#[webhook]`) implements for the unit struct it makes of a
//! handler.
//!
//! An [`Endpoint`] names its [`EndpointKind`] (a [`Worker`](crate::worker::Worker) of an event, a
//! [`Route`](crate::route::Route) of a route kind, a [`PopupPage`](crate::route::PopupPage) of a
//! step, a [`Callback`](crate::route::Callback), a [`Webhook`](crate::webhook::Webhook)); the kind
//! decides what the handler's `run` is given, what it answers, which settings it has and how it is
//! served. The generated `HttpServiceFactory` goes through [`register`], so there is one serving
//! function per kind and none per handler.
//!
//! The plugin's declaration reads each listed endpoint through its kind's entry:
//! [`WorkerInfo`](crate::worker::WorkerInfo), [`RouteInfo`](crate::route::RouteInfo) or
//! [`WebhookInfo`](crate::webhook::WebhookInfo). The kinds depend on this module, never the other
//! way round.

use std::future::Future;
use std::time::Duration;

use actix_web::dev::{AppService, HttpServiceFactory};

use crate::extract::ConfigType;
use crate::user_api::ScopeSetInfo;

/// A handler the framework serves: the unit struct an attribute makes of an `async fn`.
///
/// Read its metadata from the handler's name, e.g. the path a callback is served at, to tell the
/// system that calls back:
///
/// ```
/// use envoy_plugin::prelude::*;
/// use envoy_plugin::Endpoint;
///
/// #[callback]
/// async fn badge_printed(job: envoy_plugin::api::JobApi) -> Result<(), PluginError> {
///     job.complete("Badge printed", vec![]).await?;
///     Ok(())
/// }
///
/// assert_eq!(<badge_printed as Endpoint>::PATH, "/callbacks/badge_printed");
/// assert!(!<badge_printed as Endpoint>::SETTINGS.allow_get);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a handler of this framework",
    label = "not declared with a handler attribute",
    note = "annotate an async fn with `#[event(\"...\")]`, `#[validate(Step)]`, `#[options]`, `#[selected_values]`, `#[remote_value]`, `#[migration]`, `#[popup_content(Step)]`, `#[callback]` or `#[webhook(auth = ...)]`"
)]
pub trait Endpoint: Sized + 'static {
    /// What the endpoint is: it decides the handler's inputs, its answer, its settings and how it
    /// is served.
    type Kind: EndpointKind;
    /// The handler's name, for logs and messages (empty for a declaration that failed to compile).
    const NAME: &'static str;
    /// The path it is served at (empty for a declaration that failed to compile).
    const PATH: &'static str;
    /// Its own time budget (`budget = "..."`), instead of the settings' default.
    const BUDGET: Option<Duration> = None;
    /// The settings of its kind (a webhook's authentication and limits, a callback's methods).
    const SETTINGS: <Self::Kind as EndpointKind>::Settings;

    /// The install config types the handler's arguments read (a worker's `Job<Config>`).
    fn config_types() -> Vec<ConfigType> {
        Vec::new()
    }

    /// The user-scope sets the handler's arguments call the user API with, checked against the
    /// plugin's `user_scopes` before the server starts.
    fn user_scope_sets() -> Vec<ScopeSetInfo> {
        Vec::new()
    }

    /// Takes the handler's arguments from the request's parts and runs it.
    fn run(
        parts: <Self::Kind as EndpointKind>::Parts,
    ) -> impl Future<Output = <Self::Kind as EndpointKind>::Output> + 'static;
}

/// A kind of endpoint: what its handler is given and answers, its settings, and how it is served.
pub trait EndpointKind: Sized + 'static {
    /// What the handler's arguments are taken from.
    type Parts;
    /// What the handler's `run` answers, once its return value is converted.
    type Output;
    /// The kind's own settings (`()` when it has none).
    type Settings: 'static;

    /// Registers endpoint `E` of this kind as an actix-web resource.
    fn register<E: Endpoint<Kind = Self>>(config: &mut AppService);
}

/// Registers endpoint `E`, through its kind: what the `HttpServiceFactory` every attribute emits
/// calls. A declaration that failed to compile (no path) registers nothing.
pub fn register<E: Endpoint>(config: &mut AppService) {
    if !E::PATH.is_empty() {
        <E::Kind as EndpointKind>::register::<E>(config);
    }
}

/// Endpoint `E` as an actix-web service, for the declaration's `ServiceConfig`.
pub(crate) struct Service<E>(std::marker::PhantomData<E>);

impl<E: Endpoint> Service<E> {
    pub(crate) fn new() -> Self {
        Service(std::marker::PhantomData)
    }
}

impl<E: Endpoint> HttpServiceFactory for Service<E> {
    fn register(self, config: &mut AppService) {
        register::<E>(config);
    }
}
