//! A pop-up step whose `content` is a plain fn.
use envoy_plugin::prelude::*;

async fn printer_page(request: PopupRequest) -> actix_web::HttpResponse {
    request.complete("https://app.envoy.com/callback", &[])
}

#[derive(PopupStep, Deserialize)]
#[popup(title = "Pick a printer", content = printer_page)]
struct Printer {
    printer_id: String,
}

fn main() {}
