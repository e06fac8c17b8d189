use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(text, label = "Greeting")]
    message: String,
}

#[derive(SetupForm, Deserialize)]
struct Farewell {
    #[field(text, label = "Farewell")]
    message: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting, Farewell] }
}

fn main() {}
