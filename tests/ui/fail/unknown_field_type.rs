use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(txt, label = "Greeting")]
    greeting: String,
}

fn main() {}
