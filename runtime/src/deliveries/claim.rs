//! A worker's side of a delivery: claim it, then record the answer or give the claim up, even when
//! the request is dropped half-way.

use std::sync::Arc;
use std::time::Duration;

use super::{Claim, DeliveryStore, RecordedAnswer, StoreError};
use crate::{ErrorKind, PluginError};

/// A claim held by this request: whoever holds it runs the worker.
pub(crate) struct Claimed {
    store: Arc<dyn DeliveryStore>,
    key: String,
    token: u64,
    attempt: u32,
    settled: bool,
}

/// Claims the delivery `key`: `Ok(Err(answer))` when its outcome is known already.
pub(crate) async fn claim(
    store: &Arc<dyn DeliveryStore>,
    key: String,
    lease: Duration,
) -> Result<Result<Claimed, RecordedAnswer>, PluginError> {
    let claimed = match store.claim_at_once(&key, lease) {
        Some(claimed) => claimed,
        None => store.claim(&key, lease).await,
    };
    match claimed.map_err(unavailable)? {
        Claim::First { token, attempt } => Ok(Ok(Claimed {
            store: store.clone(),
            key,
            token,
            attempt,
            settled: false,
        })),
        Claim::Recorded(answer) => Ok(Err(answer)),
    }
}

impl Claimed {
    /// Which run of the delivery this is: 1, or more for a retry of a failed or dead run.
    pub(crate) fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Records the worker's answer; the claim stays held so that a later, final answer (of a job
    /// answered "ongoing") can replace it.
    pub(crate) async fn record(&mut self, answer: &RecordedAnswer) {
        self.settled = true;
        if let Err(err) = self.store.record(&self.key, self.token, answer).await {
            // The platform has its answer; a retry would find no record and run the worker again.
            tracing::error!(key = %self.key, error = %err, "the job's outcome could not be recorded");
        }
    }

    /// Gives the claim up: the worker failed, and a retry must run it again.
    pub(crate) async fn release(mut self) {
        self.settled = true;
        if let Err(err) = self.store.release(&self.key, self.token).await {
            tracing::error!(key = %self.key, error = %err, "a claim could not be released");
        }
    }
}

impl Drop for Claimed {
    /// The request was dropped (the caller hung up) before the worker had an answer: give the claim
    /// up, so that the platform's retry runs it.
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let store = self.store.clone();
        let key = std::mem::take(&mut self.key);
        let token = self.token;
        actix_web::rt::spawn(async move {
            if let Err(err) = store.release(&key, token).await {
                tracing::error!(key = %key, error = %err, "a claim could not be released");
            }
        });
    }
}

fn unavailable(err: StoreError) -> PluginError {
    tracing::error!(error = %err, "delivery store unavailable");
    PluginError::new(
        ErrorKind::Unavailable,
        "the plugin cannot tell whether this job already ran: try again later",
    )
}
