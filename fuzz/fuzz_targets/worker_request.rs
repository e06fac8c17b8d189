//! Arbitrary bytes as the body of a request to generated routes, served in-process by actix-web
//! (as `runtime/benches/worker_route.rs` does): an `#[event("entry_sign_in")]` worker, a
//! `#[validate]` route and an `#[options(searchable, paginated)]` route. Each input is sent to each
//! route unsigned, with two wrong signatures and correctly signed (and to the worker of a second app
//! whose body limit is 1 KiB, with a wrong and a right signature), and the answers must hold:
//!
//! - nothing panics (a panic anywhere, even one the framework catches, aborts the run);
//! - unsigned is 401 `AUTHENTICATION` 401000; a wrong signature is 401 401001 (413 when the body is
//!   over the limit and the signature has a tag's shape: a header that cannot be a tag is refused
//!   first); neither reaches a handler;
//! - correctly signed is 2xx or 4xx (not 401 or 415; 413 exactly when over the limit), or 500 only
//!   when the handler itself failed;
//! - every answer is JSON; every 4xx and 5xx carries `message` and `error {message, type, code}`,
//!   its code in the status's range (401001 for 401).
//!
//! The service is built once per process, so an input costs tens of microseconds.

#![no_main]

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::dev::Service;
use actix_web::http::header::HeaderValue;
use actix_web::rt::{System, SystemRunner};
use actix_web::{App, test};
use base64::Engine as _;
use envoy_plugin::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sha2::Sha256;

const SECRET: &str = "fuzz-secret";
/// The body limit of the main app: above the fixtures' sizes, below the run's `-max_len`.
const BODY_LIMIT: usize = 8 * 1024;
/// The body limit of a second app, below most fixtures' sizes, so that the limit is reached on
/// every run however slowly libFuzzer lets inputs grow.
const SMALL_LIMIT: usize = 1024;
const ROUTES: [&str; 3] = [
    "/events/entry_sign_in",
    "/routes/check_api_key",
    "/routes/visitor_types",
];

thread_local! {
    /// Handler runs, and handler failures, so far.
    static RAN: Cell<u64> = const { Cell::new(0) };
    static FAILED: Cell<u64> = const { Cell::new(0) };
    static SERVER: Server = Server::start();
}

fn ran() {
    RAN.with(|n| n.set(n.get() + 1));
}

fn failed() -> PluginError {
    FAILED.with(|n| n.set(n.get() + 1));
    PluginError::msg("asked to fail")
}

#[event("entry_sign_in")]
async fn welcome(job: Job, entry: Entry) -> JobResult {
    ran();
    if entry.full_name == "fail" {
        return Err(failed());
    }
    Ok(Outcome::done(format!(
        "Welcomed {} (job {})",
        entry.full_name,
        job.id()
    )))
}

#[derive(SetupForm, Serialize, Deserialize)]
struct ApiKey {
    #[field(text, label = "API key", required)]
    api_key: String,
}

#[validate(ApiKey)]
async fn check_api_key(form: ApiKey) -> Result<Validation, PluginError> {
    ran();
    match form.api_key.as_str() {
        "fail" => Err(failed()),
        key if key.len() < 2 => Ok(Validation::reject("That API key is too short")),
        _ => Ok(Validation::save(form)),
    }
}

#[options(searchable, paginated)]
async fn visitor_types(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    ran();
    let search = query.search.unwrap_or_default().to_lowercase();
    if search == "fail" {
        return Err(failed());
    }
    Ok(["Visitor", "Contractor", "Interview"]
        .iter()
        .filter(|t| t.to_lowercase().contains(&search))
        .map(|t| SelectOption::new(*t, t.to_lowercase()))
        .collect())
}

plugin! {
    Fuzzed {
        name: "Fuzzed",
        config: ApiKey,
        steps: [ApiKey],
        events: [welcome],
        routes: [check_api_key, visitor_types],
    }
}

type Answer = (u16, Vec<u8>);
type Call = Box<dyn Fn(actix_http::Request) -> Pin<Box<dyn Future<Output = Answer>>>>;

/// The plugin's app with each body limit, built once, on an actix system of their own.
struct Server {
    system: SystemRunner,
    apps: Vec<(usize, Call)>,
}

impl Server {
    fn start() -> Self {
        let system = System::new();
        let apps = [BODY_LIMIT, SMALL_LIMIT]
            .into_iter()
            .map(|limit| (limit, app(&system, limit)))
            .collect();
        Server { system, apps }
    }

    fn call(&self, limit: usize, req: actix_http::Request) -> Answer {
        let (_, call) = self
            .apps
            .iter()
            .find(|(l, _)| *l == limit)
            .expect("an app with this limit");
        self.system.block_on(call(req))
    }
}

