use envoy_plugin::prelude::*;

#[options(paginated)]
async fn flows(_query: OptionsQuery) -> Result<CursorPage, PluginError> {
    Ok(CursorPage::last(Vec::new()))
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
