//! Two fields end up under one key once serde's `rename_all` and `rename` are applied.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Greeting {
    #[field(text, label = "Visitor type")]
    visitor_type: String,
    #[field(text, label = "Other visitor type")]
    #[serde(rename = "visitorType")]
    other: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
