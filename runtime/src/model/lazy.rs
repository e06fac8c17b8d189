//! Parts of `meta` that few workers read, kept as their raw JSON until one does.
//!
//! `meta.location`, `meta.company` and `meta.zone` are a third of an event's body. Decoding them
//! into typed models on every request (a few dozen strings, ids and timestamps) costs more than the
//! signature check; most workers never look at them. They are decoded on first read instead, once.

use std::fmt;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::{ErrorKind, PluginError};

/// A JSON value decoded into `T` the first time it is read.
///
/// Absent and `null` read as `None`. A value that does not decode is an error when it is read (a
/// `400 INVALID_DATA` if a worker returns it with `?`), not when the request arrives. Encoding writes
/// the value back exactly as it arrived.
///
/// ```
/// use envoy_plugin::{EventMeta, Location};
/// let meta: EventMeta = serde_json::from_value(serde_json::json!({
///     "event": "entry_sign_in", "plugin_id": "p", "install_id": 1, "job": {"id": "j"},
///     "location": {"id": 7, "type": "locations", "attributes": {"name": "HQ"}}
/// })).unwrap();
/// let location: &Location = meta.location()?.expect("sent");
/// assert_eq!(location.name.as_deref(), Some("HQ"));
/// assert!(meta.zone()?.is_none());
/// # Ok::<(), envoy_plugin::PluginError>(())
/// ```
pub struct Lazy<T> {
    raw: Option<Box<RawValue>>,
    decoded: OnceLock<Result<Box<T>, String>>,
}

impl<T> Lazy<T> {
    /// No value (the key was absent or `null`).
    pub const fn absent() -> Self {
        Lazy {
            raw: None,
            decoded: OnceLock::new(),
        }
    }

    /// The value's JSON as it arrived, if it was sent.
    pub fn raw(&self) -> Option<&RawValue> {
        self.raw.as_deref()
    }

    /// Whether a value was sent (not absent, not `null`).
    pub fn is_present(&self) -> bool {
        self.raw.is_some()
    }
}

impl<T: DeserializeOwned> Lazy<T> {
    /// The value, decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the value sent does not decode into `T`.
    pub fn get(&self) -> Result<Option<&T>, PluginError> {
        self.get_at("a value")
    }

    /// As [`Lazy::get`], with errors naming `path` (`meta.location`).
    pub(crate) fn get_at(&self, path: &str) -> Result<Option<&T>, PluginError> {
        let Some(raw) = &self.raw else {
            return Ok(None);
        };
        let decoded = self.decoded.get_or_init(|| {
            serde_json::from_str(raw.get())
                .map(Box::new)
                .map_err(|err| err.to_string())
        });
        match decoded {
            Ok(value) => Ok(Some(value)),
            Err(err) => Err(PluginError::new(
                ErrorKind::InvalidData,
                format!("invalid value at `{path}`: {err}"),
            )),
        }
    }
}

impl<T: Serialize> Lazy<T> {
    /// A value given decoded, as if it had been sent (for tests and hand-made metas).
    ///
    /// # Errors
    /// If `value` cannot be encoded as JSON.
    pub fn new(value: T) -> Result<Self, serde_json::Error> {
        let raw = serde_json::value::to_raw_value(&value)?;
        Ok(Lazy {
            raw: Some(raw),
            decoded: OnceLock::from(Ok(Box::new(value))),
        })
    }
}

impl<T> Default for Lazy<T> {
    fn default() -> Self {
        Lazy::absent()
    }
}

impl<T: Clone> Clone for Lazy<T> {
    fn clone(&self) -> Self {
        Lazy {
            raw: self.raw.clone(),
            decoded: self.decoded.clone(),
        }
    }
}

/// Equal when both decode to equal values, or when neither decodes and the raw JSON is the same.
impl<T: DeserializeOwned + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Self) -> bool {
        match (self.get(), other.get()) {
            (Ok(this), Ok(that)) => this == that,
            _ => self.raw.as_ref().map(|raw| raw.get()) == other.raw.as_ref().map(|raw| raw.get()),
        }
    }
}

/// Shows the decoded value (decoding it), or the raw JSON of one that does not decode.
impl<T: DeserializeOwned + fmt::Debug> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.get() {
            Ok(value) => value.fmt(f),
            Err(_) => write!(
                f,
                "Invalid({})",
                self.raw.as_deref().map_or("", RawValue::get)
            ),
        }
    }
}

impl<'de, T> Deserialize<'de> for Lazy<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Copied as it is (one allocation); `null` is no value.
        let raw = Option::<Box<RawValue>>::deserialize(deserializer)?;
        Ok(Lazy {
            raw,
            decoded: OnceLock::new(),
        })
    }
}

impl<T> Serialize for Lazy<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    #[test]
    fn a_value_is_decoded_once_on_first_read_and_encoded_as_it_came() {
        let text = r#"{"id":7,"type":"locations","attributes":{"name":"HQ","x-new": [1, 2]}}"#;
        let lazy: Lazy<Location> = serde_json::from_str(text).unwrap();
        assert!(lazy.decoded.get().is_none(), "decoded before it was read");
        let first = lazy.get().unwrap().unwrap() as *const Location;
        let second = lazy.get().unwrap().unwrap() as *const Location;
        assert_eq!(first, second);
        assert_eq!(serde_json::to_string(&lazy).unwrap(), text);
    }

    #[test]
    fn null_reads_as_none_and_a_bad_value_is_an_invalid_data_error_when_read() {
        let null: Lazy<Location> = serde_json::from_str("null").unwrap();
        assert!(!null.is_present());
        assert!(null.get().unwrap().is_none());
        let bad: Lazy<Location> = serde_json::from_str(r#"{"id": 7}"#).unwrap();
        let err = bad.get_at("meta.location").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
        assert!(
            err.message()
                .starts_with("invalid value at `meta.location`: missing field `attributes`"),
            "{}",
            err.message()
        );
        // The same error each time, without decoding again.
        assert_eq!(
            bad.get_at("meta.location").unwrap_err().message(),
            err.message()
        );
    }

    #[test]
    fn equality_is_of_the_decoded_values() {
        let a: Lazy<Location> =
            serde_json::from_str(r#"{"id":7,"attributes":{"name":"HQ"}}"#).unwrap();
        let b: Lazy<Location> =
            serde_json::from_str(r#"{ "attributes": { "name": "HQ" }, "id": "7" }"#).unwrap();
        assert_eq!(a, b);
        let made = Lazy::new(b.get().unwrap().unwrap().clone()).unwrap();
        assert_eq!(made, a);
        assert_ne!(Lazy::<Location>::absent(), a);
    }
}
