//! An options handler listed where workers go.
use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

plugin! {
    Greeter { name: "Greeter", events: [flows] }
}

fn main() {
    let _ = actix_web::App::new().service(flows);
}
