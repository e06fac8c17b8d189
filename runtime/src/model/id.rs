//! Identifiers that arrive as JSON numbers (the platform's docs) or strings (the Node SDK).

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An Envoy identifier: `1234` and `"1234"` (and uuids) are all accepted.
///
/// The form it arrived in is kept, so re-encoding a payload gives back what the platform sent; equality
/// compares the text, so `Id::from(7) == Id::from("7")`.
///
/// ```
/// use envoy_plugin::Id;
/// let a: Id = serde_json::from_str("42").unwrap();
/// let b: Id = serde_json::from_str("\"42\"").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "42");
/// assert_eq!(serde_json::to_string(&b).unwrap(), "\"42\"");
/// ```
#[derive(Clone, Eq)]
pub enum Id {
    /// The id arrived as a JSON number.
    Number(i64),
    /// The id arrived as a JSON string (numeric text or a uuid).
    Text(String),
}

impl Id {
    /// The id as text, whatever form it arrived in.
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Id::Number(n) => std::borrow::Cow::Owned(n.to_string()),
            Id::Text(s) => std::borrow::Cow::Borrowed(s),
        }
    }

    /// The id as a number, when it is one (`"42"` counts, a uuid does not).
    pub fn as_number(&self) -> Option<i64> {
        match self {
            Id::Number(n) => Some(*n),
            Id::Text(s) => s.parse().ok(),
        }
    }
}

impl PartialEq for Id {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Id::Number(a), Id::Number(b)) => a == b,
            (Id::Text(a), Id::Text(b)) => a == b,
            _ => self.as_text() == other.as_text(),
        }
    }
}

impl std::hash::Hash for Id {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_text().hash(state)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Number(n) => write!(f, "{n}"),
            Id::Text(s) => f.write_str(s),
        }
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Number(n) => write!(f, "{n}"),
            Id::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl From<i64> for Id {
    fn from(n: i64) -> Self {
        Id::Number(n)
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        Id::Text(s.to_owned())
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id::Text(s)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Number(n) => serializer.serialize_i64(*n),
            Id::Text(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (a string or an integer)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                i64::try_from(v)
                    .map(Id::Number)
                    .or_else(|_| Ok(Id::Text(v.to_string())))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                Ok(Id::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Id, E> {
                Ok(Id::Text(v))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}
