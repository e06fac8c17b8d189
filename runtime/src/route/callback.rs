//! Callback routes: called by a system the plugin handed work to, not by the platform. They are not
//! signed; instead each must carry a valid, unexpired job handle (`?token=...` or
//! `Authorization: Bearer ...`), which names the job to report on.

use std::future::Future;

use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::{Value, json};

use crate::api::{EnvoyApi, JobApi};
use crate::context::PluginContext;
use crate::handler::catching_panics;
use crate::model::Id;
use crate::{ErrorKind, PluginError};

/// A callback route: what `#[callback]` implements.
pub trait Callback: 'static {
    /// The handler's name.
    const NAME: &'static str;
    /// The path it is served at (`/callbacks/<name>` unless the attribute says otherwise).
    const PATH: &'static str;
    /// Takes the handler's arguments and runs it.
    fn run(parts: CallbackParts) -> impl Future<Output = Result<(), PluginError>> + 'static;
}

/// A verified callback request.
pub struct CallbackParts {
    job_id: Id,
    api: EnvoyApi,
    body: Option<Value>,
    request: HttpRequest,
}

/// A type a callback handler can take as an argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an argument of a callback route",
    label = "not provided to callbacks",
    note = "a callback takes `JobApi` (the job its handle names), `Id` (the job's id), `serde_json::Value` (the body) and `HttpRequest`"
)]
pub trait FromCallback: Sized {
    /// Takes this argument from the request.
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError>;
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

/// Callback `C` as an actix-web resource: `GET` and `POST` run it, any other method is 405.
pub(crate) fn resource<C: Callback>() -> actix_web::Resource {
    web::resource(C::PATH)
        .route(web::get().to(serve_callback::<C>))
        .route(web::post().to(serve_callback::<C>))
        .default_service(web::to(crate::worker::method_not_allowed))
}

async fn serve_callback<C: Callback>(req: HttpRequest, body: Bytes) -> HttpResponse {
    match handle::<C>(req, body).await {
        Ok(()) => HttpResponse::Ok().json(json!({ "message": "ok" })),
        Err(err) => err.error_response(),
    }
}

async fn handle<C: Callback>(req: HttpRequest, body: Bytes) -> Result<(), PluginError> {
    let context = PluginContext::of(&req)?;
    let handles = context.handles.as_ref().ok_or_else(|| {
        PluginError::msg("JWT_SECRET is not set: callbacks need it to check job handles")
    })?;
    let token =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("token").cloned())
            .or_else(|| {
                req.headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "))
                    .map(str::to_owned)
            })
            .ok_or_else(|| {
                PluginError::new(
                    ErrorKind::CredentialsMissing,
                    "missing job handle: call back with `?token=<handle>`",
                )
            })?;
    let job_id = handles.decode(&token)?;
    if body.len() > context.body_limit {
        return Err(PluginError::new(
            ErrorKind::RequestTooLarge,
            "callback body is over the limit",
        ));
    }
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
        job_id,
        api: context.api.clone(),
        body,
        request: req.clone(),
    };
    catching_panics(C::NAME, C::run(parts)).await
}
