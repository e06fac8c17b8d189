//! A checkbox sends `true`/`false`; a `String` field cannot read it.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(checkbox, label = "Notify the host")]
    notify_host: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
