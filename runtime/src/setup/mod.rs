//! Setup steps: the screens an installer goes through (forms, OAuth2, pop-ups), declared as typed
//! structs. The same struct is the step's validation payload, its slice of the install config and
//! its description in the manifest.

mod description;
mod popup;
pub(crate) mod required;

pub use description::{
    FieldDescription, FieldKind, LinkTarget, OptionsSource, Resource, StepDescription, StepKind,
    StepKindDescription, selected_values_path,
};
pub use popup::PopupRequest;

use serde::de::DeserializeOwned;

use crate::PluginError;
use crate::route::{FromRoute, Route, RouteParts, Validate};

/// A setup step: what `#[derive(SetupForm)]`, `#[derive(OAuth2Step)]` and `#[derive(PopupStep)]`
/// implement.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a setup step",
    label = "not declared with `#[derive(SetupForm)]`, `#[derive(OAuth2Step)]` or `#[derive(PopupStep)]`",
    note = "a plugin's `steps` and `#[validate(Step)]` name structs that derive one of those"
)]
pub trait SetupStep: DeserializeOwned + 'static {
    /// The struct's name: how validation routes and the manifest refer to the step.
    const NAME: &'static str;
    /// Form, OAuth2 or pop-up.
    const KIND: StepKind;
    /// The install-config keys the step saves (its fields' keys), for the duplicate-key check.
    const KEYS: &'static [&'static str];
    /// The step as the Dev Dashboard shows it. A constant, so the checks made while building it
    /// (a paginated select needs a selected-values route) run at compile time.
    const DESCRIPTION: StepDescription;
}

/// The struct of a step is the payload of its validation route.
impl<S: SetupStep> FromRoute<Validate<S>> for S {
    fn from_route(parts: &mut RouteParts<Validate<S>>) -> Result<Self, PluginError> {
        parts.payload.take().ok_or_else(|| {
            PluginError::msg(format!(
                "a validation route for `{}` can take its payload once",
                S::NAME
            ))
        })
    }
}

/// An options route: what `#[options]` implements, with the select flags the manifest shows.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an options handler",
    label = "a select's or mapping's `options` names an `#[options]` handler",
    note = "declare it with `#[options]`, `#[options(searchable, paginated)]` or `#[options(cursor)]` on an async fn"
)]
pub trait OptionsHandler: Route {
    /// The select has a search bar.
    const SEARCHABLE: bool;
    /// The select loads numbered pages.
    const PAGINATED: bool;
    /// The select loads pages by cursor.
    const CURSOR: bool;
}

/// A selected-values route: what `#[selected_values]` implements.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a selected-values handler",
    label = "a select's `selected` names a `#[selected_values]` handler",
    note = "declare it with `#[selected_values]` on an async fn taking `SelectedValuesQuery`"
)]
pub trait SelectedValuesHandler: Route {}
