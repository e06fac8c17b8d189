//! An argument with the handler's own name: the attribute makes that name a unit struct, so the
//! argument would be a pattern matching it. One error, on the argument; the worker listed in
//! `plugin!` and served reports nothing more.
use envoy_plugin::prelude::*;

#[derive(Deserialize)]
struct Reading {
    sensor: String,
}

#[event(custom = "acme_reading", payload = Reading)]
async fn reading(reading: Reading) -> JobResult {
    Ok(Outcome::done(reading.sensor))
}

plugin! {
    Sensors { name: "Sensors", events: [reading] }
}

fn main() {
    let _ = actix_web::App::new().service(reading);
}
