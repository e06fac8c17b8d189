//! `UserApi` as an argument of workers, routes and callbacks.

use super::scope::{ScopeSet, ScopeSetInfo};
use super::{UserApi, UserAuth, UserToken};
use crate::PluginError;
use crate::context::PluginContext;
use crate::events::Event;
use crate::extract::{EventParts, FromEvent};
use crate::route::{CallbackParts, FromCallback, FromRoute, RouteKind, RouteParts};

/// In a worker: the token of `meta.auth` when the event carries one, else the installer's token
/// through the `plugin_install` grant for `meta.install_id`, obtained on the first call.
impl<Ev: Event, S: ScopeSet> FromEvent<Ev> for UserApi<S> {
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError> {
        let context = parts.context.as_ref().ok_or_else(missing_context)?;
        let auth = UserAuth::from_api(&context.api);
        Ok(match &parts.meta.auth {
            Some(token) => auth.user_api(UserToken::from_auth(token)),
            None => auth.installer(parts.meta.install_id.clone()),
        })
    }

    fn user_scopes() -> Option<ScopeSetInfo> {
        Some(ScopeSetInfo::of::<S>())
    }
}

/// In a route: the token of `meta.auth`, else `meta.forwarded_bearer_token`, else the installer's
/// token through the `plugin_install` grant for `meta.install_id`.
impl<K: RouteKind, S: ScopeSet> FromRoute<K> for UserApi<S> {
    fn from_route(parts: &mut RouteParts<K>) -> Result<Self, PluginError> {
        let context = PluginContext::of(&parts.request)?;
        let auth = UserAuth::from_api(&context.api);
        let meta = &parts.meta;
        Ok(match (&meta.auth, &meta.forwarded_bearer_token) {
            (Some(token), _) => auth.user_api(UserToken::from_auth(token)),
            (None, Some(bearer)) => auth.user_api(UserToken::new(bearer.clone())),
            (None, None) => auth.installer(meta.install_id.clone()),
        })
    }

    fn user_scopes() -> Option<ScopeSetInfo> {
        Some(ScopeSetInfo::of::<S>())
    }
}

/// In a callback: the installer of the job's install, through the `plugin_install` grant (obtained on
/// the first call), as a worker without `meta.auth`. The install comes from the job handle, which
/// names it when it was made from the worker's `Job` (`job.handle(callback, ttl)`); a handle made
/// from a bare job id names none, and the callback fails (500) saying so.
impl<S: ScopeSet> FromCallback for UserApi<S> {
    fn from_callback(parts: &mut CallbackParts) -> Result<Self, PluginError> {
        let install = parts.install_id.clone().ok_or_else(|| {
            PluginError::msg(
                "this callback takes a `UserApi`, but its job handle names no install to act for: \
                 make the handle in the worker with `job.handle(callback, ttl)` (or \
                 `JobHandles::encode_for_install`), not from a bare job id",
            )
        })?;
        Ok(UserAuth::from_api(&parts.api).installer(install))
    }

    fn user_scopes() -> Option<ScopeSetInfo> {
        Some(ScopeSetInfo::of::<S>())
    }
}

/// The grants themselves, in a worker (e.g. to exchange a code for a token).
impl<Ev: Event> FromEvent<Ev> for UserAuth {
    fn from_event(parts: &mut EventParts<Ev>) -> Result<Self, PluginError> {
        let context = parts.context.as_ref().ok_or_else(missing_context)?;
        Ok(UserAuth::from_api(&context.api))
    }
}

/// The grants themselves, in a route (e.g. the redirect target of the `authorization_code` flow).
impl<K: RouteKind> FromRoute<K> for UserAuth {
    fn from_route(parts: &mut RouteParts<K>) -> Result<Self, PluginError> {
        Ok(UserAuth::from_api(&PluginContext::of(&parts.request)?.api))
    }
}

fn missing_context() -> PluginError {
    PluginError::msg(
        "the plugin's routes were registered without their context: use envoy_plugin::configure",
    )
}
