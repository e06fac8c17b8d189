//! Starting a plugin: settings from the environment, logging, the HTTP server.

use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::Settings;
use crate::context::PluginContext;
use crate::declaration::{Plugin, configure_with};
use crate::log::log_request;

/// Serves `plugin` with these settings on `settings.host:settings.port`, logging one line per request.
pub async fn serve<P: Plugin>(plugin: P, settings: Settings) -> std::io::Result<()> {
    let address = (settings.host.clone(), settings.port);
    let context = web::Data::new(PluginContext::new(&settings));
    let server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(log_request))
            .configure(configure_with(plugin.clone(), context.clone()))
    })
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
    server.run().await
}

/// Logs to stderr through `tracing`, filtered by `RUST_LOG` (default `info`). Does nothing when the
/// application has set up a subscriber already.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}
