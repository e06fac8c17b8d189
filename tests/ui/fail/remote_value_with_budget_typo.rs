//! A misspelt `budget` on a remote-value route.
use envoy_plugin::prelude::*;

#[remote_value(budgt = "2s")]
async fn api_status() -> Result<String, PluginError> {
    Ok("up".into())
}

plugin! {
    Greeter { name: "Greeter", routes: [api_status] }
}

fn main() {
    let _ = actix_web::App::new().service(api_status);
}
