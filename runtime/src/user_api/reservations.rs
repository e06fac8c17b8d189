//! Reservations: `POST /a/rms/reservations` (scope `reservations.write`).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::attributes::attributes;
use super::resource::Resource;
use crate::model::Id;

attributes! {
    /// A reservation's attributes (`created-at` and `updated-at` are Unix seconds here).
    ReservationAttributes {
        /// Name of what is reserved.
        "name" => name: String,
        /// Whether it covers part of a day.
        "is-partial-day" => is_partial_day: bool,
        /// Whether it can be assigned.
        "is-assignable" => is_assignable: bool,
        /// Who it is assigned to.
        "assigned-to" => assigned_to: String,
        /// The neighborhood.
        "neighborhood-id" => neighborhood_id: Id,
        /// The desk it belongs to.
        "parent-desk-id" => parent_desk_id: Id,
        /// Availability.
        "availability" => availability: Value,
        /// Whether it is enabled.
        "enabled" => enabled: bool,
        /// Position on the floor plan.
        "x-pos" => x_pos: f64,
        /// Position on the floor plan.
        "y-pos" => y_pos: f64,
        /// When it starts, as sent.
        "start-time" => start_time: Value,
        /// When it ends, as sent.
        "end-time" => end_time: Value,
        /// Created (Unix seconds).
        "created-at" => created_at: i64,
        /// Last changed (Unix seconds).
        "updated-at" => updated_at: i64,
    }
}

/// A reservation (a desk or a visitor's place).
pub type Reservation = Resource<ReservationAttributes>;

/// A reservation to make for a user, from `start` (and until `end`).
///
/// ```
/// use envoy_plugin::user_api::ReservationDraft;
/// let draft = ReservationDraft::new("42", "2026-12-01T09:00:00Z".parse().unwrap()).location("1");
/// assert_eq!(draft.user.to_string(), "42");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReservationDraft {
    /// The user it is for.
    pub user: Id,
    /// The location.
    pub location: Option<Id>,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: Option<DateTime<Utc>>,
}

impl ReservationDraft {
    /// A reservation for `user` from `start`.
    pub fn new(user: impl Into<Id>, start: DateTime<Utc>) -> Self {
        ReservationDraft {
            user: user.into(),
            location: None,
            start,
            end: None,
        }
    }
    /// At this location.
    pub fn location(mut self, id: impl Into<Id>) -> Self {
        self.location = Some(id.into());
        self
    }
    /// Until `end`.
    pub fn until(mut self, end: DateTime<Utc>) -> Self {
        self.end = Some(end);
        self
    }

    /// The JSON:API document's `data`: a visitor booking from an external API.
    pub(crate) fn to_data(&self) -> Value {
        let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut relationships = json!({"user": {"data": {"type": "users", "id": self.user}}});
        if let Some(location) = &self.location {
            relationships["location"] = json!({"data": {"type": "locations", "id": location}});
        }
        let mut attributes = json!({
            "start-time": time(&self.start),
            "booking-source": "EXTERNAL_API",
            "booking-type": "visitor",
        });
        if let Some(end) = &self.end {
            attributes["end-time"] = json!(time(end));
        }
        json!({"type": "reservations", "relationships": relationships, "attributes": attributes})
    }
}
