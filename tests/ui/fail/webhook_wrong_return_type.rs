use envoy_plugin::prelude::*;

#[webhook(auth = none)]
async fn hook(payload: serde_json::Value) -> String {
    payload.to_string()
}

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", webhooks: [hook] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(hook);
}
