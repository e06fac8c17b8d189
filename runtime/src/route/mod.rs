//! Routes: the URLs Envoy calls during setup (validation, options, selected values, remote value,
//! migration), signed, decoded and answered in the shape their kind requires; and the other URLs a
//! plugin lists in `routes`: a pop-up step's page and callbacks. Each is an
//! [`Endpoint`] declared by an attribute on an `async fn`.

mod answer;
mod callback;
mod handlers;
mod kinds;
mod options;
mod query;
mod serve;
mod validation;

use std::marker::PhantomData;
use std::sync::Arc;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::web::ServiceConfig;
use actix_web::{HttpRequest, HttpResponse};

pub use answer::IntoRouteAnswer;
pub use callback::{
    Callback, CallbackHandler, CallbackParts, CallbackSettings, FromCallback, IntoCallbackAnswer,
    into_callback_answer,
};
pub use handlers::{
    OptionsHandler, OptionsKind, SelectedValuesHandler, options_source, select_options_source,
    selected_values_path,
};
pub use kinds::{
    Cursor, List, Migration, Options, RemoteValue, RouteKind, SelectedValues, Validate,
};
pub use options::{CursorPage, SelectOption};
pub use query::{CursorQuery, OptionsQuery, SelectedValuesQuery};
pub use validation::Validation;

use crate::PluginError;
use crate::endpoint::{Endpoint, EndpointKind, Service};
use crate::model::RouteMeta;
use crate::setup::{PopupRequest, SetupStep};

/// The kind of endpoint the route attributes (`#[validate]`, `#[options]`, `#[selected_values]`,
/// `#[remote_value]`, `#[migration]`) make: a route of route kind `K`, signed by the platform,
/// answered in the shape `K` requires.
pub struct Route<K>(PhantomData<K>);

impl<K: RouteKind> EndpointKind for Route<K> {
    type Parts = RouteParts<K>;
    type Output = Result<K::Answer, PluginError>;
    type Settings = ();

    fn register<E: Endpoint<Kind = Self>>(config: &mut AppService) {
        serve::register_route::<E, K>(config);
    }
}

/// The kind of endpoint `#[popup_content(Step)]` makes: the content page of pop-up step `S`, which
/// the installer's browser opens (`GET`, with `state`), so it is not signed by the platform.
pub struct PopupPage<S>(PhantomData<S>);

impl<S: SetupStep> EndpointKind for PopupPage<S> {
    type Parts = PopupRequest;
    type Output = HttpResponse;
    type Settings = ();

    fn register<E: Endpoint<Kind = Self>>(config: &mut AppService) {
        HttpServiceFactory::register(serve::popup_resource::<E, S>(), config);
    }
}

/// The kinds of endpoint a plugin's `routes` lists, as the declaration reads them.
pub trait ListedRoute: EndpointKind {
    /// For a validation route, the name of the step it validates; empty otherwise.
    const VALIDATES: &'static str = "";
    /// The kind as the manifest describes it.
    fn info() -> RouteKindInfo;
}

impl<K: RouteKind> ListedRoute for Route<K> {
    const VALIDATES: &'static str = K::VALIDATES;
    fn info() -> RouteKindInfo {
        K::info()
    }
}

impl<S: SetupStep> ListedRoute for PopupPage<S> {
    fn info() -> RouteKindInfo {
        RouteKindInfo::PopupContent { step: S::NAME }
    }
}

impl ListedRoute for Callback {
    fn info() -> RouteKindInfo {
        RouteKindInfo::Callback
    }
}

/// What a plugin's `routes` list: what every route attribute, `#[popup_content]` and `#[callback]`
/// implement besides [`Endpoint`], so that a name of another kind is one error, in these words.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a route",
    label = "not declared with a route attribute",
    note = "a plugin's `routes` lists async fns annotated with `#[validate(Step)]`, `#[options]`, `#[selected_values]`, `#[remote_value]`, `#[migration]`, `#[popup_content(Step)]` or `#[callback]`"
)]
pub trait RouteEndpoint: Endpoint<Kind: ListedRoute> {}

