//! A text field sends a string; a `u32` field cannot read it.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(text, label = "Retries")]
    retries: u32,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
