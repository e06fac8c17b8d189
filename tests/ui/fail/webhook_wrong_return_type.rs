use envoy_plugin::prelude::*;

#[webhook(auth = none)]
async fn hook(payload: serde_json::Value) -> String {
    payload.to_string()
}

fn main() {}
