//! `meta`: what the platform says about the request itself (which install, which job, which location).

use std::fmt;

use serde_json::{Map, Value};

use super::wire::wire_struct;
use super::{Company, Extra, Id, Lazy, Location, Zone};
use crate::PluginError;
use crate::Secret;

wire_struct! {
    /// `meta` of a request to a worker (an event). Its `Debug` output shows the config's keys, not
    /// their values.
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct EventMeta {
        /// The event's name, e.g. `entry_sign_in`.
        ["event", required] pub event: String,
        /// The plugin's id.
        ["plugin_id", required] pub plugin_id: Id,
        /// The install's id.
        ["install_id", required] pub install_id: Id,
        /// The install's config, as saved by the setup steps. Read it typed through [`crate::Job::config`].
        ["config", object] pub config: Value,
        /// The job this request is for.
        ["job", required] pub job: JobMeta,
        /// The location the event happened at (location installs only), decoded when first
        /// read: [`EventMeta::location`].
        ["location", lazy] pub location: Lazy<Location>,
        /// The company that installed the plugin, decoded when first read: [`EventMeta::company`].
        ["company", lazy] pub company: Lazy<Company>,
        /// The zone, for zone installs, decoded when first read: [`EventMeta::zone`].
        ["zone", lazy] pub zone: Lazy<Zone>,
        /// The installer's token, when the platform sends one.
        ["auth", default] pub auth: Option<Box<Auth>>,
        @extra
        /// Keys without a typed field.
        pub extra: Extra,
    }
    expecting = "EventMeta (a JSON object)"
}

impl EventMeta {
    /// The location the event happened at (location installs only), decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the platform sent a location that does not decode.
    pub fn location(&self) -> Result<Option<&Location>, PluginError> {
        self.location.get_at("meta.location")
    }

    /// The company that installed the plugin, decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the platform sent a company that does not decode.
    pub fn company(&self) -> Result<Option<&Company>, PluginError> {
        self.company.get_at("meta.company")
    }

    /// The zone, for zone installs, decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the platform sent a zone that does not decode.
    pub fn zone(&self) -> Result<Option<&Zone>, PluginError> {
        self.zone.get_at("meta.zone")
    }
}

wire_struct! {
    /// `meta.job`: the job the platform created for this plugin and event.
    #[derive(Debug, Clone, PartialEq)]
    #[non_exhaustive]
    pub struct JobMeta {
        /// The job's id: what the job API and job handles use.
        ["id", required] pub id: Id,
        /// The job's name (the event's name).
        ["name", optional] pub name: Option<String>,
        /// A short identifier shown in the dashboard.
        ["identifier", optional] pub identifier: Option<String>,
        @extra
        /// Keys without a typed field.
        pub extra: Extra,
    }
    expecting = "JobMeta (a JSON object)"
}

wire_struct! {
    /// `meta` of a request to a route (validation, options, selected values, ...). Its `Debug` output
    /// shows the config's keys, not their values.
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct RouteMeta {
        /// The route's name, e.g. `step-0-field-1-options`.
        ["route", optional] pub route: Option<String>,
        /// The plugin's id.
        ["plugin_id", required] pub plugin_id: Id,
        /// The install's id.
        ["install_id", required] pub install_id: Id,
        /// The install's config so far.
        ["config", object] pub config: Value,
        /// The query parameters of the request (`search`, `page`, `cursor`, `value`, ...).
        ["params", default] pub params: Map<String, Value>,
        /// The location being set up (location installs only).
        ["location", optional] pub location: Option<Location>,
        /// The company installing the plugin.
        ["company", optional] pub company: Option<Company>,
        /// The zone, for zone installs.
        ["zone", optional] pub zone: Option<Zone>,
        /// The installer's token.
        ["auth", default] pub auth: Option<Auth>,
        /// A bearer token the platform forwards to the plugin.
        ["forwarded_bearer_token", optional] pub forwarded_bearer_token: Option<Secret>,
        @extra
        /// Keys without a typed field.
        pub extra: Extra,
    }
    expecting = "RouteMeta (a JSON object)"
}

wire_struct! {
    /// `meta.auth`: the installer's token. Its tokens, and the values of its other keys, never show in
    /// `Debug` output.
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Auth {
        /// Usually `Bearer`.
        ["token_type", optional] pub token_type: Option<String>,
        /// The access token.
        ["access_token", required] pub access_token: Secret,
        /// Seconds until the access token expires.
        ["expires_in", optional] pub expires_in: Option<u64>,
        /// The refresh token.
        ["refresh_token", optional] pub refresh_token: Option<Secret>,
        /// Seconds until the refresh token expires.
        ["refresh_token_expires_in", optional] pub refresh_token_expires_in: Option<u64>,
        @extra
        /// Keys without a typed field (`state` and `company_id` have been seen).
        pub extra: Extra,
    }
    expecting = "Auth (a JSON object)"
}

/// An install's config in `Debug` output: its keys, never its values (often API keys).
struct RedactedValues<'a>(&'a Value);

impl fmt::Debug for RedactedValues<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Object(map) => f
                .debug_map()
                .entries(map.keys().map(|key| (key, Redacted)))
                .finish(),
            _ => Redacted.fmt(f),
        }
    }
}

/// What stands for a value that is not shown.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

/// Extra keys that may hold secrets (`meta.auth`'s, such as `id_token`): keys only.
struct RedactedMap<'a>(&'a Extra);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|key| (key, Redacted)))
            .finish()
    }
}

/// The config's values are redacted: an install's config often holds API keys.
impl fmt::Debug for EventMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventMeta")
            .field("event", &self.event)
            .field("plugin_id", &self.plugin_id)
            .field("install_id", &self.install_id)
            .field("config", &RedactedValues(&self.config))
            .field("job", &self.job)
            .field("location", &self.location)
            .field("company", &self.company)
            .field("zone", &self.zone)
            .field("auth", &self.auth)
            .field("extra", &self.extra)
            .finish()
    }
}

/// The config's values are redacted: an install's config often holds API keys.
impl fmt::Debug for RouteMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteMeta")
            .field("route", &self.route)
            .field("plugin_id", &self.plugin_id)
            .field("install_id", &self.install_id)
            .field("config", &RedactedValues(&self.config))
            .field("params", &self.params)
            .field("location", &self.location)
            .field("company", &self.company)
            .field("zone", &self.zone)
            .field("auth", &self.auth)
            .field("forwarded_bearer_token", &self.forwarded_bearer_token)
            .field("extra", &self.extra)
            .finish()
    }
}

/// Tokens are `Secret`s; keys without a typed field (such as `id_token`) are shown without their
/// values.
impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("token_type", &self.token_type)
            .field("access_token", &self.access_token)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token)
            .field("refresh_token_expires_in", &self.refresh_token_expires_in)
            .field("extra", &RedactedMap(&self.extra))
            .finish()
    }
}
