use envoy_plugin::prelude::*;

struct Welcome;

plugin! {
    Greeter { name: "Greeter", events: [Welcome] }
}

fn main() {}
