//! The same mistake on a callback, inside a tuple pattern: one error, on that binding.
use envoy_plugin::prelude::*;

#[callback]
async fn printed((printed, _): (serde_json::Value, u8)) -> Result<(), PluginError> {
    let _ = printed;
    Ok(())
}

plugin! {
    Printer { name: "Printer", events: [], routes: [printed] }
}

fn main() {
    let _ = actix_web::App::new().service(printed);
}
