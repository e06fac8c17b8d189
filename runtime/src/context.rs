//! What every generated route shares: the signature verifier and the body limit.

use actix_web::{HttpRequest, web};

use std::sync::Arc;

use crate::api::{EnvoyApi, JobHandles};
use crate::deliveries::{DeliveryStore, MemoryStore};
use crate::signature::SignatureVerifier;
use crate::{PluginError, Settings};

/// The state the generated routes share, from actix-web's app data: the signature key, the body
/// limit, the platform API client and the job-handle key. Made once per server, so every worker
/// thread shares one token and one connection pool.
#[derive(Debug, Clone)]
pub struct PluginContext {
    pub(crate) verifier: SignatureVerifier,
    pub(crate) body_limit: usize,
    pub(crate) budget: std::time::Duration,
    pub(crate) read_timeout: std::time::Duration,
    pub(crate) api: EnvoyApi,
    pub(crate) handles: Option<JobHandles>,
    pub(crate) deliveries: Arc<dyn DeliveryStore>,
}

impl PluginContext {
    /// The context for these settings.
    pub fn new(settings: &Settings) -> Self {
        PluginContext {
            verifier: match &settings.previous_client_secret {
                Some(previous) => {
                    SignatureVerifier::new(&settings.client_secret).with_previous(previous)
                }
                None => SignatureVerifier::new(&settings.client_secret),
            },
            body_limit: settings.body_limit,
            budget: settings.budget,
            read_timeout: settings.read_timeout,
            api: EnvoyApi::new(settings),
            handles: settings.jwt_secret.as_ref().map(JobHandles::new),
            deliveries: delivery_store(settings),
        }
    }

    /// The same context with another store of delivery outcomes (see [`crate::deliveries`]).
    pub fn with_deliveries(mut self, store: impl DeliveryStore) -> Self {
        self.deliveries = Arc::new(store);
        self
    }

    /// The same context with another API client (e.g. one with its own retry policy).
    pub fn with_api(mut self, api: EnvoyApi) -> Self {
        self.api = api;
        self
    }

    /// The platform API client.
    pub fn api(&self) -> &EnvoyApi {
        &self.api
    }

    /// The context registered with the app serving `req`.
    pub(crate) fn of(req: &HttpRequest) -> Result<web::Data<PluginContext>, PluginError> {
        req.app_data::<web::Data<PluginContext>>()
            .cloned()
            .ok_or_else(|| {
                PluginError::msg(
                    "the plugin's routes were registered without their context: use envoy_plugin::configure",
                )
            })
    }
}

/// The store the settings ask for: Redis when `REDIS_URL` is set (feature `redis`), else memory.
fn delivery_store(settings: &Settings) -> Arc<dyn DeliveryStore> {
    match &settings.redis_url {
        #[cfg(feature = "redis")]
        Some(url) => Arc::new(crate::deliveries::RedisStore::new(url.expose())),
        #[cfg(not(feature = "redis"))]
        Some(_) => {
            tracing::warn!(
                "REDIS_URL is set, but envoy-plugin was built without its `redis` feature: \
                 deliveries are recorded in this process's memory only"
            );
            Arc::new(MemoryStore::default())
        }
        None => Arc::new(MemoryStore::default()),
    }
}
