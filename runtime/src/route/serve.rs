//! Serving a route: verify, decode, run (catching a panic), answer in the kind's shape.

use std::sync::Arc;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::Deserialize;

use super::{PopupContent, Route, RouteKind, RouteParts};
use crate::body::read_signed_body;
use crate::context::PluginContext;
use crate::decode::decode_body;
use crate::handler::answer_within;
use crate::model::RouteMeta;
use crate::setup::PopupRequest;
use crate::worker::method_not_allowed;
use crate::{ErrorKind, PluginError};

/// The body of a request to a route: `payload` is absent for options and selected values.
#[derive(Deserialize)]
struct RouteBody<P> {
    meta: RouteMeta,
    #[serde(default = "Option::default")]
    payload: Option<P>,
}

/// Registers route `R`: `POST` runs it, any other method is 405.
pub(crate) fn register_route<R: Route>(config: &mut AppService) {
    web::resource(R::PATH)
        .route(web::post().to(serve_route::<R>))
        .default_service(web::to(method_not_allowed))
        .register(config);
}

async fn serve_route<R: Route>(req: HttpRequest, body: web::Payload) -> HttpResponse {
    match handle::<R>(&req, body).await {
        Ok(answer) => HttpResponse::Ok().json(answer),
        Err(err) => {
            if err.kind() == ErrorKind::Handler {
                tracing::error!(route = R::NAME, error = %err, "route failed");
            }
            err.error_response()
        }
    }
}

async fn handle<R: Route>(
    req: &HttpRequest,
    body: web::Payload,
) -> Result<serde_json::Value, PluginError> {
    let context = PluginContext::of(req)?;
    let bytes = read_signed_body(req, body, &context).await?;
    // Before the typed decode, so that a required field sent as `null` is "required", not a type
    // error.
    <R::Kind as RouteKind>::check_submitted(&bytes)?;
    let body: RouteBody<<R::Kind as RouteKind>::Payload> = decode_body(&bytes)?;
    if <R::Kind as RouteKind>::PAYLOAD_REQUIRED && body.payload.is_none() {
        return Err(PluginError::new(
            ErrorKind::MissingPayload,
            "missing field `payload`",
        ));
    }
    let meta = Arc::new(body.meta);
    let parts = RouteParts {
        meta: meta.clone(),
        payload: body.payload,
        request: req.clone(),
    };
    let budget = R::BUDGET.unwrap_or(context.budget);
    let answer = answer_within(R::NAME, budget, R::run(parts)).await?;
    <R::Kind as RouteKind>::respond(answer, &meta)
}

/// A pop-up's content: the browser's query must carry `state`.
pub(crate) async fn serve_popup<P: PopupContent>(req: HttpRequest) -> HttpResponse {
    match web::Query::<PopupRequest>::from_query(req.query_string()) {
        Ok(query) => P::run(query.into_inner()).await,
        Err(_) => PluginError::new(
            ErrorKind::MissingProperty,
            "missing query parameter `state`: the platform opens a pop-up with one",
        )
        .error_response(),
    }
}
