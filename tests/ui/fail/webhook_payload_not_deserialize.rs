use envoy_plugin::prelude::*;

struct Order {
    id: String,
}

#[webhook(auth = none)]
async fn hook(order: Order) -> Result<(), PluginError> {
    let _ = order.id;
    Ok(())
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
