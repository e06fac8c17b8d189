//! `GET /metrics` (feature `metrics`): requests by route and outcome, handler durations, duplicate
//! deliveries, workers past their budget and platform API calls, in the Prometheus text format.
//!
//! Metrics are process-wide, so this binary holds one test: the counts below are exact.

use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{App, test, web};
use envoy_plugin::api::{ApiPolicy, EnvoyApi};
use envoy_plugin::prelude::*;
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::{PluginContext, Secret, log_request};
use envoy_plugin_suite::{SECRET, fixture, signed_post};
use serde_json::{Value, json};

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("Welcome {}", entry.full_name)))
}

#[event("entry_sign_out", budget = "50ms")]
async fn slow_goodbye(entry: Entry) -> JobResult {
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(Outcome::done(format!("Goodbye {}", entry.full_name)))
}

plugin! {
    Counted { name: "Counted", events: [welcome, slow_goodbye] }
}

fn event(name: &str, job: &str) -> test::TestRequest {
    let mut body: Value =
        serde_json::from_slice(&fixture(&format!("sdk-factories/{name}.0.json"))).unwrap();
    body["meta"]["job"]["id"] = json!(job);
    signed_post(
        &format!("/events/{name}"),
        serde_json::to_vec(&body).unwrap(),
    )
}

/// The value of the sample `name{labels}` in a scrape, `None` when it is absent.
fn sample(scrape: &str, series: &str) -> Option<f64> {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
}

#[actix_web::test]
async fn metrics_count_requests_handlers_duplicates_late_jobs_and_api_calls() {
    let platform = StandIn::start("metrics-client", SECRET).unwrap();
    let api = EnvoyApi::connect(
        &platform.base_url(),
        "metrics-client",
        &Secret::new(SECRET),
        ApiPolicy::default().with_retries(3, Duration::from_millis(1)),
    );
    let context = PluginContext::new(&Settings::new(SECRET)).with_api(api.clone());
    let app = test::init_service(App::new().wrap(from_fn(log_request)).configure(
        envoy_plugin::configure_with(Counted, web::Data::new(context)),
    ))
    .await;
    let status = async |req: test::TestRequest| {
        let res = test::call_service(&app, req.to_request()).await;
        res.status().as_u16()
    };

    // A job, its retry (answered from the record), a bad signature and a path nobody serves.
    assert_eq!(status(event("entry_sign_in", "m-1")).await, 200);
    assert_eq!(status(event("entry_sign_in", "m-1")).await, 200);
    let unsigned = test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("content-type", "application/json"))
        .set_payload("{}");
    assert_eq!(status(unsigned).await, 401);
    assert_eq!(
        status(test::TestRequest::get().uri("/wp-login.php")).await,
        404
    );
    // Past its budget: 202, then the outcome is reported through the job API.
    assert_eq!(status(event("entry_sign_out", "m-2")).await, 202);
    for _ in 0..100 {
        if platform.job("m-2").and_then(|j| j.status).is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        platform.job("m-2").and_then(|j| j.status).as_deref(),
        Some("done")
    );
    // Two transient failures and a success; then a refusal.
    platform.fail_next(2, 503);
    api.job("m-3").complete("done", vec![]).await.unwrap();
    platform.fail_next(1, 422);
    api.job("m-4").complete("done", vec![]).await.unwrap_err();

    let res = test::call_service(&app, test::TestRequest::get().uri("/metrics").to_request()).await;
    assert_eq!(res.status().as_u16(), 200);
    let content_type = res
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let scrape = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    let value = |series: &str| sample(&scrape, series);

    let requests = "envoy_plugin_requests_total";
    assert_eq!(
        value(&format!(
            r#"{requests}{{route="/events/entry_sign_in",status="200",outcome="done"}}"#
        )),
        Some(2.0),
        "{scrape}"
    );
    assert_eq!(
        value(&format!(
            r#"{requests}{{route="/events/entry_sign_in",status="401",outcome="-"}}"#
        )),
        Some(1.0),
        "{scrape}"
    );
    assert_eq!(
        value(&format!(
            r#"{requests}{{route="/events/entry_sign_out",status="202",outcome="ongoing"}}"#
        )),
        Some(1.0),
        "{scrape}"
    );
    // A random path is one series, whatever the path: the metrics cannot be grown by a scan.
    assert_eq!(
        value(&format!(
            r#"{requests}{{route="unmatched",status="404",outcome="-"}}"#
        )),
        Some(1.0),
        "{scrape}"
    );
    assert!(!scrape.contains("wp-login"), "{scrape}");
    // The handler ran once for two deliveries; the slow one is timed to its end (200 ms), past
    // the 202.
    let seconds = "envoy_plugin_handler_duration_seconds";
    assert_eq!(
        value(&format!(r#"{seconds}_count{{handler="welcome"}}"#)),
        Some(1.0),
        "{scrape}"
    );
    assert_eq!(
        value(&format!(r#"{seconds}_count{{handler="slow_goodbye"}}"#)),
        Some(1.0),
        "{scrape}"
    );
    let slow = value(&format!(r#"{seconds}_sum{{handler="slow_goodbye"}}"#)).unwrap();
    assert!(slow >= 0.2, "{scrape}");
    assert_eq!(
        value(r#"envoy_plugin_duplicate_deliveries_total{worker="welcome"}"#),
        Some(1.0),
        "{scrape}"
    );
    assert_eq!(
        value(r#"envoy_plugin_past_budget_total{worker="slow_goodbye"}"#),
        Some(1.0),
        "{scrape}"
    );
    // The late report (a PATCH that succeeded) and `m-3`; `m-4`'s refusal; two retries.
    assert_eq!(
        value(r#"envoy_plugin_api_calls_total{method="PATCH",result="ok"}"#),
        Some(2.0),
        "{scrape}"
    );
    assert_eq!(
        value(r#"envoy_plugin_api_calls_total{method="PATCH",result="client_error"}"#),
        Some(1.0),
        "{scrape}"
    );
    assert_eq!(
        value(r#"envoy_plugin_api_retries_total{method="PATCH"}"#),
        Some(2.0),
        "{scrape}"
    );
}
