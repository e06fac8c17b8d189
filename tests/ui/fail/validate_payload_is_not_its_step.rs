use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(text, label = "Greeting")]
    greeting: String,
}

#[derive(SetupForm, Deserialize)]
struct Badges {
    #[field(checkbox, label = "Print badges")]
    print: bool,
}

#[validate(Greeting)]
async fn check_greeting(form: Badges) -> Result<Validation, PluginError> {
    Ok(Validation::save(serde_json::json!({ "print": form.print })))
}

fn main() {}
