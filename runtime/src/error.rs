//! The framework's one error type, rendered with the error taxonomy every failure it produces follows.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

/// What went wrong, one row of the error taxonomy: an HTTP status, a `type` and a numeric `code`.
///
/// The body of every error the framework answers carries `message` (what Envoy shows) and
/// `error {message, type, code}` (what epilot-style platforms read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 `MALFORMED_JSON` 400000: the body is not JSON.
    MalformedJson,
    /// 400 `MISSING_DATA` 400100: the body has no payload.
    MissingPayload,
    /// 400 `MISSING_DATA` 400101: a required property is missing.
    MissingProperty,
    /// 400 `INVALID_DATA` 400200: a value has the wrong type or is out of range.
    InvalidData,
    /// 400 `INVALID_DATA` 400201: a property is not allowed.
    UnknownProperty,
    /// 401 `AUTHENTICATION` 401000: no credentials (no signature).
    CredentialsMissing,
    /// 401 `AUTHENTICATION` 401001: the credentials (signature) are wrong.
    CredentialsInvalid,
    /// 403 `AUTHORIZATION` 403000: not allowed.
    Forbidden,
    /// 405 `METHOD_NOT_ALLOWED` 405000: wrong HTTP method.
    MethodNotAllowed,
    /// 409 `CONFLICT` 409000: the request was valid once and has been used already (a job handle
    /// replayed to its callback).
    Conflict,
    /// 408 `REQUEST_TIMEOUT` 408000: the request was not received in time.
    RequestTimeout,
    /// 413 `REQUEST_TOO_LARGE` 413000: the body is over the limit.
    RequestTooLarge,
    /// 415 `MEDIA_TYPE_UNSUPPORTED` 415000: the body is not `application/json`.
    UnsupportedMediaType,
    /// 500 `WEBHOOK_ERROR` 500000: the handler failed.
    Handler,
    /// 503 `WEBHOOK_UNAVAILABLE` 503000: not ready, or shutting down.
    Unavailable,
    /// 504 `WEBHOOK_TIMEOUT` 504000: the handler ran out of time.
    Timeout,
}

impl ErrorKind {
    /// The HTTP status this kind is answered with.
    pub fn status(self) -> StatusCode {
        use ErrorKind::*;
        match self {
            MalformedJson | MissingPayload | MissingProperty | InvalidData | UnknownProperty => {
                StatusCode::BAD_REQUEST
            }
            CredentialsMissing | CredentialsInvalid => StatusCode::UNAUTHORIZED,
            Forbidden => StatusCode::FORBIDDEN,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Conflict => StatusCode::CONFLICT,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            RequestTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Handler => StatusCode::INTERNAL_SERVER_ERROR,
            Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Timeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The `type` of the error body.
    pub fn type_name(self) -> &'static str {
        use ErrorKind::*;
        match self {
            MalformedJson => "MALFORMED_JSON",
            MissingPayload | MissingProperty => "MISSING_DATA",
            InvalidData | UnknownProperty => "INVALID_DATA",
            CredentialsMissing | CredentialsInvalid => "AUTHENTICATION",
            Forbidden => "AUTHORIZATION",
            MethodNotAllowed => "METHOD_NOT_ALLOWED",
            Conflict => "CONFLICT",
            RequestTimeout => "REQUEST_TIMEOUT",
            RequestTooLarge => "REQUEST_TOO_LARGE",
            UnsupportedMediaType => "MEDIA_TYPE_UNSUPPORTED",
            Handler => "WEBHOOK_ERROR",
            Unavailable => "WEBHOOK_UNAVAILABLE",
            Timeout => "WEBHOOK_TIMEOUT",
        }
    }

    /// The numeric `code` of the error body.
    pub fn code(self) -> u32 {
        use ErrorKind::*;
        match self {
            MalformedJson => 400000,
            MissingPayload => 400100,
            MissingProperty => 400101,
            InvalidData => 400200,
            UnknownProperty => 400201,
            CredentialsMissing => 401000,
            CredentialsInvalid => 401001,
            Forbidden => 403000,
            MethodNotAllowed => 405000,
            Conflict => 409000,
            RequestTimeout => 408000,
            RequestTooLarge => 413000,
            UnsupportedMediaType => 415000,
            Handler => 500000,
            Unavailable => 503000,
            Timeout => 504000,
        }
    }
}

/// The framework's error: a kind from the taxonomy and a message for whoever sent the request.
///
/// Handlers return it (`Err(..)` from a worker answers 500, which the platform reads as an
/// unintended failure), and `?` turns any standard error into one, keeping it as the source. Its
/// response body is `{"message", "error": {"message", "type", "code"}}`, and `error.request_id` too
/// once [`PluginError::with_request_id`] has given it the caller's request id (webhooks do).
///
/// ```
/// use envoy_plugin::{ErrorKind, PluginError};
/// fn parse(n: &str) -> Result<u32, PluginError> {
///     Ok(n.parse::<u32>()?)
/// }
/// let err = parse("x").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Handler);
/// assert_eq!(err.to_string(), "invalid digit found in string");
/// ```
pub struct PluginError {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// The caller's id for the request, echoed as `error.request_id` (epilot reads it).
    request_id: Option<String>,
}

impl PluginError {
    /// An error of the given kind with a message for the caller.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        PluginError {
            kind,
            message: message.into(),
            source: None,
            request_id: None,
        }
    }

    /// A handler failure (500 `WEBHOOK_ERROR`) with this message.
    pub fn msg(message: impl Into<String>) -> Self {
        PluginError::new(ErrorKind::Handler, message)
    }

    /// The row of the taxonomy this error is answered with.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message shown to the caller.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The underlying error, when this one was made from another.
    pub fn source(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.source.as_deref()
    }

    /// The same error, answered with `error.request_id` set to `request_id` (the id the caller
    /// sent, so that it can find the failed request in its own logs); `None` leaves it out.
    ///
    /// ```
    /// use envoy_plugin::{ErrorKind, PluginError};
    /// let err = PluginError::new(ErrorKind::Forbidden, "not yours").with_request_id(Some("r-1"));
    /// assert_eq!(err.body()["error"]["request_id"], "r-1");
    /// let err = PluginError::new(ErrorKind::Forbidden, "not yours").with_request_id(None);
    /// assert!(err.body()["error"].get("request_id").is_none());
    /// ```
    pub fn with_request_id(mut self, request_id: Option<&str>) -> Self {
        self.request_id = request_id.map(str::to_owned);
        self
    }

    /// The request id this error echoes, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The JSON body this error is answered with.
    pub fn body(&self) -> serde_json::Value {
        let mut body = json!({
            "message": self.message,
            "error": {
                "message": self.message,
                "type": self.kind.type_name(),
                "code": self.kind.code(),
            }
        });
        if let Some(id) = &self.request_id {
            body["error"]["request_id"] = json!(id);
        }
        body
    }
}

