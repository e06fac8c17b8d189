//! Setup steps: the screens an installer goes through (forms, OAuth2, pop-ups), declared as typed
//! structs. The same struct is the step's validation payload, its slice of the install config and
//! its description in the manifest.

pub(crate) mod defaults;
mod description;
mod popup;
pub(crate) mod required;
pub mod widget;

pub use defaults::default_config;
pub use description::{
    FieldDescription, FieldKind, LinkTarget, OptionsSource, Resource, StepDescription, StepKind,
    StepKindDescription,
};
pub use popup::PopupRequest;

use serde::de::DeserializeOwned;

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
