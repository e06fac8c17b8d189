use envoy_plugin::prelude::*;

async fn flows() -> Vec<SelectOption> {
    Vec::new()
}

plugin! {
    Greeter { name: "Greeter", routes: [flows] }
}

fn main() {}