/// What a pop-up step's `content` names: what `#[popup_content(Step)]` implements besides
/// [`Endpoint`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pop-up content handler",
    label = "a pop-up step's `content` names a `#[popup_content(Step)]` handler",
    note = "declare it with `#[popup_content(MyStep)]` on an async fn taking `PopupRequest` and returning `HttpResponse`"
)]
pub trait PopupContent: Endpoint {}

/// The path of pop-up content handler `content` (for `#[popup(content = ...)]`). It takes the
/// handler as a value, so a name that is not one (a plain fn) is one error, on that name.
pub const fn popup_content_path<P: PopupContent>(content: P) -> &'static str {
    std::mem::forget(content);
    P::PATH
}

/// A route's entry in the plugin's declaration.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// The handler's name.
    pub name: &'static str,
    /// The path the route is served at.
    pub path: &'static str,
    /// The kind of route, with its flags.
    pub kind: RouteKindInfo,
    /// The user-scope sets the handler calls the user API with.
    pub user_scope_sets: Vec<crate::user_api::ScopeSetInfo>,
    register: fn(&mut ServiceConfig),
}

/// What a route is for, as the manifest describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteKindInfo {
    /// The validation URL of the setup step with this name.
    Validate {
        /// The step's name.
        step: &'static str,
    },
    /// An options URL.
    Options {
        /// The select has a search bar (`meta.params.search`).
        searchable: bool,
        /// The select loads pages (`meta.params.page`).
        paginated: bool,
        /// The select loads pages by cursor (`meta.params.cursor`).
        cursor: bool,
    },
    /// A selected-values URL.
    SelectedValues,
    /// A remote value URL.
    RemoteValue,
    /// A migration route.
    Migration,
    /// The content URL of the pop-up step with this name.
    PopupContent {
        /// The step's name.
        step: &'static str,
    },
    /// A callback for work handed to another system (carries a job handle).
    Callback,
}

impl RouteInfo {
    /// The entry of route `R` (a route, a pop-up page or a callback).
    pub fn of<R: RouteEndpoint>() -> Self {
        RouteInfo {
            name: R::NAME,
            path: R::PATH,
            kind: <R::Kind as ListedRoute>::info(),
            user_scope_sets: R::user_scope_sets(),
            register: |config| {
                config.service(Service::<R>::new());
            },
        }
    }

    /// Registers the route.
    pub fn register(&self, config: &mut ServiceConfig) {
        (self.register)(config);
    }
}

/// A decoded route request, from which a handler's arguments are taken.
pub struct RouteParts<K: RouteKind> {
    pub(crate) meta: Arc<RouteMeta>,
    pub(crate) payload: Option<K::Payload>,
    pub(crate) request: HttpRequest,
}

impl<K: RouteKind> RouteParts<K> {
    /// The request's meta.
    pub fn meta(&self) -> &RouteMeta {
        &self.meta
    }
}

/// A type a handler of a route of kind `K` can take as an argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an argument of a `{K}` route",
    label = "not provided to `{K}` routes",
    note = "a validation route takes its step's struct; an options route `OptionsQuery` (or `CursorQuery` with `cursor`); a selected-values route `SelectedValuesQuery`; every route `RouteMeta` and `HttpRequest`"
)]
pub trait FromRoute<K: RouteKind>: Sized {
    /// Takes this argument from the request.
    fn from_route(parts: &mut RouteParts<K>) -> Result<Self, PluginError>;

    /// The user scopes this argument calls the user API with, if it does (`UserApi<S>`): checked
    /// against the plugin's declared `user_scopes` before the server starts.
    fn user_scopes() -> Option<crate::user_api::ScopeSetInfo> {
        None
    }
}

impl<K: RouteKind> FromRoute<K> for RouteMeta {
    fn from_route(parts: &mut RouteParts<K>) -> Result<Self, PluginError> {
        Ok((*parts.meta).clone())
    }
}

impl<K: RouteKind> FromRoute<K> for HttpRequest {
    fn from_route(parts: &mut RouteParts<K>) -> Result<Self, PluginError> {
        Ok(parts.request.clone())
    }
}
