use envoy_plugin::prelude::*;

#[options]
async fn flows(query: CursorQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![SelectOption::new(query.cursor.unwrap_or_default(), "v")])
}

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", routes: [flows] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(flows);
}
