//! The job context a worker receives: the job's identity, its install, and the typed install config.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::api::{ApiError, EnvoyApi, InstallApi, JobApi, JobHandles, Storage};
use crate::model::{Auth, Company, EventMeta, Id, Location, Zone};
use crate::{Attachment, PluginError};

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
    api: Option<EnvoyApi>,
    handles: Option<JobHandles>,
}

impl<C> Job<C> {
    /// A job context from its meta and decoded config, not connected to the platform API.
    pub fn new(meta: Arc<EventMeta>, config: C) -> Self {
        Job {
            meta,
            config,
            api: None,
            handles: None,
        }
    }

    /// The same job, connected to the platform API (and able to make job handles with `handles`).
    pub fn with_platform(mut self, api: EnvoyApi, handles: Option<JobHandles>) -> Self {
        self.api = Some(api);
        self.handles = handles;
        self
    }

    fn platform(&self) -> EnvoyApi {
        // A job made by hand (not by a route) has no client: it gets the one, shared, whose every
        // call fails with an error that says what is missing.
        static UNCONNECTED: std::sync::OnceLock<EnvoyApi> = std::sync::OnceLock::new();
        self.api.clone().unwrap_or_else(|| {
            UNCONNECTED
                .get_or_init(|| {
                    EnvoyApi::connect(
                        crate::DEFAULT_BASE_URL,
                        "",
                        &crate::Secret::new(""),
                        crate::api::ApiPolicy::default(),
                    )
                })
                .clone()
        })
    }

    /// This job's API: report its outcome later, add attachments, update its message.
    pub fn api(&self) -> JobApi {
        self.platform().job(self.id().clone())
    }

    /// Marks the job done through the job API (for jobs answered `ongoing`).
    pub async fn complete(
        &self,
        message: impl Into<String>,
        attachments: Vec<Attachment>,
    ) -> Result<(), ApiError> {
        self.api().complete(message, attachments).await
    }

    /// Marks the job ignored through the job API.
    pub async fn ignore(
        &self,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<(), ApiError> {
        self.api().ignore(message, reason).await
    }

    /// Marks the job failed through the job API.
    pub async fn fail(
        &self,
        message: impl Into<String>,
        reason: impl Into<String>,
    ) -> Result<(), ApiError> {
        self.api().fail(message, reason).await
    }

    /// Adds attachments through the job API.
    pub async fn attach(&self, attachments: Vec<Attachment>) -> Result<(), ApiError> {
        self.api().attach(attachments).await
    }

    /// Updates the job's message (and adds attachments) through the job API.
    pub async fn update(
        &self,
        message: impl Into<String>,
        attachments: Vec<Attachment>,
    ) -> Result<(), ApiError> {
        self.api().update(message, attachments).await
    }

    /// The storage of this job's install.
    pub fn install_storage(&self) -> Storage {
        self.platform().install_storage(self.install_id().clone())
    }

    /// The plugin's global storage.
    pub fn global_storage(&self) -> Storage {
        self.platform().global_storage()
    }

    /// The config and notifications of this job's install.
    pub fn install(&self) -> InstallApi {
        self.platform().install(self.install_id().clone())
    }

    /// A job handle for this job, accepted once by the `#[callback]` route `callback`, valid for
    /// `ttl` (at most [`crate::api::MAX_HANDLE_LIFETIME`], one hour). Give it to the system the
    /// work is handed to, which calls back with `POST` and `Authorization: Bearer <handle>`
    /// (preferred: headers stay out of access logs) or `?token=<handle>`; the callback turns it
    /// back into this job. The handle names the job's install too, so the callback can take a
    /// `UserApi` and act as the installer.
    ///
    /// ```ignore
    /// let handle = job.handle(badge_printed, Duration::from_secs(600))?;
    /// ```
    pub fn handle<K: crate::route::CallbackHandler>(
        &self,
        callback: K,
        ttl: std::time::Duration,
    ) -> Result<String, PluginError> {
        let _ = callback;
        self.handle_for_path(K::PATH, ttl)
    }

    /// A job handle for this job, accepted once by the callback route served at `path` (see
    /// [`Job::handle`]).
    pub fn handle_for_path(
        &self,
        path: &str,
        ttl: std::time::Duration,
    ) -> Result<String, PluginError> {
        let handles = self.handles.as_ref().ok_or_else(|| {
            PluginError::msg("JWT_SECRET is not set: job handles need a key to sign them with")
        })?;
        Ok(handles.encode_for_install(self.id(), self.install_id(), path, ttl))
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

    /// The location the event happened at (location installs only), decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the platform sent a location that does not decode (a worker that returns
    /// it with `?` answers 400).
    pub fn location(&self) -> Result<Option<&Location>, PluginError> {
        self.meta.location()
    }

    /// The company that installed the plugin, decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the platform sent a company that does not decode.
    pub fn company(&self) -> Result<Option<&Company>, PluginError> {
        self.meta.company()
    }

    /// The zone, for zone installs, decoded on the first call.
    ///
    /// # Errors
    /// `INVALID_DATA` if the platform sent a zone that does not decode.
    pub fn zone(&self) -> Result<Option<&Zone>, PluginError> {
        self.meta.zone()
    }

    /// The installer's token, when the platform sent one.
    pub fn auth(&self) -> Option<&Auth> {
        self.meta.auth.as_deref()
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
