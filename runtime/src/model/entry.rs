//! Entries: a visitor's or employee's sign-in record (`type: "entries"`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::object::envoy_object;
use super::{Extra, Id, Relationship, Timestamp};

envoy_object! {
    /// An entry (`type: "entries"`): the payload of the entry events (`entry_sign_in`,
    /// `entry_sign_out`, the block-list reviews and their `employee_` variants).
    ///
    /// ```
    /// use envoy_plugin::{Entry, EntryAttributes};
    /// let entry = Entry::new(7, EntryAttributes::new("Ada Lovelace"));
    /// assert_eq!(entry.full_name, "Ada Lovelace");
    /// assert_eq!(entry.id.to_string(), "7");
    /// ```
    Entry(EntryAttributes, EntryRelationships)
}

/// An entry's attributes, dash-case on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct EntryAttributes {
    /// The visitor's full name.
    pub full_name: String,
    /// The visitor's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The visitor's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The host's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The host's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_email: Option<String>,
    /// Notes only the company sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_notes: Option<String>,
    /// When the visitor signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in_at: Option<Timestamp>,
    /// When the visitor signed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_out_at: Option<Timestamp>,
    /// The sign-in flow's name (e.g. `Visitor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_name: Option<String>,
    /// Whether this entry came from an employee screening flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_screening_flow: Option<bool>,
    /// Photo thumbnails (boxed: rarely sent, and it keeps an entry under 1 KiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnails: Option<Box<Thumbnails>>,
    /// The signed NDA, as the platform sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nda: Option<Value>,
    /// Signed legal documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_docs: Option<Vec<LegalDoc>>,
    /// Answers to the flow's custom fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<Vec<UserDatum>>,
    /// Approval state, as the platform sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_status: Option<Value>,
    /// On update events: which fields changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_fields: Option<Value>,
    /// The visitor's profile id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_profile_id: Option<Id>,
    /// Attributes without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EntryAttributes {
    /// Attributes with a name and nothing else, for building entries in code and tests.
    pub fn new(full_name: impl Into<String>) -> Self {
        EntryAttributes {
            full_name: full_name.into(),
            email: None,
            phone_number: None,
            host: None,
            host_email: None,
            private_notes: None,
            signed_in_at: None,
            signed_out_at: None,
            flow_name: None,
            employee_screening_flow: None,
            thumbnails: None,
            nda: None,
            legal_docs: None,
            user_data: None,
            approval_status: None,
            changed_fields: None,
            visitor_profile_id: None,
            extra: Extra::new(),
        }
    }

    /// The answer to a custom flow field, by the field's name.
    pub fn user_field(&self, field: &str) -> Option<&str> {
        self.user_data
            .as_deref()?
            .iter()
            .find(|d| d.field == field)
            .and_then(|d| d.value.as_str())
    }
}

/// An entry's links to other objects.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct EntryRelationships {
    /// The location signed into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Relationship>,
    /// The sign-in flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<Relationship>,
    /// The invite this entry came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<Relationship>,
    /// The employee (for employee entries).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee: Option<Relationship>,
    /// The device used to sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Relationship>,
    /// The entrance used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_entrance: Option<Relationship>,
    /// Relationships without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Photo thumbnails of a visitor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Thumbnails {
    /// Small thumbnail URL.
    #[serde(default)]
    pub small: Option<String>,
    /// Large thumbnail URL.
    #[serde(default)]
    pub large: Option<String>,
    /// Original photo URL.
    #[serde(default)]
    pub original: Option<String>,
    /// Keys without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A signed legal document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct LegalDoc {
    /// The document's id.
    #[serde(default)]
    pub id: Option<Id>,
    /// Where the signed document can be read.
    #[serde(default)]
    pub url: Option<String>,
    /// When it was signed.
    #[serde(default)]
    pub signed_at: Option<Timestamp>,
    /// The agreement, as the platform sends it.
    #[serde(default)]
    pub agreement: Option<Value>,
    /// Keys without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One answer to a custom flow field: `{"field": "Purpose of visit", "value": "Interview"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDatum {
    /// The field's name.
    pub field: String,
    /// The answer: usually a string, kept as sent otherwise.
    #[serde(default)]
    pub value: Value,
    /// Keys without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}
