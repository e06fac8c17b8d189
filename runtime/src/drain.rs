//! Graceful shutdown: on SIGTERM (or Ctrl-C) the server answers new requests 503
//! `WEBHOOK_UNAVAILABLE` (the platform retries them later), lets in-flight handlers finish within a
//! bound, and then stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};

use crate::webhook::REQUEST_ID_HEADER;
use crate::{ErrorKind, PluginError};

/// How long in-flight handlers may take to finish once a shutdown has begun.
pub const DRAIN_BOUND: Duration = Duration::from_secs(25);

/// The drain state of a server, shared by its workers.
///
/// ```
/// use envoy_plugin::Drain;
/// let drain = Drain::new();
/// assert!(!drain.is_draining());
/// drain.begin();
/// assert!(drain.is_draining());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Drain {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    draining: AtomicBool,
    in_flight: AtomicUsize,
    idle: tokio::sync::Notify,
    /// Jobs whose worker goes on after its answer (past its budget), by a number of their own.
    background: std::sync::Mutex<Vec<(u64, String)>>,
    next: std::sync::atomic::AtomicU64,
}

/// Counts a request as in flight while it lives.
struct InFlight(Arc<Inner>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// A job whose worker goes on after its answer: the drain waits for it, and names it if it does not
/// end in time. Dropped when the worker has ended and its outcome was reported.
pub(crate) struct BackgroundJob {
    inner: Arc<Inner>,
    id: u64,
}

impl Drop for BackgroundJob {
    fn drop(&mut self) {
        if let Ok(mut jobs) = self.inner.background.lock() {
            jobs.retain(|(id, _)| *id != self.id);
        }
        drop(InFlight(self.inner.clone()));
    }
}

impl Drain {
    /// Counts the job `job` as in flight until the returned guard is dropped: the drain waits for
    /// it like for a request.
    pub(crate) fn track_job(&self, job: &crate::model::Id) -> BackgroundJob {
        self.inner.in_flight.fetch_add(1, Ordering::SeqCst);
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut jobs) = self.inner.background.lock() {
            jobs.push((id, job.to_string()));
        }
        BackgroundJob {
            inner: self.inner.clone(),
            id,
        }
    }

    /// The jobs whose workers are still running after their answer.
    pub fn background_jobs(&self) -> Vec<String> {
        self.inner
            .background
            .lock()
            .map(|jobs| jobs.iter().map(|(_, job)| job.clone()).collect())
            .unwrap_or_default()
    }

    /// A server that is not draining.
    pub fn new() -> Self {
        Drain::default()
    }

    /// From now on, new requests are answered 503.
    pub fn begin(&self) {
        self.inner.draining.store(true, Ordering::SeqCst);
    }

    /// Whether a shutdown has begun.
    pub fn is_draining(&self) -> bool {
        self.inner.draining.load(Ordering::SeqCst)
    }

    /// How many requests are being handled, and background jobs running.
    pub fn in_flight(&self) -> usize {
        self.inner.in_flight.load(Ordering::SeqCst)
    }

    /// Waits until no request is in flight, or `bound` has passed; `true` when all finished.
    pub async fn drained(&self, bound: Duration) -> bool {
        let wait = async {
            loop {
                let idle = self.inner.idle.notified();
                if self.in_flight() == 0 {
                    return;
                }
                idle.await;
            }
        };
        tokio::time::timeout(bound, wait).await.is_ok()
    }
}

/// Middleware: answers 503 while draining, and counts the requests in flight otherwise. Installed
/// by [`crate::serve`] with the server's [`Drain`] in the app data.
pub async fn drain_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(drain) = req
        .app_data::<web::Data<Drain>>()
        .map(|d| d.get_ref().clone())
    else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    // Liveness stays 200 while draining: the process is alive, and finishing its work.
    if drain.is_draining() && req.path() != crate::health::LIVENESS_PATH {
        // The server-wide drain runs before routing, so it cannot know a webhook's own request id
        // header: it echoes the default one, which is what epilot sends.
        let request_id = req
            .headers()
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok());
        let err = PluginError::new(
            ErrorKind::Unavailable,
            "the plugin is shutting down: try again shortly",
        )
        .with_request_id(request_id);
        return Ok(req
            .into_response(err.error_response())
            .map_into_right_body());
    }
    drain.inner.in_flight.fetch_add(1, Ordering::SeqCst);
    let _counted = InFlight(drain.inner.clone());
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// A future that ends on SIGTERM or Ctrl-C. The handler is installed when this is called, not when
/// the future is first polled: a signal that arrives as soon as the server listens (an orchestrator
/// stopping a plugin that just started) is caught, not left to kill the process.
pub(crate) fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term =
        actix_web::rt::signal::unix::signal(actix_web::rt::signal::unix::SignalKind::terminate());
    async move {
        #[cfg(unix)]
        if let Ok(mut term) = term {
            tokio::select! {
                _ = term.recv() => {}
                _ = actix_web::rt::signal::ctrl_c() => {}
            }
            return;
        }
        let _ = actix_web::rt::signal::ctrl_c().await;
    }
}
