//! `#[event]` goes on an async fn.
use envoy_plugin::prelude::*;

#[event("entry_sign_in")]
struct Welcome;

fn main() {}
