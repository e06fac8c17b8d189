//! What a webhook's arguments are and how its answer is written, decided by the types themselves
//! (not by how they are spelt), so a type alias or a re-export behaves like the original.
//!
//! The generated `run` asks a [`Tag`] of each type which role it has, by method resolution through
//! references ("autoref specialization"): `(&&Tag::<T>::new()).role()` finds the impl for
//! `&Tag<HttpRequest>` first when `T` is the request, and the one for every `Tag<T>` otherwise. The
//! role is a marker value, and a trait over (marker, type) does the work; so a type that cannot
//! play its role (a payload that is not `Deserialize`, an answer that is not `Serialize`) is one
//! trait error, on that type.

use std::marker::PhantomData;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::decode::decode_payload;
use crate::{ErrorKind, PluginError};

/// An authenticated webhook request, from which the handler's arguments are taken: the raw body
/// (checked against the signature already) and the request.
#[derive(Debug)]
pub struct WebhookParts {
    body: Bytes,
    request: HttpRequest,
}

impl WebhookParts {
    /// Parts from an authenticated body and its request.
    pub fn new(body: Bytes, request: HttpRequest) -> Self {
        WebhookParts { body, request }
    }
}

/// A type, asked for its role by the generated code.
pub struct Tag<T>(PhantomData<T>);

impl<T> Tag<T> {
    /// The tag of `T`.
    pub const fn new() -> Self {
        Tag(PhantomData)
    }

    /// The tag of `value`'s type.
    pub const fn of(_value: &T) -> Self {
        Tag(PhantomData)
    }
}

impl<T> Default for Tag<T> {
    fn default() -> Self {
        Tag::new()
    }
}

/// The role of an `HttpRequest` argument: a clone of the request.
#[derive(Debug, Clone, Copy)]
pub struct RequestArgument;

/// The role of any other argument: the body, decoded as that type.
#[derive(Debug, Clone, Copy)]
pub struct PayloadArgument;

/// Finds [`RequestArgument`] for `HttpRequest` (tried first, through one more reference).
pub trait IsRequest {
    /// The role.
    fn role(&self) -> RequestArgument {
        RequestArgument
    }
}

impl IsRequest for &Tag<HttpRequest> {}

/// Finds [`PayloadArgument`] for every other type.
pub trait IsPayload {
    /// The role.
    fn role(&self) -> PayloadArgument {
        PayloadArgument
    }
}

impl<T> IsPayload for Tag<T> {}

/// Takes an argument of type `T` in the role `Self`.
#[diagnostic::on_unimplemented(
    message = "`{T}` cannot be an argument of a webhook",
    label = "neither the request nor a payload type",
    note = "a webhook takes `HttpRequest` and payload types, each decoded from the whole JSON body: derive `Deserialize` for the payload"
)]
pub trait TakeArgument<T>: Sized {
    /// The argument.
    fn take(self, parts: &WebhookParts) -> Result<T, PluginError>;
}

impl TakeArgument<HttpRequest> for RequestArgument {
    fn take(self, parts: &WebhookParts) -> Result<HttpRequest, PluginError> {
        Ok(parts.request.clone())
    }
}

impl<T: DeserializeOwned> TakeArgument<T> for PayloadArgument {
    fn take(self, parts: &WebhookParts) -> Result<T, PluginError> {
        decode_payload(&parts.body)
    }
}

/// The answer of `Ok(HttpResponse)`: the response as it is.
#[derive(Debug, Clone, Copy)]
pub struct AsResponse;

/// The answer of `Ok(())`: 204 No Content.
#[derive(Debug, Clone, Copy)]
pub struct AsEmpty;

/// The answer of any other result: 200 with its success as JSON.
#[derive(Debug, Clone, Copy)]
pub struct AsJson;

/// Finds [`AsResponse`] for `Result<HttpResponse, E>` (tried first).
pub trait AnswersResponse {
    /// How the answer is written.
    fn answer_kind(&self) -> AsResponse {
        AsResponse
    }
}

impl<E> AnswersResponse for &&Tag<Result<HttpResponse, E>> {}

/// Finds [`AsEmpty`] for `Result<(), E>` (tried second).
pub trait AnswersEmpty {
    /// How the answer is written.
    fn answer_kind(&self) -> AsEmpty {
        AsEmpty
    }
}

impl<E> AnswersEmpty for &Tag<Result<(), E>> {}

/// Finds [`AsJson`] for every other type (which must then be a `Result` of a `Serialize` type).
pub trait AnswersJson {
    /// How the answer is written.
    fn answer_kind(&self) -> AsJson {
        AsJson
    }
}

impl<T> AnswersJson for Tag<T> {}

/// Writes what a handler returned (`R`) the way `Self` says.
#[diagnostic::on_unimplemented(
    message = "`{R}` is not what a webhook returns",
    label = "a webhook returns `Result<T, PluginError>`",
    note = "`T: Serialize` is answered 200 with `T` as JSON, `HttpResponse` as it is, `()` with 204; the error may be any type `?` converts into `PluginError`"
)]
pub trait WriteAnswer<R> {
    /// The response, or the handler's error.
    fn write(self, returned: R) -> Result<HttpResponse, PluginError>;
}

impl<E: Into<PluginError>> WriteAnswer<Result<HttpResponse, E>> for AsResponse {
    fn write(self, returned: Result<HttpResponse, E>) -> Result<HttpResponse, PluginError> {
        returned.map_err(Into::into)
    }
}

impl<E: Into<PluginError>> WriteAnswer<Result<(), E>> for AsEmpty {
    fn write(self, returned: Result<(), E>) -> Result<HttpResponse, PluginError> {
        returned.map_err(Into::into)?;
        Ok(HttpResponse::NoContent().finish())
    }
}

impl<T: Serialize, E: Into<PluginError>> WriteAnswer<Result<T, E>> for AsJson {
    fn write(self, returned: Result<T, E>) -> Result<HttpResponse, PluginError> {
        let value = returned.map_err(Into::into)?;
        let body = serde_json::to_vec(&value).map_err(|e| {
            PluginError::new(
                ErrorKind::Handler,
                format!("the answer could not be written as JSON: {e}"),
            )
        })?;
        Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Empty = ();

    // The references are the point: they order the candidate impls.
    #[allow(clippy::needless_borrow)]
    #[test]
    fn the_role_follows_the_type_not_its_name() {
        // An alias of `()` answers like `()`.
        let returned: Result<Empty, PluginError> = Ok(());
        let kind = (&&&Tag::of(&returned)).answer_kind();
        let response = kind.write(returned).expect("an answer");
        assert_eq!(response.status().as_u16(), 204);
        let returned: Result<Vec<u8>, PluginError> = Ok(vec![1]);
        let kind = (&&&Tag::of(&returned)).answer_kind();
        let response = kind.write(returned).expect("an answer");
        assert_eq!(response.status().as_u16(), 200);
    }
}
