use envoy_plugin::prelude::*;

#[webhook(auth = hmac(header = "X-Signature", encoding = "base64"))]
async fn hook(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

fn main() {}
