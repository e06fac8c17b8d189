//! The JSON:API-style resource every platform object arrives as.

use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Id;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvoyObject<A, R = Relationships> {
    /// The object's id, as a number or a string.
    pub id: Id,
    /// The JSON:API type, e.g. `entries`, `invites`, `locations`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The typed attributes.
    pub attributes: A,
    /// Links to other objects.
    #[serde(default)]
    pub relationships: R,
    /// Top-level keys beside the four above.
    #[serde(flatten)]
    pub extra: Extra,
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

/// One relationship: `{"data": {"id", "type"}}` for a to-one link, `{"data": [...]}` for a to-many
/// link, `{"data": null}` for an empty one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Relationship {
    /// The linked object(s), if any.
    #[serde(default)]
    pub data: Option<Linkage>,
    /// Keys beside `data` (e.g. `links`, `meta`).
    #[serde(flatten)]
    pub extra: Extra,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Linkage {
    /// A to-one link.
    One(ResourceId),
    /// A to-many link.
    Many(Vec<ResourceId>),
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
