use envoy_plugin::prelude::*;

#[options]
async fn flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[options(path = "/routes/flows")]
async fn more_flows(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

plugin! {
    Greeter { name: "Greeter", routes: [flows, more_flows] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(flows)
        .service(more_flows);
}
