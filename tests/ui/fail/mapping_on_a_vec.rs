//! A mapping sends an object keyed by the left side; a `Vec` cannot hold it.
use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(mapping, label = "Colour per flow", options = flows, to = text)]
    colours: Vec<String>,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting], routes: [flows] }
}

fn main() {}
