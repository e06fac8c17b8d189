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

/// What a webhook handler returns: `Result<T, E>` with `E` convertible to a [`PluginError`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not what a webhook returns",
    label = "a webhook returns `Result<T, PluginError>`",
    note = "`T: Serialize` is answered 200 with `T` as JSON, `HttpResponse` as it is, `()` with 204; the error may be any type `?` converts into `PluginError`"
)]
pub trait WebhookResult {
    /// What a success carries.
    type Ok;
    /// The result, with the error converted.
    fn into_result(self) -> Result<Self::Ok, PluginError>;
}

impl<T, E: Into<PluginError>> WebhookResult for Result<T, E> {
    type Ok = T;
    fn into_result(self) -> Result<T, PluginError> {
        self.map_err(Into::into)
    }
}

/// The handler's result as a `Result` (the explicit type argument puts a wrong return type's error
/// on the return type).
pub fn into_result<R: WebhookResult>(value: R) -> Result<R::Ok, PluginError> {
    value.into_result()
}

/// The answer of an `HttpResponse`: the response as it is.
#[derive(Debug, Clone, Copy)]
pub struct AsResponse;

/// The answer of `()`: 204 No Content.
#[derive(Debug, Clone, Copy)]
pub struct AsEmpty;

/// The answer of any other type: 200 with it as JSON.
#[derive(Debug, Clone, Copy)]
pub struct AsJson;

/// Finds [`AsResponse`] for `HttpResponse` (tried first).
pub trait AnswersResponse {
    /// How the answer is written.
    fn answer_kind(&self) -> AsResponse {
        AsResponse
    }
}

impl AnswersResponse for &&Tag<HttpResponse> {}

/// Finds [`AsEmpty`] for `()` (tried second).
pub trait AnswersEmpty {
    /// How the answer is written.
    fn answer_kind(&self) -> AsEmpty {
        AsEmpty
    }
}

impl AnswersEmpty for &Tag<()> {}

/// Finds [`AsJson`] for every other type.
pub trait AnswersJson {
    /// How the answer is written.
    fn answer_kind(&self) -> AsJson {
        AsJson
    }
}

impl<T> AnswersJson for Tag<T> {}

/// Writes a success of type `T` the way `Self` says.
pub trait WriteAnswer<T> {
    /// The response.
    fn write(self, value: T) -> Result<HttpResponse, PluginError>;
}

impl WriteAnswer<HttpResponse> for AsResponse {
    fn write(self, value: HttpResponse) -> Result<HttpResponse, PluginError> {
        Ok(value)
    }
}

impl WriteAnswer<()> for AsEmpty {
    fn write(self, (): ()) -> Result<HttpResponse, PluginError> {
        Ok(HttpResponse::NoContent().finish())
    }
}

impl<T: Serialize> WriteAnswer<T> for AsJson {
    fn write(self, value: T) -> Result<HttpResponse, PluginError> {
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
        let kind = (&&&Tag::<Empty>::new()).answer_kind();
        let response = kind.write(()).expect("an answer");
        assert_eq!(response.status().as_u16(), 204);
        let kind = (&&&Tag::<Vec<u8>>::new()).answer_kind();
        let response = kind.write(vec![1]).expect("an answer");
        assert_eq!(response.status().as_u16(), 200);
    }
}
