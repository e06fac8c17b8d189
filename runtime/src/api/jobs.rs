//! The job API: report a job's outcome, add attachments, update its message.

use reqwest::Method;
use serde_json::{Value, json};

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
        self.patch(
            json!({"status": "done", "status_message": message.into(), "attachments": attachments}),
        )
        .await
    }

    /// Marks the job ignored: `message` is shown, `reason` says why.
    pub async fn ignore(
        &self,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<(), ApiError> {
        self.patch(json!({
            "status": "ignored", "status_message": message.into(), "failure_reason": reason.into(), "attachments": []
        }))
        .await
    }

    /// Marks the job failed: `message` is shown, `reason` says why.
    pub async fn fail(
        &self,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<(), ApiError> {
        self.patch(json!({
            "status": "failed", "status_message": message.into(), "failure_reason": reason.into(), "attachments": []
        }))
        .await
    }

    /// Adds attachments, leaving the status as it is.
    pub async fn attach(&self, attachments: Vec<Attachment>) -> Result<(), ApiError> {
        self.patch(json!({ "attachments": attachments })).await
    }

    /// Updates the message (and adds attachments) of a job that goes on.
    pub async fn update(
        &self,
        message: impl Into<String>,
        attachments: Vec<Attachment>,
    ) -> Result<(), ApiError> {
        self.patch(json!({"status_message": message.into(), "attachments": attachments}))
            .await
    }

    /// Reports an [`Outcome`], the type workers return: done is `complete`, ignored and failed are
    /// `ignore` and `fail` (the outcome's message is both message and reason; attachments follow), and
    /// ongoing is `update`.
    pub async fn report(&self, outcome: &Outcome) -> Result<(), ApiError> {
        let message = outcome.message.clone().unwrap_or_default();
        let attachments = outcome.attachments.clone();
        let mut body = match outcome.status {
            JobStatus::Done => json!({"status": "done", "status_message": message}),
            JobStatus::Ongoing => json!({"status_message": message}),
            JobStatus::Ignored | JobStatus::Failed => json!({
                "status": outcome.status.as_str(), "status_message": message, "failure_reason": message,
            }),
        };
        body["attachments"] = serde_json::to_value(attachments).unwrap_or(Value::Array(Vec::new()));
        self.patch(body).await
    }

    async fn patch(&self, body: Value) -> Result<(), ApiError> {
        let path = format!("/api/v2/plugin-services/jobs/{}", self.id);
        self.api
            .call(Method::PATCH, &path, Some(&body), true)
            .await
            .map(drop)
    }
}
