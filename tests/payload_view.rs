//! A worker may read its event's payload through a struct of its own (`PayloadView<V>`), decoded
//! from the payload's JSON with just the fields it names; a worker that takes no payload at all is
//! not failed by one it never reads; the typed payload is still checked for workers that take it.
//!
//! Requests are signed here with `envoy_plugin_suite::signed_post` (plain `hmac`).

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::prelude::*;
use envoy_plugin_suite::{SECRET, call_json, fixture, signed_post};
use serde_json::{Value, json};

/// What `arrival` reads of an `entry_sign_in` payload.
#[derive(Deserialize)]
struct Arrival {
    id: Id,
    attributes: ArrivalAttributes,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ArrivalAttributes {
    full_name: String,
    host: Option<String>,
}

#[event("entry_sign_in")]
async fn arrival(view: PayloadView<Arrival>, job: Job) -> JobResult {
    let host = view.attributes.host.as_deref().unwrap_or("nobody");
    Ok(Outcome::done(format!(
        "{} (entry {}) visits {host} in job {}",
        view.attributes.full_name,
        view.id,
        job.id()
    )))
}

/// Takes no payload at all.
#[event("entry_sign_out")]
async fn departure(job: Job) -> JobResult {
    Ok(Outcome::done(format!("job {} done", job.id())))
}

/// Takes the typed payload.
#[event("invite_created")]
async fn invited(invite: Invite) -> JobResult {
    Ok(Outcome::done(format!("invited {}", invite.id)))
}

plugin! {
    Views { name: "Views", events: [arrival, departure, invited] }
}

fn event(name: &str, job: &str, payload: Option<Value>) -> test::TestRequest {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["event"] = json!(name);
    body["meta"]["job"]["id"] = json!(job);
    if let Some(payload) = payload {
        body["payload"] = payload;
    }
    signed_post(
        &format!("/events/{name}"),
        serde_json::to_vec(&body).unwrap(),
    )
}

macro_rules! app {
    () => {
        test::init_service(
            App::new().configure(envoy_plugin::configure(Views, &Settings::new(SECRET))),
        )
        .await
    };
}

#[actix_web::test]
async fn a_view_reads_the_fields_it_names_and_a_missing_one_is_a_400_naming_it() {
    let app = app!();
    let (status, body) = call_json(&app, event("entry_sign_in", "v-1", None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["message"],
        "Erick Homenick (entry 1) visits Frances Conroy in job v-1"
    );

    let nameless = json!({ "id": "2", "type": "entries", "attributes": { "host": "Ada" } });
    let (status, body) = call_json(&app, event("entry_sign_in", "v-2", Some(nameless))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["type"], "MISSING_DATA", "{body}");
    assert_eq!(
        body["message"], "missing field `payload.attributes.full-name`",
        "{body}"
    );

    // A refused payload gives the job back: the same job with a good payload runs.
    let (status, body) = call_json(&app, event("entry_sign_in", "v-2", None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn a_payload_is_checked_only_by_the_workers_that_read_it() {
    let app = app!();
    // Not an entry, not even an object: the worker that takes no payload does not read it.
    let (status, body) = call_json(&app, event("entry_sign_out", "p-1", Some(json!(7)))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message"], "job p-1 done");

    // The typed payload is decoded with the request, as before.
    let (status, body) = call_json(&app, event("invite_created", "p-2", Some(json!(7)))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["type"], "INVALID_DATA", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid value at `payload`: invalid type: integer `7`"),
        "{body}"
    );

    // A body without `payload` is refused for every worker.
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["event"] = json!("entry_sign_out");
    body.as_object_mut().unwrap().remove("payload");
    let request = signed_post("/events/entry_sign_out", serde_json::to_vec(&body).unwrap());
    let (status, body) = call_json(&app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["message"], "missing field `payload`", "{body}");
}

#[actix_web::test]
async fn the_test_kit_serves_a_view_like_the_platform() {
    use envoy_plugin::testing::{Harness, TestEvent};
    let harness = Harness::start(Views).unwrap();
    let answer = harness
        .send(
            TestEvent::new("entry_sign_in")
                .set("meta.job.id", "kit-1")
                .set("payload.attributes.full-name", "Grace Hopper")
                .set("payload.attributes.host", Value::Null),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let message = answer.body["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("Grace Hopper (entry ")
            && message.ends_with(" visits nobody in job kit-1"),
        "{}",
        answer.body
    );
}
