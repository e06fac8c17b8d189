use envoy_plugin::prelude::*;

#[derive(Deserialize)]
struct Order {
    id: String,
}

#[webhook(auth = none)]
async fn hook(order: Order, again: Order) -> Result<String, PluginError> {
    Ok(format!("{} {}", order.id, again.id))
}

fn main() {}
