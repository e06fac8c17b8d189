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

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", steps: [Settings], routes: [visitor_type_values] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(visitor_type_values);
}
