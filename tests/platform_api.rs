//! The platform API client against the stand-in platform on a loopback port: the exact calls, token
//! sharing and renewal, storage semantics, retries, timeouts, and job handles end to end.

use std::time::Duration;

use envoy_plugin::api::{ApiPolicy, EnvoyApi};
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::{Attachment, Outcome, Secret};
use serde_json::{Value, json};

const CLIENT_ID: &str = "greeter-client";
const CLIENT_SECRET: &str = "greeter-client-secret";

fn platform() -> StandIn {
    StandIn::start(CLIENT_ID, CLIENT_SECRET).expect("the stand-in starts")
}

fn client(platform: &StandIn, policy: ApiPolicy) -> EnvoyApi {
    EnvoyApi::connect(
        &platform.base_url(),
        CLIENT_ID,
        &Secret::new(CLIENT_SECRET),
        policy,
    )
}

fn fast() -> ApiPolicy {
    ApiPolicy::default()
        .with_timeout(Duration::from_secs(5))
        .with_retries(3, Duration::from_millis(10))
}

#[actix_web::test]
async fn the_login_is_client_credentials_with_basic_auth() {
    let platform = platform();
    let api = client(&platform, fast());
    api.token().await.unwrap();
    let login = &platform.requests()[0];
    assert_eq!(
        (login.method.as_str(), login.path.as_str()),
        ("POST", "/a/auth/v0/token")
    );
    // Basic base64("greeter-client:greeter-client-secret"), computed by hand.
    assert_eq!(
        login.header("authorization"),
        Some("Basic Z3JlZXRlci1jbGllbnQ6Z3JlZXRlci1jbGllbnQtc2VjcmV0")
    );
    assert_eq!(
        login.body,
        json!({"grant_type": "client_credentials", "client_id": CLIENT_ID,
               "client_secret": CLIENT_SECRET, "scope": "plugin,token.refresh"})
    );
}

#[actix_web::test]
async fn a_refused_login_names_the_base_url_and_status_and_never_the_secret() {
    let platform = platform();
    let api = EnvoyApi::connect(
        &platform.base_url(),
        CLIENT_ID,
        &Secret::new("wrong"),
        fast(),
    );
    let err = api.job("j1").complete("done", vec![]).await.unwrap_err();
    assert_eq!(err.status, Some(401));
    let text = err.to_string();
    assert!(
        text.contains(&platform.base_url()) && text.contains("401"),
        "{text}"
    );
    assert!(
        !text.contains("wrong") && !text.contains(CLIENT_SECRET),
        "{text}"
    );
    assert!(
        !format!("{api:?}").contains("wrong"),
        "the secret shows in Debug"
    );
}

#[actix_web::test]
async fn every_job_call_is_a_patch_with_bearer_token_and_json_api_headers() {
    let platform = platform();
    let api = client(&platform, fast());
    let job = api.job("job-7");
    job.update("halfway", vec![Attachment::text("Step", "1")])
        .await
        .unwrap();
    job.attach(vec![Attachment::json("Raw", json!({"n": 1}))])
        .await
        .unwrap();
    job.complete(
        "Badge printed",
        vec![Attachment::link("Badge", "open", "https://b.test/1")],
    )
    .await
    .unwrap();
    api.job("job-8")
        .ignore("Not today", "the host is away")
        .await
        .unwrap();
    api.job("job-9")
        .fail("Printer offline", "timeout")
        .await
        .unwrap();

    let calls: Vec<_> = platform
        .requests()
        .into_iter()
        .filter(|r| r.path.contains("/jobs/"))
        .collect();
    assert_eq!(calls.len(), 5);
    for call in &calls {
        assert_eq!(call.method, "PATCH");
        assert_eq!(
            call.header("authorization"),
            Some("Bearer stand-in-token-1")
        );
        assert_eq!(
            call.header("content-type"),
            Some("application/vnd.api+json")
        );
        assert_eq!(call.header("accept"), Some("application/vnd.api+json"));
    }
    assert_eq!(calls[0].path, "/api/v2/plugin-services/jobs/job-7");
    assert_eq!(
        calls[0].body,
        json!({"status_message": "halfway", "attachments": [{"type": "text", "label": "Step", "value": "1"}]})
    );
    assert_eq!(
        calls[1].body,
        json!({"attachments": [{"type": "json", "label": "Raw", "value": {"n": 1}}]})
    );
    assert_eq!(
        calls[2].body,
        json!({"status": "done", "status_message": "Badge printed",
               "attachments": [{"type": "link", "label": "Badge", "value": "open", "url": "https://b.test/1"}]})
    );
    assert_eq!(
        calls[3].body,
        json!({"status": "ignored", "status_message": "Not today", "failure_reason": "the host is away", "attachments": []})
    );
    assert_eq!(calls[4].path, "/api/v2/plugin-services/jobs/job-9");
    assert_eq!(calls[4].body["status"], "failed");

    let record = platform.job("job-7").unwrap();
    assert_eq!(record.status.as_deref(), Some("done"));
    assert_eq!(record.attachments.len(), 3);
    assert_eq!(
        platform.job("job-8").unwrap().failure_reason.as_deref(),
        Some("the host is away")
    );
}

