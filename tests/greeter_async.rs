//! The greeter's asynchronous worker end to end: `upcoming_visit` answers 202, and the printer's
//! callback, carrying a job handle, completes the job through the job API of the stand-in platform.
//! Handles are made here with `jsonwebtoken` directly, not with the framework's own code.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::{PluginContext, Secret, Settings};
use envoy_plugin_suite::{SECRET, call_json, fixture, signature};
use greeter::Greeter;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::{Value, json};

const JWT_SECRET: &str = "greeter-jwt-key";

fn settings(platform: &StandIn) -> Settings {
    let mut settings = Settings::new(SECRET);
    settings.client_id = Some("greeter".into());
    settings.base_url = platform.base_url();
    settings.jwt_secret = Some(Secret::new(JWT_SECRET));
    settings
}

/// The greeter's callback route, the audience of its handles.
const CALLBACK: &str = "/callbacks/badge_printed";

/// A handle for `job_id` and the greeter's callback, signed with `key`, expiring in `expires_in`
/// seconds, with a new `jti`.
fn handle(job_id: &str, key: &str, expires_in: i64) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let jti = format!(
        "test-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let now = now();
    handle_with(
        key,
        json!({"sub": job_id, "aud": CALLBACK, "jti": jti, "iat": now, "nbf": now, "exp": now + expires_in}),
    )
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A handle with exactly these claims, made with `jsonwebtoken` directly.
fn handle_with(key: &str, claims: Value) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(key.as_bytes()),
    )
    .unwrap()
}

macro_rules! app {
    ($platform:expr) => {
        test::init_service(App::new().configure(envoy_plugin::configure_with(
            Greeter,
            actix_web::web::Data::new(PluginContext::new(&settings(&$platform))),
        )))
        .await
    };
}

fn upcoming_visit(job_id: &str) -> Vec<u8> {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/upcoming_visit.0.json")).unwrap();
    body["meta"]["job"]["id"] = json!(job_id);
    serde_json::to_vec(&body).unwrap()
}

fn signed_event(body: Vec<u8>) -> test::TestRequest {
    test::TestRequest::post()
        .uri("/events/upcoming_visit")
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, &body)))
        .set_payload(body)
}

#[actix_web::test]
async fn ongoing_then_completed_from_the_callback() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    let (status, body) = call_json(&app, signed_event(upcoming_visit("job-async-1"))).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Printing a badge for"),
        "{body}"
    );
    assert!(
        platform.job("job-async-1").is_none(),
        "nothing reported yet"
    );
    let install = fixture_install_id();
    assert!(
        platform
            .storage(Some(&install))
            .contains_key("badge:job-async-1")
    );

    let callback = test::TestRequest::post()
        .uri(&format!(
            "/callbacks/badge_printed?token={}",
            handle("job-async-1", JWT_SECRET, 600)
        ))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"status": "printed", "badge_url": "https://printer.test/b/1.pdf"}"#);
    let (status, body) = call_json(&app, callback).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"message": "ok"})));

    let job = platform.job("job-async-1").expect("the job was reported");
    assert_eq!(job.status.as_deref(), Some("done"));
    assert_eq!(job.status_message.as_deref(), Some("Badge printed"));
    assert_eq!(
        job.attachments,
        vec![
            json!({"type": "link", "label": "Badge", "value": "Open the badge", "url": "https://printer.test/b/1.pdf"})
        ]
    );
}

fn fixture_install_id() -> String {
    let body: Value =
        serde_json::from_slice(&fixture("sdk-factories/upcoming_visit.0.json")).unwrap();
    body["meta"]["install_id"].as_str().unwrap().to_owned()
}

#[actix_web::test]
async fn a_failed_print_fails_the_job() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    let req = test::TestRequest::post().uri(&format!(
        "/callbacks/badge_printed?token={}",
        handle("job-async-2", JWT_SECRET, 600)
    ));
    let (status, _) = call_json(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    let job = platform.job("job-async-2").unwrap();
    assert_eq!(
        (job.status.as_deref(), job.failure_reason.as_deref()),
        (Some("failed"), Some("the printer gave no reason"))
    );
}

