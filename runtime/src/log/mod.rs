//! Logging: one line per request (method, path, status, job outcome, duration; never headers or
//! bodies, so never a signature or a secret), written off the request path.

use std::io::IsTerminal as _;
use std::time::Instant;

use actix_web::HttpMessage as _;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::JobStatus;

mod batch;
mod line;

pub use batch::{LOG_BUFFER_BYTES, LOG_FLUSH_INTERVAL, LogGuard, LogWriter};

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
            tracing::info!(
                %method,
                path = request.path(),
                status = res.status().as_u16(),
                outcome,
                duration_ms = %Millis(started.elapsed()),
                "request"
            );
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(
                %method,
                path = path.as_str(),
                error = %err,
                duration_ms = %Millis(started.elapsed()),
                "request"
            )
        }
    }
    result
}

/// A duration in milliseconds with two decimals (`0.42`), written without floating point.
struct Millis(std::time::Duration);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Rounded to the nearest hundredth of a millisecond, as `{:.2}` of the float would.
        let hundredths = (self.0.as_nanos() + 5_000) / 10_000;
        write!(f, "{}.{:02}", hundredths / 100, hundredths % 100)
    }
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

/// Logs to stderr through `tracing`, filtered by `RUST_LOG` (default `info`). Answers `None`, and
/// does nothing, when the application has set up a subscriber already.
///
/// Lines are tracing-subscriber's default format (with colours on a terminal). They are formatted
/// on the thread that logs, into a buffer in memory, and written out by a thread of their own
/// ([`LogWriter`]): at most [`LOG_FLUSH_INTERVAL`] after they are logged, many lines in one
/// `write`. A request never waits for stderr, and no line is dropped: when [`LOG_BUFFER_BYTES`]
/// wait already, logging waits.
pub fn init_logging() -> Option<LogGuard> {
    // No writer thread for a subscriber that cannot be installed.
    if tracing::dispatcher::has_been_set() {
        return None;
    }
    let ansi = std::io::stderr().is_terminal();
    let (writer, guard) = LogWriter::new(std::io::stderr());
    init_subscriber(writer, ansi).then_some(guard)
}

/// Logs as [`init_logging`] does, without colours, to `out` (a file, a pipe) instead of stderr.
///
/// ```
/// let file = std::fs::File::create(std::env::temp_dir().join("plugin.log")).unwrap();
/// let _log = envoy_plugin::init_logging_to(file);
/// tracing::info!("written to the file within 50 ms, and at the latest when `_log` is dropped");
/// ```
pub fn init_logging_to(out: impl std::io::Write + Send + 'static) -> Option<LogGuard> {
    if tracing::dispatcher::has_been_set() {
        return None;
    }
    let (writer, guard) = LogWriter::new(out);
    init_subscriber(writer, false).then_some(guard)
}

/// Sets the process's subscriber up; `false` when one was set up already.
fn init_subscriber(writer: LogWriter, ansi: bool) -> bool {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    if ansi {
        builder.with_ansi(true).try_init().is_ok()
    } else {
        // The same bytes as the default format without colours, cheaper to write.
        builder
            .with_ansi(false)
            .event_format(line::PlainLine)
            .fmt_fields(line::PlainFields)
            .try_init()
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Millis;
    use std::time::Duration;

    #[test]
    fn durations_show_milliseconds_with_two_decimals() {
        let shown = |micros: u64| Millis(Duration::from_micros(micros)).to_string();
        assert_eq!(shown(0), "0.00");
        assert_eq!(shown(4), "0.00");
        assert_eq!(shown(5), "0.01");
        assert_eq!(shown(420), "0.42");
        assert_eq!(shown(1_234_567), "1234.57");
    }
}
