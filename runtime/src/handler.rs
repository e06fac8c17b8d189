//! Running a user's handler: a panic becomes a 500 answer, never a dead connection or worker thread.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt as _;

use crate::PluginError;

/// Runs `handler`, turning a panic into a handler failure (500) that names the handler, and logging
/// the panic's message (which the caller never sees: it may hold internals).
pub(crate) async fn catching_panics<T>(
    name: &str,
    handler: impl Future<Output = Result<T, PluginError>>,
) -> Result<T, PluginError> {
    match AssertUnwindSafe(handler).catch_unwind().await {
        Ok(result) => result,
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".into());
            tracing::error!(handler = name, panic = %reason, "handler panicked");
            Err(PluginError::msg(format!("`{name}` panicked")))
        }
    }
}

/// Runs a synchronous handler (a route, a webhook): its answer, its failure (a panic is a 500), or
/// 504 `WEBHOOK_TIMEOUT` once `budget` has passed, when the handler is dropped.
pub(crate) async fn answer_within<T>(
    name: &str,
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
