//! Storage: a key-value store per install (or global), for what must not sit in the install config
//! (tokens, counters, ids). Several commands can go in one request, run as one transaction.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{ApiError, EnvoyApi};
use crate::model::Id;

const PATH: &str = "/api/v2/plugin-services/storage";

/// A key and its value, as storage lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageItem<T> {
    /// The key.
    pub key: String,
    /// The value.
    pub value: T,
}

/// The storage of an install, or the plugin's global storage.
///
/// A missing key is `Ok(None)`, never an error. Values are any serde type.
#[derive(Debug, Clone)]
pub struct Storage {
    api: EnvoyApi,
    install_id: Option<Id>,
}

impl Storage {
    pub(crate) fn new(api: EnvoyApi, install_id: Option<Id>) -> Self {
        Storage { api, install_id }
    }

    /// The value under `key`, if there is one.
    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ApiError> {
        let mut results = self.pipeline().get(key).run().await?;
        item_value(results.remove(0), "get")
    }

    /// Stores `value` under `key`.
    pub async fn set<T: Serialize>(&self, key: &str, value: &T) -> Result<(), ApiError> {
        self.pipeline().set(key, value).run().await.map(drop)
    }

    /// Stores a new unique string under `key` (`size` characters from `chars`; by default 12 digits)
    /// and answers it.
    pub async fn set_unique(
        &self,
        key: &str,
        chars: Option<&str>,
        size: Option<u32>,
    ) -> Result<String, ApiError> {
        let mut results = self.pipeline().set_unique(key, chars, size).run().await?;
        serde_json::from_value(results.remove(0)).map_err(|e| self.unexpected("set_unique", e))
    }

    /// Stores a new unique number in `min..=max` (by default `0..=2^53-1`) under `key` and answers it.
    pub async fn set_unique_num(
        &self,
        key: &str,
        min: Option<u64>,
        max: Option<u64>,
    ) -> Result<u64, ApiError> {
        let mut results = self.pipeline().set_unique_num(key, min, max).run().await?;
        serde_json::from_value(results.remove(0)).map_err(|e| self.unexpected("set_unique_num", e))
    }

    /// Removes `key`, answering the value it had.
    pub async fn unset<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ApiError> {
        let mut results = self.pipeline().unset(key).run().await?;
        item_value(results.remove(0), "unset")
    }

    /// One page of keys and values (pages start at 1).
    pub async fn list<T: DeserializeOwned>(
        &self,
        page: u32,
    ) -> Result<Vec<StorageItem<T>>, ApiError> {
        let mut results = self.pipeline().list(page).run().await?;
        let items: Vec<Value> =
            serde_json::from_value(results.remove(0)).map_err(|e| self.unexpected("list", e))?;
        items
            .into_iter()
            .map(|item| {
                let key = item["key"].as_str().unwrap_or_default().to_owned();
                let value = serde_json::from_value(item["value"].clone())
                    .map_err(|e| self.unexpected("list", e))?;
                Ok(StorageItem { key, value })
            })
            .collect()
    }

    /// Several commands in one request, run in order as one transaction.
    ///
    /// ```no_run
    /// # async fn demo(storage: envoy_plugin::api::Storage) -> Result<(), envoy_plugin::api::ApiError> {
    /// let results = storage.pipeline().get("visits").set("last", &"Ada").unset("legacy").run().await?;
    /// assert_eq!(results.len(), 3);
    /// # Ok(()) }
    /// ```
    pub fn pipeline(&self) -> StoragePipeline {
        StoragePipeline {
            storage: self.clone(),
            commands: Vec::new(),
            repeatable: true,
            unserializable: None,
        }
    }

    fn unexpected(&self, action: &str, err: serde_json::Error) -> ApiError {
        ApiError::new(
            format!("POST {PATH}"),
            None,
            format!("unexpected `{action}` result: {err}"),
        )
    }
}

