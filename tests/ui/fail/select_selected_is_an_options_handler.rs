//! `selected` names an options handler, not a `#[selected_values]` one.
use envoy_plugin::prelude::*;

#[options(paginated)]
async fn visitor_types(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[derive(SetupForm, Deserialize)]
struct Settings {
    #[field(select, label = "Visitor type", options = visitor_types, selected = visitor_types)]
    visitor_type: Option<String>,
}

plugin! {
    Greeter { name: "Greeter", steps: [Settings], routes: [visitor_types] }
}

fn main() {}
