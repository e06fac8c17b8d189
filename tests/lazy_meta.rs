//! `meta.location`, `meta.company` and `meta.zone` are decoded when a worker first reads them: a
//! worker that reads a good location gets it typed; one that reads a malformed one answers a
//! structured 400 naming the key; a worker that never reads it is not failed by it.
//!
//! Requests are signed here with `envoy_plugin_suite::signed_post` (plain `hmac`).

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::prelude::*;
use envoy_plugin_suite::{SECRET, call_json, fixture, signed_post};
use serde_json::{Value, json};

/// Reads the location and the company.
#[event("entry_sign_in")]
async fn where_signed_in(job: Job) -> JobResult {
    let location = job
        .location()?
        .map_or("-", |l| l.name.as_deref().unwrap_or("?"));
    let company = job
        .company()?
        .map_or("-", |c| c.name.as_deref().unwrap_or("?"));
    Ok(Outcome::done(format!("{location} of {company}")))
}

/// Never looks at `meta.location`.
#[event("entry_sign_out")]
async fn goodbye(entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("bye {}", entry.full_name)))
}

plugin! {
    Places { name: "Places", events: [where_signed_in, goodbye] }
}

fn event(name: &str, job: &str, location: Value) -> test::TestRequest {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["event"] = json!(name);
    body["meta"]["job"]["id"] = json!(job);
    body["meta"]["location"] = location;
    signed_post(
        &format!("/events/{name}"),
        serde_json::to_vec(&body).unwrap(),
    )
}

#[actix_web::test]
async fn meta_objects_are_decoded_when_read_and_a_bad_one_fails_only_the_worker_that_reads_it() {
    let app = test::init_service(
        App::new().configure(envoy_plugin::configure(Places, &Settings::new(SECRET))),
    )
    .await;
    let hq = json!({ "id": 9, "type": "locations", "attributes": { "name": "HQ", "new-key": 1 } });
    let (status, body) = call_json(&app, event("entry_sign_in", "j-1", hq)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let company = fixture_company_name();
    assert_eq!(body["message"], format!("HQ of {company}"), "{body}");

    let (status, body) = call_json(&app, event("entry_sign_in", "j-2", Value::Null)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message"], format!("- of {company}"), "{body}");

    // A location without its attributes does not decode: the worker that reads it says so.
    let bad = json!({ "id": 9, "type": "locations" });
    let (status, body) = call_json(&app, event("entry_sign_in", "j-3", bad.clone())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["type"], "INVALID_DATA", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("meta.location") && message.contains("attributes"),
        "{body}"
    );

    let (status, body) = call_json(&app, event("entry_sign_out", "j-4", bad)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["message"].as_str().unwrap().starts_with("bye "),
        "{body}"
    );
}

/// The company's name in the fixture, read independently of the framework.
fn fixture_company_name() -> String {
    let body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["company"]["attributes"]["name"]
        .as_str()
        .unwrap_or("?")
        .to_owned()
}
