//! The last page of an OAuth2 or pop-up window: says whether the step was saved, hands the result
//! to the page that opened the window, and closes the window when the step was saved.

use actix_web::HttpResponse;
use maud::{DOCTYPE, html};

use super::PATH;
use super::page::head;
use super::steps::StepReply;

/// The page ending the window of step `index`.
pub(crate) fn page(index: usize, reply: &StepReply) -> HttpResponse {
    let reply_json = serde_json::to_string(reply).unwrap_or_default();
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(if reply.ok { "Step saved" } else { "Step refused" }))
            body.window data-finished data-step=(index) data-reply=(reply_json) {
                main.panel {
                    @if reply.ok {
                        h1 { "Step " (index + 1) " saved" }
                        p { "This window closes by itself; the install page shows what was saved." }
                    } @else {
                        h1 { "Step " (index + 1) " refused" }
                        @for error in &reply.errors {
                            p.step-error role="alert" { (error.message) }
                        }
                    }
                    button type="button" data-close { "Close this window" }
                }
                script src=(format!("{PATH}/assets/finish.js")) {}
            }
        }
    };
    html_response(markup.into_string(), reply.ok)
}

/// A page with an error only (a state the preview did not issue, a pop-up that cannot be read).
pub(crate) fn problem(title: &str, message: &str) -> HttpResponse {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body.window {
                main.panel {
                    h1 { (title) }
                    p.step-error role="alert" { (message) }
                }
            }
        }
    };
    html_response(markup.into_string(), false)
}

fn html_response(body: String, ok: bool) -> HttpResponse {
    let mut response = if ok {
        HttpResponse::Ok()
    } else {
        HttpResponse::BadRequest()
    };
    response
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}
