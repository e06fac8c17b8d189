//! Health endpoints for an orchestrator or a load balancer, outside the signature guard:
//! `GET /healthz` (liveness: the process answers) and `GET /readyz` (readiness: it should be sent
//! traffic).

use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

use crate::drain::Drain;
use crate::{ErrorKind, PluginContext, PluginError};

/// The liveness path: 200 while the process serves, draining included.
pub const LIVENESS_PATH: &str = "/healthz";

/// The readiness path: 200 when the plugin should get traffic; 503 while it drains, or while it
/// has a platform client id but no platform token yet (its first login has not succeeded).
pub const READINESS_PATH: &str = "/readyz";

/// Registers both endpoints (done by [`crate::configure_with`]).
pub(crate) fn register(config: &mut ServiceConfig) {
    config
        .route(LIVENESS_PATH, web::get().to(liveness))
        .route(READINESS_PATH, web::get().to(readiness));
}

async fn liveness() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

async fn readiness(req: HttpRequest) -> HttpResponse {
    match ready(&req) {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "ready"})),
        Err(err) => err.error_response(),
    }
}

fn ready(req: &HttpRequest) -> Result<(), PluginError> {
    if req
        .app_data::<web::Data<Drain>>()
        .is_some_and(|drain| drain.is_draining())
    {
        return Err(PluginError::new(
            ErrorKind::Unavailable,
            "the plugin is shutting down",
        ));
    }
    let context = PluginContext::of(req)?;
    if context.api.needs_login() && !context.api.has_token() {
        return Err(PluginError::new(
            ErrorKind::Unavailable,
            "the plugin has no platform token yet: its login has not succeeded",
        ));
    }
    Ok(())
}
