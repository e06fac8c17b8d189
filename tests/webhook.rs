//! `#[webhook]` over HTTP: every row of epilot's error table produced by the framework in the
//! situation it describes, with the caller's request id echoed, and the handler's own answers.
//!
//! Signatures are computed here with `hmac`/`sha2` directly, never with the framework's code.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Mutex, Once};
use std::time::Duration;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpResponse, test, web};
use base64::Engine as _;
use envoy_plugin::prelude::*;
use envoy_plugin::{Drain, drain_requests, webhook};
use envoy_plugin_suite::{call_json, serve_on_loopback};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::{Sha256, Sha512};

const HEX_SECRET: &str = "hex-webhook-secret";
const B64_SECRET: &str = "base64-webhook-secret";
const TOKEN: &str = "the-bearer-token";

/// The webhooks' secrets, set once before any app reads them (each test calls this first, so no
/// thread reads the environment while it is written).
fn secrets() {
    static SET: Once = Once::new();
    SET.call_once(|| {
        // SAFETY: every test of this binary calls `secrets()` before anything else, and `Once`
        // holds them all until the variables are set: nothing reads the environment meanwhile.
        unsafe {
            std::env::set_var("WEBHOOK_TEST_HEX_SECRET", HEX_SECRET);
            std::env::set_var("WEBHOOK_TEST_B64_SECRET", B64_SECRET);
            std::env::set_var("WEBHOOK_TEST_TOKEN", TOKEN);
        }
    });
}

/// Hex(HMAC-SHA256(secret, body)).
fn hex_sha256(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Base64(HMAC-SHA512(secret, body)).
fn base64_sha512(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The order ids `order_created` has run for, so a test can prove a refused request never reached
/// it (tests run in parallel: each uses ids of its own).
static RAN: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn ran(order_id: &str) -> bool {
    RAN.lock().unwrap().iter().any(|id| id == order_id)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Order {
    order_id: String,
    state: u8,
}

#[derive(Serialize)]
struct Received {
    received: String,
    state: u8,
}

/// epilot-style: hex HMAC-SHA256 in `X-Epilot-Signature`; the order id picks the outcome.
#[webhook(
    path = "/hooks/orders",
    auth = hmac(header = "X-Epilot-Signature", algorithm = "sha256", encoding = "hex", secret_env = "WEBHOOK_TEST_HEX_SECRET"),
    budget = "300ms",
)]
async fn order_created(order: Order) -> Result<Received, PluginError> {
    RAN.lock().unwrap().push(order.order_id.clone());
    match order.order_id.as_str() {
        "forbidden" => Err(PluginError::new(
            ErrorKind::Forbidden,
            "this opportunity is closed",
        )),
        "bad-state" => Err(PluginError::new(
            ErrorKind::InvalidData,
            "property 'state' only accepts 1, 2 or 3",
        )),
        "fail" => Err(PluginError::msg("the CRM is down")),
        "io" => Err(std::io::Error::other("disk full").into()),
        "panic" => panic!("the handler panicked on purpose"),
        "slow" => {
            actix_web::rt::time::sleep(Duration::from_secs(5)).await;
            unreachable!("answered 504 before")
        }
        _ => Ok(Received {
            received: order.order_id,
            state: order.state,
        }),
    }
}

/// GitHub-style: `sha512=` + Base64(HMAC-SHA512) in `X-Hub-Signature`; answers 204.
#[webhook(
    auth = hmac(header = "X-Hub-Signature", algorithm = "sha512", encoding = "base64", prefix = "sha512=", secret_env = "WEBHOOK_TEST_B64_SECRET"),
)]
async fn pushed(_event: Value) -> Result<(), PluginError> {
    Ok(())
}

/// A bearer token; the request id is read from another header; answers its own response.
#[webhook(auth = bearer(env = "WEBHOOK_TEST_TOKEN"), request_id_header = "X-Correlation-Id")]
async fn with_token(req: HttpRequest, payload: Value) -> Result<HttpResponse, PluginError> {
    let agent = req
        .headers()
        .get("User-Agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none")
        .to_owned();
    Ok(HttpResponse::Created().json(json!({"echo": payload, "agent": agent})))
}

/// Only for callers on the 10.0.0.0/8 network or the loopback address.
#[webhook(auth = none, allow_from = ["10.0.0.0/8", "127.0.0.1"])]
async fn internal(_payload: Value) -> Result<Value, PluginError> {
    Ok(json!({"ok": true}))
}

