//! `searchable` is a flag, not `searchable = true`; and `pagniated` is misspelt.
use envoy_plugin::prelude::*;

#[options(searchable = true, pagniated)]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

plugin! {
    Greeter { name: "Greeter", routes: [flows] }
}

fn main() {
    let _ = actix_web::App::new().service(flows);
}
