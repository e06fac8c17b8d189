//! Invites: read (`GET /api/v3/invites/{id}`, `GET /api/v3/invites`, scope `invites.read`) and
//! written (`POST`, `PUT`, `PATCH`, `DELETE /api/v3/invites[/{id}]`, scope `invites.write`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::attributes::attributes;
use super::query::{InviteScope, filters};
use super::resource::{Listable, Resource, UserResource};
use super::scope::InvitesRead;
use crate::model::{Id, Timestamp};

attributes! {
    /// An invite's attributes.
    InviteAttributes {
        /// The visitor's name.
        "full-name" => full_name: String,
        /// The visitor's email address.
        "email" => email: String,
        /// The visitor's phone number.
        "phone" => phone: String,
        /// When the visitor is expected.
        "expected-arrival-time" => expected_arrival_time: Timestamp,
        /// When the visitor is expected to leave.
        "expected-departure-time" => expected_departure_time: Timestamp,
        /// Notes only employees see.
        "private-notes" => private_notes: String,
        /// Answers to sign-in fields (a map of strings, or the platform's list form).
        "user-data" => user_data: Value,
        /// Whether the visitor is notified.
        "notify-visitor" => notify_visitor: bool,
        /// Whether the invite was attested.
        "attested" => attested: bool,
        /// Whether the visitor arrived.
        "arrived" => arrived: bool,
        /// Approval (screening) status.
        "approval-status" => approval_status: ApprovalStatus,
        /// How many guests come along.
        "additional-guests" => additional_guests: u32,
        /// Whether the visitor pre-registered.
        "is-presigned" => is_presigned: bool,
        /// What created the invite.
        "created-from" => created_from: String,
        /// When the visit's entry signed out.
        "entry-signed-out-at" => entry_signed_out_at: Timestamp,
        /// When the reminder went out.
        "reminder-sent-at" => reminder_sent_at: Timestamp,
        /// When the guest last changed it.
        "guest-updated-at" => guest_updated_at: Timestamp,
        /// Created.
        "created-at" => created_at: Timestamp,
        /// Last changed.
        "updated-at" => updated_at: Timestamp,
    }
}

/// `approval-status`: `{status, auto_approved, report}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApprovalStatus {
    /// `approved`, `review`, `pending` or `denied`.
    #[serde(default)]
    pub status: Option<String>,
    /// Whether it was approved without review.
    #[serde(default)]
    pub auto_approved: Option<bool>,
    /// The checks that ran.
    #[serde(default)]
    pub report: Option<Vec<ApprovalCheck>>,
}

/// One check of an approval report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApprovalCheck {
    /// Why it ran.
    #[serde(default)]
    pub reason: Option<String>,
    /// `pass`, `fail` or `pending`.
    #[serde(default)]
    pub result: Option<String>,
    /// What ran it.
    #[serde(default)]
    pub source: Option<String>,
    /// What it said.
    #[serde(default)]
    pub messages: Option<Value>,
}

/// An invite, as the user API answers it.
pub type UserInvite = Resource<InviteAttributes>;

impl UserResource for InviteAttributes {
    const TYPE: &'static str = "invites";
    type Read = InvitesRead;
}

impl Listable for InviteAttributes {
    type Filter = InviteFilter;
}

impl UserInvite {
    /// Its location.
    pub fn location_id(&self) -> Option<&Id> {
        self.related("location")
    }
    /// Its host.
    pub fn employee_id(&self) -> Option<&Id> {
        self.related("employee")
    }
    /// Its flow.
    pub fn flow_id(&self) -> Option<&Id> {
        self.related("flow")
    }
}

filters! {
    /// The filters of `GET /api/v3/invites`.
    InviteFilter {
        /// `filter[email]`: for this visitor.
        "email" => email: String,
        /// `filter[employee]`: hosted by this employee.
        "employee" => employee: Id,
        /// `filter[flow]`: of this flow.
        "flow" => flow: Id,
        /// `filter[location]`: at this location.
        "location" => location: Id,
        /// `filter[date-from]`: expected on or after this day.
        "date-from" => date_from: NaiveDate,
        /// `filter[date-to]`: expected on or before this day.
        "date-to" => date_to: NaiveDate,
        /// `filter[datetime-from]`: expected at or after this time.
        "datetime-from" => datetime_from: DateTime<Utc>,
        /// `filter[datetime-to]`: expected at or before this time.
        "datetime-to" => datetime_to: DateTime<Utc>,
        /// `filter[for-date]`: expected on this day.
        "for-date" => for_date: NaiveDate,
        /// `filter[employee-centric]`: invites of employees (or not).
        "employee-centric" => employee_centric: bool,
        /// `filter[scope]`: hosted, mine, or including executives'.
        "scope" => scope: InviteScope,
    }
}

