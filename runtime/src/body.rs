//! Reading a request body: content type, size limit and signature, before anything is parsed.

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut, Payload};
use futures_util::StreamExt as _;

use std::future::Future;
use std::time::Duration;

use crate::signature::SIGNATURE_HEADER;
use crate::{ErrorKind, PluginContext, PluginError};

/// The largest body a route accepts unless configured otherwise: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// The most memory reserved up front for a body, whatever its declared length: a client that
/// declares a large body and sends nothing must not make the server hold that much for it.
const FIRST_CHUNK: usize = 16 * 1024;

/// Reads the raw body of a platform request and checks its signature.
///
/// In order, before a byte of the body is read: a content type that is present must be JSON (415);
/// a signature header must be present (401) and be one that can match at all, Base64 of a tag of
/// the right length (401); a declared length over the limit is refused (413). Then the body is
/// read within the context's read timeout (408), refused as soon as it grows past the limit (413),
/// and the signature must match its raw bytes (401).
pub(crate) async fn read_signed_body(
    req: &HttpRequest,
    payload: Payload,
    context: &PluginContext,
) -> Result<Bytes, PluginError> {
    check_content_type(req)?;
    let signature = req.headers().get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    // Checked before the body is read, so an unsigned request, or one whose signature cannot be a
    // tag, costs nothing and holds nothing.
    let tag = context.verifier.tag_of(signature)?;
    let declared = declared_length(req, context.body_limit)?;
    let body = read_within(
        context.read_timeout,
        read_limited(payload, context.body_limit, declared),
    )
    .await?;
    context.verifier.verify_tag(&body, &tag)?;
    Ok(body)
}

/// Runs a body read under `timeout`, answering 408 `REQUEST_TIMEOUT` when the body has not
/// arrived in time (a client that declares a body and goes silent).
pub(crate) async fn read_within(
    timeout: Duration,
    read: impl Future<Output = Result<Bytes, PluginError>>,
) -> Result<Bytes, PluginError> {
    tokio::time::timeout(timeout, read).await.map_err(|_| {
        PluginError::new(
            ErrorKind::RequestTimeout,
            format!("the request body did not arrive within {timeout:?}"),
        )
    })?
}

/// The body's declared length (`Content-Length`), refused (413) when it is over `limit`, so that a
/// body too large is refused before a byte of it is read.
pub(crate) fn declared_length(
    req: &HttpRequest,
    limit: usize,
) -> Result<Option<usize>, PluginError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large(limit));
    }
    Ok(declared)
}

/// Reads the whole body, refusing it (413) as soon as it grows past `limit`. The declared length
/// sizes the buffer only up to [`FIRST_CHUNK`]; past that it grows with what actually arrives.
pub(crate) async fn read_limited(
    mut payload: Payload,
    limit: usize,
    declared: Option<usize>,
) -> Result<Bytes, PluginError> {
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0).min(FIRST_CHUNK));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            PluginError::new(
                ErrorKind::MalformedJson,
                format!("request body could not be read: {e}"),
            )
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn too_large(limit: usize) -> PluginError {
    PluginError::new(
        ErrorKind::RequestTooLarge,
        format!("request body is over the limit of {limit} bytes"),
    )
}

/// A missing content type is accepted (the signature already proves the sender); one that is present
/// must be JSON (see [`check_json_content_type`]).
fn check_content_type(req: &HttpRequest) -> Result<(), PluginError> {
    match req.headers().get(header::CONTENT_TYPE) {
        None => Ok(()),
        Some(_) => check_json_content_type(req),
    }
}

/// The content type must be `application/json` or another `+json` type, parameters such as
/// `charset` allowed; a missing one is refused too (415).
pub(crate) fn check_json_content_type(req: &HttpRequest) -> Result<(), PluginError> {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return Err(PluginError::new(
            ErrorKind::UnsupportedMediaType,
            "no content type: send the body as `application/json`",
        ));
    };
    // Compared without allocating: this runs on every request.
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    let is_json = essence.eq_ignore_ascii_case("application/json")
        || essence.split_once('/').is_some_and(|(kind, subtype)| {
            kind.eq_ignore_ascii_case("application")
                && subtype.len() > 5
                && subtype[subtype.len() - 5..].eq_ignore_ascii_case("+json")
        });
    if is_json {
        Ok(())
    } else {
        Err(PluginError::new(
            ErrorKind::UnsupportedMediaType,
            format!(
                "content type `{}` is not supported: send `application/json`",
                value.to_str().unwrap_or("?")
            ),
        ))
    }
}
