//! `options` names a plain async fn, not an `#[options]` handler.
use envoy_plugin::prelude::*;

async fn visitor_types(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Settings {
    #[field(select, label = "Visitor type", options = visitor_types)]
    visitor_type: Option<String>,
}

plugin! {
    Greeter { name: "Greeter", steps: [Settings] }
}

fn main() {}