/// The writable attributes of an invite, for create, replace and update; what is `None` is not
/// sent.
///
/// ```
/// use envoy_plugin::user_api::InviteDraft;
/// let draft = InviteDraft::new("Ada Lovelace", "2026-12-01T09:00:00Z".parse().unwrap())
///     .email("ada@example.com")
///     .user_datum("Purpose of visit", "Follow-up")
///     .location("1");
/// assert_eq!(draft.full_name.as_deref(), Some("Ada Lovelace"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct InviteDraft {
    /// `full-name`.
    pub full_name: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `phone`.
    pub phone: Option<String>,
    /// `expected-arrival-time`.
    pub expected_arrival_time: Option<DateTime<Utc>>,
    /// `expected-departure-time`.
    pub expected_departure_time: Option<DateTime<Utc>>,
    /// `private-notes`.
    pub private_notes: Option<String>,
    /// `user-data`: sign-in field answers, by field name.
    pub user_data: Option<BTreeMap<String, String>>,
    /// `notify-visitor`.
    pub notify_visitor: Option<bool>,
    /// `attested` (setting it also needs scope `invites.attest`).
    pub attested: Option<bool>,
    /// The location (relationship `location`).
    pub location: Option<Id>,
    /// The host (relationship `employee`).
    pub employee: Option<Id>,
    /// The flow (relationship `flow`).
    pub flow: Option<Id>,
}

impl InviteDraft {
    /// An invite for `full_name`, expected at `arrival`.
    pub fn new(full_name: impl Into<String>, arrival: DateTime<Utc>) -> Self {
        InviteDraft {
            full_name: Some(full_name.into()),
            expected_arrival_time: Some(arrival),
            ..InviteDraft::default()
        }
    }

    /// Changes to send with `update` (PATCH): set only what changes.
    pub fn changes() -> Self {
        InviteDraft::default()
    }

    /// Sets `full-name`.
    pub fn full_name(mut self, name: impl Into<String>) -> Self {
        self.full_name = Some(name.into());
        self
    }
    /// Sets `email`.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }
    /// Sets `phone`.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
    /// Sets `expected-arrival-time`.
    pub fn arrival(mut self, at: DateTime<Utc>) -> Self {
        self.expected_arrival_time = Some(at);
        self
    }
    /// Sets `expected-departure-time`.
    pub fn departure(mut self, at: DateTime<Utc>) -> Self {
        self.expected_departure_time = Some(at);
        self
    }
    /// Sets `private-notes`.
    pub fn private_notes(mut self, notes: impl Into<String>) -> Self {
        self.private_notes = Some(notes.into());
        self
    }
    /// Adds one `user-data` answer.
    pub fn user_datum(mut self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.user_data
            .get_or_insert_with(BTreeMap::new)
            .insert(field.into(), value.into());
        self
    }
    /// Sets `notify-visitor`.
    pub fn notify_visitor(mut self, notify: bool) -> Self {
        self.notify_visitor = Some(notify);
        self
    }
    /// Sets `attested` (also needs scope `invites.attest`).
    pub fn attested(mut self, attested: bool) -> Self {
        self.attested = Some(attested);
        self
    }
    /// Sets the location.
    pub fn location(mut self, id: impl Into<Id>) -> Self {
        self.location = Some(id.into());
        self
    }
    /// Sets the host.
    pub fn host(mut self, employee: impl Into<Id>) -> Self {
        self.employee = Some(employee.into());
        self
    }
    /// Sets the flow.
    pub fn flow(mut self, id: impl Into<Id>) -> Self {
        self.flow = Some(id.into());
        self
    }

    /// The JSON:API document's `data`, with `id` for replace and update.
    pub(crate) fn to_data(&self, id: Option<&Id>) -> Value {
        let time = |t: &DateTime<Utc>| json!(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        let mut attributes = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                attributes.insert(key.to_owned(), value);
            }
        };
        put("full-name", self.full_name.as_ref().map(|v| json!(v)));
        put("email", self.email.as_ref().map(|v| json!(v)));
        put("phone", self.phone.as_ref().map(|v| json!(v)));
        put(
            "expected-arrival-time",
            self.expected_arrival_time.as_ref().map(time),
        );
        put(
            "expected-departure-time",
            self.expected_departure_time.as_ref().map(time),
        );
        put(
            "private-notes",
            self.private_notes.as_ref().map(|v| json!(v)),
        );
        put("user-data", self.user_data.as_ref().map(|v| json!(v)));
        put("notify-visitor", self.notify_visitor.map(|v| json!(v)));
        put("attested", self.attested.map(|v| json!(v)));
        let mut relationships = Map::new();
        for (name, kind, id) in [
            ("location", "locations", &self.location),
            ("employee", "employees", &self.employee),
            ("flow", "flows", &self.flow),
        ] {
            if let Some(id) = id {
                relationships.insert(name.to_owned(), json!({"data": {"type": kind, "id": id}}));
            }
        }
        let mut data = Map::new();
        if let Some(id) = id {
            data.insert("id".to_owned(), json!(id));
        }
        data.insert("type".to_owned(), json!("invites"));
        data.insert("attributes".to_owned(), Value::Object(attributes));
        if !relationships.is_empty() {
            data.insert("relationships".to_owned(), Value::Object(relationships));
        }
        Value::Object(data)
    }
}
