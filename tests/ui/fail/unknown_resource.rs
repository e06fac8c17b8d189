use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(resource, label = "Location", resource = "location")]
    location: Option<String>,
}

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", steps: [Greeting] }
}

fn main() {}
