//! The kinds of route, as marker types: each names the body it reads and the answer it gives.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{CursorPage, RouteKindInfo, SelectOption, Validation};
use crate::PluginError;
use crate::model::RouteMeta;
use crate::setup::SetupStep;

/// A kind of route.
pub trait RouteKind: 'static {
    /// The type of the request's `payload`.
    type Payload: DeserializeOwned + 'static;
    /// What a handler of this kind answers, after conversion.
    type Answer: 'static;
    /// Whether the request must carry a `payload`.
    const PAYLOAD_REQUIRED: bool;
    /// For a validation route, the name of the step it validates; empty otherwise.
    const VALIDATES: &'static str = "";
    /// The kind as the manifest describes it.
    fn info() -> RouteKindInfo;
    /// The JSON body of the answer (`meta` is the request's, for answers shaped by the question).
    fn respond(answer: Self::Answer, meta: &RouteMeta) -> Result<Value, PluginError>;
    /// Checks the framework makes on the raw body before the handler runs (a form's required
    /// fields); none by default.
    fn check_submitted(body: &[u8]) -> Result<(), PluginError> {
        let _ = body;
        Ok(())
    }
}

/// The validation URL of setup step `S`: the payload is the step's data, the answer what to save.
pub struct Validate<S>(std::marker::PhantomData<S>);

impl<S: SetupStep> RouteKind for Validate<S> {
    type Payload = S;
    type Answer = Validation;
    const PAYLOAD_REQUIRED: bool = true;
    const VALIDATES: &'static str = S::NAME;
    fn info() -> RouteKindInfo {
        RouteKindInfo::Validate { step: S::NAME }
    }
    fn respond(answer: Validation, _: &RouteMeta) -> Result<Value, PluginError> {
        answer.into_body()
    }
    fn check_submitted(body: &[u8]) -> Result<(), PluginError> {
        crate::setup::required::check_required(&S::DESCRIPTION, body)
    }
}

/// An options route that answers a list of options (optionally searchable and paginated).
pub struct List<const SEARCHABLE: bool, const PAGINATED: bool>;

/// An options route that answers a page of options with a cursor to the next (optionally searchable).
pub struct Cursor<const SEARCHABLE: bool>;

/// An options URL whose paging is `M`.
pub struct Options<M>(std::marker::PhantomData<M>);

impl<const S: bool, const P: bool> RouteKind for Options<List<S, P>> {
    type Payload = Value;
    type Answer = Vec<SelectOption>;
    const PAYLOAD_REQUIRED: bool = false;
    fn info() -> RouteKindInfo {
        RouteKindInfo::Options {
            searchable: S,
            paginated: P,
            cursor: false,
        }
    }
    fn respond(answer: Vec<SelectOption>, _: &RouteMeta) -> Result<Value, PluginError> {
        Ok(serde_json::to_value(answer)?)
    }
}

impl<const S: bool> RouteKind for Options<Cursor<S>> {
    type Payload = Value;
    type Answer = CursorPage;
    const PAYLOAD_REQUIRED: bool = false;
    fn info() -> RouteKindInfo {
        RouteKindInfo::Options {
            searchable: S,
            paginated: false,
            cursor: true,
        }
    }
    fn respond(answer: CursorPage, _: &RouteMeta) -> Result<Value, PluginError> {
        Ok(serde_json::to_value(answer)?)
    }
}

/// The selected-values URL of a paginated select: answers the options for values saved earlier.
pub struct SelectedValues;

impl RouteKind for SelectedValues {
    type Payload = Value;
    type Answer = Vec<SelectOption>;
    const PAYLOAD_REQUIRED: bool = false;
    fn info() -> RouteKindInfo {
        RouteKindInfo::SelectedValues
    }
    /// A list of values is answered with a list of options; one value with its option, or `null`.
    fn respond(answer: Vec<SelectOption>, meta: &RouteMeta) -> Result<Value, PluginError> {
        if meta.params.get("value").is_some_and(Value::is_array) {
            Ok(serde_json::to_value(answer)?)
        } else {
            Ok(answer
                .into_iter()
                .next()
                .map(serde_json::to_value)
                .transpose()?
                .unwrap_or(Value::Null))
        }
    }
}

/// A remote value URL: answers `{"value": ...}`.
pub struct RemoteValue;

impl RouteKind for RemoteValue {
    type Payload = Value;
    type Answer = String;
    const PAYLOAD_REQUIRED: bool = false;
    fn info() -> RouteKindInfo {
        RouteKindInfo::RemoteValue
    }
    fn respond(answer: String, _: &RouteMeta) -> Result<Value, PluginError> {
        Ok(serde_json::json!({ "value": answer }))
    }
}

/// A migration route: `meta.config` is the old config, the answer the new one.
pub struct Migration;

impl RouteKind for Migration {
    type Payload = Value;
    type Answer = Value;
    const PAYLOAD_REQUIRED: bool = false;
    fn info() -> RouteKindInfo {
        RouteKindInfo::Migration
    }
    fn respond(answer: Value, _: &RouteMeta) -> Result<Value, PluginError> {
        Ok(answer)
    }
}
