use envoy_plugin::prelude::*;

#[webhook(auth = none, allow_from = ["10.0.0.0/8", "10.0.0.0/33"])]
async fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
