//! Decoding and encoding the platform's objects with their unknown keys, without
//! `#[serde(flatten)]`.
//!
//! `flatten` makes serde buffer the whole object into its internal `Content` tree before the typed
//! fields see it: every key and every string is copied once more, and under load that buffering
//! costs more than the rest of a request. [`wire_struct!`] instead writes the visitor by hand: it
//! matches each key against the known wire names (a borrowed key, no allocation), decodes a known
//! field straight into its type, and decodes only the keys it has no name for into the `extra` map.
//! Encoding writes the known fields, then the extra keys, as one map.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A map key, borrowed from the input when it has no escapes (the usual case).
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Declares a struct of the wire format whose unknown keys are kept in its last field, `extra`
/// (an [`Extra`](super::Extra) map, marked `@extra`), with its `Serialize` and `Deserialize`.
///
/// Each field names its wire key and how a missing key and an empty value are treated:
/// - `required`: a missing key fails the decode (`missing field `key``);
/// - `default`: a missing key is the type's default; always encoded;
/// - `optional`: a missing key is `None`; encoded only when set;
/// - `object`: a missing key is `{}` (a JSON value); always encoded;
/// - `lazy`: a [`Lazy`](super::Lazy) value, kept raw until read; missing is absent; encoded only when
///   sent.
///
/// A key that appears twice fails the decode (`duplicate field `key``), as serde's derive does.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                [$wire:literal, $mode:ident] $field_vis:vis $field:ident : $ty:ty,
            )*
            @extra
            $(#[$extra_meta:meta])*
            $extra_vis:vis extra : Extra,
        }
        expecting = $expecting:literal
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[$field_meta])*
                $field_vis $field: $ty,
            )*
            $(#[$extra_meta])*
            $extra_vis extra: $crate::model::Extra,
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct WireVisitor;
                impl<'de> serde::de::Visitor<'de> for WireVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                        $( let mut $field: Option<$ty> = None; )*
                        let mut extra = $crate::model::Extra::new();
                        while let Some(key) = map.next_key::<$crate::model::wire::Key<'de>>()? {
                            match &*key.0 {
                                $(
                                    $wire => {
                                        if $field.is_some() {
                                            return Err(<M::Error as serde::de::Error>::duplicate_field($wire));
                                        }
                                        $field = Some(map.next_value()?);
                                    }
                                )*
                                _ => {
                                    let value = map.next_value()?;
                                    extra.insert(key.0.into_owned(), value);
                                }
                            }
                        }
                        Ok($name {
                            $( $field: $crate::model::wire::wire_struct!(@missing $mode, $field, $wire, M), )*
                            extra,
                        })
                    }
                }
                deserializer.deserialize_map(WireVisitor)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $( $crate::model::wire::wire_struct!(@encode $mode, map, $wire, &self.$field); )*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    };

    (@missing required, $field:ident, $wire:literal, $m:ident) => {
        match $field {
            Some(value) => value,
            None => return Err(<$m::Error as serde::de::Error>::missing_field($wire)),
        }
    };
    (@missing default, $field:ident, $wire:literal, $m:ident) => {
        $field.unwrap_or_default()
    };
    (@missing optional, $field:ident, $wire:literal, $m:ident) => {
        $field.unwrap_or_default()
    };
    (@missing lazy, $field:ident, $wire:literal, $m:ident) => {
        $field.unwrap_or_default()
    };
    (@missing object, $field:ident, $wire:literal, $m:ident) => {
        $field.unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()))
    };

    (@encode optional, $map:ident, $wire:literal, $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($wire, value)?;
        }
    };
    (@encode lazy, $map:ident, $wire:literal, $value:expr) => {
        if $value.is_present() {
            $map.serialize_entry($wire, $value)?;
        }
    };
    (@encode $mode:ident, $map:ident, $wire:literal, $value:expr) => {
        $map.serialize_entry($wire, $value)?;
    };
}
pub(crate) use wire_struct;
