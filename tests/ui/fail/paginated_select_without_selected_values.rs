use envoy_plugin::prelude::*;

#[options(searchable, paginated)]
async fn visitor_types(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![SelectOption::new(format!("page {}", query.page_or_first()), "v")])
}

#[derive(SetupForm, Deserialize)]
struct Settings {
    #[field(select, label = "Visitor type", options = visitor_types)]
    visitor_type: Option<String>,
}

fn main() {}
