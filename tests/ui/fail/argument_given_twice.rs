//! The same argument twice: one error, on the second.
use envoy_plugin::prelude::*;

#[options(path = "/routes/a", path = "/routes/b")]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

plugin! {
    Greeter { name: "Greeter", routes: [flows] }
}

fn main() {
    let _ = actix_web::App::new().service(flows);
}
