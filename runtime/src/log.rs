//! One log line per request: method, path, status, job outcome, duration. Never headers or bodies, so
//! never a signature or a secret.

use std::time::Instant;

use actix_web::HttpMessage as _;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::JobStatus;

/// Middleware that logs each request with `tracing` once it is answered.
///
/// Installed by [`crate::serve`]; add it to your own app with
/// `App::new().wrap(actix_web::middleware::from_fn(envoy_plugin::log_request))`.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_owned();
    let result = next.call(req).await;
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    match &result {
        Ok(res) => {
            let outcome = res
                .request()
                .extensions()
                .get::<JobStatus>()
                .map_or("-", |s| s.as_str());
            tracing::info!(
                %method,
                path,
                status = res.status().as_u16(),
                outcome,
                duration_ms = format_args!("{millis:.2}"),
                "request"
            );
        }
        Err(err) => {
            tracing::warn!(%method, path, error = %err, duration_ms = format_args!("{millis:.2}"), "request")
        }
    }
    result
}
