//! Serving a route: verify, decode, run (catching a panic), answer in the kind's shape.

use std::sync::Arc;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use serde::Deserialize;

use super::{PopupPage, Route, RouteKind, RouteParts};
use crate::body::read_signed_body;
use crate::context::PluginContext;
use crate::decode::decode_body;
use crate::endpoint::Endpoint;
use crate::handler::answer_within;
use crate::model::RouteMeta;
use crate::setup::PopupRequest;
use crate::setup::SetupStep;
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
pub(crate) fn register_route<R: Endpoint<Kind = Route<K>>, K: RouteKind>(config: &mut AppService) {
    web::resource(R::PATH)
        .route(web::post().to(serve_route::<R, K>))
        .default_service(web::to(method_not_allowed))
        .register(config);
}

async fn serve_route<R: Endpoint<Kind = Route<K>>, K: RouteKind>(
    req: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    match handle::<R, K>(&req, body).await {
        Ok(answer) => HttpResponse::Ok().json(answer),
        Err(err) => {
            if err.kind() == ErrorKind::Handler {
                tracing::error!(route = R::NAME, error = %err, "route failed");
            }
            err.error_response()
        }
    }
}

async fn handle<R: Endpoint<Kind = Route<K>>, K: RouteKind>(
    req: &HttpRequest,
    body: web::Payload,
) -> Result<serde_json::Value, PluginError> {
    let context = PluginContext::of(req)?;
    let bytes = read_signed_body(req, body, &context).await?;
    // Before the typed decode, so that a required field sent as `null` is "required", not a type
    // error.
    <K as RouteKind>::check_submitted(&bytes)?;
    let body: RouteBody<<K as RouteKind>::Payload> = decode_body(&bytes)?;
    if <K as RouteKind>::PAYLOAD_REQUIRED && body.payload.is_none() {
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
    <K as RouteKind>::respond(answer, &meta)
}

/// Pop-up content `P` as an actix-web resource: `GET` serves the page, any other method is 405.
pub(crate) fn popup_resource<P: Endpoint<Kind = PopupPage<S>>, S: SetupStep>() -> actix_web::Resource
{
    web::resource(P::PATH)
        .route(web::get().to(serve_popup::<P, S>))
        .default_service(web::to(popup_method_not_allowed))
}

/// The answer to a method other than GET on a pop-up page.
async fn popup_method_not_allowed(req: HttpRequest) -> HttpResponse {
    PluginError::new(
        ErrorKind::MethodNotAllowed,
        format!(
            "method {} is not allowed: the installer's browser opens a pop-up with GET",
            req.method()
        ),
    )
    .error_response()
}

/// A pop-up's content: the browser's query must carry `state`. The page runs inside the same
/// guards as every handler: a panic is a structured 500 (the connection and the server live on),
/// and the time budget is the settings' default.
async fn serve_popup<P: Endpoint<Kind = PopupPage<S>>, S: SetupStep>(
    req: HttpRequest,
) -> HttpResponse {
    let query = match web::Query::<PopupRequest>::from_query(req.query_string()) {
        Ok(query) => query.into_inner(),
        Err(_) => {
            return PluginError::new(
                ErrorKind::MissingProperty,
                "missing query parameter `state`: the platform opens a pop-up with one",
            )
            .error_response();
        }
    };
    let budget = P::BUDGET.unwrap_or_else(|| {
        req.app_data::<web::Data<PluginContext>>()
            .map_or(crate::DEFAULT_BUDGET, |c| c.budget)
    });
    let page = async { Ok::<_, PluginError>(P::run(query).await) };
    match answer_within(P::NAME, budget, page).await {
        Ok(page) => page,
        Err(err) => {
            tracing::error!(popup = P::NAME, error = %err, "pop-up content failed");
            err.error_response()
        }
    }
}
