use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[options(path = "/routes/flows")]
async fn more_flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

plugin! {
    Greeter { name: "Greeter", routes: [flows, more_flows] }
}

fn main() {}
