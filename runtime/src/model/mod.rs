//! Typed models of what the platform sends: ids, timestamps, objects, meta and payloads.
//!
//! They follow the wire format (dash-case attributes, JSON:API objects), accept both id forms and both
//! timestamp forms, and keep every field they have no name for in an `extra` map, so a field the
//! platform adds never fails a decode and survives a re-encode.

mod entry;
mod id;
mod invite;
mod lazy;
mod location;
mod meta;
mod object;
mod timestamp;
mod wire;

pub use entry::{Entry, EntryAttributes, EntryRelationships, LegalDoc, Thumbnails, UserDatum};
pub use id::Id;
pub use invite::{Invite, InviteAttributes, InviteRelationships};
pub use lazy::Lazy;
pub use location::{
    Company, CompanyAttributes, Location, LocationAttributes, Zone, ZoneAttributes,
};
pub use meta::{Auth, EventMeta, JobMeta, RouteMeta};
pub use object::{
    EnvoyObject, Extra, Linkage, PlatformObject, Relationship, Relationships, ResourceId,
};
pub use timestamp::{Timestamp, TimestampError};
