//! Invites: a visit registered ahead of time (`type: "invites"`).

use super::wire::wire_struct;
use serde_json::Value;

use super::object::envoy_object;
use super::{Id, Relationship, Timestamp, UserDatum};
use crate::Secret;

envoy_object! {
    /// An invite (`type: "invites"`): the payload of the invite events (`invite_created`,
    /// `invite_updated`, `invite_removed`, `upcoming_visit`, `qr_code_sent` and their `employee_`
    /// variants).
    Invite(InviteAttributes, InviteRelationships)
}

wire_struct! {
    /// An invite's attributes, dash-case on the wire.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct InviteAttributes {
        /// The invitee's full name.
        ["full-name", required] pub full_name: String,
        /// The invitee's email.
        ["email", optional] pub email: Option<String>,
        /// Who sent the invite.
        ["inviter-name", optional] pub inviter_name: Option<String>,
        /// The inviter's email.
        ["inviter-email", optional] pub inviter_email: Option<String>,
        /// When the invitee is expected.
        ["expected-arrival-time", optional] pub expected_arrival_time: Option<Timestamp>,
        /// Notes only the company sees.
        ["private-notes", optional] pub private_notes: Option<String>,
        /// Whether the invitee has arrived.
        ["arrived", optional] pub arrived: Option<bool>,
        /// Whether the invitee has visited before.
        ["been-here-before", optional] pub been_here_before: Option<bool>,
        /// The sign-in flow's name.
        ["flow-name", optional] pub flow_name: Option<String>,
        /// The sign-in flow's id.
        ["flow-id", optional] pub flow_id: Option<Id>,
        /// Whether this invite belongs to an employee screening flow.
        ["employee-screening-flow", optional] pub employee_screening_flow: Option<bool>,
        /// Answers to the flow's custom fields.
        ["user-data", optional] pub user_data: Option<Vec<UserDatum>>,
        /// The invite's secret token.
        ["secret-token", optional] pub secret_token: Option<Secret>,
        /// The token that lets the invitee edit the invite.
        ["edit-token", optional] pub edit_token: Option<Secret>,
        /// The invitee's photo.
        ["photo-url", optional] pub photo_url: Option<String>,
        /// The QR code, as the platform sends it.
        ["qr-code", optional] pub qr_code: Option<Value>,
        /// When the QR code was sent.
        ["qr-code-sent-at", optional] pub qr_code_sent_at: Option<Timestamp>,
        /// Whether the invitee completed pre-registration.
        ["preregistration-complete", optional] pub preregistration_complete: Option<bool>,
        /// When the reminder was sent.
        ["reminder-sent-at", optional] pub reminder_sent_at: Option<Timestamp>,
        /// When the invitee signed in.
        ["signed-in-at", optional] pub signed_in_at: Option<Timestamp>,
        /// When the invitee signed out.
        ["signed-out-at", optional] pub signed_out_at: Option<Timestamp>,
        /// On update events: which fields changed.
        ["changed-fields", optional] pub changed_fields: Option<Value>,
        @extra
        /// Attributes without a typed field.
        pub extra: Extra,
    }
    expecting = "InviteAttributes (a JSON object)"
}

wire_struct! {
    /// An invite's links to other objects.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct InviteRelationships {
        /// The entry made when the invitee signed in.
        ["entry", optional] pub entry: Option<Relationship>,
        /// The location invited to.
        ["location", optional] pub location: Option<Relationship>,
        /// The sign-in flow.
        ["flow", optional] pub flow: Option<Relationship>,
        /// The employee (for employee invites).
        ["employee", optional] pub employee: Option<Relationship>,
        /// The tenant.
        ["tenant", optional] pub tenant: Option<Relationship>,
        /// The invited employee.
        ["invitee-employee", optional] pub invitee_employee: Option<Relationship>,
        /// Who created the invite.
        ["creator", optional] pub creator: Option<Relationship>,
        @extra
        /// Relationships without a typed field.
        pub extra: Extra,
    }
    expecting = "InviteRelationships (a JSON object)"
}
