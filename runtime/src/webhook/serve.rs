//! Serving a webhook: from the raw request to the handler's answer, every failure in epilot's format
//! with the caller's request id.

use std::rc::Rc;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::{HttpRequest, HttpResponse, ResponseError as _, web};

use super::allow::AllowList;
use super::auth::Guard;
use super::{Webhook, WebhookParts};
use crate::body::{check_json_content_type, declared_length, read_limited, read_within};
use crate::context::PluginContext;
use crate::endpoint::Endpoint;
use crate::handler::answer_within;
use crate::{DEFAULT_BODY_LIMIT, DEFAULT_BUDGET, ErrorKind, PluginError};

/// What a webhook's route holds from its registration on: its keyed guard, or the variable that
/// was not set, and its allow list.
struct State {
    guard: Result<Guard, &'static str>,
    allow: AllowList,
}

/// Registers webhook `W` as an actix-web resource: `POST` runs it, any other method is 405.
///
/// The secret is read from the environment here, once per app (each server worker thread builds
/// its app), so a request never touches the environment. When it is not set the route still
/// exists and answers 503 `WEBHOOK_UNAVAILABLE` naming the variable: the rest of the plugin keeps
/// working, and the caller (and the log) says what to fix.
pub(crate) fn register_webhook<W: Endpoint<Kind = Webhook>>(config: &mut AppService) {
    let guard = Guard::new(&W::SETTINGS.auth, |name| std::env::var(name).ok());
    if let Err(variable) = guard {
        tracing::warn!(
            webhook = W::NAME,
            "{variable} is not set: webhook `{}` answers 503 until it is",
            W::NAME
        );
    }
    let state = Rc::new(State {
        guard,
        allow: AllowList::new(W::SETTINGS.allow_from),
    });
    web::resource(W::PATH)
        .route(
            web::post().to(move |req: HttpRequest, body: web::Payload| {
                serve::<W>(state.clone(), req, body)
            }),
        )
        .default_service(web::to(method_not_allowed::<W>))
        .register(config);
}

/// The caller's request id, from `W`'s request id header.
fn request_id<W: Endpoint<Kind = Webhook>>(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(W::SETTINGS.request_id_header)
        .and_then(|v| v.to_str().ok())
}

async fn method_not_allowed<W: Endpoint<Kind = Webhook>>(req: HttpRequest) -> HttpResponse {
    PluginError::new(
        ErrorKind::MethodNotAllowed,
        format!(
            "method {} is not allowed: the webhook takes POST",
            req.method()
        ),
    )
    .with_request_id(request_id::<W>(&req))
    .error_response()
}

async fn serve<W: Endpoint<Kind = Webhook>>(
    state: Rc<State>,
    req: HttpRequest,
    body: web::Payload,
) -> HttpResponse {
    match handle::<W>(&state, &req, body).await {
        Ok(response) => response,
        Err(err) => {
            if err.kind() == ErrorKind::Handler {
                tracing::error!(webhook = W::NAME, error = %err, "webhook failed");
            }
            err.with_request_id(request_id::<W>(&req)).error_response()
        }
    }
}

/// The checks in order: the cheapest, and those that need no trust in the caller, first; the body
/// is only read once the caller is allowed and (as far as the headers tell) authenticated.
async fn handle<W: Endpoint<Kind = Webhook>>(
    state: &State,
    req: &HttpRequest,
    body: web::Payload,
) -> Result<HttpResponse, PluginError> {
    // Draining is the server-wide middleware's alone (`drain_requests`): a request it let in before
    // the drain began is served to the end.
    state.allow.check(req.peer_addr())?;
    let guard = state.guard.as_ref().map_err(|variable| {
        PluginError::new(
            ErrorKind::Unavailable,
            format!("the webhook is not configured: {variable} is not set"),
        )
    })?;
    guard.check_headers(req)?;
    check_json_content_type(req)?;
    let context = req.app_data::<web::Data<PluginContext>>();
    let limit = context.map_or(DEFAULT_BODY_LIMIT, |c| c.body_limit);
    let declared = declared_length(req, limit)?;
    let bytes = read_within(
        W::SETTINGS.read_timeout,
        read_limited(body, limit, declared),
    )
    .await?;
    guard.check_body(req, &bytes)?;
    let budget = W::BUDGET.unwrap_or(context.map_or(DEFAULT_BUDGET, |c| c.budget));
    // The handler's `run` decodes each payload argument from the body, then drops it.
    let parts = WebhookParts::new(bytes, req.clone());
    answer_within(W::NAME, budget, W::run(parts)).await
}
