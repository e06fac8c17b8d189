//! `key` says where the dashboard saves the value; serde would read another name.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Greeting {
    #[field(text, label = "Message", key = "message_text")]
    message_text: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
