//! The greeter's manifest: snapshots of both formats (reviewed files in `tests/snapshots/`), and
//! proof that the manifest and the served routes are the same set.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::{App, test as web_test};
use envoy_plugin::manifest::{Manifest, StepEntry, to_markdown};
use envoy_plugin::{Plugin, Settings};
use envoy_plugin_suite::{SECRET, signature};
use greeter::Greeter;

const BASE: &str = "https://greeter.example.com";

#[test]
fn json_manifest_snapshot() {
    let manifest = Manifest::of::<Greeter>(BASE).unwrap();
    insta::assert_snapshot!("greeter_manifest_json", manifest.to_json());
}

#[test]
fn markdown_manifest_snapshot() {
    let manifest = Manifest::of::<Greeter>(BASE).unwrap();
    insta::assert_snapshot!("greeter_manifest_markdown", to_markdown(&manifest));
}

#[test]
fn the_manifest_is_deterministic_and_a_trailing_slash_changes_nothing() {
    let a = Manifest::of::<Greeter>(BASE).unwrap().to_json();
    let b = Manifest::of::<Greeter>(&format!("{BASE}/"))
        .unwrap()
        .to_json();
    assert_eq!(a, b);
}

#[test]
fn a_wrong_base_url_is_a_clear_error() {
    for bad in [
        "",
        "greeter.example.com",
        "ftp://greeter.example.com",
        "https://greeter.example.com/?a=b",
    ] {
        let err = Manifest::of::<Greeter>(bad).unwrap_err().to_string();
        assert!(err.starts_with(&format!("--base-url `{bad}`")), "{err}");
    }
}

/// Every URL in the manifest (workers, routes, options, selected values, validation, content).
fn manifest_paths(manifest: &Manifest) -> BTreeSet<String> {
    let strip = |url: &str| url.strip_prefix(BASE).unwrap().to_owned();
    let mut paths: BTreeSet<String> = manifest.events.iter().map(|e| strip(&e.url)).collect();
    paths.extend(manifest.routes.iter().map(|r| strip(&r.url)));
    let json: serde_json::Value = serde_json::from_str(&manifest.to_json()).unwrap();
    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    let ours =
                        key.ends_with("_url") && key != "authorize_url" && key != "token_url";
                    if let (true, Some(s)) = (ours, v.as_str()) {
                        out.push(s.to_owned());
                    }
                    collect(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    let mut urls = Vec::new();
    collect(&json["setup_steps"], &mut urls);
    for url in urls.iter().filter(|u| u.starts_with(BASE)) {
        assert!(
            paths.contains(&strip(url)),
            "the step URL {url} is not among the manifest's routes"
        );
    }
    paths
}

#[actix_web::test]
async fn every_manifest_url_is_served_and_every_served_route_is_in_the_manifest() {
    let manifest = Manifest::of::<Greeter>(BASE).unwrap();
    let paths = manifest_paths(&manifest);

    // What the app registers, from the same declaration.
    let served: BTreeSet<String> = Greeter::workers()
        .iter()
        .map(|w| w.path.to_owned())
        .chain(Greeter::routes().iter().map(|r| r.path.to_owned()))
        .collect();
    assert_eq!(paths, served);

    // And each really answers: a signed POST (or the pop-up's GET) is never a 404 or 405.
    let app = web_test::init_service(
        App::new().configure(envoy_plugin::configure(Greeter, &Settings::new(SECRET))),
    )
    .await;
    let popup_paths: BTreeSet<String> = manifest
        .setup_steps
        .iter()
        .filter_map(|s| match s {
            StepEntry::Popup { content_url, .. } => {
                Some(content_url.strip_prefix(BASE).unwrap().to_owned())
            }
            _ => None,
        })
        .collect();
    for path in &paths {
        let req = if popup_paths.contains(path) {
            web_test::TestRequest::get().uri(&format!("{path}?state=s"))
        } else {
            let body = br#"{"meta": {}}"#;
            web_test::TestRequest::post()
                .uri(path)
                .insert_header(("X-Envoy-Signature", signature(SECRET, body)))
                .set_payload(&body[..])
        };
        let res = web_test::call_service(&app, req.to_request()).await;
        assert!(
            res.status() != StatusCode::NOT_FOUND && res.status() != StatusCode::METHOD_NOT_ALLOWED,
            "{path} answered {}",
            res.status()
        );
    }
    let res = web_test::call_service(
        &app,
        web_test::TestRequest::post()
            .uri("/routes/not_declared")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
