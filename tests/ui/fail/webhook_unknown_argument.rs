use envoy_plugin::prelude::*;

#[webhook(auth = none, read_timout = "5s")]
async fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
