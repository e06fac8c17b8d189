//! Running a user's handler: a panic becomes a 500 answer, never a dead connection or worker thread.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt as _;

use crate::PluginError;

/// Runs `handler`, turning a panic into a handler failure (500) that names the handler, and logging
/// the panic's message (which the caller never sees: it may hold internals).
pub(crate) async fn catching_panics<T>(
    name: &'static str,
    handler: impl Future<Output = Result<T, PluginError>>,
) -> Result<T, PluginError> {
    // Timed only when the duration is recorded: a clock read is not free.
    let started = crate::metrics::TIMED.then(std::time::Instant::now);
    let result = AssertUnwindSafe(handler).catch_unwind().await;
    if let Some(started) = started {
        crate::metrics::handler_ran(name, started.elapsed().as_secs_f64());
    }
    match result {
        Ok(result) => result,
        Err(panic) => {
            tracing::error!(
                handler = name,
                panic = panic_message(&*panic),
                "handler panicked"
            );
            Err(PluginError::msg(format!("`{name}` panicked")))
        }
    }
}

/// The message a panic was raised with, for the log.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message")
}

/// Runs a synchronous handler (a route, a webhook): its answer, its failure (a panic is a 500), or
/// 504 `WEBHOOK_TIMEOUT` once `budget` has passed, when the handler is dropped.
pub(crate) async fn answer_within<T>(
    name: &'static str,
    budget: std::time::Duration,
    handler: impl Future<Output = Result<T, PluginError>>,
) -> Result<T, PluginError> {
    tokio::time::timeout(budget, catching_panics(name, handler))
        .await
        .map_err(|_| {
            PluginError::new(
                crate::ErrorKind::Timeout,
                format!("`{name}` did not answer within {budget:?}"),
            )
        })?
}
