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
