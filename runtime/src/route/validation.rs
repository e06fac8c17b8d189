//! What a validation route answers: what to merge into the install config, or a refusal.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{ErrorKind, PluginError};

/// The answer of a validation route.
///
/// `save` merges an object into the install config; `remove` deletes keys (sent as `null`);
/// `save_nothing` completes the step without saving (keep secrets in storage instead); `reject` blocks
/// the step and shows the message to the installer.
///
/// ```
/// use envoy_plugin::Validation;
/// let v = Validation::save_nothing().set("greeting", "Hi").remove("legacy_key");
/// assert_eq!(v.into_body().unwrap(), serde_json::json!({"greeting": "Hi", "legacy_key": null}));
/// assert_eq!(Validation::reject("The API key is wrong").into_body().unwrap_err().message(),
///            "The API key is wrong");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a validation does nothing until it is returned from the handler"]
pub struct Validation {
    outcome: Result<Map<String, Value>, String>,
}

impl Validation {
    /// Saves `values` (a struct or map serializing to a JSON object) into the install config.
    ///
    /// # Panics
    /// When `values` does not serialize to a JSON object: that is a programming error.
    pub fn save(values: impl Serialize) -> Self {
        match serde_json::to_value(values) {
            Ok(Value::Object(map)) => Validation { outcome: Ok(map) },
            Ok(other) => panic!("Validation::save takes a struct or map, got `{other}`"),
            Err(e) => panic!("Validation::save: the values do not serialize: {e}"),
        }
    }

    /// Completes the step and saves nothing (`{}`).
    pub fn save_nothing() -> Self {
        Validation {
            outcome: Ok(Map::new()),
        }
    }

    /// Also saves `key` = `value`.
    pub fn set(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        if let Ok(map) = &mut self.outcome {
            map.insert(
                key.into(),
                serde_json::to_value(value).unwrap_or(Value::Null),
            );
        }
        self
    }

    /// Also removes `key` from the install config.
    pub fn remove(mut self, key: impl Into<String>) -> Self {
        if let Ok(map) = &mut self.outcome {
            map.insert(key.into(), Value::Null);
        }
        self
    }

    /// Blocks the step; `message` is shown to the installer.
    pub fn reject(message: impl Into<String>) -> Self {
        Validation {
            outcome: Err(message.into()),
        }
    }

    /// The object to merge, or the refusal as the error answered (400).
    pub fn into_body(self) -> Result<Value, PluginError> {
        self.outcome
            .map(Value::Object)
            .map_err(|message| PluginError::new(ErrorKind::InvalidData, message))
    }
}
