//! A webhook listed where workers go.
use envoy_plugin::prelude::*;

#[webhook(auth = none)]
async fn order_created(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

plugin! {
    Hooks { name: "Hooks", events: [order_created] }
}

fn main() {
    let _ = actix_web::App::new().service(order_created);
}
