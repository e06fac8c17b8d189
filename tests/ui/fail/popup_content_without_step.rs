//! `#[popup_content]` names the step it belongs to; the failed handler is still a service.
use envoy_plugin::prelude::*;

#[popup_content]
async fn printer_page(request: PopupRequest) -> actix_web::HttpResponse {
    request.complete("https://app.envoy.com/callback", &[])
}

plugin! {
    Greeter { name: "Greeter", routes: [printer_page] }
}

fn main() {
    let _ = actix_web::App::new().service(printer_page);
}
