//! A form field that serde never reads.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(text, label = "Message")]
    #[serde(skip)]
    message: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
