use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(resource, label = "Location", resource = "location")]
    location: Option<String>,
}

fn main() {}
