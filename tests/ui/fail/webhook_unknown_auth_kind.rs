use envoy_plugin::prelude::*;

#[webhook(auth = berer(env = "TOKEN"))]
async fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
