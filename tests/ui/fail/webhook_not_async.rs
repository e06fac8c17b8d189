use envoy_plugin::prelude::*;

#[webhook(auth = bearer(env = "TOKEN"))]
fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
