use envoy_plugin::prelude::*;

#[webhook(auth = none, read_timeout = "ten seconds")]
async fn slow_reader(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

#[webhook(auth = none, budget = "0s")]
async fn no_budget(payload: serde_json::Value) -> Result<(), PluginError> {
    let _ = payload;
    Ok(())
}

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", webhooks: [slow_reader, no_budget] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(slow_reader)
        .service(no_budget);
}
