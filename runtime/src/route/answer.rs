//! What each kind of route handler may return, and how it becomes the answer.

use serde_json::Value;

use super::{
    Cursor, CursorPage, List, Migration, Options, RemoteValue, RouteKind, SelectOption,
    SelectedValues, Validate, Validation,
};
use crate::PluginError;
use crate::setup::SetupStep;

/// A value a handler of a route of kind `K` may return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not what a `{K}` route answers",
    label = "wrong answer for this kind of route",
    note = "validation routes return `Validation`; options routes `Vec<SelectOption>`, or `CursorPage` with `cursor`; selected-values routes `Vec<SelectOption>`; remote-value routes a `String`; migration routes the new config (any `Serialize`); each may be wrapped in `Result<_, E>`"
)]
pub trait IntoRouteAnswer<K: RouteKind> {
    /// Converts the handler's return value.
    fn into_route_answer(self) -> Result<K::Answer, PluginError>;
}

impl<T, E, K> IntoRouteAnswer<K> for Result<T, E>
where
    K: RouteKind,
    T: IntoRouteAnswer<K>,
    E: Into<PluginError>,
{
    fn into_route_answer(self) -> Result<K::Answer, PluginError> {
        self.map_err(Into::into)?.into_route_answer()
    }
}

impl<S: SetupStep> IntoRouteAnswer<Validate<S>> for Validation {
    fn into_route_answer(self) -> Result<Validation, PluginError> {
        Ok(self)
    }
}

impl<const S: bool, const P: bool> IntoRouteAnswer<Options<List<S, P>>> for Vec<SelectOption> {
    fn into_route_answer(self) -> Result<Vec<SelectOption>, PluginError> {
        Ok(self)
    }
}

impl<const S: bool> IntoRouteAnswer<Options<Cursor<S>>> for CursorPage {
    fn into_route_answer(self) -> Result<CursorPage, PluginError> {
        Ok(self)
    }
}

/// Selected values are answered as options; the route then answers one option, a list or `null`
/// depending on what was asked.
impl IntoRouteAnswer<SelectedValues> for Vec<SelectOption> {
    fn into_route_answer(self) -> Result<Vec<SelectOption>, PluginError> {
        Ok(self)
    }
}

impl IntoRouteAnswer<RemoteValue> for String {
    fn into_route_answer(self) -> Result<String, PluginError> {
        Ok(self)
    }
}

impl IntoRouteAnswer<Migration> for Value {
    fn into_route_answer(self) -> Result<Value, PluginError> {
        Ok(self)
    }
}

impl IntoRouteAnswer<Migration> for serde_json::Map<String, Value> {
    fn into_route_answer(self) -> Result<Value, PluginError> {
        Ok(Value::Object(self))
    }
}
