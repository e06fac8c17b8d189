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
    /// A value that could not be serialized: the answer is then an error (500) and nothing is
    /// saved, rather than `null`, which would delete the key.
    unserializable: Option<String>,
}

impl Validation {
    /// Saves `values` (a struct or map serializing to a JSON object) into the install config. Values
    /// that do not serialize, or not to an object, make the answer an error (500) that names the
    /// problem, and nothing is saved.
    pub fn save(values: impl Serialize) -> Self {
        match serde_json::to_value(values) {
            Ok(Value::Object(map)) => Validation {
                outcome: Ok(map),
                unserializable: None,
            },
            Ok(other) => Validation::save_nothing().broken(format!(
                "Validation::save takes a struct or map, got `{other}`"
            )),
            Err(e) => {
                Validation::save_nothing().broken(format!("the values do not serialize: {e}"))
            }
        }
    }

    /// Completes the step and saves nothing (`{}`).
    pub fn save_nothing() -> Self {
        Validation {
            outcome: Ok(Map::new()),
            unserializable: None,
        }
    }

    fn broken(mut self, problem: String) -> Self {
        self.unserializable.get_or_insert(problem);
        self
    }

    /// Also saves `key` = `value`. A value that does not serialize makes the answer an error
    /// (500) naming the key, and nothing is saved: never `null`, which would delete the key.
    pub fn set(mut self, key: impl Into<String>, value: impl Serialize) -> Self {
        let key = key.into();
        match serde_json::to_value(value) {
            Ok(value) => {
                if let Ok(map) = &mut self.outcome {
                    map.insert(key, value);
                }
                self
            }
            Err(e) => self.broken(format!("the value for `{key}` does not serialize: {e}")),
        }
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
            unserializable: None,
        }
    }

    /// The object to merge, or the refusal as the error answered (400), or the error (500) of a
    /// value that did not serialize.
    pub fn into_body(self) -> Result<Value, PluginError> {
        if let Some(problem) = self.unserializable {
            return Err(PluginError::new(
                ErrorKind::Handler,
                format!("nothing was saved: {problem}"),
            ));
        }
        self.outcome
            .map(Value::Object)
            .map_err(|message| PluginError::new(ErrorKind::InvalidData, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Unserializable;

    impl Serialize for Unserializable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("not today"))
        }
    }

    #[test]
    fn an_unserializable_value_is_an_error_not_a_deleted_key() {
        let err = Validation::save_nothing()
            .set("kept", "yes")
            .set("api_key", Unserializable)
            .into_body()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Handler);
        assert!(
            err.message().contains("`api_key` does not serialize"),
            "{err}"
        );
        let err = Validation::save(Unserializable).into_body().unwrap_err();
        assert!(err.message().contains("do not serialize"), "{err}");
        let err = Validation::save("not a map").into_body().unwrap_err();
        assert!(err.message().contains("struct or map"), "{err}");
    }
}
