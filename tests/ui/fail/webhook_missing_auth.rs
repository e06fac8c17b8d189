use envoy_plugin::prelude::*;

#[webhook(path = "/hooks/order")]
async fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
