//! A handler is a free function.
use envoy_plugin::prelude::*;

struct Migrator;

impl Migrator {
    #[migration]
    async fn migrate(&self, meta: RouteMeta) -> Result<serde_json::Value, PluginError> {
        Ok(meta.config.clone())
    }
}

fn main() {}
