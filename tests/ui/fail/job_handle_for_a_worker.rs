//! A job handle is made for a `#[callback]`: naming a worker instead is one error, on that name.
use envoy_plugin::prelude::*;

#[event("upcoming_visit")]
async fn print_badge(job: Job) -> JobResult {
    let handle = job.handle(welcome, std::time::Duration::from_secs(600))?;
    Ok(Outcome::ongoing(handle))
}

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(entry.full_name.clone()))
}

plugin! {
    Printer { name: "Printer", events: [print_badge, welcome] }
}

fn main() {
    let _ = actix_web::App::new().service(print_badge).service(welcome);
}