#[actix_web::test]
async fn outcomes_report_through_the_api_as_they_answer_as_status_codes() {
    let platform = platform();
    let api = client(&platform, fast());
    api.job("a")
        .report(&Outcome::done("ok").attach(Attachment::text("k", "v")))
        .await
        .unwrap();
    api.job("b")
        .report(&Outcome::failed("printer offline"))
        .await
        .unwrap();
    api.job("c")
        .report(&Outcome::ongoing("queued"))
        .await
        .unwrap();
    assert_eq!(platform.job("a").unwrap().status.as_deref(), Some("done"));
    let b = platform.job("b").unwrap();
    assert_eq!(
        (b.status.as_deref(), b.failure_reason.as_deref()),
        (Some("failed"), Some("printer offline"))
    );
    let c = platform.job("c").unwrap();
    assert_eq!(
        (c.status, c.status_message.as_deref()),
        (None, Some("queued"))
    );
}

#[actix_web::test]
async fn concurrent_calls_share_one_login() {
    let platform = platform();
    let api = client(&platform, fast());
    let storage = api.install_storage("5310");
    let calls = (0..20).map(|i| {
        let storage = storage.clone();
        async move { storage.set(&format!("k{i}"), &i).await }
    });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(platform.logins(), 1);
    assert_eq!(platform.storage(Some("5310")).len(), 20);
}

#[actix_web::test]
async fn a_token_near_expiry_is_renewed_in_the_background() {
    let platform = platform();
    // Tokens live 5 minutes: inside the 10-minute renewal window from the start.
    platform.set_token_ttl(300);
    let api = client(&platform, fast());
    let first = api.token().await.unwrap();
    let again = api.token().await.unwrap();
    assert_eq!(
        first, again,
        "the current token is used while a new one is fetched"
    );
    for _ in 0..500 {
        if platform.logins() == 2 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(platform.logins(), 2);
    assert_ne!(api.token().await.unwrap(), first);
}

#[actix_web::test]
async fn a_401_logs_in_again_once() {
    let platform = platform();
    let api = client(&platform, fast());
    api.global_storage().set("a", &1).await.unwrap();
    platform.expire_tokens();
    api.global_storage().set("b", &2).await.unwrap();
    assert_eq!(platform.logins(), 2);
    let statuses: Vec<_> = platform.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        statuses.iter().filter(|p| p.ends_with("/storage")).count(),
        3,
        "{statuses:?}"
    );
}

