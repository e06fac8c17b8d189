//! The job API: report a job's outcome, add attachments, update its message.

use reqwest::Method;
use serde::Serialize;

use super::{ApiError, EnvoyApi};
use crate::model::Id;
use crate::{Attachment, JobStatus, Outcome};

/// The job API of one job: from a worker's `Job` (`job.api()`), or rebuilt from a job id
/// (`EnvoyApi::job`), e.g. in the callback of an asynchronous task.
///
/// Every call is a `PATCH /api/v2/plugin-services/jobs/{id}`; setting a status is safe to repeat,
/// so these calls are retried on connection errors and 5xx.
#[derive(Debug, Clone)]
pub struct JobApi {
    api: EnvoyApi,
    id: Id,
}

impl JobApi {
    pub(crate) fn new(api: EnvoyApi, id: Id) -> Self {
        JobApi { api, id }
    }

    /// The job's id.
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// Marks the job done, with a message and attachments.
    pub async fn complete(
        &self,
        message: impl Into<String>,
        attachments: Vec<Attachment>,
    ) -> Result<(), ApiError> {
        let message = message.into();
        self.patch(JobUpdate::status(
            JobStatus::Done,
            &message,
            None,
            &attachments,
        ))
        .await
    }

    /// Marks the job ignored: `message` is shown, `reason` says why.
    pub async fn ignore(
        &self,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<(), ApiError> {
        let (message, reason) = (message.into(), reason.into());
        self.patch(JobUpdate::status(
            JobStatus::Ignored,
            &message,
            Some(&reason),
            &[],
        ))
        .await
    }

    /// Marks the job failed: `message` is shown, `reason` says why.
    pub async fn fail(
        &self,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<(), ApiError> {
        let (message, reason) = (message.into(), reason.into());
        self.patch(JobUpdate::status(
            JobStatus::Failed,
            &message,
            Some(&reason),
            &[],
        ))
        .await
    }

    /// Adds attachments, leaving the status as it is.
    pub async fn attach(&self, attachments: Vec<Attachment>) -> Result<(), ApiError> {
        self.patch(JobUpdate {
            attachments: &attachments,
            ..JobUpdate::default()
        })
        .await
    }

    /// Updates the message (and adds attachments) of a job that goes on.
    pub async fn update(
        &self,
        message: impl Into<String>,
        attachments: Vec<Attachment>,
    ) -> Result<(), ApiError> {
        let message = message.into();
        self.patch(JobUpdate::status(
            JobStatus::Ongoing,
            &message,
            None,
            &attachments,
        ))
        .await
    }

    /// Reports an [`Outcome`], the type workers return: done is `complete`, ignored and failed are
    /// `ignore` and `fail` (the outcome's message is both message and reason; attachments follow), and
    /// ongoing is `update`.
    pub async fn report(&self, outcome: &Outcome) -> Result<(), ApiError> {
        let message = outcome.message.as_deref().unwrap_or_default();
        let reason =
            matches!(outcome.status, JobStatus::Ignored | JobStatus::Failed).then_some(message);
        self.patch(JobUpdate::status(
            outcome.status,
            message,
            reason,
            &outcome.attachments,
        ))
        .await
    }

    async fn patch(&self, update: JobUpdate<'_>) -> Result<(), ApiError> {
        let body = serde_json::to_value(&update).map_err(|e| {
            ApiError::new(
                format!("PATCH /api/v2/plugin-services/jobs/{}", self.id),
                None,
                format!("the job update cannot be serialized: {e}"),
            )
        })?;
        let path = format!("/api/v2/plugin-services/jobs/{}", self.id);
        // The platform appends a call's attachments to the job's: repeating one that may have
        // arrived would show them twice, so only an update without attachments is retried.
        let repeatable = update.attachments.is_empty();
        self.api
            .call(Method::PATCH, &path, Some(&body), repeatable)
            .await
            .map(drop)
    }
}

/// The body of every job API call: what it sets, borrowed from the caller. `attachments` is always
/// sent (empty when there are none), the rest only when set.
#[derive(Serialize, Default)]
struct JobUpdate<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_reason: Option<&'a str>,
    attachments: &'a [Attachment],
}

impl<'a> JobUpdate<'a> {
    /// A job left in `status` (an ongoing job's status is not sent: it stays as it is).
    fn status(
        status: JobStatus,
        message: &'a str,
        reason: Option<&'a str>,
        attachments: &'a [Attachment],
    ) -> Self {
        JobUpdate {
            status: (status != JobStatus::Ongoing).then(|| status.as_str()),
            status_message: Some(message),
            failure_reason: reason,
            attachments,
        }
    }
}
