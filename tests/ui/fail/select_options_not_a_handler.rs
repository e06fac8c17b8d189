use envoy_plugin::prelude::*;

#[selected_values]
async fn visitor_type_values(query: SelectedValuesQuery) -> Vec<SelectOption> {
    query.values.iter().map(|v| SelectOption::new(v.clone(), v.clone())).collect()
}

#[derive(SetupForm, Deserialize)]
struct Settings {
    #[field(select, label = "Visitor type", options = visitor_type_values)]
    visitor_type: Option<String>,
}

fn main() {}
