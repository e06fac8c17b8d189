//! The pop-up step: the window shows the plugin's own pop-up page, fetched through the preview so
//! that its final redirect to the platform's callback URL is read here instead of followed (the
//! callback is on Envoy, which the page never talks to). The redirect's query, less the `state`,
//! is what the platform would send to the step's validation route.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value};

use super::session::Session;
use super::{PATH, finish, steps};
use crate::manifest::StepEntry;

/// Opens pop-up step `index`: a new `state`, then the content page with it.
pub(crate) fn open(session: &Session, index: usize) -> HttpResponse {
    if !matches!(session.step(index), Some(StepEntry::Popup { .. })) {
        return finish::problem("No such step", "This step is not a pop-up step.");
    }
    let state = session.issue_state(index);
    let query = serde_urlencoded::to_string([("state", state.as_str())]).unwrap_or_default();
    HttpResponse::SeeOther()
        .insert_header(("Location", format!("{PATH}/popup/{index}/content?{query}")))
        .finish()
}

/// The plugin's pop-up page for step `index`, requested with the window's query. A redirect
/// carrying a `state` ends the pop-up; anything else is shown as the plugin sent it.
pub(crate) async fn content(
    session: &Session,
    index: usize,
    request: &HttpRequest,
) -> HttpResponse {
    let Some(StepEntry::Popup { content_url, .. }) = session.step(index) else {
        return finish::problem("No such step", "This step is not a pop-up step.");
    };
    let query = request.query_string();
    let url = if query.is_empty() {
        content_url.clone()
    } else {
        let separator = if content_url.contains('?') { '&' } else { '?' };
        format!("{content_url}{separator}{query}")
    };
    let response = match session.http.get(&url).send().await {
        Ok(response) => response,
        Err(e) => {
            return finish::problem(
                "The pop-up page does not answer",
                &format!("GET {url}: {e}"),
            );
        }
    };
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        return returned(session, index, &location).await;
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/html; charset=utf-8")
        .to_owned();
    let body = response.bytes().await.unwrap_or_default();
    HttpResponse::build(StatusCode::from_u16(status.as_u16()).unwrap_or(StatusCode::BAD_GATEWAY))
        .content_type(content_type)
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// The pop-up redirected to `location`: its query is the step's data, once its `state` checks out.
async fn returned(session: &Session, index: usize, location: &str) -> HttpResponse {
    let query = location.split_once('?').map_or("", |(_, q)| q);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let state = pairs
        .iter()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.as_str());
    let Some(state) = state else {
        return finish::problem(
            "The pop-up sent no state",
            &format!(
                "The pop-up redirected to {location} without the `state` it was opened with: the platform would refuse it."
            ),
        );
    };
    if !session.take_state(state, index) {
        return finish::problem(
            "The pop-up sent back a state this page did not issue",
            &format!(
                "The pop-up redirected with state `{state}`: the platform only accepts the state it opened the pop-up with (pass it back unchanged)."
            ),
        );
    }
    let values: Map<String, Value> = pairs
        .into_iter()
        .filter(|(k, _)| k != "state")
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let reply = steps::save(session, index, values).await;
    finish::page(index, &reply)
}
