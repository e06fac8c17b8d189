//! A pop-up step needs the page it opens.
use envoy_plugin::prelude::*;

#[derive(PopupStep, Deserialize)]
#[popup(title = "Pick a printer")]
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
