use envoy_plugin::prelude::*;

#[webhook(auth = none, read_timeout = "ten seconds")]
async fn slow_reader(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

#[webhook(auth = none, budget = "0s")]
async fn no_budget(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
