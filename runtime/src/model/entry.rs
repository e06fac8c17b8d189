//! Entries: a visitor's or employee's sign-in record (`type: "entries"`).

use super::wire::wire_struct;
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

wire_struct! {
    /// An entry's attributes, dash-case on the wire.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct EntryAttributes {
        /// The visitor's full name.
        ["full-name", required] pub full_name: String,
        /// The visitor's email.
        ["email", optional] pub email: Option<String>,
        /// The visitor's phone number.
        ["phone-number", optional] pub phone_number: Option<String>,
        /// The host's name.
        ["host", optional] pub host: Option<String>,
        /// The host's email.
        ["host-email", optional] pub host_email: Option<String>,
        /// Notes only the company sees.
        ["private-notes", optional] pub private_notes: Option<String>,
        /// When the visitor signed in.
        ["signed-in-at", optional] pub signed_in_at: Option<Timestamp>,
        /// When the visitor signed out.
        ["signed-out-at", optional] pub signed_out_at: Option<Timestamp>,
        /// The sign-in flow's name (e.g. `Visitor`).
        ["flow-name", optional] pub flow_name: Option<String>,
        /// Whether this entry came from an employee screening flow.
        ["employee-screening-flow", optional] pub employee_screening_flow: Option<bool>,
        /// Photo thumbnails (boxed: rarely sent, and it keeps an entry under 1 KiB).
        ["thumbnails", optional] pub thumbnails: Option<Box<Thumbnails>>,
        /// The signed NDA, as the platform sends it.
        ["nda", optional] pub nda: Option<Value>,
        /// Signed legal documents.
        ["legal-docs", optional] pub legal_docs: Option<Vec<LegalDoc>>,
        /// Answers to the flow's custom fields.
        ["user-data", optional] pub user_data: Option<Vec<UserDatum>>,
        /// Approval state, as the platform sends it.
        ["approval-status", optional] pub approval_status: Option<Value>,
        /// On update events: which fields changed.
        ["changed-fields", optional] pub changed_fields: Option<Value>,
        /// The visitor's profile id.
        ["visitor-profile-id", optional] pub visitor_profile_id: Option<Id>,
        @extra
        /// Attributes without a typed field.
        pub extra: Extra,
    }
    expecting = "EntryAttributes (a JSON object)"
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

wire_struct! {
    /// An entry's links to other objects.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct EntryRelationships {
        /// The location signed into.
        ["location", optional] pub location: Option<Relationship>,
        /// The sign-in flow.
        ["flow", optional] pub flow: Option<Relationship>,
        /// The invite this entry came from.
        ["invite", optional] pub invite: Option<Relationship>,
        /// The employee (for employee entries).
        ["employee", optional] pub employee: Option<Relationship>,
        /// The device used to sign in.
        ["device", optional] pub device: Option<Relationship>,
        /// The entrance used.
        ["visitor-entrance", optional] pub visitor_entrance: Option<Relationship>,
        @extra
        /// Relationships without a typed field.
        pub extra: Extra,
    }
    expecting = "EntryRelationships (a JSON object)"
}

wire_struct! {
    /// Photo thumbnails of a visitor.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct Thumbnails {
        /// Small thumbnail URL.
        ["small", default] pub small: Option<String>,
        /// Large thumbnail URL.
        ["large", default] pub large: Option<String>,
        /// Original photo URL.
        ["original", default] pub original: Option<String>,
        @extra
        /// Keys without a typed field.
        pub extra: Extra,
    }
    expecting = "Thumbnails (a JSON object)"
}

wire_struct! {
    /// A signed legal document.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct LegalDoc {
        /// The document's id.
        ["id", default] pub id: Option<Id>,
        /// Where the signed document can be read.
        ["url", default] pub url: Option<String>,
        /// When it was signed.
        ["signed-at", default] pub signed_at: Option<Timestamp>,
        /// The agreement, as the platform sends it.
        ["agreement", default] pub agreement: Option<Value>,
        @extra
        /// Keys without a typed field.
        pub extra: Extra,
    }
    expecting = "LegalDoc (a JSON object)"
}

wire_struct! {
    /// One answer to a custom flow field: `{"field": "Purpose of visit", "value": "Interview"}`.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct UserDatum {
        /// The field's name.
        ["field", required] pub field: String,
        /// The answer: usually a string, kept as sent otherwise.
        ["value", default] pub value: Value,
        @extra
        /// Keys without a typed field.
        pub extra: Extra,
    }
    expecting = "UserDatum (a JSON object)"
}
