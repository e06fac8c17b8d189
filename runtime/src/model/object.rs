//! The JSON:API-style resource every platform object arrives as.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::Id;
use super::wire::{Key, wire_struct};

/// Fields the platform sent that this version of the framework has no name for. They are kept (and
/// re-encoded) so that nothing the platform adds is ever lost or rejected.
pub type Extra = Map<String, Value>;

/// A platform object: `{"id", "type", "attributes": {dash-case keys}, "relationships": {...}}`.
///
/// `A` is the typed attributes struct and `R` the typed relationships struct; both keep unknown keys.
/// The object derefs to its attributes, so `entry.full_name` reads `entry.attributes.full_name`.
///
/// ```
/// use envoy_plugin::Entry;
/// let entry: Entry = serde_json::from_value(serde_json::json!({
///     "id": 7, "type": "entries",
///     "attributes": {"full-name": "Ada Lovelace", "badge-printed": true}
/// })).unwrap();
/// assert_eq!(entry.full_name, "Ada Lovelace");
/// assert_eq!(entry.attributes.extra["badge-printed"], true);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EnvoyObject<A, R = Relationships> {
    /// The object's id, as a number or a string.
    pub id: Id,
    /// The JSON:API type, e.g. `entries`, `invites`, `locations`.
    pub kind: String,
    /// The typed attributes.
    pub attributes: A,
    /// Links to other objects.
    pub relationships: R,
    /// Top-level keys beside the four above.
    pub extra: Extra,
}

/// Decoded key by key like the structs of `wire_struct!` (in `model::wire`) (no `flatten`, so no buffering): `id` and
/// `attributes` are required, `type` and `relationships` default to empty.
impl<'de, A, R> Deserialize<'de> for EnvoyObject<A, R>
where
    A: Deserialize<'de>,
    R: Deserialize<'de> + Default,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<A, R>(PhantomData<(A, R)>);
        impl<'de, A, R> Visitor<'de> for ObjectVisitor<A, R>
        where
            A: Deserialize<'de>,
            R: Deserialize<'de> + Default,
        {
            type Value = EnvoyObject<A, R>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a platform object (a JSON object with `id` and `attributes`)")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let (mut id, mut kind, mut attributes, mut relationships) =
                    (None, None, None, None);
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match &*key.0 {
                        "id" => set(&mut id, &mut map, "id")?,
                        "type" => set(&mut kind, &mut map, "type")?,
                        "attributes" => set(&mut attributes, &mut map, "attributes")?,
                        "relationships" => set(&mut relationships, &mut map, "relationships")?,
                        _ => {
                            let value = map.next_value()?;
                            extra.insert(key.0.into_owned(), value);
                        }
                    }
                }
                Ok(EnvoyObject {
                    id: id.ok_or_else(|| de::Error::missing_field("id"))?,
                    kind: kind.unwrap_or_default(),
                    attributes: attributes.ok_or_else(|| de::Error::missing_field("attributes"))?,
                    relationships: relationships.unwrap_or_default(),
                    extra,
                })
            }
        }
        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

/// Decodes the next value into `slot`, refusing a key seen twice.
fn set<'de, T: Deserialize<'de>, M: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut M,
    key: &'static str,
) -> Result<(), M::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<A: Serialize, R: Serialize> Serialize for EnvoyObject<A, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("type", &self.kind)?;
        map.serialize_entry("attributes", &self.attributes)?;
        map.serialize_entry("relationships", &self.relationships)?;
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<A, R> Deref for EnvoyObject<A, R> {
    type Target = A;
    fn deref(&self) -> &A {
        &self.attributes
    }
}

impl<A, R> DerefMut for EnvoyObject<A, R> {
    fn deref_mut(&mut self) -> &mut A {
        &mut self.attributes
    }
}

/// Relationships of an object that has no typed relationship struct: keyed by their dash-case name.
pub type Relationships = Map<String, Value>;

wire_struct! {
    /// One relationship: `{"data": {"id", "type"}}` for a to-one link, `{"data": [...]}` for a to-many
    /// link, `{"data": null}` for an empty one.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Relationship {
        /// The linked object(s), if any.
        ["data", default] pub data: Option<Linkage>,
        @extra
        /// Keys beside `data` (e.g. `links`, `meta`).
        pub extra: Extra,
    }
    expecting = "Relationship (a JSON object)"
}

impl Relationship {
    /// The id of a to-one link, if it is set.
    pub fn id(&self) -> Option<&Id> {
        match &self.data {
            Some(Linkage::One(target)) => Some(&target.id),
            _ => None,
        }
    }
}

/// What a relationship points at.
///
/// Decoded by the JSON type it arrives as (an object or an array), not as an untagged enum: serde's
/// untagged enums buffer the value first, as `flatten` does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Linkage {
    /// A to-one link.
    One(ResourceId),
    /// A to-many link.
    Many(Vec<ResourceId>),
}

impl<'de> Deserialize<'de> for Linkage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LinkageVisitor;
        impl<'de> Visitor<'de> for LinkageVisitor {
            type Value = Linkage;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a linked object `{\"id\", \"type\"}` or a list of them")
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Linkage, M::Error> {
                ResourceId::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Linkage::One)
            }

            fn visit_seq<S: de::SeqAccess<'de>>(self, seq: S) -> Result<Linkage, S::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Linkage::Many)
            }
        }
        deserializer.deserialize_any(LinkageVisitor)
    }
}

/// The id and type of a linked object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceId {
    /// The linked object's id.
    pub id: Id,
    /// The linked object's JSON:API type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Declares a named platform object: a newtype over [`EnvoyObject`] that derefs to it (and so on to
/// its attributes), serializes exactly like it, and keeps its own name in compiler messages.
///
/// The object is boxed: a worker's future holds its payload, and a future of a few hundred bytes
/// plus an object under 1 KiB stay in the allocator's fast per-thread cache, where one future of
/// over 2 KiB does not (measured by `runtime/benches/worker_route.rs`).
macro_rules! envoy_object {
    ($(#[$doc:meta])* $name:ident($attributes:ty, $relationships:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Box<$crate::model::EnvoyObject<$attributes, $relationships>>);

        impl $name {
            /// An object with this id and these attributes, no relationships.
            pub fn new(id: impl Into<$crate::model::Id>, attributes: $attributes) -> Self
            where
                $relationships: Default,
            {
                $name(Box::new($crate::model::EnvoyObject {
                    id: id.into(),
                    kind: String::new(),
                    attributes,
                    relationships: Default::default(),
                    extra: Default::default(),
                }))
            }
        }

        impl std::ops::Deref for $name {
            type Target = $crate::model::EnvoyObject<$attributes, $relationships>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }

        impl From<$crate::model::EnvoyObject<$attributes, $relationships>> for $name {
            fn from(object: $crate::model::EnvoyObject<$attributes, $relationships>) -> Self {
                $name(Box::new(object))
            }
        }
    };
}
pub(crate) use envoy_object;

envoy_object! {
    /// A platform object whose attributes are not typed yet (`desk_sign_in`, `ticket_created`,
    /// `plugin_uninstalled`): attributes and relationships are plain JSON maps.
    PlatformObject(Map<String, Value>, Relationships)
}
