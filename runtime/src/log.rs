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
    // The path is read from the answered request; it is copied beforehand only for the rare line
    // of a request that ends in an error (no request left to read it from), and only if it is long.
    let method = req.method().clone();
    let path = PathCopy::of(req.path());
    let result = next.call(req).await;
    let logged = tracing::enabled!(tracing::Level::INFO);
    match &result {
        Ok(res) if logged || crate::metrics::TIMED => {
            let request = res.request();
            let outcome = request
                .extensions()
                .get::<JobStatus>()
                .map_or("-", |s| s.as_str());
            // Counted here, where every answered request passes, with its job outcome.
            crate::metrics::request(request, res.status().as_u16(), outcome);
            if !logged {
                return result;
            }
            let millis = started.elapsed().as_secs_f64() * 1000.0;
            tracing::info!(
                %method,
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
                %method,
                path = path.as_str(),
                error = %err,
                duration_ms = format_args!("{millis:.2}"),
                "request"
            )
        }
    }
    result
}

/// A copy of a request's path, on the stack when it is short (every generated route's is).
enum PathCopy {
    Short { bytes: [u8; 96], len: usize },
    Long(String),
}

impl PathCopy {
    fn of(path: &str) -> Self {
        let mut bytes = [0; 96];
        match bytes.get_mut(..path.len()) {
            Some(to) => {
                to.copy_from_slice(path.as_bytes());
                PathCopy::Short {
                    bytes,
                    len: path.len(),
                }
            }
            None => PathCopy::Long(path.to_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // A copy of a whole `&str`: valid UTF-8.
            PathCopy::Short { bytes, len } => std::str::from_utf8(&bytes[..*len]).unwrap_or("?"),
            PathCopy::Long(path) => path,
        }
    }
}

/// How many formatted lines wait for the log's writer thread at most.
pub const LOG_QUEUE_LINES: usize = 4096;

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
/// Lines are formatted on the thread that logs and written by a thread of their own: a request
/// never waits for a write to stderr. Lines are written together only while the writer is behind;
/// when it keeps up, it writes each line as it comes (one `write` per line). No line is dropped:
/// when the writer falls behind by [`LOG_QUEUE_LINES`] lines, logging waits.
pub fn init_logging() -> Option<LogGuard> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::stderr().is_terminal();
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        // The queue's slots are allocated (and touched) up front: 4096 lines are 128 KiB, where
        // the default of 128k lines would be 4 MiB of resident memory before the first request.
        .buffered_lines_limit(LOG_QUEUE_LINES)
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
