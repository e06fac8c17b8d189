//! A pop-up step whose page the plugin does not serve.
use envoy_plugin::prelude::*;

#[popup_content(Printer)]
async fn printer_page(request: PopupRequest) -> actix_web::HttpResponse {
    request.complete("https://app.envoy.com/callback", &[])
}

#[derive(PopupStep, Deserialize)]
#[popup(title = "Pick a printer", content = printer_page)]
struct Printer {
    printer_id: String,
}

#[validate(Printer)]
async fn check_printer(printer: Printer) -> Result<Validation, PluginError> {
    Ok(Validation::save(serde_json::json!({ "printer_id": printer.printer_id })))
}

plugin! {
    Greeter { name: "Greeter", steps: [Printer], routes: [check_printer] }
}

fn main() {}