/// `{key, value}` or null -> the value, typed.
fn item_value<T: DeserializeOwned>(result: Value, action: &str) -> Result<Option<T>, ApiError> {
    match result {
        Value::Null => Ok(None),
        mut item => serde_json::from_value(item["value"].take())
            .map(Some)
            .map_err(|e| {
                ApiError::new(
                    format!("POST {PATH}"),
                    None,
                    format!("unexpected `{action}` result: {e}"),
                )
            }),
    }
}

/// Storage commands collected to be sent in one request.
#[derive(Debug, Clone)]
#[must_use = "a pipeline does nothing until it is run"]
pub struct StoragePipeline {
    storage: Storage,
    commands: Vec<Value>,
    repeatable: bool,
    /// The first value that could not be serialized: `run` answers it as an error and sends
    /// nothing, since sending `null` in its place would delete the key.
    unserializable: Option<(String, String)>,
}

impl StoragePipeline {
    /// Reads `key` (result: `{key, value}` or null).
    pub fn get(mut self, key: &str) -> Self {
        self.commands.push(json!({"action": "get", "key": key}));
        self
    }

    /// Stores `value` under `key` (result: `{key, value}`). A value that cannot be serialized
    /// makes [`StoragePipeline::run`] fail without sending anything.
    pub fn set<T: Serialize>(mut self, key: &str, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self
                .commands
                .push(json!({"action": "set", "key": key, "value": value})),
            Err(err) => {
                self.unserializable
                    .get_or_insert_with(|| (key.to_owned(), err.to_string()));
            }
        }
        self
    }

    /// Stores a new unique string under `key` (result: the string). Not safe to repeat: a pipeline
    /// with it is not retried.
    pub fn set_unique(mut self, key: &str, chars: Option<&str>, size: Option<u32>) -> Self {
        let mut command = json!({"action": "set_unique", "key": key});
        if let Some(chars) = chars {
            command["chars"] = json!(chars);
        }
        if let Some(size) = size {
            command["size"] = json!(size);
        }
        self.commands.push(command);
        self.repeatable = false;
        self
    }

    /// Stores a new unique number under `key` (result: the number). Not safe to repeat.
    pub fn set_unique_num(mut self, key: &str, min: Option<u64>, max: Option<u64>) -> Self {
        let mut command = json!({"action": "set_unique_num", "key": key});
        if let Some(min) = min {
            command["min"] = json!(min);
        }
        if let Some(max) = max {
            command["max"] = json!(max);
        }
        self.commands.push(command);
        self.repeatable = false;
        self
    }

    /// Removes `key` (result: the previous `{key, value}` or null). Not safe to repeat: a repeat
    /// would answer null for a key the first call removed, so a pipeline with it is not retried.
    pub fn unset(mut self, key: &str) -> Self {
        self.commands.push(json!({"action": "unset", "key": key}));
        self.repeatable = false;
        self
    }

    /// Lists a page of keys (result: `[{key, value}]`).
    pub fn list(mut self, page: u32) -> Self {
        self.commands.push(json!({"action": "list", "page": page}));
        self
    }

    /// Sends the commands; answers one result per command, in order.
    pub async fn run(self) -> Result<Vec<Value>, ApiError> {
        if let Some((key, err)) = self.unserializable {
            return Err(ApiError::new(
                format!("POST {PATH}"),
                None,
                format!("the value for `{key}` cannot be serialized, so nothing was stored: {err}"),
            ));
        }
        let mut body = json!({ "commands": self.commands });
        if let Some(install_id) = &self.storage.install_id {
            body["install_id"] = json!(install_id);
        }
        let answer = self
            .storage
            .api
            .call(Method::POST, PATH, Some(&body), self.repeatable)
            .await?;
        let results = answer
            .get("data")
            .and_then(Value::as_array)
            .cloned()
            .ok_or_else(|| {
                ApiError::new(
                    format!("POST {PATH}"),
                    None,
                    "the answer has no `data` list",
                )
            })?;
        if results.len() != self.commands.len() {
            return Err(ApiError::new(
                format!("POST {PATH}"),
                None,
                format!(
                    "{} results for {} commands",
                    results.len(),
                    self.commands.len()
                ),
            ));
        }
        Ok(results)
    }
}