#[actix_web::test]
async fn bad_handles_are_401_and_the_handler_never_runs() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    let good = handle("job-x", JWT_SECRET, 600);
    let mut tampered = good.clone();
    tampered.replace_range(tampered.len() - 3.., "AAA");
    let cases = [
        ("tampered", format!("?token={tampered}"), 401001),
        (
            "other key",
            format!("?token={}", handle("job-x", "another key", 600)),
            401001,
        ),
        (
            "expired",
            format!("?token={}", handle("job-x", JWT_SECRET, -30)),
            401001,
        ),
        ("garbage", "?token=not-a-jwt".to_owned(), 401001),
        ("missing", String::new(), 401000),
    ];
    for (case, query, code) in cases {
        let req = test::TestRequest::post()
            .uri(&format!("/callbacks/badge_printed{query}"))
            .set_payload(r#"{"status": "printed"}"#);
        let (status, body) = call_json(&app, req).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
        assert_eq!(body["error"]["code"], code, "{case}: {body}");
    }
    assert!(
        platform.job("job-x").is_none(),
        "a callback with a bad handle reached the job API"
    );
    assert!(platform.requests().is_empty());
    // The same request with the good handle goes through.
    let req = test::TestRequest::post()
        .uri(&format!("/callbacks/badge_printed?token={good}"))
        .set_payload(r#"{"status": "printed"}"#);
    assert_eq!(call_json(&app, req).await.0, StatusCode::OK);
    assert_eq!(
        platform.job("job-x").unwrap().status.as_deref(),
        Some("done")
    );
}

#[actix_web::test]
async fn the_handle_made_by_a_worker_is_accepted_by_the_callback() {
    let handles = envoy_plugin::api::JobHandles::new(&Secret::new(JWT_SECRET));
    let token = handles.encode(&"job-y".into(), CALLBACK, Duration::from_secs(60));
    // Decoded independently: the claims are what the platform's SDK puts in a handle, plus the
    // callback it is for, its own id and when it starts to be valid.
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub", "iat", "aud", "nbf"]);
    validation.set_audience(&[CALLBACK]);
    let claims = jsonwebtoken::decode::<Value>(
        &token,
        &jsonwebtoken::DecodingKey::from_secret(JWT_SECRET.as_bytes()),
        &validation,
    )
    .unwrap()
    .claims;
    assert_eq!(claims["sub"], "job-y");
    assert_eq!(claims["aud"], CALLBACK);
    assert!(claims["jti"].as_str().is_some_and(|jti| jti.len() >= 16));
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        60
    );
}

/// A callback with `token` in `Authorization` (`scheme` as given) and a printed badge.
fn bearer_callback(scheme: &str, token: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri(CALLBACK)
        .insert_header(("authorization", format!("{scheme} {token}")))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"status": "printed"}"#)
}

