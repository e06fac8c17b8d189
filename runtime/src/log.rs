//! Logging: one line per request (method, path, status, job outcome, duration; never headers or
//! bodies, so never a signature or a secret), written off the request path.

use std::io::{BufWriter, IsTerminal as _};
use std::time::Instant;

use actix_web::HttpMessage as _;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::JobStatus;

/// Middleware that logs each request with `tracing` once it is answered.
///
/// Installed by [`crate::serve`]; add it to your own app with
/// `App::new().wrap(actix_web::middleware::from_fn(envoy_plugin::log_request))`.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    // A handle on the request (a reference count, not a copy of its path): the line is built
    // from it once the answer is in, and only if the line is logged at all.
    let request = req.request().clone();
    let result = next.call(req).await;
    match &result {
        Ok(res) if tracing::enabled!(tracing::Level::INFO) => {
            let millis = started.elapsed().as_secs_f64() * 1000.0;
            let outcome = request
                .extensions()
                .get::<JobStatus>()
                .map_or("-", |s| s.as_str());
            tracing::info!(
                method = %request.method(),
                path = request.path(),
                status = res.status().as_u16(),
                outcome,
                duration_ms = format_args!("{millis:.2}"),
                "request"
            );
        }
        Ok(_) => {}
        Err(err) => {
            let millis = started.elapsed().as_secs_f64() * 1000.0;
            tracing::warn!(
                method = %request.method(),
                path = request.path(),
                error = %err,
                duration_ms = format_args!("{millis:.2}"),
                "request"
            )
        }
    }
    result
}

/// Keeps the log's writer thread going; dropping it writes out the lines still queued. Hold it for
/// as long as the program logs (`let _log = init_logging();` in `main`).
#[must_use = "dropping the guard stops the log's writer thread"]
#[derive(Debug)]
pub struct LogGuard {
    // Held for its `Drop`, which writes out what is queued.
    _writer: tracing_appender::non_blocking::WorkerGuard,
}

/// Logs to stderr through `tracing`, filtered by `RUST_LOG` (default `info`). Answers `None`, and
/// does nothing, when the application has set up a subscriber already.
///
/// Lines are formatted on the thread that logs and written by a thread of their own, in batches:
/// a request never waits for a write to stderr, and a busy server makes one write for many lines,
/// not one per line. No line is dropped: when the writer falls behind by 128k lines, logging waits.
pub fn init_logging() -> Option<LogGuard> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::stderr().is_terminal();
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("envoy-plugin-log")
        // Flushed by the writer thread each time it has emptied its queue.
        .finish(BufWriter::with_capacity(64 * 1024, std::io::stderr()));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer)
        .try_init()
        .ok()?;
    Some(LogGuard { _writer: guard })
}
