use envoy_plugin::prelude::*;

#[event("badge_printed")]
async fn printed(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

// Listed downstream: a failed item must add no error of its own here.
plugin! {
    Downstream { name: "Downstream", events: [printed] }
}

fn main() {
    // Served downstream: a failed handler must add no error of its own here.
    let _ = actix_web::App::new()
        .service(printed);
}
