//! A single select sends one value; a `Vec` expects an array.
use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(select, label = "Flow", options = flows)]
    flow: Vec<String>,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting], routes: [flows] }
}

fn main() {}
