//! Callback routes: called by a system the plugin handed work to, not by the platform. They are not
//! signed; instead each must carry a job handle (`Authorization: Bearer ...`, preferred, or
//! `?token=...`) made for this route, valid now, and not used before: it names the job to report on.
//!
//! The order protects the server from whoever can reach it: the method (POST, or GET where the
//! attribute opts in), then the handle, before a byte of the body is read; then the body, under the
//! body limit and the read timeout; then the handler, under the panic guard and the time budget. A
//! handle is spent when its handler succeeds; a replay is answered 409, and a handler that fails
//! gives the handle back, so the caller can retry.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::header;
use actix_web::web::{self, Bytes, Payload};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::{Value, json};

use crate::api::{EnvoyApi, JobApi, VerifiedHandle};
use crate::body::{declared_length, read_limited, read_within};
use crate::context::PluginContext;
use crate::deliveries::{self, RecordedAnswer};
use crate::endpoint::{Endpoint, EndpointKind};
use crate::handler::answer_within;
use crate::model::Id;
use crate::{ErrorKind, PluginError};

/// The kind of endpoint `#[callback]` makes: a route called by another system with a job handle.
pub struct Callback;

/// A callback's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackSettings {
    /// Whether `GET` is accepted as well as `POST` (`#[callback(get)]`). Off by default: link
    /// previewers and prefetchers send GET, and would spend the handle.
    pub allow_get: bool,
}

impl EndpointKind for Callback {
    type Parts = CallbackParts;
    type Output = Result<(), PluginError>;
    type Settings = CallbackSettings;

    fn register<E: Endpoint<Kind = Self>>(config: &mut AppService) {
        HttpServiceFactory::register(resource::<E>(), config);
    }
}

/// What [`Job::handle`](crate::Job::handle) takes: what `#[callback]` implements besides
/// [`Endpoint`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a callback",
    label = "a job handle is made for a `#[callback]` handler",
    note = "declare it with `#[callback]` on an async fn taking `JobApi` and returning `Result<(), PluginError>`"
)]
pub trait CallbackHandler: Endpoint<Kind = Callback> {}

/// A verified callback request.
pub struct CallbackParts {
    pub(crate) job_id: Id,
    /// The job's install, when the handle names it (see [`crate::Job::handle`]).
    pub(crate) install_id: Option<Id>,
    pub(crate) api: EnvoyApi,
    body: Option<Value>,
    request: HttpRequest,
}

/// A type a callback handler can take as an argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an argument of a callback route",
    label = "not provided to callbacks",
    note = "a callback takes `JobApi` (the job its handle names), `Id` (the job's id), `UserApi<S>` (acting as the job's installer), `serde_json::Value` (the body) and `HttpRequest`"
)]
pub trait FromCallback: Sized {
    /// Takes this argument from the request.
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError>;

    /// The user scopes this argument calls the user API with, if it does (`UserApi<S>`): checked
    /// against the plugin's declared `user_scopes` before the server starts.
    fn user_scopes() -> Option<crate::user_api::ScopeSetInfo> {
        None
    }
}

impl FromCallback for JobApi {
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError> {
        Ok(parts.api.job(parts.job_id.clone()))
    }
}

impl FromCallback for Id {
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError> {
        Ok(parts.job_id.clone())
    }
}

/// The body, as JSON (`null` when empty).
impl FromCallback for Value {
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError> {
        Ok(parts.body.take().unwrap_or(Value::Null))
    }
}

impl FromCallback for HttpRequest {
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError> {
        Ok(parts.request.clone())
    }
}

/// What a callback handler may return: `()` or `Result<(), E>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not what a callback answers",
    label = "a callback returns `Result<(), PluginError>`",
    note = "report the job's outcome through its `JobApi`; the callback itself answers 200 or the error"
)]
pub trait IntoCallbackAnswer {
    /// Converts the handler's return value.
    fn into_callback_answer(self) -> Result<(), PluginError>;
}

impl IntoCallbackAnswer for () {
    fn into_callback_answer(self) -> Result<(), PluginError> {
        Ok(())
    }
}

impl<E: Into<PluginError>> IntoCallbackAnswer for Result<(), E> {
    fn into_callback_answer(self) -> Result<(), PluginError> {
        self.map_err(Into::into)
    }
}

/// Converts a callback's return value (the explicit type argument puts a wrong return type's error
/// on that type).
#[doc(hidden)]
pub fn into_callback_answer<T: IntoCallbackAnswer>(value: T) -> Result<(), PluginError> {
    value.into_callback_answer()
}

