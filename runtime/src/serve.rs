//! Starting a plugin: settings from the environment, logging, the HTTP server.

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::Settings;
use crate::context::PluginContext;
use crate::declaration::{Plugin, configure_with};
use crate::drain::{DRAIN_BOUND, Drain, drain_requests, stop_signal};
use crate::log::log_request;

/// Serves `plugin` with these settings on `settings.host:settings.port`, logging one line per request.
///
/// On SIGTERM or Ctrl-C it drains: new requests are answered 503 `WEBHOOK_UNAVAILABLE`, in-flight
/// handlers get up to [`DRAIN_BOUND`] to finish, then the server stops.
pub async fn serve<P: Plugin>(plugin: P, settings: Settings) -> std::io::Result<()> {
    let address = (settings.host.clone(), settings.port);
    let context = web::Data::new(PluginContext::new(&settings));
    let drain = Drain::new();
    let shared_drain = web::Data::new(drain.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(shared_drain.clone())
            .wrap(from_fn(drain_requests))
            .wrap(from_fn(log_request))
            .configure(configure_with(plugin.clone(), context.clone()))
    })
    .disable_signals()
    .shutdown_timeout(DRAIN_BOUND.as_secs() + 5)
    .bind(address)?;
    for (ip, port) in server.addrs().iter().map(|a| (a.ip(), a.port())) {
        tracing::info!("plugin `{}` listening on http://{ip}:{port}", P::NAME);
    }
    for worker in P::workers() {
        tracing::info!(
            "  worker `{}` for `{}` at POST {}",
            worker.name,
            worker.event,
            worker.path
        );
    }
    for webhook in P::webhooks() {
        tracing::info!("  webhook `{}` at POST {}", webhook.name, webhook.path);
    }
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        stop_signal().await;
        tracing::info!("shutting down: new requests are answered 503 while in-flight ones finish");
        drain.begin();
        if !drain.drained(DRAIN_BOUND).await {
            tracing::warn!(
                in_flight = drain.in_flight(),
                "handlers still running when the drain bound passed"
            );
        }
        handle.stop(true).await;
    });
    server.await
}