/// Its key is in a variable nobody sets.
#[webhook(auth = hmac(header = "X-Signature", secret_env = "WEBHOOK_TEST_NEVER_SET"))]
async fn unconfigured(_payload: Value) -> Result<(), PluginError> {
    Ok(())
}

/// The gates of `held`: it signals the first when it has begun and waits for the second.
fn held_gates() -> &'static (tokio::sync::Notify, tokio::sync::Notify) {
    static GATES: std::sync::OnceLock<(tokio::sync::Notify, tokio::sync::Notify)> =
        std::sync::OnceLock::new();
    GATES.get_or_init(Default::default)
}

/// Held in its handler until the test lets it go.
#[webhook(path = "/hooks/held", auth = none)]
async fn held(_payload: Value) -> Result<(), PluginError> {
    let (entered, release) = held_gates();
    entered.notify_one();
    release.notified().await;
    Ok(())
}

/// Waits little for its body.
#[webhook(path = "/hooks/slow-body", auth = none, read_timeout = "300ms")]
async fn slow_body(_payload: Value) -> Result<(), PluginError> {
    Ok(())
}

plugin! {
    Hooks { name: "Hooks", webhooks: [order_created, pushed] }
}

async fn app()
-> impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error> {
    secrets();
    // No Envoy client secret anywhere: webhooks need none.
    test::init_service(
        App::new()
            .service(order_created)
            .service(pushed)
            .service(with_token)
            .service(internal)
            .service(unconfigured),
    )
    .await
}

/// A signed request to `order_created`.
fn order(body: &[u8]) -> test::TestRequest {
    test::TestRequest::post()
        .uri("/hooks/orders")
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("X-Epilot-Signature", hex_sha256(HEX_SECRET, body)))
        .insert_header(("X-Request-Id", "req-42"))
        .set_payload(body.to_vec())
}

