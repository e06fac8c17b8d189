use envoy_plugin::prelude::*;

#[derive(SetupForm, Deserialize)]
struct Greeting {
    #[field(text, label = "Greeting")]
    greeting: String,
}

#[validate(Greeting)]
async fn check_greeting(form: Greeting) -> Result<Validation, PluginError> {
    Ok(Validation::save(serde_json::json!({ "greeting": form.greeting })))
}

plugin! {
    Greeter { name: "Greeter", routes: [check_greeting] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(check_greeting);
}
