//! Firing an event at the plugin's worker as the platform does, and reading the job's outcome, the
//! log lines of the request, and the install's storage and config afterwards.

use serde::Serialize;
use serde_json::{Map, Value};

use super::logs::{LogLine, log_lines_since, log_mark};
use super::session::Session;
use crate::testing::TestEvent;

/// What firing an event answers the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Fired {
    /// The job's id.
    pub job: String,
    /// The worker's HTTP status.
    pub status: u16,
    /// The job's outcome as the platform reads the status: `done`, `ongoing`, `ignored`, `failed`.
    pub outcome: &'static str,
    /// Whether the failure was intended (a 412) or not (any other status).
    pub intended: bool,
    /// The worker's `message`.
    pub message: Option<String>,
    /// The worker's `debugInfo`.
    #[serde(rename = "debugInfo")]
    pub debug_info: Option<Value>,
    /// The worker's attachments.
    pub attachments: Vec<Value>,
    /// The whole answer body.
    pub body: Value,
    /// The log lines written while the plugin handled the request.
    pub logs: Vec<LogLine>,
    /// The install's storage afterwards.
    pub storage: Map<String, Value>,
    /// The install's config afterwards.
    pub config: Value,
}

/// The payload the built-in factories make for `event` (`None` for an event the platform does not
/// send).
pub(crate) fn factory_payload(event: &str) -> Option<Value> {
    if !crate::events::ALL.contains(&event) {
        return None;
    }
    Some(TestEvent::new(event).body()["payload"].clone())
}

/// Fires `event` with `payload` at the plugin's worker for it, for the session's install, with the
/// install's current config.
pub(crate) async fn fire(session: &Session, event: &str, payload: Value) -> Result<Fired, String> {
    let Some((_, path)) = session.workers.iter().find(|(e, _)| *e == event) else {
        return Err(format!("{} has no worker for `{event}`", session.name));
    };
    static JOBS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let job = format!(
        "preview-job-{started}-{}",
        JOBS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let request = TestEvent::new(event)
        .job_id(&job)
        .install_id(&session.install_id)
        .config(session.config().await)
        .payload(payload);
    let mark = log_mark();
    let answer = session
        .sender
        .event(path, &request)
        .await
        .map_err(|e| format!("the plugin does not answer: {e}"))?;
    let logs = log_lines_since(mark);
    let outcome = answer.outcome().map_or("failed", |status| status.as_str());
    Ok(Fired {
        job,
        status: answer.status,
        outcome,
        intended: answer.outcome().is_some(),
        message: answer.message().map(str::to_owned),
        debug_info: answer.body.get("debugInfo").cloned(),
        attachments: answer.attachments().to_vec(),
        body: answer.body,
        logs,
        storage: session.storage().await,
        config: session.config().await,
    })
}
