//! A mistake in each of three fields, and one on the struct: all reported at once.
use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
#[form(titel = "Greeting")]
struct Greeting {
    #[field(text, lable = "Message")]
    message: String,
    #[field(chekbox, label = "Notify")]
    notify: bool,
    #[field(resource, resource = "location")]
    location: Option<String>,
}

plugin! {
    Greeter { name: "Greeter", steps: [Greeting] }
}

fn main() {}
