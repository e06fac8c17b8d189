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
        Ok(())
    }
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
        P::register(config);
    }
}
