use envoy_plugin::prelude::*;

struct OrderCreated;

plugin! {
    Hooks { name: "Hooks", webhooks: [OrderCreated] }
}

fn main() {}
