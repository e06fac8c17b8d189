use envoy_plugin::prelude::*;

#[webhook(auth = hmac(header = "X-Signature", algorithm = "sha265", secret_env = "SECRET"))]
async fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
