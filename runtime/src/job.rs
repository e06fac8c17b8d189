//! The job context a worker receives: the job's identity, its install, and the typed install config.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::model::{Auth, Company, EventMeta, Id, Location, Zone};

/// The install config as plain JSON, for workers that do not declare a config type.
pub type UntypedConfig = Map<String, Value>;

/// A worker's job: which job, install, location and company the event is for, and the install's
/// config decoded as `C`.
///
/// `C` is the config type the plugin declares (a struct deriving `Deserialize`); the framework decodes
/// `meta.config` into it before the worker runs, so a worker never sees a config it cannot read. Without
/// a type argument the config is plain JSON.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[derive(Deserialize)]
/// struct Settings { notify_host: bool }
///
/// #[event("entry_sign_out")]
/// async fn farewell(job: Job<Settings>, entry: Entry) -> JobResult {
///     if !job.config().notify_host {
///         return Ok(Outcome::ignored("host notifications are off"));
///     }
///     Ok(Outcome::done(format!("said goodbye to {} for job {}", entry.full_name, job.id())))
/// }
/// ```
pub struct Job<C = UntypedConfig> {
    meta: Arc<EventMeta>,
    config: C,
}

impl<C> Job<C> {
    /// A job context from its meta and decoded config.
    pub fn new(meta: Arc<EventMeta>, config: C) -> Self {
        Job { meta, config }
    }

    /// The job's id (what the job API and job handles use).
    pub fn id(&self) -> &Id {
        &self.meta.job.id
    }

    /// The job's short identifier, as shown in the dashboard.
    pub fn identifier(&self) -> Option<&str> {
        self.meta.job.identifier.as_deref()
    }

    /// The event this job is for, e.g. `entry_sign_in`.
    pub fn event(&self) -> &str {
        &self.meta.event
    }

    /// The install's id.
    pub fn install_id(&self) -> &Id {
        &self.meta.install_id
    }

    /// The plugin's id.
    pub fn plugin_id(&self) -> &Id {
        &self.meta.plugin_id
    }

    /// The install config, typed.
    pub fn config(&self) -> &C {
        &self.config
    }

    /// The location the event happened at (location installs only).
    pub fn location(&self) -> Option<&Location> {
        self.meta.location.as_ref()
    }

    /// The company that installed the plugin.
    pub fn company(&self) -> Option<&Company> {
        self.meta.company.as_ref()
    }

    /// The zone, for zone installs.
    pub fn zone(&self) -> Option<&Zone> {
        self.meta.zone.as_ref()
    }

    /// The installer's token, when the platform sent one.
    pub fn auth(&self) -> Option<&Auth> {
        self.meta.auth.as_ref()
    }

    /// Everything the platform sent in `meta`.
    pub fn meta(&self) -> &EventMeta {
        &self.meta
    }
}

impl<C: std::fmt::Debug> std::fmt::Debug for Job<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("id", self.id())
            .field("event", &self.event())
            .field("install_id", self.install_id())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
