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

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", steps: [Settings], routes: [visitor_types] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(visitor_types);
}
