use envoy_plugin::prelude::*;

#[validate]
async fn check(meta: RouteMeta) -> Result<Validation, PluginError> {
    let _ = meta;
    Ok(Validation::save_nothing())
}

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", routes: [check] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(check);
}
