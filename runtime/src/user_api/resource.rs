//! The JSON:API shape every user-API model shares: `{id, type, attributes, relationships}`, with the
//! relationships read as ids.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::scope::UserScope;
use crate::model::Id;

/// One model of the user API: an employee, a location, an invite, ... `A` is its attributes struct
/// ([`EmployeeAttributes`](super::EmployeeAttributes), ...).
///
/// ```
/// use envoy_plugin::user_api::Employee;
/// let employee: Employee = serde_json::from_value(serde_json::json!({
///     "id": 7, "type": "employees",
///     "attributes": {"name": "Grace Hopper", "email": "grace@example.com", "phone-number": null},
///     "relationships": {"company": {"data": {"type": "companies", "id": "3"}}}
/// })).unwrap();
/// assert_eq!(employee.attributes.name.as_deref(), Some("Grace Hopper"));
/// assert_eq!(employee.company_id().map(|id| id.to_string()), Some("3".to_owned()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "A: Deserialize<'de> + Default"))]
#[non_exhaustive]
pub struct Resource<A> {
    /// The model's id (a number or a string on the wire).
    pub id: Id,
    /// Its JSON:API type, e.g. `employees`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its attributes.
    #[serde(default)]
    pub attributes: A,
    /// Its relationships, by name.
    #[serde(default, skip_serializing_if = "Relationships::is_empty")]
    pub relationships: Relationships,
}

impl<A> Resource<A> {
    /// The id of the one model related under `name`, if there is one.
    pub fn related(&self, name: &str) -> Option<&Id> {
        self.relationships.one(name)
    }

    /// The ids of the models related under `name` (none when there are none).
    pub fn related_all(&self, name: &str) -> Vec<&Id> {
        self.relationships.many(name)
    }
}

/// A model's relationships: name -> the ids it links to. `null` links and missing `data` are
/// tolerated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Relationships(pub BTreeMap<String, Relationship>);

impl Relationships {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The one id linked under `name` (the first, if it links to several).
    pub fn one(&self, name: &str) -> Option<&Id> {
        self.0.get(name).and_then(|r| r.data.ids().next())
    }

    /// Every id linked under `name`.
    pub fn many(&self, name: &str) -> Vec<&Id> {
        self.0
            .get(name)
            .map(|r| r.data.ids().collect())
            .unwrap_or_default()
    }
}

/// One relationship: `{"data": {"type", "id"}}`, `{"data": [...]}` or `{"data": null}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relationship {
    /// What it links to.
    #[serde(default)]
    pub data: Linkage,
}

/// What a relationship links to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Linkage {
    /// Nothing (`null`, or no `data`).
    #[default]
    None,
    /// One model.
    One(Link),
    /// Several models.
    Many(Vec<Link>),
}

impl Linkage {
    fn ids(&self) -> impl Iterator<Item = &Id> {
        let links: &[Link] = match self {
            Linkage::None => &[],
            Linkage::One(link) => std::slice::from_ref(link),
            Linkage::Many(links) => links,
        };
        links.iter().map(|link| &link.id)
    }
}

// By hand rather than `#[serde(untagged)]`, which buffers the value to try each variant.
impl<'de> Deserialize<'de> for Linkage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LinkageVisitor;
        impl<'de> Visitor<'de> for LinkageVisitor {
            type Value = Linkage;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a link `{type, id}`, a list of them, or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Linkage, E> {
                Ok(Linkage::None)
            }
            fn visit_none<E: de::Error>(self) -> Result<Linkage, E> {
                Ok(Linkage::None)
            }
            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Linkage, M::Error> {
                Link::deserialize(de::value::MapAccessDeserializer::new(map)).map(Linkage::One)
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Linkage, S::Error> {
                let mut links = Vec::new();
                while let Some(link) = seq.next_element()? {
                    links.push(link);
                }
                Ok(Linkage::Many(links))
            }
        }
        deserializer.deserialize_any(LinkageVisitor)
    }
}

/// A link to a model: its type and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Link {
    /// The linked model's type, e.g. `locations`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its id.
    pub id: Id,
}

impl Link {
    /// A link to model `id` of type `kind`.
    pub fn new(kind: impl Into<String>, id: impl Into<Id>) -> Self {
        Link {
            kind: kind.into(),
            id: id.into(),
        }
    }
}

/// A model type the user API reads one at a time: `GET /api/v3/{TYPE}/{id}`. Implemented by the
/// attributes structs.
pub trait UserResource: DeserializeOwned + Default + 'static {
    /// The JSON:API type, which is also the path segment, e.g. `employees`.
    const TYPE: &'static str;
    /// The scope that reading it needs.
    type Read: UserScope;
}

/// A model type the user API also lists: `GET /api/v3/{TYPE}` with typed filters.
pub trait Listable: UserResource {
    /// Its list's filters.
    type Filter: super::query::ListFilter + Default;
}
