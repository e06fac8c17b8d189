//! A multiple select sends an array; one `String` cannot hold it.
use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(select, label = "Flows", options = flows, multiple)]
    flows: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting], routes: [flows] }
}

fn main() {}
