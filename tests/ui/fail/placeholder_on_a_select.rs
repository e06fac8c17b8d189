use envoy_plugin::prelude::*;

#[options]
async fn languages(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(select, label = "Language", options = languages, placeholder = "English")]
    language: Option<String>,
}

fn main() {}
