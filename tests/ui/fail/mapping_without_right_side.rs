use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(mapping, label = "Colour per flow", options = flows)]
    colours: std::collections::BTreeMap<String, String>,
}

fn main() {}
