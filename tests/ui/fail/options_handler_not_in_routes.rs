//! A select's options handler that the plugin does not serve: the dashboard would call a URL nobody
//! answers.
use envoy_plugin::prelude::*;

#[options]
async fn locations(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct NotesConfig {
    #[field(select, label = "Default location", options = locations)]
    default_location: Option<String>,
}

plugin! {
    Notes { name: "Notes", steps: [NotesConfig] }
}

fn main() {}
