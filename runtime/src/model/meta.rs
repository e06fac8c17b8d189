//! `meta`: what the platform says about the request itself (which install, which job, which location).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Company, Extra, Id, Location, Zone};
use crate::Secret;

/// `meta` of a request to a worker (an event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EventMeta {
    /// The event's name, e.g. `entry_sign_in`.
    pub event: String,
    /// The plugin's id.
    pub plugin_id: Id,
    /// The install's id.
    pub install_id: Id,
    /// The install's config, as saved by the setup steps. Read it typed through [`crate::Job::config`].
    #[serde(default = "empty_object")]
    pub config: Value,
    /// The job this request is for.
    pub job: JobMeta,
    /// The location the event happened at (location installs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Box<Location>>,
    /// The company that installed the plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Box<Company>>,
    /// The zone, for zone installs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<Box<Zone>>,
    /// The installer's token, when the platform sends one.
    #[serde(default)]
    pub auth: Option<Box<Auth>>,
    /// Keys without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `meta.job`: the job the platform created for this plugin and event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JobMeta {
    /// The job's id: what the job API and job handles use.
    pub id: Id,
    /// The job's name (the event's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A short identifier shown in the dashboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Keys without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `meta` of a request to a route (validation, options, selected values, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RouteMeta {
    /// The route's name, e.g. `step-0-field-1-options`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// The plugin's id.
    pub plugin_id: Id,
    /// The install's id.
    pub install_id: Id,
    /// The install's config so far.
    #[serde(default = "empty_object")]
    pub config: Value,
    /// The query parameters of the request (`search`, `page`, `cursor`, `value`, ...).
    #[serde(default)]
    pub params: Map<String, Value>,
    /// The location being set up (location installs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The company installing the plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Company>,
    /// The zone, for zone installs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<Zone>,
    /// The installer's token.
    #[serde(default)]
    pub auth: Option<Auth>,
    /// A bearer token the platform forwards to the plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_bearer_token: Option<Secret>,
    /// Keys without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `meta.auth`: the installer's token. Its tokens never show in `Debug` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Auth {
    /// Usually `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// The access token.
    pub access_token: Secret,
    /// Seconds until the access token expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// The refresh token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// Seconds until the refresh token expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_in: Option<u64>,
    /// Keys without a typed field (`state` and `company_id` have been seen).
    #[serde(flatten)]
    pub extra: Extra,
}

/// An install saves nothing until a setup step does: a missing config reads as `{}`.
fn empty_object() -> Value {
    Value::Object(Map::new())
}