#[actix_web::test]
async fn storage_semantics() {
    let platform = platform();
    let api = client(&platform, fast());
    let storage = api.install_storage("5310");
    assert_eq!(storage.get::<String>("missing").await.unwrap(), None);
    storage.set("visits", &3u32).await.unwrap();
    assert_eq!(storage.get::<u32>("visits").await.unwrap(), Some(3));
    assert_eq!(storage.unset::<u32>("visits").await.unwrap(), Some(3));
    assert_eq!(storage.unset::<u32>("visits").await.unwrap(), None);

    let results = storage
        .pipeline()
        .set("a", &"first")
        .get("a")
        .set("a", &"second")
        .get("a")
        .unset("a")
        .get("a")
        .run()
        .await
        .unwrap();
    assert_eq!(
        results,
        vec![
            json!({"key": "a", "value": "first"}),
            json!({"key": "a", "value": "first"}),
            json!({"key": "a", "value": "second"}),
            json!({"key": "a", "value": "second"}),
            json!({"key": "a", "value": "second"}),
            Value::Null,
        ]
    );
    let pipeline_call = platform
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/storage"))
        .unwrap();
    assert_eq!(pipeline_call.body["install_id"], "5310");
    assert_eq!(pipeline_call.body["commands"].as_array().unwrap().len(), 6);

    let codes: Vec<String> = futures_util::future::join_all((0..10).map(|i| {
        let storage = storage.clone();
        async move {
            storage
                .set_unique(&format!("code{i}"), Some("ABCDEF"), Some(6))
                .await
                .unwrap()
        }
    }))
    .await;
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 6 && c.chars().all(|ch| "ABCDEF".contains(ch)))
    );
    let n = storage
        .set_unique_num("ticket", Some(100), Some(105))
        .await
        .unwrap();
    let m = storage
        .set_unique_num("ticket2", Some(100), Some(105))
        .await
        .unwrap();
    assert!((100..=105).contains(&n) && (100..=105).contains(&m) && n != m);

    // Global storage is separate from the install's.
    api.global_storage().set("shared", &true).await.unwrap();
    assert_eq!(storage.get::<bool>("shared").await.unwrap(), None);
    assert_eq!(
        api.global_storage().get::<bool>("shared").await.unwrap(),
        Some(true)
    );
    let listed = api.global_storage().list::<bool>(1).await.unwrap();
    assert_eq!(
        (listed.len(), listed[0].key.as_str(), listed[0].value),
        (1, "shared", true)
    );
    let global_call = platform
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path.ends_with("/storage"))
        .unwrap();
    assert!(global_call.body.get("install_id").is_none());
}

#[actix_web::test]
async fn install_config_merges_and_notifications_are_sent() {
    let platform = platform();
    platform.set_config("5310", json!({"greeting": "Hi", "old": 1}));
    let api = client(&platform, fast());
    let install = api.install("5310");
    let config: Value = install.config().await.unwrap();
    assert_eq!(config, json!({"greeting": "Hi", "old": 1}));
    let updated = install
        .update_config(&json!({"greeting": "Hello", "old": null}))
        .await
        .unwrap();
    assert_eq!(updated, json!({"greeting": "Hello"}));
    assert_eq!(platform.config("5310"), json!({"greeting": "Hello"}));
    install
        .notify(&json!({"title": "Printer offline"}))
        .await
        .unwrap();
    assert_eq!(
        platform.notifications("5310"),
        vec![json!({"title": "Printer offline"})]
    );
    let put = platform
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(put.path, "/api/v2/plugin-services/installs/5310/config");
}

