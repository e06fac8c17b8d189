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

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", steps: [Greeting, Badges], routes: [check_greeting] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(check_greeting);
}
