use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(checkbox, label = "Notify the host", required)]
    notify_host: bool,
}

fn main() {}
