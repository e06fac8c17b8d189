//! The payloads of events the platform names per plugin: a [`Notification`] and a [`Takeover`].
//!
//! Besides the built-in events, the platform sends a plugin events under names it assigns to that
//! plugin. A worker declares such an event with its name and payload type:
//!
//! ```
//! use envoy_plugin::prelude::*;
//! use envoy_plugin::custom_events::Notification;
//!
//! #[event(custom = "acme_visitor_alert", payload = Notification)]
//! async fn visitor_alert(notification: Notification) -> JobResult {
//!     let to = notification.recipient.and_then(|r| r.email).unwrap_or_default();
//!     Ok(Outcome::done(format!("alerted {to}")))
//! }
//! ```
//!
//! The payload type can also be one of your own (`Deserialize` and `Serialize`). A custom name one
//! or two letters away from a built-in event's compiles with a warning, in case it is a typo.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Id;
use crate::user_api::Resource;
use crate::user_api::attributes::attributes;

attributes! {
    /// A notification for someone: who, what, and what they can do about it. Keys without a field
    /// are kept in `extra`.
    Notification {
        /// Who it is for.
        "recipient" => recipient: Recipient,
        /// The message.
        "message" => message: String,
        /// Label and value pairs shown with it.
        "details" => details: Vec<NotificationDetail>,
        /// Buttons: a label and the URL called back when pressed.
        "actions" => actions: Vec<NotificationAction>,
        /// Files.
        "attachments" => attachments: Vec<NotificationAttachment>,
        /// What changes per channel (Slack, email).
        "channel_overrides" => channel_overrides: ChannelOverrides,
    }
}

/// The recipient of a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recipient {
    /// `{full}`.
    #[serde(default)]
    pub name: Option<RecipientName>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// The user's id.
    #[serde(default)]
    pub user_id: Option<Id>,
    /// The employee's id.
    #[serde(default)]
    pub employee_id: Option<Id>,
    /// Phone number.
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// A recipient's name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecipientName {
    /// The full name.
    #[serde(default)]
    pub full: Option<String>,
}

/// A label and value shown with a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotificationDetail {
    /// The label.
    #[serde(default)]
    pub label: Option<String>,
    /// The value.
    #[serde(default)]
    pub value: Option<Value>,
}

/// A button of a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotificationAction {
    /// The button's label.
    #[serde(default)]
    pub label: Option<String>,
    /// The URL called when it is pressed.
    #[serde(default)]
    pub callback_url: Option<String>,
}

/// A file sent with a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NotificationAttachment {
    /// Where it is.
    #[serde(default)]
    pub url: Option<String>,
}

/// Per-channel changes of a notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChannelOverrides {
    /// For Slack, as the platform sends it.
    #[serde(default)]
    pub slack: Option<Value>,
    /// For email.
    #[serde(default)]
    pub email: Option<EmailOverride>,
}

/// How a notification's email differs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailOverride {
    /// Sender.
    #[serde(default)]
    pub from: Option<String>,
    /// Subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// HTML body.
    #[serde(default)]
    pub html_body: Option<String>,
    /// Text body.
    #[serde(default)]
    pub text_body: Option<String>,
    /// Reply-to address.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Blind copies (one address or several, as sent).
    #[serde(default)]
    pub bcc: Option<Value>,
}

attributes! {
    /// A takeover's attributes: what to show, and when (Unix seconds).
    TakeoverAttributes {
        /// Title, message, when it was made, and how critical it is.
        "metadata" => metadata: TakeoverMetadata,
        /// When it starts (Unix seconds).
        "start-at" => start_at: i64,
        /// When it ends (Unix seconds).
        "end-at" => end_at: i64,
    }
}

/// What a takeover shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TakeoverMetadata {
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Message.
    #[serde(default)]
    pub message: Option<String>,
    /// When it was made, as sent.
    #[serde(default)]
    pub created_at: Option<Value>,
    /// `critical` or `normal`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A takeover of the screens of a location (a model with relationships `location` and `company`).
pub type Takeover = Resource<TakeoverAttributes>;

impl Takeover {
    /// Its location.
    pub fn location_id(&self) -> Option<&Id> {
        self.related("location")
    }
    /// Its company.
    pub fn company_id(&self) -> Option<&Id> {
        self.related("company")
    }
}