#[actix_web::test]
async fn repeatable_calls_are_retried_on_5xx_and_nothing_is_retried_on_4xx() {
    let platform = platform();
    let api = client(&platform, fast());
    api.token().await.unwrap();
    platform.clear_requests();

    platform.fail_next(2, 503);
    api.job("j").complete("done", vec![]).await.unwrap();
    assert_eq!(platform.requests().len(), 3);
    assert_eq!(platform.job("j").unwrap().status.as_deref(), Some("done"));

    platform.clear_requests();
    platform.fail_next(1, 422);
    let err = api.job("k").complete("done", vec![]).await.unwrap_err();
    assert_eq!((err.status, platform.requests().len()), (Some(422), 1));
    assert!(
        err.to_string()
            .starts_with("PATCH /api/v2/plugin-services/jobs/k answered 422"),
        "{err}"
    );

    platform.clear_requests();
    platform.fail_next(3, 500);
    let err = api.job("l").complete("done", vec![]).await.unwrap_err();
    assert_eq!((err.status, platform.requests().len()), (Some(500), 3));

    // Not safe to repeat: a unique value is never asked for twice.
    platform.clear_requests();
    platform.fail_next(1, 503);
    let err = api
        .global_storage()
        .set_unique("code", None, None)
        .await
        .unwrap_err();
    assert_eq!((err.status, platform.requests().len()), (Some(503), 1));
    let err = api.install("1").notify(&json!({})).await;
    assert!(err.is_ok());
}

#[actix_web::test]
async fn a_call_that_hangs_times_out_with_a_clear_error() {
    let platform = platform();
    let api = client(
        &platform,
        ApiPolicy::default()
            .with_timeout(Duration::from_millis(300))
            .with_retries(1, Duration::ZERO),
    );
    api.token().await.unwrap();
    platform.delay_next(1, Duration::from_secs(3));
    let started = std::time::Instant::now();
    let err = api.job("slow").complete("done", vec![]).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(err.status, None);
    assert_eq!(
        err.to_string(),
        "PATCH /api/v2/plugin-services/jobs/slow failed: no answer in time"
    );
}

#[actix_web::test]
async fn without_a_client_id_calls_fail_saying_so() {
    let api = EnvoyApi::new(&envoy_plugin::Settings::new("secret"));
    let err = api.global_storage().get::<u8>("x").await.unwrap_err();
    assert!(
        err.to_string().contains("ENVOY_CLIENT_ID is not set"),
        "{err}"
    );
}

/// A platform that answers everything with `status` and `Location: location`, counting requests.
fn redirecting_platform(
    status: u16,
    location: String,
) -> (std::net::SocketAddr, actix_web::dev::ServerHandle) {
    envoy_plugin_suite::serve_on_loopback(move || {
        let location = location.clone();
        actix_web::App::new().default_service(actix_web::web::to(move || {
            let location = location.clone();
            async move {
                actix_web::HttpResponse::build(
                    actix_web::http::StatusCode::from_u16(status).unwrap(),
                )
                .insert_header(("location", location))
                .finish()
            }
        }))
    })
}

/// A listener that only counts what reaches it.
fn counting_listener(
    hits: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> (std::net::SocketAddr, actix_web::dev::ServerHandle) {
    envoy_plugin_suite::serve_on_loopback(move || {
        let hits = hits.clone();
        actix_web::App::new().default_service(actix_web::web::to(move || {
            hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async { actix_web::HttpResponse::Ok().json(json!({"access_token": "stolen"})) }
        }))
    })
}

#[actix_web::test]
async fn redirects_are_never_followed_and_the_secret_stays_home() {
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (elsewhere, elsewhere_handle) = counting_listener(hits.clone());
    for status in [301, 302, 307, 308] {
        let location = format!("http://{elsewhere}/a/auth/v0/token");
        let (platform, handle) = redirecting_platform(status, location.clone());
        let api = EnvoyApi::connect(
            &format!("http://{platform}"),
            CLIENT_ID,
            &Secret::new(CLIENT_SECRET),
            fast(),
        );
        let err = api.job("j").complete("done", vec![]).await.unwrap_err();
        assert_eq!(err.status, Some(status), "{err}");
        let message = err.to_string();
        assert!(
            message.contains(&format!("redirected to {location}")),
            "{message}"
        );
        assert!(!message.contains(CLIENT_SECRET), "{message}");
        handle.stop(true).await;
    }
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "a redirect was followed"
    );
    elsewhere_handle.stop(true).await;
}

