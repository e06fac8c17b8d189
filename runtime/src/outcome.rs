//! What a worker answers: the job's outcome, as the status code and body the platform reads.

use actix_web::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{PluginError, Secret};

/// What a worker returns: an outcome, or an error (answered 500, an unintended failure).
pub type JobResult = Result<Outcome, PluginError>;

/// The state a job is left in by a worker's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// 200: the job is done.
    Done,
    /// 202: the job goes on; it is finished later through the job API.
    Ongoing,
    /// 400: the job was ignored on purpose; the message says why.
    Ignored,
    /// 412: the job failed; the message says why.
    Failed,
}

impl JobStatus {
    /// The HTTP status the platform reads as this job state.
    pub fn http_status(self) -> StatusCode {
        match self {
            JobStatus::Done => StatusCode::OK,
            JobStatus::Ongoing => StatusCode::ACCEPTED,
            JobStatus::Ignored => StatusCode::BAD_REQUEST,
            JobStatus::Failed => StatusCode::PRECONDITION_FAILED,
        }
    }

    /// The status as the job API and the logs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Done => "done",
            JobStatus::Ongoing => "ongoing",
            JobStatus::Ignored => "ignored",
            JobStatus::Failed => "failed",
        }
    }
}

/// A job's outcome: its status, a message, debug info and attachments shown in the Envoy dashboard.
///
/// ```
/// use envoy_plugin::{Attachment, JobStatus, Outcome};
/// let outcome = Outcome::done("Badge printed")
///     .attach(Attachment::link("Badge", "badge-42.pdf", "https://example.com/badge-42.pdf"))
///     .debug_info(serde_json::json!({"printer": "lobby"}));
/// assert_eq!(outcome.status, JobStatus::Done);
/// assert_eq!(outcome.status.http_status().as_u16(), 200);
/// let ignored = Outcome::ignored("host notifications are off");
/// assert_eq!(ignored.status.http_status().as_u16(), 400);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "an outcome does nothing until it is returned from the worker"]
pub struct Outcome {
    /// The job's state.
    pub status: JobStatus,
    /// What happened, or why the job was ignored or failed.
    pub message: Option<String>,
    /// Anything that helps debugging, shown with the job.
    pub debug_info: Option<Value>,
    /// Attachments shown with the job.
    pub attachments: Vec<Attachment>,
}

impl Outcome {
    fn new(status: JobStatus, message: Option<String>) -> Self {
        Outcome {
            status,
            message,
            debug_info: None,
            attachments: Vec::new(),
        }
    }

    /// The job is done (200).
    pub fn done(message: impl Into<String>) -> Self {
        Outcome::new(JobStatus::Done, Some(message.into()))
    }

    /// The job is done (200), with nothing to say.
    pub fn done_silently() -> Self {
        Outcome::new(JobStatus::Done, None)
    }

    /// The job goes on (202); finish it later through the job API.
    pub fn ongoing(message: impl Into<String>) -> Self {
        Outcome::new(JobStatus::Ongoing, Some(message.into()))
    }

    /// The job is ignored on purpose (400); `reason` says why.
    pub fn ignored(reason: impl Into<String>) -> Self {
        Outcome::new(JobStatus::Ignored, Some(reason.into()))
    }

    /// The job failed (412); `reason` says why.
    pub fn failed(reason: impl Into<String>) -> Self {
        Outcome::new(JobStatus::Failed, Some(reason.into()))
    }

    /// Adds debug info.
    pub fn debug_info(mut self, info: impl Into<Value>) -> Self {
        self.debug_info = Some(info.into());
        self
    }

    /// Adds an attachment.
    pub fn attach(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }

    /// The JSON body the platform receives: `{"message", "debugInfo", "attachments"}`, each left out
    /// when empty (an ongoing job's answer carries no attachments: they go through the job API).
    pub fn body(&self) -> Value {
        serde_json::to_value(self.wire_body()).unwrap_or(Value::Null)
    }

    /// The body as a borrowed, directly serializable struct (what the worker route writes).
    pub(crate) fn wire_body(&self) -> OutcomeBody<'_> {
        OutcomeBody {
            message: self.message.as_deref(),
            debug_info: self.debug_info.as_ref(),
            attachments: if self.status == JobStatus::Ongoing {
                &[]
            } else {
                &self.attachments
            },
        }
    }
}

/// The wire form of an outcome's body.
#[derive(Serialize)]
pub(crate) struct OutcomeBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(rename = "debugInfo", skip_serializing_if = "Option::is_none")]
    debug_info: Option<&'a Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    attachments: &'a [Attachment],
}

