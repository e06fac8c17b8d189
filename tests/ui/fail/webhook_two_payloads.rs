use envoy_plugin::prelude::*;

#[derive(Deserialize)]
struct Order {
    id: String,
}

#[webhook(auth = none)]
async fn hook(order: Order, again: Order) -> Result<String, PluginError> {
    Ok(format!("{} {}", order.id, again.id))
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
