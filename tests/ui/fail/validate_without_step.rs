use envoy_plugin::prelude::*;

#[validate]
async fn check(meta: RouteMeta) -> Result<Validation, PluginError> {
    let _ = meta;
    Ok(Validation::save_nothing())
}

fn main() {}
