//! Timestamps that arrive SQL-style (`2026-11-25 14:03:00`, UTC) or as ISO-8601.

use std::fmt;
use std::ops::Deref;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time from the platform, in UTC.
///
/// Accepts ISO-8601 / RFC 3339 (`2026-11-25T14:03:00.123Z`, with any offset) and the SQL form
/// (`2026-11-25 14:03:00`, optionally with fractional seconds, read as UTC). The text it arrived as is
/// kept, so re-encoding gives back exactly what the platform sent. Derefs to [`chrono::DateTime<Utc>`].
///
/// ```
/// use envoy_plugin::Timestamp;
/// let iso: Timestamp = serde_json::from_str("\"2026-11-25T14:03:00Z\"").unwrap();
/// let sql: Timestamp = serde_json::from_str("\"2026-11-25 14:03:00\"").unwrap();
/// assert_eq!(*iso, *sql);
/// assert_eq!(serde_json::to_string(&sql).unwrap(), "\"2026-11-25 14:03:00\"");
/// ```
#[derive(Clone)]
pub struct Timestamp {
    at: DateTime<Utc>,
    text: Box<str>,
}

impl Timestamp {
    /// Parses either accepted form.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        let at = DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| {
                NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").map(|t| t.and_utc())
            })
            .or_else(|_| {
                // ISO-8601 without an offset, as some platform objects send it: UTC.
                NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc())
            })
            .map_err(|_| TimestampError(text.to_owned()))?;
        Ok(Timestamp {
            at,
            text: text.into(),
        })
    }

    /// The instant, in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.at
    }

    /// The text as the platform sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Timestamp {
            text: at
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                .into(),
            at,
        }
    }
}

impl Deref for Timestamp {
    type Target = DateTime<Utc>;
    fn deref(&self) -> &DateTime<Utc> {
        &self.at
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl Eq for Timestamp {}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A timestamp in neither accepted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a timestamp (expected ISO-8601 like `2026-11-25T14:03:00Z` or SQL-style like `2026-11-25 14:03:00`)",
            self.0
        )
    }
}

impl std::error::Error for TimestampError {}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp string (ISO-8601 or `YYYY-MM-DD HH:MM:SS`)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(TimestampVisitor)
    }
}
