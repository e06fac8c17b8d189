//! The OAuth2 step without the provider: a stand-in authorize page shows what the installer would
//! grant, and on "Allow" the preview does what Envoy does after the provider's redirect: it sends
//! the token response to the step's validation route and saves the answer.

use actix_web::{HttpResponse, web};
use maud::{DOCTYPE, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::session::Session;
use super::{PATH, finish, page, steps};
use crate::manifest::StepEntry;

/// The authorize page of OAuth2 step `index`, with a new `state`.
pub(crate) fn authorize(session: &Session, index: usize) -> HttpResponse {
    let Some(StepEntry::OAuth2 {
        title,
        authorize_url,
        scopes,
        ..
    }) = session.step(index)
    else {
        return finish::problem("No such step", "This step is not an OAuth2 step.");
    };
    let state = session.issue_state(index);
    let provider = url::Url::parse(authorize_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| (*authorize_url).to_owned());
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (page::head(&format!("Authorize {}", session.name)))
            body.window {
                main.panel {
                    p.badge { "Stand-in for " (provider) }
                    h1 { "Authorize " (session.name) }
                    p { (session.name) " asks for access for the step “" (title) "”." }
                    @if !scopes.is_empty() {
                        p { "It asks for these scopes:" }
                        ul { @for scope in scopes.iter() { li { code { (scope) } } } }
                    }
                    form method="post" action=(format!("{PATH}/oauth2/{index}/callback")) {
                        input type="hidden" name="state" value=(state);
                        div.field {
                            label for="account" { "Account name at " (provider) }
                            input #account type="text" name="account" value="dev-account" autocomplete="off";
                        }
                        div.actions {
                            button type="submit" name="decision" value="allow" { "Allow" }
                            button.secondary type="submit" name="decision" value="deny" { "Deny" }
                        }
                    }
                }
            }
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(markup.into_string())
}

/// What the authorize page posts.
#[derive(Debug, Deserialize)]
pub(crate) struct Decision {
    state: String,
    #[serde(default)]
    account: String,
    decision: String,
}

/// The installer's decision: refused, or a token response sent to the validation route.
pub(crate) async fn callback(
    session: web::Data<std::sync::Arc<Session>>,
    index: usize,
    decision: Decision,
) -> HttpResponse {
    if !session.take_state(&decision.state, index) {
        return finish::problem(
            "Unknown state",
            "This authorization was not started by the install page (or was finished already): start it again with Connect.",
        );
    }
    if decision.decision != "allow" {
        return finish::page(
            index,
            &steps::StepReply {
                ok: false,
                errors: vec![steps::StepError {
                    field: None,
                    message: "access_denied: the installer refused the authorization".into(),
                }],
                saved: None,
                config: session.config().await,
                installed: false,
            },
        );
    }
    let issued = session.next_number();
    let mut token = Map::new();
    for (key, value) in [
        ("access_token", json!(format!("stand-in-access-{issued}"))),
        ("token_type", json!("Bearer")),
        ("expires_in", json!(3600)),
        ("refresh_token", json!(format!("stand-in-refresh-{issued}"))),
    ] {
        token.insert(key.to_owned(), value);
    }
    let account = decision.account.trim();
    if !account.is_empty() {
        token.insert("account".to_owned(), Value::String(account.to_owned()));
    }
    let reply = steps::save(&session, index, token).await;
    finish::page(index, &reply)
}
