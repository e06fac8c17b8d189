//! `GET /healthz` and `GET /readyz`: outside the signature guard, liveness answers while the
//! process serves (draining included), readiness waits for the first platform token and turns 503
//! once a shutdown begins.

use actix_web::middleware::from_fn;
use actix_web::{App, test, web};
use envoy_plugin::api::{ApiPolicy, EnvoyApi};
use envoy_plugin::prelude::*;
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::{Drain, PluginContext, Secret, drain_requests};
use envoy_plugin_suite::SECRET;

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("Welcome {}", entry.full_name)))
}

plugin! {
    Health { name: "Health", events: [welcome] }
}

#[actix_web::test]
async fn liveness_and_readiness_follow_the_token_and_the_drain() {
    let platform = StandIn::start("health-client", SECRET).unwrap();
    let api = EnvoyApi::connect(
        &platform.base_url(),
        "health-client",
        &Secret::new(SECRET),
        ApiPolicy::default(),
    );
    let context = PluginContext::new(&Settings::new(SECRET)).with_api(api.clone());
    let drain = Drain::new();
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(drain.clone()))
            .wrap(from_fn(drain_requests))
            .configure(envoy_plugin::configure_with(
                Health,
                web::Data::new(context),
            )),
    )
    .await;
    let get = |path: &str| test::TestRequest::get().uri(path);
    // The drain middleware wraps the body, so the answer is read here rather than by `call_json`.
    macro_rules! call_json {
        ($app:expr, $req:expr) => {{
            let res = test::call_service($app, $req.to_request()).await;
            let status = res.status();
            let body: serde_json::Value =
                serde_json::from_slice(&test::read_body(res).await).unwrap();
            (status, body)
        }};
    }

    // No signature needed, and no token yet: alive, not ready.
    let (status, body) = call_json!(&app, get("/healthz"));
    assert_eq!(
        (status.as_u16(), body["status"].as_str()),
        (200, Some("ok"))
    );
    let (status, body) = call_json!(&app, get("/readyz"));
    assert_eq!(status.as_u16(), 503, "{body}");
    assert_eq!(body["error"]["type"], "WEBHOOK_UNAVAILABLE", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("no platform token")
    );

    // Once the first login has succeeded: ready.
    api.token().await.unwrap();
    let (status, body) = call_json!(&app, get("/readyz"));
    assert_eq!(
        (status.as_u16(), body["status"].as_str()),
        (200, Some("ready"))
    );

    // Draining: not ready, still alive.
    drain.begin();
    let (status, body) = call_json!(&app, get("/readyz"));
    assert_eq!(status.as_u16(), 503, "{body}");
    let (status, _) = call_json!(&app, get("/healthz"));
    assert_eq!(status.as_u16(), 200);
}

#[actix_web::test]
async fn a_plugin_without_a_client_id_is_ready_without_a_token() {
    let app = test::init_service(
        App::new().configure(envoy_plugin::configure(Health, &Settings::new(SECRET))),
    )
    .await;
    let (status, body) =
        envoy_plugin_suite::call_json(&app, test::TestRequest::get().uri("/readyz")).await;
    assert_eq!(status.as_u16(), 200, "{body}");
}
