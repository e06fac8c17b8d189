//! The kinds of handler a setup step refers to (a select's options and selected values), as marker
//! traits in the framework's words, and the `const fn`s that turn a handler into what a step's
//! description holds. They live with the routes (which they are), so `setup` only describes steps
//! and never depends on how routes are served.

use crate::PluginError;
use crate::endpoint::{Endpoint, EndpointKind};
use crate::route::{Cursor, List, Options, Route, SelectedValues};
use crate::route::{FromRoute, RouteParts, Validate};
use crate::setup::{OptionsSource, SetupStep};

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

/// The kind of endpoint of an options route, with the select flags the manifest shows.
pub trait OptionsKind: EndpointKind {
    /// The select has a search bar.
    const SEARCHABLE: bool;
    /// The select loads numbered pages.
    const PAGINATED: bool;
    /// The select loads pages by cursor.
    const CURSOR: bool;
}

impl<const S: bool, const P: bool> OptionsKind for Route<Options<List<S, P>>> {
    const SEARCHABLE: bool = S;
    const PAGINATED: bool = P;
    const CURSOR: bool = false;
}

impl<const S: bool> OptionsKind for Route<Options<Cursor<S>>> {
    const SEARCHABLE: bool = S;
    const PAGINATED: bool = false;
    const CURSOR: bool = true;
}

/// What a select's or mapping's `options` names: what `#[options]` implements besides
/// [`Endpoint`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an options handler",
    label = "a select's or mapping's `options` names an `#[options]` handler",
    note = "declare it with `#[options]`, `#[options(searchable, paginated)]` or `#[options(cursor)]` on an async fn"
)]
pub trait OptionsHandler: Endpoint<Kind: OptionsKind> {}

/// What a select's `selected` names: what `#[selected_values]` implements besides [`Endpoint`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a selected-values handler",
    label = "a select's `selected` names a `#[selected_values]` handler",
    note = "declare it with `#[selected_values]` on an async fn taking `SelectedValuesQuery`"
)]
pub trait SelectedValuesHandler: Endpoint<Kind = Route<SelectedValues>> {}

/// The source of options handler `handler`. It takes the handler as a value, so a name that is not
/// one (a plain fn, another kind of handler) is one error, on that name.
pub const fn options_source<H: OptionsHandler>(handler: H) -> OptionsSource {
    std::mem::forget(handler);
    OptionsSource {
        handler: H::NAME,
        path: H::PATH,
        searchable: <H::Kind as OptionsKind>::SEARCHABLE,
        paginated: <H::Kind as OptionsKind>::PAGINATED,
        cursor: <H::Kind as OptionsKind>::CURSOR,
    }
}

/// The source of a select's options handler `handler`; `selected_values` is the select's
/// selected-values path. Evaluated at compile time by `#[derive(SetupForm)]`, where a paginated or
/// cursor select without a selected-values route stops the build with `message`.
pub const fn select_options_source<H: OptionsHandler>(
    handler: H,
    selected_values: Option<&'static str>,
    message: &'static str,
) -> OptionsSource {
    if (<H::Kind as OptionsKind>::PAGINATED || <H::Kind as OptionsKind>::CURSOR)
        && selected_values.is_none()
    {
        panic!("{}", message);
    }
    options_source(handler)
}

/// The path of selected-values handler `handler` (for `#[field(select, selected = ...)]`); taken as
/// a value, so a name that is not one is one error, on that name.
pub const fn selected_values_path<H: SelectedValuesHandler>(handler: H) -> &'static str {
    std::mem::forget(handler);
    H::PATH
}
