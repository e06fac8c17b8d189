//! Starting a plugin: settings from the environment, logging, the HTTP server.

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::Settings;
use crate::context::PluginContext;
use crate::declaration::{Plugin, configure_with};
use crate::drain::{Drain, drain_requests, stop_signal};
use crate::log::log_request;

/// Serves `plugin` with these settings on `settings.host:settings.port`, logging one line per request.
///
/// On SIGTERM or Ctrl-C it drains: new requests are answered 503 `WEBHOOK_UNAVAILABLE` (and
/// `/readyz` 503), while in-flight requests and the workers still running after a 202 (with their
/// outcome reports) get up to `settings.drain_bound` ([`crate::DRAIN_BOUND`]) to finish; then the server
/// stops. When something did not finish, its jobs are logged and this answers an error, so the
/// process exits non-zero.
pub async fn serve<P: Plugin>(plugin: P, settings: Settings) -> std::io::Result<()> {
    let address = (settings.host.clone(), settings.port);
    // Before the port is bound, so that a stop request is never missed.
    let stopped = stop_signal();
    let context = web::Data::new(PluginContext::new(&settings));
    context.api().check().map_err(std::io::Error::other)?;
    // A delivery store on a server (Redis) connects now: a bad URL or an unreachable server stops
    // the plugin here, with the reason, instead of answering every event 503.
    context
        .deliveries
        .ready()
        .await
        .map_err(|e| std::io::Error::other(format!("{e}: check REDIS_URL")))?;
    let api = context.api().clone();
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
    .shutdown_timeout(settings.drain_bound.as_secs() + 5)
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
    if api.needs_login() {
        // The first login, ahead of the first event: readiness (`/readyz`) waits for it.
        actix_web::rt::spawn(async move {
            let mut wait = std::time::Duration::from_secs(1);
            while let Err(err) = api.token().await {
                tracing::warn!(error = %err, "the platform login failed; trying again in {wait:?}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(std::time::Duration::from_secs(30));
            }
        });
    }
    tracing::info!(
        "  health at GET {} (liveness) and GET {} (readiness)",
        crate::health::LIVENESS_PATH,
        crate::health::READINESS_PATH
    );
    let server = server.run();
    let handle = server.handle();
    let drain_bound = settings.drain_bound;
    let stopping = actix_web::rt::spawn(async move {
        stopped.await;
        tracing::info!("shutting down: new requests are answered 503 while in-flight ones finish");
        drain.begin();
        let drained = drain.drained(drain_bound).await;
        if !drained {
            for job in drain.background_jobs() {
                tracing::error!(job = %job, "the worker of this job did not finish within the drain bound: its outcome is not reported");
            }
            tracing::error!(
                in_flight = drain.in_flight(),
                "requests and jobs still running when the drain bound passed"
            );
        }
        handle.stop(true).await;
        drained
    });
    server.await?;
    match stopping.await {
        Ok(false) => Err(std::io::Error::other(
            "the plugin stopped before all its work had finished (see the log for the jobs)",
        )),
        _ => Ok(()),
    }
}
