//! A misspelt argument of `#[callback]`; the failed callback is still a service.
use envoy_plugin::prelude::*;

#[callback(pth = "/callbacks/printed")]
async fn badge_printed(job: JobApi) -> Result<(), PluginError> {
    let _ = job;
    Ok(())
}

plugin! {
    Greeter { name: "Greeter", routes: [badge_printed] }
}

fn main() {
    let _ = actix_web::App::new().service(badge_printed);
}