impl fmt::Display for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for PluginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PluginError");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(id) = &self.request_id {
            d.field("request_id", id);
        }
        if let Some(source) = &self.source {
            d.field("source", source);
        }
        d.finish()
    }
}

/// Any standard error becomes a handler failure (500) whose message is the error's own, so `?` works
/// in handlers on whatever they call. `PluginError` itself is deliberately not a `std::error::Error`
/// (as with `anyhow::Error`), which is what makes this conversion possible.
impl<E: std::error::Error + Send + Sync + 'static> From<E> for PluginError {
    fn from(err: E) -> Self {
        PluginError {
            kind: ErrorKind::Handler,
            message: err.to_string(),
            source: Some(Box::new(err)),
            request_id: None,
        }
    }
}

impl From<PluginError> for Box<dyn std::error::Error + Send + Sync> {
    fn from(err: PluginError) -> Self {
        #[derive(Debug)]
        struct Wrapped(PluginError);
        impl fmt::Display for Wrapped {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
        impl std::error::Error for Wrapped {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.0
                    .source
                    .as_deref()
                    .map(|s| s as &(dyn std::error::Error + 'static))
            }
        }
        Box::new(Wrapped(err))
    }
}

impl ResponseError for PluginError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code()).json(self.body())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_code_matching_its_status() {
        use ErrorKind::*;
        let kinds = [
            MalformedJson,
            MissingPayload,
            MissingProperty,
            InvalidData,
            UnknownProperty,
            CredentialsMissing,
            CredentialsInvalid,
            Forbidden,
            MethodNotAllowed,
            RequestTimeout,
            RequestTooLarge,
            UnsupportedMediaType,
            Handler,
            Unavailable,
            Timeout,
        ];
        let mut codes: Vec<u32> = kinds.iter().map(|k| k.code()).collect();
        for k in kinds {
            assert_eq!(k.code() / 1000, u32::from(k.status().as_u16()), "{k:?}");
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
    }

    #[test]
    fn body_carries_message_twice_and_the_taxonomy() {
        let err = PluginError::new(ErrorKind::RequestTooLarge, "too big");
        assert_eq!(
            err.body(),
            json!({"message": "too big", "error": {"message": "too big", "type": "REQUEST_TOO_LARGE", "code": 413000}})
        );
    }
}
