//! The plugin declaration: one ordered list of everything the plugin serves.

use std::any::TypeId;

use actix_web::web::{self, ServiceConfig};
use serde::de::DeserializeOwned;

use crate::Settings;
use crate::context::PluginContext;
use crate::job::UntypedConfig;
use crate::route::RouteInfo;
use crate::setup::StepDescription;
use crate::webhook::WebhookInfo;
use crate::worker::WorkerInfo;

/// A plugin: what `plugin! { ... }` implements for the unit struct it declares.
///
/// The same declaration registers the actix-web routes and describes the plugin (its workers, their
/// events and paths), so the two can never disagree.
pub trait Plugin: Clone + Send + 'static {
    /// The plugin's name, as in the Dev Dashboard.
    const NAME: &'static str;
    /// The install config type the plugin declares; workers read it through `Job<Config>`.
    type Config: DeserializeOwned + 'static;

    /// The plugin's description, for its listing.
    const DESCRIPTION: &'static str = "";

    /// The user scopes the plugin asks the installer for (`user_scopes: MySet` in `plugin!`),
    /// listed in the manifest.
    fn user_scopes() -> Option<crate::user_api::ScopeSetInfo> {
        None
    }

    /// The plugin's workers, in declaration order.
    fn workers() -> Vec<WorkerInfo>;

    /// The plugin's setup steps, in order.
    fn steps() -> Vec<StepDescription> {
        Vec::new()
    }

    /// The plugin's routes (validation, options, ...), in declaration order.
    fn routes() -> Vec<RouteInfo> {
        Vec::new()
    }

    /// The plugin's webhooks for other platforms (`#[webhook]`), in declaration order.
    fn webhooks() -> Vec<WebhookInfo> {
        Vec::new()
    }

    /// Registers every worker, route and webhook of the plugin, in declaration order.
    fn register(config: &mut ServiceConfig) {
        for worker in Self::workers() {
            worker.register(config);
        }
        for route in Self::routes() {
            route.register(config);
        }
        for webhook in Self::webhooks() {
            webhook.register(config);
        }
    }

    /// Checks what the compiler cannot: every worker reads the config type the plugin declares (or
    /// the untyped config). Run by [`configure`] and before the server starts.
    fn check() -> Result<(), String> {
        let declared = TypeId::of::<Self::Config>();
        for worker in Self::workers() {
            for config in &worker.config_types {
                if config.id != declared && config.id != TypeId::of::<UntypedConfig>() {
                    return Err(format!(
                        "worker `{}` reads its config as `{}`, but plugin `{}` declares `config: {}`",
                        worker.name,
                        config.name,
                        Self::NAME,
                        std::any::type_name::<Self::Config>()
                    ));
                }
            }
        }
        check_user_scopes::<Self>()
    }
}

/// Every scope a handler calls the user API with is one the plugin declares: the compiler checks
/// each call against the handler's `UserApi<Set>`, and this checks the set against the plugin's
/// `user_scopes`, which is what the installer is asked for.
fn check_user_scopes<P: Plugin>() -> Result<(), String> {
    let declared = P::user_scopes();
    let handlers = P::workers()
        .into_iter()
        .map(|w| (w.name, w.user_scope_sets))
        .chain(P::routes().into_iter().map(|r| (r.name, r.user_scope_sets)));
    for (handler, sets) in handlers {
        for set in sets {
            let missing = set.missing_from(declared.map_or(&[], |d| d.scopes));
            if missing.is_empty() {
                continue;
            }
            let missing = missing
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let declared = match declared {
                Some(d) => format!("declares `user_scopes: {}`, which lacks it", d.name),
                None => "declares no `user_scopes`".to_owned(),
            };
            return Err(format!(
                "`{handler}` calls the user API with `{}`, which needs the user scope {missing}, but plugin `{}` {declared}: list the scopes the handlers use in the plugin's `user_scopes` set",
                set.name,
                P::NAME,
            ));
        }
    }
    Ok(())
}

/// Registers `plugin`'s routes and the state they share (signature key, body limit) on an actix-web
/// app or scope, with a context of their own: for one app (a test, an in-process service).
///
/// Under an `HttpServer`, whose factory builds an app per worker thread, use [`configure_with`]
/// and one context made outside the factory: a context per thread would mean a delivery record
/// per thread (a duplicate delivery reaching another thread would run the worker again), and a
/// platform login per thread.
///
/// # Panics
/// When [`Plugin::check`] fails: a worker reads a config type the plugin does not declare.
///
/// ```
/// # use envoy_plugin::prelude::*;
/// # #[event("entry_sign_in")]
/// # async fn welcome(entry: Entry) -> JobResult { Ok(Outcome::done("hi")) }
/// # plugin! { Greeter { name: "Greeter", events: [welcome] } }
/// # actix_web::rt::System::new().block_on(async {
/// let settings = Settings::new("client secret");
/// let app = actix_web::test::init_service(
///     actix_web::App::new().configure(envoy_plugin::configure(Greeter, &settings)),
/// )
/// .await;
/// # let _ = app;
/// # });
/// ```
pub fn configure<P: Plugin>(
    plugin: P,
    settings: &Settings,
) -> impl FnOnce(&mut ServiceConfig) + use<P> {
    configure_with(plugin, web::Data::new(PluginContext::new(settings)))
}

/// [`configure`] with a context made beforehand: an `HttpServer` makes one and hands it to every
/// worker thread's app, so they share one delivery record (a duplicate delivery is answered from
/// it whichever thread it reaches), one API token and one connection pool.
///
/// # Panics
/// When [`Plugin::check`] fails.
///
/// ```no_run
/// # use envoy_plugin::prelude::*;
/// # #[event("entry_sign_in")]
/// # async fn welcome(entry: Entry) -> JobResult { Ok(Outcome::done("hi")) }
/// # plugin! { Greeter { name: "Greeter", events: [welcome] } }
/// use actix_web::{App, HttpServer, web};
/// use envoy_plugin::PluginContext;
/// # async fn serve() -> std::io::Result<()> {
/// let settings = Settings::new("client secret");
/// // One context for every worker thread: made outside the factory, cloned into it.
/// let context = web::Data::new(PluginContext::new(&settings));
/// HttpServer::new(move || {
///     App::new().configure(envoy_plugin::configure_with(Greeter, context.clone()))
/// })
/// .bind(("127.0.0.1", 8080))?
/// .run()
/// .await
/// # }
/// ```
pub fn configure_with<P: Plugin>(
    plugin: P,
    context: web::Data<PluginContext>,
) -> impl FnOnce(&mut ServiceConfig) + use<P> {
    move |config| {
        let _ = plugin;
        if let Err(problem) = P::check() {
            panic!("{problem}");
        }
        config.app_data(context);
        crate::health::register(config);
        crate::metrics::register(config);
        P::register(config);
    }
}
