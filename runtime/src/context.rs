//! What every generated route shares: the signature verifier and the body limit.

use actix_web::{HttpRequest, web};

use crate::signature::SignatureVerifier;
use crate::{PluginError, Settings};

/// The state the generated routes read from actix-web's app data.
#[derive(Debug, Clone)]
pub struct PluginContext {
    pub(crate) verifier: SignatureVerifier,
    pub(crate) body_limit: usize,
}

impl PluginContext {
    /// The context for these settings.
    pub fn new(settings: &Settings) -> Self {
        PluginContext {
            verifier: SignatureVerifier::new(&settings.client_secret),
            body_limit: settings.body_limit,
        }
    }

    /// The context registered with the app serving `req`.
    pub(crate) fn of(req: &HttpRequest) -> Result<&PluginContext, PluginError> {
        req.app_data::<web::Data<PluginContext>>()
            .map(|data| data.get_ref())
            .ok_or_else(|| {
                PluginError::msg(
                    "the plugin's routes were registered without their context: use envoy_plugin::configure",
                )
            })
    }
}