/// A row of epilot's table: status, `error.type`, `error.code`.
type Row = (u16, &'static str, u64);

/// Checks a failure's status, `error.type`, `error.code`, and that `request_id` is `request_id`.
fn assert_row((status, body): &(StatusCode, Value), expected: Row, request_id: Option<&str>) {
    assert_eq!(status.as_u16(), expected.0, "{body}");
    assert_eq!(body["error"]["type"], expected.1, "{body}");
    assert_eq!(body["error"]["code"], expected.2, "{body}");
    assert_eq!(body["error"]["request_id"].as_str(), request_id, "{body}");
    assert_eq!(body["message"], body["error"]["message"], "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[actix_web::test]
async fn a_good_request_runs_the_handler_and_answers_its_json() {
    let app = app().await;
    let (status, body) = call_json(&app, order(br#"{"order_id":"o-1","state":2}"#)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"received": "o-1", "state": 2}));
}

#[actix_web::test]
async fn bodies_that_cannot_be_the_payload_are_the_400_rows() {
    let app = app().await;
    let cases: [(&[u8], Row); 6] = [
        (b"{\"order_id\":", (400, "MALFORMED_JSON", 400000)),
        (b"", (400, "MISSING_DATA", 400100)),
        (b"null", (400, "MISSING_DATA", 400100)),
        (b"{\"state\":1}", (400, "MISSING_DATA", 400101)),
        (
            b"{\"order_id\":\"bad-400\",\"state\":\"two\"}",
            (400, "INVALID_DATA", 400200),
        ),
        (
            b"{\"order_id\":\"bad-400\",\"state\":1,\"street\":\"x\"}",
            (400, "INVALID_DATA", 400201),
        ),
    ];
    for (body, expected) in cases {
        let answer = call_json(&app, order(body)).await;
        assert_row(&answer, expected, Some("req-42"));
    }
    let (_, missing) = call_json(&app, order(b"{\"state\":1}")).await;
    assert_eq!(missing["error"]["message"], "missing field `order_id`");
    let (_, unknown) = call_json(
        &app,
        order(b"{\"order_id\":\"o\",\"state\":1,\"street\":\"x\"}"),
    )
    .await;
    assert_eq!(unknown["error"]["message"], "unknown property `street`");
    assert!(!ran("bad-400"));
}

#[actix_web::test]
async fn without_a_request_id_header_the_body_has_no_request_id() {
    let app = app().await;
    let body = b"{\"order_id\":";
    let req = test::TestRequest::post()
        .uri("/hooks/orders")
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("X-Epilot-Signature", hex_sha256(HEX_SECRET, body)))
        .set_payload(&body[..]);
    let answer = call_json(&app, req).await;
    assert_row(&answer, (400, "MALFORMED_JSON", 400000), None);
    assert!(
        answer.1["error"].get("request_id").is_none(),
        "{}",
        answer.1
    );
}

#[actix_web::test]
async fn hex_hmac_missing_or_wrong_is_401() {
    let app = app().await;
    let body = br#"{"order_id":"unsigned-401","state":1}"#;
    let unsigned = test::TestRequest::post()
        .uri("/hooks/orders")
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("X-Request-Id", "r-1"))
        .set_payload(&body[..]);
    assert_row(
        &call_json(&app, unsigned).await,
        (401, "AUTHENTICATION", 401000),
        Some("r-1"),
    );
    for signature in [
        hex_sha256("another secret", body),
        hex_sha256(HEX_SECRET, b"another body"),
        "not hex at all".to_owned(),
        base64_sha512(HEX_SECRET, body),
    ] {
        let req = order(body).insert_header(("X-Epilot-Signature", signature));
        assert_row(
            &call_json(&app, req).await,
            (401, "AUTHENTICATION", 401001),
            Some("req-42"),
        );
    }
    assert!(!ran("unsigned-401"), "the handler ran");
    // Upper-case hex is the same signature.
    let upper = hex_sha256(HEX_SECRET, body).to_uppercase();
    let (status, _) = call_json(
        &app,
        order(body).insert_header(("X-Epilot-Signature", upper)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn base64_hmac_with_a_prefix() {
    let app = app().await;
    let body = br#"{"ref":"refs/heads/main"}"#;
    let push = |signature: String| {
        test::TestRequest::post()
            .uri("/webhooks/pushed")
            .insert_header(("Content-Type", "application/json"))
            .insert_header(("X-Hub-Signature", signature))
            .set_payload(&body[..])
    };
    let good = format!("sha512={}", base64_sha512(B64_SECRET, body));
    let res = test::call_service(&app, push(good).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for bad in [
        base64_sha512(B64_SECRET, body),                       // no prefix
        format!("sha256={}", base64_sha512(B64_SECRET, body)), // another prefix
        format!("sha512={}", base64_sha512("other", body)),
        format!("sha512={}", hex_sha256(B64_SECRET, body)),
    ] {
        assert_row(
            &call_json(&app, push(bad)).await,
            (401, "AUTHENTICATION", 401001),
            None,
        );
    }
}

#[actix_web::test]
async fn bearer_token_ok_missing_and_wrong() {
    let app = app().await;
    let call = |authorization: Option<&str>| {
        let mut req = test::TestRequest::post()
            .uri("/webhooks/with_token")
            .insert_header(("Content-Type", "application/json"))
            .insert_header(("User-Agent", "epilot"))
            .insert_header(("X-Correlation-Id", "corr-7"))
            .set_payload(r#"{"a":1}"#);
        if let Some(value) = authorization {
            req = req.insert_header(("Authorization", value.to_owned()));
        }
        req
    };
    let (status, body) = call_json(&app, call(Some(&format!("Bearer {TOKEN}")))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, json!({"echo": {"a": 1}, "agent": "epilot"}));
    assert_row(
        &call_json(&app, call(None)).await,
        (401, "AUTHENTICATION", 401000),
        Some("corr-7"),
    );
    for wrong in [
        "Bearer not-the-token".to_owned(),
        format!("Bearer {TOKEN}x"),
        format!("Basic {TOKEN}"),
        TOKEN.to_owned(),
    ] {
        assert_row(
            &call_json(&app, call(Some(&wrong))).await,
            (401, "AUTHENTICATION", 401001),
            Some("corr-7"),
        );
    }
}

#[actix_web::test]
async fn a_peer_outside_allow_from_is_403() {
    let app = app().await;
    let call = |peer: Option<&str>| {
        let mut req = test::TestRequest::post()
            .uri("/webhooks/internal")
            .insert_header(("Content-Type", "application/json"))
            .insert_header(("X-Request-Id", "peer-1"))
            .set_payload("{}");
        if let Some(peer) = peer {
            req = req.peer_addr(peer.parse().unwrap());
        }
        req
    };
    for allowed in ["10.20.30.40:5000", "127.0.0.1:5000"] {
        let (status, body) = call_json(&app, call(Some(allowed))).await;
        assert_eq!(status, StatusCode::OK, "{allowed}: {body}");
    }
    for refused in [Some("192.168.1.1:5000"), Some("127.0.0.2:1"), None] {
        assert_row(
            &call_json(&app, call(refused)).await,
            (403, "AUTHORIZATION", 403000),
            Some("peer-1"),
        );
    }
}

#[actix_web::test]
async fn wrong_method_wrong_media_type_and_too_large() {
    let app = app().await;
    let get = test::TestRequest::get()
        .uri("/hooks/orders")
        .insert_header(("X-Request-Id", "m-1"));
    assert_row(
        &call_json(&app, get).await,
        (405, "METHOD_NOT_ALLOWED", 405000),
        Some("m-1"),
    );
    let body = b"order_id=o-1&state=1";
    let form = order(body).insert_header(("Content-Type", "application/x-www-form-urlencoded"));
    assert_row(
        &call_json(&app, form).await,
        (415, "MEDIA_TYPE_UNSUPPORTED", 415000),
        Some("req-42"),
    );
    let mut untyped = order(br#"{"order_id":"o","state":1}"#).to_request();
    untyped.headers_mut().remove("Content-Type");
    let res = test::call_service(&app, untyped).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = format!(
        r#"{{"order_id":"{}","state":1}}"#,
        "x".repeat(envoy_plugin::DEFAULT_BODY_LIMIT)
    );
    assert_row(
        &call_json(&app, order(big.as_bytes())).await,
        (413, "REQUEST_TOO_LARGE", 413000),
        Some("req-42"),
    );
}

#[actix_web::test]
async fn the_handler_answers_any_row_and_a_panic_or_a_slow_handler_is_5xx() {
    let app = app().await;
    let cases = [
        ("forbidden", (403, "AUTHORIZATION", 403000)),
        ("bad-state", (400, "INVALID_DATA", 400200)),
        ("fail", (500, "WEBHOOK_ERROR", 500000)),
        ("io", (500, "WEBHOOK_ERROR", 500000)),
        ("panic", (500, "WEBHOOK_ERROR", 500000)),
        ("slow", (504, "WEBHOOK_TIMEOUT", 504000)),
    ];
    for (id, expected) in cases {
        let body = format!(r#"{{"order_id":"{id}","state":1}}"#);
        let answer = call_json(&app, order(body.as_bytes())).await;
        assert_row(&answer, expected, Some("req-42"));
    }
    let (_, forbidden) = call_json(&app, order(br#"{"order_id":"forbidden","state":1}"#)).await;
    assert_eq!(forbidden["error"]["message"], "this opportunity is closed");
    // The server keeps serving after the panic.
    let (status, _) = call_json(&app, order(br#"{"order_id":"after","state":3}"#)).await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn an_unset_secret_is_503_naming_the_variable() {
    let app = app().await;
    let req = test::TestRequest::post()
        .uri("/webhooks/unconfigured")
        .insert_header(("Content-Type", "application/json"))
        .insert_header(("X-Signature", "00"))
        .insert_header(("X-Request-Id", "cfg-1"))
        .set_payload("{}");
    let answer = call_json(&app, req).await;
    assert_row(&answer, (503, "WEBHOOK_UNAVAILABLE", 503000), Some("cfg-1"));
    let message = answer.1["error"]["message"].as_str().unwrap();
    assert!(message.contains("WEBHOOK_TEST_NEVER_SET"), "{message}");
}

#[actix_web::test]
async fn a_draining_server_answers_503_with_the_request_id() {
    secrets();
    let drain = Drain::new();
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(drain.clone()))
            .wrap(from_fn(drain_requests))
            .service(order_created),
    )
    .await;
    // The middleware changes the body type, which `call_json` does not take.
    let call = async |req: test::TestRequest| {
        let res = test::call_service(&app, req.to_request()).await;
        let status = res.status();
        let body: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
        (status, body)
    };
    let (status, _) = call(order(br#"{"order_id":"before-drain","state":1}"#)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ran("before-drain"));
    drain.begin();
    assert_row(
        &call(order(br#"{"order_id":"while-draining","state":1}"#)).await,
        (503, "WEBHOOK_UNAVAILABLE", 503000),
        Some("req-42"),
    );
    assert!(!ran("while-draining"), "the handler ran");
}

#[actix_web::test]
async fn a_request_let_in_before_the_drain_began_is_served_to_the_end() {
    secrets();
    let drain = Drain::new();
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(drain.clone()))
            .wrap(from_fn(drain_requests))
            .service(held),
    )
    .await;
    let call = async |payload: &'static str| {
        let req = test::TestRequest::post()
            .uri("/hooks/held")
            .insert_header(("Content-Type", "application/json"))
            .set_payload(payload)
            .to_request();
        test::call_service(&app, req).await.status()
    };
    let (entered, release) = held_gates();
    let first = call(r#"{"n":1}"#);
    // Once the first request is in its handler: the drain begins, a second request is refused,
    // and only then may the first one finish.
    let meanwhile = async {
        entered.notified().await;
        drain.begin();
        let second = call(r#"{"n":2}"#).await;
        release.notify_one();
        second
    };
    let (first, second) = tokio::join!(first, meanwhile);
    assert_eq!(second, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        first,
        StatusCode::NO_CONTENT,
        "the request let in was not served"
    );
    assert_eq!(drain.in_flight(), 0);
}

#[actix_web::test]
async fn webhooks_listed_in_plugin_are_served_by_configure() {
    secrets();
    assert_eq!(
        Hooks::webhooks()
            .iter()
            .map(|w| (w.name, w.path))
            .collect::<Vec<_>>(),
        [
            ("order_created", "/hooks/orders"),
            ("pushed", "/webhooks/pushed")
        ]
    );
    let app = test::init_service(
        App::new().configure(envoy_plugin::configure(Hooks, &Settings::new("unused"))),
    )
    .await;
    let (status, body) = call_json(&app, order(br#"{"order_id":"p-1","state":1}"#)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["received"], "p-1");
}

/// A caller that sends its headers and part of the body, then stalls, is answered 408 once the
/// read timeout has passed (over a real socket: the in-process test server never stalls).
#[actix_web::test]
async fn a_stalled_body_is_408() {
    let (addr, handle) = serve_on_loopback(|| App::new().service(slow_body));

    let (response, waited) = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let head = format!(
            "POST /hooks/slow-body HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: 100\r\nX-Request-Id: stall-1\r\n\r\n{{\"partial\":"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let started = std::time::Instant::now();
        (read_response(&mut stream), started.elapsed())
    })
    .await
    .unwrap();
    handle.stop(true).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    let body: Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_row(
        &(StatusCode::REQUEST_TIMEOUT, body),
        (408, "REQUEST_TIMEOUT", 408000),
        Some("stall-1"),
    );
}

/// Reads one HTTP/1.1 response with a `Content-Length` (the connection may stay open).
fn read_response(stream: &mut TcpStream) -> String {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&buffer).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return text;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&buffer).into_owned(),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

#[actix_web::test]
async fn the_attribute_declares_what_it_was_given() {
    use envoy_plugin::Endpoint;
    use envoy_plugin::webhook::{HmacAlgorithm, HmacAuth, SignatureEncoding, WebhookAuth};
    assert_eq!(
        <pushed as Endpoint>::SETTINGS.auth,
        WebhookAuth::Hmac(HmacAuth {
            header: "X-Hub-Signature",
            algorithm: HmacAlgorithm::Sha512,
            encoding: SignatureEncoding::Base64,
            prefix: "sha512=",
            secret_env: "WEBHOOK_TEST_B64_SECRET",
        })
    );
    assert_eq!(
        <slow_body as Endpoint>::SETTINGS.read_timeout,
        Duration::from_millis(300)
    );
    assert_eq!(
        <order_created as Endpoint>::BUDGET,
        Some(Duration::from_millis(300))
    );
    assert_eq!(
        <order_created as Endpoint>::SETTINGS.read_timeout,
        envoy_plugin::DEFAULT_READ_TIMEOUT
    );
    assert_eq!(
        <with_token as Endpoint>::SETTINGS.request_id_header,
        "X-Correlation-Id"
    );
    assert_eq!(
        <internal as Endpoint>::SETTINGS.allow_from,
        ["10.0.0.0/8", "127.0.0.1"]
    );
    assert_eq!(
        <order_created as Endpoint>::SETTINGS.request_id_header,
        webhook::REQUEST_ID_HEADER
    );
    assert_eq!(webhook::REQUEST_ID_HEADER, "X-Request-Id");
}
