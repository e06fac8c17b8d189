//! Procedural macros of [envoy-plugin](https://docs.rs/envoy-plugin): `#[event]` and `plugin!`.
//!
//! This crate only parses, checks and emits tokens; everything the generated code does lives in the
//! `envoy-plugin` runtime crate, reached through its hidden `__private` module. Use the macros through
//! `envoy-plugin`, which re-exports them with their documentation.

#![warn(missing_docs)]

use proc_macro::TokenStream;

mod args;
mod ctxt;
mod event;
mod form;
mod handler;
mod known_events;
mod plugin;
mod route;
mod serde;
mod step;
mod suggest;
mod webhook;

/// Declares an event worker. See `envoy_plugin::event`.
#[proc_macro_attribute]
pub fn event(args: TokenStream, item: TokenStream) -> TokenStream {
    event::expand(args.into(), item.into()).into()
}

/// Declares a plugin. See `envoy_plugin::plugin`.
#[proc_macro]
pub fn plugin(input: TokenStream) -> TokenStream {
    plugin::expand(input.into()).into()
}

/// Declares the validation route of a setup step. See `envoy_plugin::validate`.
#[proc_macro_attribute]
pub fn validate(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::Validate, args.into(), item.into()).into()
}

/// Declares an options route. See `envoy_plugin::options`.
#[proc_macro_attribute]
pub fn options(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::Options, args.into(), item.into()).into()
}

/// Declares a selected-values route. See `envoy_plugin::selected_values`.
#[proc_macro_attribute]
pub fn selected_values(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::SelectedValues, args.into(), item.into()).into()
}

/// Declares a remote-value route. See `envoy_plugin::remote_value`.
#[proc_macro_attribute]
pub fn remote_value(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::RemoteValue, args.into(), item.into()).into()
}

/// Declares a migration route. See `envoy_plugin::migration`.
#[proc_macro_attribute]
pub fn migration(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::Migration, args.into(), item.into()).into()
}

/// Declares the content of a pop-up step. See `envoy_plugin::popup_content`.
#[proc_macro_attribute]
pub fn popup_content(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::PopupContent, args.into(), item.into()).into()
}

/// Derives a form setup step. See `envoy_plugin::SetupForm`.
#[proc_macro_derive(SetupForm, attributes(form, field))]
pub fn setup_form(input: TokenStream) -> TokenStream {
    step::derive(input.into(), form::expand).into()
}

/// Derives an OAuth2 setup step. See `envoy_plugin::OAuth2Step`.
#[proc_macro_derive(OAuth2Step, attributes(oauth2))]
pub fn oauth2_step(input: TokenStream) -> TokenStream {
    step::derive(input.into(), step::oauth2).into()
}

/// Derives a pop-up setup step. See `envoy_plugin::PopupStep`.
#[proc_macro_derive(PopupStep, attributes(popup))]
pub fn popup_step(input: TokenStream) -> TokenStream {
    step::derive(input.into(), step::popup).into()
}

/// Declares a callback route. See `envoy_plugin::callback`.
#[proc_macro_attribute]
pub fn callback(args: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(route::Attribute::Callback, args.into(), item.into()).into()
}

/// Declares a webhook for a platform other than Envoy. See `envoy_plugin::webhook`.
#[proc_macro_attribute]
pub fn webhook(args: TokenStream, item: TokenStream) -> TokenStream {
    webhook::expand(args.into(), item.into()).into()
}
