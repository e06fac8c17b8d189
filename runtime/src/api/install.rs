//! An install's config (read, and merge-update) and its notifications.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ApiError, EnvoyApi};
use crate::model::Id;

/// The config and notifications of one install.
#[derive(Debug, Clone)]
pub struct InstallApi {
    api: EnvoyApi,
    id: Id,
}

impl InstallApi {
    pub(crate) fn new(api: EnvoyApi, id: Id) -> Self {
        InstallApi { api, id }
    }

    fn path(&self, what: &str) -> String {
        format!("/api/v2/plugin-services/installs/{}/{what}", self.id)
    }

    /// The install's config, decoded as `C` (a struct, or `serde_json::Value`).
    pub async fn config<C: DeserializeOwned>(&self) -> Result<C, ApiError> {
        let path = self.path("config");
        let answer = self.api.call(Method::GET, &path, None, true).await?;
        let config = answer.get("data").cloned().unwrap_or(answer);
        serde_json::from_value(config).map_err(|e| {
            ApiError::new(
                format!("GET {path}"),
                None,
                format!("the config does not decode: {e}"),
            )
        })
    }

    /// Merges `changes` into the config (a key set to `null` is removed); answers the new config.
    pub async fn update_config<T: Serialize>(&self, changes: &T) -> Result<Value, ApiError> {
        let body = serde_json::to_value(changes).map_err(|e| {
            ApiError::new(
                "PUT config",
                None,
                format!("the changes do not serialize: {e}"),
            )
        })?;
        let answer = self
            .api
            .call(Method::PUT, &self.path("config"), Some(&body), true)
            .await?;
        Ok(answer.get("data").cloned().unwrap_or(answer))
    }

    /// Sends a notification for the install. Not repeated on failure (it is not safe to).
    pub async fn notify<T: Serialize>(&self, notification: &T) -> Result<(), ApiError> {
        let body = serde_json::to_value(notification).map_err(|e| {
            ApiError::new(
                "POST notifications",
                None,
                format!("the notification does not serialize: {e}"),
            )
        })?;
        self.api
            .call(
                Method::POST,
                &self.path("notifications"),
                Some(&body),
                false,
            )
            .await
            .map(drop)
    }
}
