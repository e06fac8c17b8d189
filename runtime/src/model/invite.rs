//! Invites: a visit registered ahead of time (`type: "invites"`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::object::envoy_object;
use super::{Extra, Id, Relationship, Timestamp, UserDatum};

envoy_object! {
    /// An invite (`type: "invites"`): the payload of the invite events (`invite_created`,
    /// `invite_updated`, `invite_removed`, `upcoming_visit`, `qr_code_sent` and their `employee_`
    /// variants).
    Invite(InviteAttributes, InviteRelationships)
}

/// An invite's attributes, dash-case on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct InviteAttributes {
    /// The invitee's full name.
    pub full_name: String,
    /// The invitee's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Who sent the invite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inviter_name: Option<String>,
    /// The inviter's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inviter_email: Option<String>,
    /// When the invitee is expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_arrival_time: Option<Timestamp>,
    /// Notes only the company sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_notes: Option<String>,
    /// Whether the invitee has arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrived: Option<bool>,
    /// Whether the invitee has visited before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub been_here_before: Option<bool>,
    /// The sign-in flow's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_name: Option<String>,
    /// The sign-in flow's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_id: Option<Id>,
    /// Whether this invite belongs to an employee screening flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_screening_flow: Option<bool>,
    /// Answers to the flow's custom fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<Vec<UserDatum>>,
    /// The invite's secret token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_token: Option<String>,
    /// The token that lets the invitee edit the invite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_token: Option<String>,
    /// The invitee's photo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// The QR code, as the platform sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_code: Option<Value>,
    /// When the QR code was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qr_code_sent_at: Option<Timestamp>,
    /// Whether the invitee completed pre-registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preregistration_complete: Option<bool>,
    /// When the reminder was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_sent_at: Option<Timestamp>,
    /// When the invitee signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in_at: Option<Timestamp>,
    /// When the invitee signed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_out_at: Option<Timestamp>,
    /// On update events: which fields changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_fields: Option<Value>,
    /// Attributes without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An invite's links to other objects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct InviteRelationships {
    /// The entry made when the invitee signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<Relationship>,
    /// The location invited to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Relationship>,
    /// The sign-in flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<Relationship>,
    /// The employee (for employee invites).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee: Option<Relationship>,
    /// The tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<Relationship>,
    /// The invited employee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitee_employee: Option<Relationship>,
    /// Who created the invite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator: Option<Relationship>,
    /// Relationships without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}