/// Callback `C` as an actix-web resource: `POST` runs it, `GET` too when the attribute says `get`,
/// any other method is 405.
fn resource<C: Endpoint<Kind = Callback>>() -> actix_web::Resource {
    let mut resource = web::resource(C::PATH).route(web::post().to(serve_callback::<C>));
    if C::SETTINGS.allow_get {
        resource = resource.route(web::get().to(serve_callback::<C>));
    }
    resource.default_service(web::to(callback_method_not_allowed::<C>))
}

async fn serve_callback<C: Endpoint<Kind = Callback>>(
    req: HttpRequest,
    body: Payload,
) -> HttpResponse {
    match handle::<C>(req, body).await {
        Ok(()) => HttpResponse::Ok().json(json!({ "message": "ok" })),
        Err(err) => {
            if err.kind() == ErrorKind::Handler {
                tracing::error!(callback = C::NAME, error = %err, "callback failed");
            }
            err.error_response()
        }
    }
}

/// The answer to a method a callback does not accept (405, in the structured format).
async fn callback_method_not_allowed<C: Endpoint<Kind = Callback>>(
    req: HttpRequest,
) -> HttpResponse {
    let accepted = if C::SETTINGS.allow_get {
        "POST or GET"
    } else {
        "POST"
    };
    PluginError::new(
        ErrorKind::MethodNotAllowed,
        format!(
            "method {} is not allowed: call back with {accepted}",
            req.method()
        ),
    )
    .error_response()
}

async fn handle<C: Endpoint<Kind = Callback>>(
    req: HttpRequest,
    body: Payload,
) -> Result<(), PluginError> {
    let context = PluginContext::of(&req)?;
    let handles = context.handles.as_ref().ok_or_else(|| {
        PluginError::new(
            ErrorKind::Unavailable,
            "JWT_SECRET is not set: callbacks need it to check job handles",
        )
    })?;
    let handle = handles.decode(&bearer_or_query_token(&req)?, C::PATH)?;
    // The handle is claimed like a delivery: one use runs the handler, a concurrent replay waits
    // for its end, and a later one finds it spent.
    let key = ["handle#", &handle.handle_id].concat();
    let lease = C::BUDGET.unwrap_or(context.budget) + crate::worker::LEASE_MARGIN;
    let mut claim = match deliveries::claim(&context.deliveries, key, lease).await? {
        Ok(claim) => claim,
        Err(_) => {
            return Err(PluginError::new(
                ErrorKind::Conflict,
                "this job handle has been used already: each handle is accepted once",
            ));
        }
    };
    let result = read_and_run::<C>(&req, body, &context, handle).await;
    match &result {
        Ok(()) => claim.record(&SPENT).await,
        // The work is not done: the caller may retry with the same handle.
        Err(_) => claim.release().await,
    }
    result
}

/// What a spent handle is recorded as.
const SPENT: RecordedAnswer = RecordedAnswer {
    status: crate::JobStatus::Done,
    body: Bytes::from_static(br#"{"message":"ok"}"#),
};

/// Reads the body (within the limit and the read timeout) and runs the handler (within the
/// budget, panics caught).
async fn read_and_run<C: Endpoint<Kind = Callback>>(
    req: &HttpRequest,
    body: Payload,
    context: &PluginContext,
    handle: VerifiedHandle,
) -> Result<(), PluginError> {
    let declared = declared_length(req, context.body_limit)?;
    let body = read_within(
        context.read_timeout,
        read_limited(body, context.body_limit, declared),
    )
    .await?;
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(serde_json::from_slice(&body).map_err(|e| {
            PluginError::new(
                ErrorKind::MalformedJson,
                format!("callback body is not valid JSON: {e}"),
            )
        })?)
    };
    let parts = CallbackParts {
        job_id: handle.job_id,
        install_id: handle.install_id,
        api: context.api.clone(),
        body,
        request: req.clone(),
    };
    let budget = C::BUDGET.unwrap_or(context.budget);
    answer_within(C::NAME, budget, C::run(parts)).await
}

/// The job handle: from `Authorization: Bearer` (the scheme in any case, as HTTP says), else from
/// the `token` query parameter.
fn bearer_or_query_token(req: &HttpRequest) -> Result<String, PluginError> {
    let from_header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let from_query = || {
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|mut q| q.remove("token"))
    };
    from_header.or_else(from_query).ok_or_else(|| {
        PluginError::new(
            ErrorKind::CredentialsMissing,
            "missing job handle: call back with `Authorization: Bearer <handle>`",
        )
    })
}