/// The plugin's app with this body limit, as a function from request to answer.
fn app(system: &SystemRunner, limit: usize) -> Call {
    let settings = Settings::new(SECRET).with_body_limit(limit);
    let app = system.block_on(test::init_service(
        App::new().configure(envoy_plugin::configure(Fuzzed, &settings)),
    ));
    let app = Rc::new(app);
    Box::new(move |req| {
        let app = Rc::clone(&app);
        Box::pin(async move {
            match app.call(req).await {
                Ok(res) => {
                    let status = res.status().as_u16();
                    (status, test::read_body(res).await.to_vec())
                }
                Err(err) => {
                    let res = err.as_response_error().error_response();
                    let status = res.status().as_u16();
                    let body = actix_web::body::to_bytes(res.into_body()).await;
                    (status, body.map(|b| b.to_vec()).unwrap_or_default())
                }
            }
        })
    })
}

fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// How a request is signed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Signed {
    Not,
    /// With another secret: well-formed, wrong.
    OtherSecret,
    /// The body's first bytes as the header (mostly not Base64).
    Garbage,
    Correctly,
}

fn send(limit: usize, path: &str, body: &[u8], signed: Signed) -> Option<Answer> {
    let mut req = test::TestRequest::post()
        .uri(path)
        .insert_header(("content-type", "application/json"))
        .set_payload(body.to_vec());
    let header = match signed {
        Signed::Not => None,
        Signed::OtherSecret => {
            Some(HeaderValue::from_str(&signature("not-the-secret", body)).ok()?)
        }
        Signed::Garbage => {
            let garbage = HeaderValue::from_bytes(&body[..body.len().min(60)]).ok()?;
            if garbage.as_bytes().trim_ascii() == signature(SECRET, body).as_bytes() {
                return None;
            }
            Some(garbage)
        }
        Signed::Correctly => Some(HeaderValue::from_str(&signature(SECRET, body)).ok()?),
    };
    if let Some(header) = header {
        req = req.insert_header(("X-Envoy-Signature", header));
    }
    let req = req.to_request();
    Some(SERVER.with(|server| server.call(limit, req)))
}

fn counters() -> (u64, u64) {
    (RAN.with(Cell::get), FAILED.with(Cell::get))
}

fn check(limit: usize, path: &str, body: &[u8], signed: Signed) {
    let (ran_before, failed_before) = counters();
    let Some((status, answer)) = send(limit, path, body, signed) else {
        return;
    };
    let (ran_after, failed_after) = counters();
    let what = || {
        format!(
            "{signed:?} to {path} (limit {limit}): {status} {}",
            String::from_utf8_lossy(&answer)
        )
    };
    let answer: Value = serde_json::from_slice(&answer)
        .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {}", what()));
    let over = body.len() > limit;
    match signed {
        Signed::Not => {
            assert_eq!(status, 401, "{}", what());
            assert_eq!(answer["error"]["code"], 401000, "{}", what());
        }
        Signed::OtherSecret | Signed::Garbage => {
            // A header that cannot be a tag (not Base64 of 32 bytes) is refused from the headers,
            // before the length is looked at; a tag of the right shape over the limit is 413.
            if over && (status == 413 || matches!(signed, Signed::OtherSecret)) {
                assert_eq!(status, 413, "{}", what());
            } else {
                assert_eq!(status, 401, "{}", what());
                assert_eq!(answer["error"]["code"], 401001, "{}", what());
            }
        }
        Signed::Correctly => {
            let handler_failed = failed_after > failed_before;
            assert!(
                (200..300).contains(&status)
                    || ((400..500).contains(&status) && !matches!(status, 401 | 415))
                    || (status == 500 && handler_failed),
                "{}",
                what()
            );
            assert_eq!(status == 413, over, "{}", what());
            assert_eq!(status == 500, handler_failed, "{}", what());
        }
    }
    if signed != Signed::Correctly {
        assert_eq!(ran_after, ran_before, "a handler ran for {}", what());
    }
    if status >= 400 {
        let error = &answer["error"];
        let code = error["code"]
            .as_u64()
            .unwrap_or_else(|| panic!("no numeric error.code: {}", what()));
        assert_eq!(code / 1000, u64::from(status), "{}", what());
        assert!(error["type"].is_string(), "no error.type: {}", what());
        assert!(error["message"].is_string(), "no error.message: {}", what());
        assert_eq!(answer["message"], error["message"], "{}", what());
    }
}

fuzz_target!(|body: &[u8]| {
    for path in ROUTES {
        for signed in [
            Signed::Not,
            Signed::OtherSecret,
            Signed::Garbage,
            Signed::Correctly,
        ] {
            check(BODY_LIMIT, path, body, signed);
        }
    }
    check(SMALL_LIMIT, ROUTES[0], body, Signed::OtherSecret);
    check(SMALL_LIMIT, ROUTES[0], body, Signed::Correctly);
});
