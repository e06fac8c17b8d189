//! A plugin's name is what installers see.
use envoy_plugin::prelude::*;

plugin! {
    Greeter { name: " " }
}

fn main() {
    let _ = envoy_plugin::run(Greeter);
}
