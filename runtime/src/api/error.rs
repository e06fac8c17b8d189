//! Errors of calls to the platform API: they name the endpoint and the status, never a token or a
//! secret.

use std::fmt;

use crate::{ErrorKind, PluginError};

/// A failed call to the platform API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `METHOD path` of the call (the base URL for a login).
    pub endpoint: String,
    /// The HTTP status, when the platform answered.
    pub status: Option<u16>,
    /// What went wrong, from the client or the platform's answer.
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(
        endpoint: impl Into<String>,
        status: Option<u16>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            endpoint: endpoint.into(),
            status,
            message: message.into(),
        }
    }

    /// Whether repeating the same call may succeed: no answer, a timeout, or a 5xx.
    pub fn is_transient(&self) -> bool {
        self.status.is_none_or(|s| s >= 500)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "{} answered {status}: {}", self.endpoint, self.message),
            None => write!(f, "{} failed: {}", self.endpoint, self.message),
        }
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// As the framework's error (a handler failure, 500), for `?` in handlers.
    pub fn into_plugin_error(self) -> PluginError {
        PluginError::new(ErrorKind::Handler, self.to_string())
    }
}
