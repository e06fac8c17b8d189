//! `rename_all = "kebab-case"` makes `host-email` of `host_email`, the key the other field names.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Greeting {
    #[field(text, label = "Host email")]
    host_email: String,
    #[field(text, label = "Email of the host")]
    #[serde(rename = "host-email")]
    email: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
