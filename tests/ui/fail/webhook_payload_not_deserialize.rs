use envoy_plugin::prelude::*;

struct Order {
    id: String,
}

#[webhook(auth = none)]
async fn hook(order: Order) -> Result<(), PluginError> {
    let _ = order.id;
    Ok(())
}

fn main() {}