#[actix_web::test]
async fn plain_http_is_refused_except_to_loopback() {
    let api = EnvoyApi::connect(
        "http://platform.example.com",
        CLIENT_ID,
        &Secret::new(CLIENT_SECRET),
        fast(),
    );
    let err = api.check().unwrap_err();
    assert!(err.to_string().contains("is not https"), "{err}");
    let err = api.token().await.unwrap_err();
    assert!(err.to_string().contains("is not https"), "{err}");
    for ok in [
        "https://app.envoy.com",
        "http://127.0.0.1:9",
        "http://localhost:9",
        "http://[::1]:9",
    ] {
        let api = EnvoyApi::connect(ok, CLIENT_ID, &Secret::new(CLIENT_SECRET), fast());
        assert!(api.check().is_ok(), "{ok}");
    }
}

/// A platform whose login answers a token that "never" expires, and whose storage answers.
fn platform_with_lifetime(
    expires_in: u64,
    logins: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> (std::net::SocketAddr, actix_web::dev::ServerHandle) {
    envoy_plugin_suite::serve_on_loopback(move || {
        let logins = logins.clone();
        actix_web::App::new()
            .route(
                "/a/auth/v0/token",
                actix_web::web::post().to(move || {
                    logins.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    async move {
                        actix_web::HttpResponse::Ok()
                            .json(json!({"access_token": "t", "expires_in": expires_in}))
                    }
                }),
            )
            .route(
                "/api/v2/plugin-services/storage",
                actix_web::web::post()
                    .to(|| async { actix_web::HttpResponse::Ok().json(json!({"data": [null]})) }),
            )
    })
}

#[actix_web::test]
async fn a_huge_token_lifetime_neither_panics_nor_sticks() {
    let logins = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (addr, handle) = platform_with_lifetime(u64::MAX, logins.clone());
    let api = EnvoyApi::connect(
        &format!("http://{addr}"),
        CLIENT_ID,
        &Secret::new(CLIENT_SECRET),
        fast(),
    );
    for _ in 0..3 {
        let value: Option<u8> = api.global_storage().get("k").await.unwrap();
        assert_eq!(value, None);
    }
    assert_eq!(logins.load(std::sync::atomic::Ordering::SeqCst), 1);
    handle.stop(true).await;
}

/// One API call, boxed so that calls of different shapes fit one list.
type Call<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(), envoy_plugin::api::ApiError>> + 'a>,
>;

#[actix_web::test]
async fn calls_not_safe_to_repeat_are_tried_once() {
    let platform = platform();
    let api = client(&platform, fast());
    api.token().await.unwrap();
    let attachment = || vec![Attachment::text("Badge", "42")];
    let (a, b, c) = (api.job("a"), api.job("b"), api.job("c"));
    let calls: [(&str, Call<'_>); 4] = [
        ("attach", Box::pin(a.attach(attachment()))),
        ("update", Box::pin(b.update("printing", attachment()))),
        (
            "complete with attachments",
            Box::pin(c.complete("done", attachment())),
        ),
        (
            "unset",
            Box::pin(async { api.global_storage().unset::<Value>("gone").await.map(drop) }),
        ),
    ];
    for (call, future) in calls {
        platform.clear_requests();
        platform.fail_next(1, 503);
        let err = future.await.unwrap_err();
        assert_eq!(
            (err.status, platform.requests().len()),
            (Some(503), 1),
            "{call} was repeated"
        );
    }
}

#[actix_web::test]
async fn a_value_that_cannot_be_serialized_is_an_error_and_nothing_is_sent() {
    struct Unserializable;
    impl serde::Serialize for Unserializable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("not today"))
        }
    }
    let platform = platform();
    let api = client(&platform, fast());
    api.token().await.unwrap();
    platform.clear_requests();
    let err = api
        .global_storage()
        .set("key", &Unserializable)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the value for `key` cannot be serialized"),
        "{err}"
    );
    let err = api
        .global_storage()
        .pipeline()
        .get("a")
        .set("b", &Unserializable)
        .run()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("`b`"), "{err}");
    assert!(platform.requests().is_empty(), "something was sent");
}