/// An attachment shown with a job in the Envoy dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Attachment {
    /// Plain text.
    Text {
        /// The label shown beside the value.
        label: String,
        /// The text.
        value: String,
    },
    /// A password, shown masked. Its value never appears in `Debug` output.
    Password {
        /// The label shown beside the value.
        label: String,
        /// The password.
        value: Secret,
    },
    /// Any JSON value.
    Json {
        /// The label shown beside the value.
        label: String,
        /// The value.
        value: Value,
    },
    /// A link.
    Link {
        /// The label shown beside the link.
        label: String,
        /// The link's text.
        value: String,
        /// Where the link goes.
        url: String,
    },
    /// A credential image (e.g. a badge), stored on S3.
    CredentialImage {
        /// The label shown beside the image.
        label: String,
        /// The credential's value.
        value: String,
        /// The image's title.
        title: String,
        /// Where the image is.
        image: CredentialImage,
    },
}

impl Attachment {
    /// A text attachment.
    pub fn text(label: impl Into<String>, value: impl Into<String>) -> Self {
        Attachment::Text {
            label: label.into(),
            value: value.into(),
        }
    }

    /// A password attachment.
    pub fn password(label: impl Into<String>, value: impl Into<Secret>) -> Self {
        Attachment::Password {
            label: label.into(),
            value: value.into(),
        }
    }

    /// A JSON attachment.
    pub fn json(label: impl Into<String>, value: impl Into<Value>) -> Self {
        Attachment::Json {
            label: label.into(),
            value: value.into(),
        }
    }

    /// A link attachment.
    pub fn link(
        label: impl Into<String>,
        value: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        Attachment::Link {
            label: label.into(),
            value: value.into(),
            url: url.into(),
        }
    }

    /// A credential image attachment whose image is at an S3 link.
    pub fn credential_image(
        label: impl Into<String>,
        value: impl Into<String>,
        title: impl Into<String>,
        s3_link: impl Into<String>,
    ) -> Self {
        Attachment::CredentialImage {
            label: label.into(),
            value: value.into(),
            title: title.into(),
            image: CredentialImage {
                kind: "s3".into(),
                link: s3_link.into(),
            },
        }
    }
}

/// Where a credential image is: `{"type": "s3", "link"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialImage {
    /// The storage kind; the platform knows `s3`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The image's link.
    pub link: String,
}

/// What a worker may return: an [`Outcome`], or a `Result` of one whose error converts into a
/// [`PluginError`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a job outcome",
    label = "a worker returns `JobResult` (`Result<Outcome, PluginError>`) or `Outcome`",
    note = "answer with `Ok(Outcome::done(..))`, `Outcome::ongoing(..)`, `Outcome::ignored(..)` or `Outcome::failed(..)`"
)]
pub trait IntoJobResult {
    /// Converts the worker's return value.
    fn into_job_result(self) -> JobResult;
}

impl IntoJobResult for Outcome {
    fn into_job_result(self) -> JobResult {
        Ok(self)
    }
}

impl<E: Into<PluginError>> IntoJobResult for Result<Outcome, E> {
    fn into_job_result(self) -> JobResult {
        self.map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attachments_serialize_as_the_platform_reads_them() {
        let all = vec![
            Attachment::text("Note", "hello"),
            Attachment::password("Wi-Fi", "s3cret"),
            Attachment::json("Raw", json!({"a": 1})),
            Attachment::link("Badge", "open", "https://x.test/b"),
            Attachment::credential_image("Card", "1234", "Access card", "https://s3.test/c.png"),
        ];
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            json!([
                {"type": "text", "label": "Note", "value": "hello"},
                {"type": "password", "label": "Wi-Fi", "value": "s3cret"},
                {"type": "json", "label": "Raw", "value": {"a": 1}},
                {"type": "link", "label": "Badge", "value": "open", "url": "https://x.test/b"},
                {"type": "credential_image", "label": "Card", "value": "1234", "title": "Access card",
                 "image": {"type": "s3", "link": "https://s3.test/c.png"}},
            ])
        );
        assert!(!format!("{:?}", all[1]).contains("s3cret"));
    }

    #[test]
    fn ongoing_body_has_no_attachments() {
        let o = Outcome::ongoing("queued")
            .attach(Attachment::text("a", "b"))
            .debug_info(json!({"task": 1}));
        assert_eq!(
            o.body(),
            json!({"message": "queued", "debugInfo": {"task": 1}})
        );
    }
}