#[actix_web::test]
async fn a_handle_is_accepted_once_and_a_replay_is_409() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    let token = handle("job-once", JWT_SECRET, 600);
    let (status, body) = call_json(&app, bearer_callback("Bearer", &token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reports = platform.requests().len();
    for (scheme, how) in [("Bearer", "header"), ("bearer", "header, lower case")] {
        let (status, body) = call_json(&app, bearer_callback(scheme, &token)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{how}: {body}");
        assert_eq!(body["error"]["type"], "CONFLICT", "{body}");
        assert_eq!(body["error"]["code"], 409000, "{body}");
    }
    let replay = test::TestRequest::post()
        .uri(&format!("{CALLBACK}?token={token}"))
        .set_payload(r#"{"status": "failed"}"#);
    assert_eq!(call_json(&app, replay).await.0, StatusCode::CONFLICT);
    assert_eq!(
        platform.requests().len(),
        reports,
        "a replayed handle reached the job API"
    );
    assert_eq!(
        platform.job("job-once").unwrap().status.as_deref(),
        Some("done"),
        "the replay did not turn the done job into a failed one"
    );
}

#[actix_web::test]
async fn the_authorization_scheme_is_case_insensitive() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    for (i, scheme) in ["bearer", "BEARER", "BeArEr"].into_iter().enumerate() {
        let job = format!("job-scheme-{i}");
        let token = handle(&job, JWT_SECRET, 600);
        let (status, body) = call_json(&app, bearer_callback(scheme, &token)).await;
        assert_eq!(status, StatusCode::OK, "{scheme}: {body}");
        assert_eq!(platform.job(&job).unwrap().status.as_deref(), Some("done"));
    }
}

#[actix_web::test]
async fn a_handle_for_another_callback_or_not_yet_valid_is_401() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    let now = now();
    let cases = [
        (
            "another callback",
            json!({"sub": "job-z", "aud": "/callbacks/other", "jti": "a", "iat": now, "nbf": now, "exp": now + 600}),
        ),
        (
            "before its nbf",
            json!({"sub": "job-z", "aud": CALLBACK, "jti": "b", "iat": now, "nbf": now + 300, "exp": now + 600}),
        ),
        (
            "no audience",
            json!({"sub": "job-z", "jti": "c", "iat": now, "nbf": now, "exp": now + 600}),
        ),
        (
            "no jti",
            json!({"sub": "job-z", "aud": CALLBACK, "iat": now, "nbf": now, "exp": now + 600}),
        ),
        (
            "a lifetime over the maximum",
            json!({"sub": "job-z", "aud": CALLBACK, "jti": "d", "iat": now, "nbf": now, "exp": now + 30 * 24 * 3600}),
        ),
    ];
    for (case, claims) in cases {
        let token = handle_with(JWT_SECRET, claims);
        let (status, body) = call_json(&app, bearer_callback("Bearer", &token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}: {body}");
        assert_eq!(body["error"]["type"], "AUTHENTICATION", "{case}: {body}");
    }
    assert!(platform.job("job-z").is_none());
}

#[actix_web::test]
async fn get_is_405_unless_the_callback_opts_in() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = app!(platform);
    let token = handle("job-get", JWT_SECRET, 600);
    for req in [
        test::TestRequest::get().uri(&format!("{CALLBACK}?token={token}")),
        test::TestRequest::put().uri(&format!("{CALLBACK}?token={token}")),
    ] {
        let (status, body) = call_json(&app, req).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
        assert_eq!(body["error"]["code"], 405000, "{body}");
    }
    assert!(platform.job("job-get").is_none(), "a GET ran the handler");
    // The handle was not spent by the refused GET.
    let (status, _) = call_json(&app, bearer_callback("Bearer", &token)).await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn an_oversized_callback_body_is_a_structured_413() {
    let platform = StandIn::start("greeter", SECRET).unwrap();
    let app = test::init_service(App::new().configure(envoy_plugin::configure_with(
        Greeter,
        actix_web::web::Data::new(PluginContext::new(
            &settings(&platform).with_body_limit(1024),
        )),
    )))
    .await;
    let token = handle("job-big", JWT_SECRET, 600);
    let req = test::TestRequest::post()
        .uri(CALLBACK)
        .insert_header(("authorization", format!("Bearer {token}")))
        .set_payload(format!(
            r#"{{"status": "printed", "pad": "{}"}}"#,
            "x".repeat(4096)
        ));
    let (status, body) = call_json(&app, req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], 413000, "{body}");
    assert!(platform.job("job-big").is_none());
    // Refused, not spent: the same handle with a body under the limit goes through.
    let (status, _) = call_json(&app, bearer_callback("Bearer", &token)).await;
    assert_eq!(status, StatusCode::OK);
}
