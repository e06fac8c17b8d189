//! Routes: the URLs Envoy calls during setup (validation, options, selected values, remote value,
//! migration). Like workers, each is declared by an attribute on an `async fn`, signed, decoded and
//! answered in the shape its kind requires.

mod answer;
mod callback;
mod handlers;
mod kinds;
mod options;
mod query;
mod serve;
mod validation;

use std::future::Future;
use std::sync::Arc;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::web::ServiceConfig;
use actix_web::{HttpRequest, HttpResponse};

pub use answer::IntoRouteAnswer;
pub use callback::{
    Callback, CallbackParts, FromCallback, IntoCallbackAnswer, into_callback_answer,
};
pub use handlers::{
    OptionsHandler, SelectedValuesHandler, options_source, select_options_source,
    selected_values_path,
};
pub use kinds::{
    Cursor, List, Migration, Options, RemoteValue, RouteKind, SelectedValues, Validate,
};
pub use options::{CursorPage, SelectOption};
pub use query::{CursorQuery, OptionsQuery, SelectedValuesQuery};
pub use validation::Validation;

use crate::PluginError;
use crate::model::RouteMeta;
use crate::setup::{PopupRequest, SetupStep};

/// A route: what `#[validate]`, `#[options]`, `#[selected_values]`, `#[remote_value]` and
/// `#[migration]` implement for the unit struct they make of a handler.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a route",
    label = "not declared with `#[validate]`, `#[options]`, `#[selected_values]`, `#[remote_value]` or `#[migration]`",
    note = "a plugin's `routes` lists async fns annotated with one of those attributes"
)]
pub trait Route: 'static {
    /// What the route is for; it decides the body, the arguments and the answer.
    type Kind: RouteKind;
    /// The handler's name.
    const NAME: &'static str;
    /// The path the route is served at (`/routes/<name>` unless the attribute says otherwise).
    const PATH: &'static str;
    /// The route's own time budget (`budget = "..."`), instead of the settings' default.
    const BUDGET: Option<std::time::Duration> = None;

    /// The user-scope sets the handler's arguments call the user API with.
    fn user_scope_sets() -> Vec<crate::user_api::ScopeSetInfo> {
        Vec::new()
    }

    /// Takes the handler's arguments from the request and runs it.
    fn run(
        parts: RouteParts<Self::Kind>,
    ) -> impl Future<Output = Result<<Self::Kind as RouteKind>::Answer, PluginError>> + 'static;
}

/// What a plugin's `routes` list: every route attribute implements it for its handler.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a route",
    label = "not declared with a route attribute",
    note = "a plugin's `routes` lists async fns annotated with `#[validate(Step)]`, `#[options]`, `#[selected_values]`, `#[remote_value]`, `#[migration]`, `#[popup_content(Step)]` or `#[callback]`"
)]
pub trait RouteEntry {
    /// The path the route is served at.
    const PATH: &'static str;
    /// For a validation route, the name of the step it validates; empty otherwise.
    const VALIDATES: &'static str = "";
    /// The route's entry in the declaration.
    fn info() -> RouteInfo;
}

/// The content URL of a pop-up step: a page the installer's browser opens (GET, with `state`), so
/// it is not signed by the platform.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pop-up content handler",
    label = "a pop-up step's `content` names a `#[popup_content(Step)]` handler",
    note = "declare it with `#[popup_content(MyStep)]` on an async fn taking `PopupRequest` and returning `HttpResponse`"
)]
pub trait PopupContent: 'static {
    /// The pop-up step it belongs to.
    type Step: SetupStep;
    /// The handler's name.
    const NAME: &'static str;
    /// The path it is served at.
    const PATH: &'static str;
    /// Answers the browser.
    fn run(request: PopupRequest) -> impl Future<Output = HttpResponse> + 'static;
}

/// The path of pop-up content handler `content` (for `#[popup(content = ...)]`). It takes the
/// handler as a value, so a name that is not one (a plain fn) is one error, on that name.
pub const fn popup_content_path<P: PopupContent>(content: P) -> &'static str {
    std::mem::forget(content);
    P::PATH
}

/// Registers route `R` (what `#[validate]`, `#[options]`, ... emit for `App::service`).
pub fn register_route<R: Route>(config: &mut AppService) {
    serve::register_route::<R>(config);
}

/// Registers pop-up content handler `P`: `GET` serves the page, any other method is 405.
pub fn register_popup_content<P: PopupContent>(config: &mut AppService) {
    HttpServiceFactory::register(serve::popup_resource::<P>(), config);
}

/// Registers callback `C`: `GET` and `POST`, with a job handle instead of a signature.
pub fn register_callback<C: Callback>(config: &mut AppService) {
    HttpServiceFactory::register(callback::resource::<C>(), config);
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
    /// The entry of route `R`. (The one place a declaration requires `R: Route`.)
    pub fn of<R: Route>() -> Self {
        RouteInfo {
            name: R::NAME,
            path: R::PATH,
            kind: <R::Kind as RouteKind>::info(),
            user_scope_sets: R::user_scope_sets(),
            register: |config| {
                config.service(RouteService::<R>::new());
            },
        }
    }

    /// The entry of pop-up content handler `P`.
    pub fn popup_content<P: PopupContent>() -> Self {
        RouteInfo {
            name: P::NAME,
            path: P::PATH,
            kind: RouteKindInfo::PopupContent {
                step: <P::Step as SetupStep>::NAME,
            },
            user_scope_sets: Vec::new(),
            register: |config| {
                config.service(serve::popup_resource::<P>());
            },
        }
    }

    /// The entry of callback `C`: `POST` (and `GET` where it opts in), with a job handle instead
    /// of a signature; any other method is a structured 405.
    pub fn callback<C: Callback>() -> Self {
        RouteInfo {
            name: C::NAME,
            path: C::PATH,
            kind: RouteKindInfo::Callback,
            user_scope_sets: C::user_scope_sets(),
            register: |config| {
                config.service(callback::resource::<C>());
            },
        }
    }

    /// Registers the route.
    pub fn register(&self, config: &mut ServiceConfig) {
        (self.register)(config);
    }
}

/// Route `R` as an actix-web service.
pub struct RouteService<R: Route>(std::marker::PhantomData<R>);

impl<R: Route> RouteService<R> {
    /// The service of route `R`.
    pub fn new() -> Self {
        RouteService(std::marker::PhantomData)
    }
}

impl<R: Route> Default for RouteService<R> {
    fn default() -> Self {
        RouteService::new()
    }
}

impl<R: Route> HttpServiceFactory for RouteService<R> {
    fn register(self, config: &mut AppService) {
        serve::register_route::<R>(config);
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
