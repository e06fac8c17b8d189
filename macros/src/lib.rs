//! Procedural macros of [envoy-plugin](https://docs.rs/envoy-plugin): `#[event]` and `plugin!`.
//!
//! This crate only parses, checks and emits tokens; everything the generated code does lives in the
//! `envoy-plugin` runtime crate, reached through its hidden `__private` module. Use the macros through
//! `envoy-plugin`, which re-exports them with their documentation.

#![warn(missing_docs)]

use proc_macro::TokenStream;

mod event;
mod known_events;
mod plugin;
mod suggest;

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
