//! A misspelt argument, a bad network and a bad header name: all at once.
use envoy_plugin::prelude::*;

#[webhook(auth = none, pth = "/hooks/order", allow_from = ["10.0.0.0/40"], request_id_header = "X Request")]
async fn order_created(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

plugin! {
    Hooks { name: "Hooks", webhooks: [order_created] }
}

fn main() {
    let _ = actix_web::App::new().service(order_created);
}
