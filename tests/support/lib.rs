//! Support for the framework's own integration tests and benchmarks.
//!
//! Signatures here are computed with the `hmac` crate directly, never with the framework's signing
//! code, so a test of the signature guard cannot pass because both sides share a bug.

use std::path::PathBuf;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The client secret the test plugins are served with.
pub const SECRET: &str = "test-client-secret";

/// Base64(HMAC-SHA256(secret, body)), as the platform signs a request.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A POST of the JSON `body` to `uri`, signed with [`SECRET`] as the platform signs it.
pub fn signed_post(uri: &str, body: Vec<u8>) -> TestRequest {
    TestRequest::post()
        .uri(uri)
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, &body)))
        .set_payload(body)
}

/// The folder of the test fixtures.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture's raw bytes, by its path below `tests/fixtures`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The greeter's directory (`examples/greeter-directory.json`): the installer's company that the
/// user-API tests seed the stand-in with.
pub fn greeter_directory() -> serde_json::Value {
    serde_json::from_str(include_str!("../../examples/greeter-directory.json"))
        .expect("the greeter's directory is JSON")
}

/// A stand-in platform accepting these credentials, its user API seeded with the greeter's
/// directory.
pub fn seeded_stand_in(client_id: &str, client_secret: &str) -> envoy_plugin::stand_in::StandIn {
    let platform = envoy_plugin::stand_in::StandIn::start(client_id, client_secret)
        .expect("the stand-in starts");
    platform
        .seed_directory(&greeter_directory())
        .expect("the greeter's directory seeds the stand-in");
    platform
}

/// Every body made by the reference SDK's factories, as (file name, bytes), sorted by name.
pub fn sdk_factory_bodies() -> Vec<(String, Vec<u8>)> {
    let dir = fixtures_dir().join("sdk-factories");
    let mut bodies: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable fixture dir").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("readable fixture"))
        })
        .collect();
    bodies.sort();
    bodies
}

/// Sends `req` to an in-process app and answers its status and JSON body.
///
/// # Panics
/// When the body is not JSON: every answer of the framework is.
pub async fn call_json(
    app: &impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error>,
    req: TestRequest,
) -> (StatusCode, serde_json::Value) {
    let res = test::call_service(app, req.to_request()).await;
    let status = res.status();
    let bytes = test::read_body(res).await;
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("non-JSON body: {}", String::from_utf8_lossy(&bytes)));
    (status, json)
}

/// Serves `app` with one worker on a free loopback port, in a task of the current runtime, for the
/// tests that need a real socket (a stalled or chunked body). Stop it with the returned handle.
///
/// # Panics
/// When no loopback port can be bound.
pub fn serve_on_loopback<F, I, S, B>(app: F) -> (std::net::SocketAddr, actix_web::dev::ServerHandle)
where
    F: Fn() -> I + Send + Clone + 'static,
    I: actix_service::IntoServiceFactory<S, actix_http::Request>,
    S: actix_web::dev::ServiceFactory<actix_http::Request, Config = actix_web::dev::AppConfig>
        + 'static,
    S::Error: Into<actix_web::Error>,
    S::InitError: std::fmt::Debug,
    S::Response: Into<actix_http::Response<B>>,
    B: actix_web::body::MessageBody + 'static,
{
    let server = actix_web::HttpServer::new(app)
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("a loopback port");
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (addr, handle)
}

/// The environment variable that turns a missing system package into a test failure. `.ci/run` sets
/// it, so CI always runs the tests that need one; on a bare machine those tests skip instead.
pub const REQUIRE_SYSTEM_DEPS: &str = "ENVOY_PLUGIN_REQUIRE_SYSTEM_DEPS";

/// Whether the program `program` (a system package's binary, such as `redis-server` or `chromium`)
/// is on the `PATH`. When it is not, a test that needs it skips with a loud line that says what to
/// install (`install` is the command), unless [`REQUIRE_SYSTEM_DEPS`] is set, when it fails.
///
/// ```ignore
/// if !envoy_plugin_suite::system_program("redis-server", "apt-get install redis-server") {
///     return; // skipped, and said so on stderr
/// }
/// ```
///
/// # Panics
/// When the program is missing and [`REQUIRE_SYSTEM_DEPS`] is set.
pub fn system_program(program: &str, install: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()));
    if found {
        return true;
    }
    let required = std::env::var_os(REQUIRE_SYSTEM_DEPS).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "`{program}` is not installed and {REQUIRE_SYSTEM_DEPS} is set: install it with `{install}`"
    );
    // Written to the process's stderr directly, not through `eprintln!`, which the test harness
    // captures and hides for a test that passes: a skip must be seen.
    let line = format!(
        "\n==== SKIPPED: `{program}` is not installed, so this test did not run. \
         Install it with `{install}` to run it (.ci/run does, and sets {REQUIRE_SYSTEM_DEPS}=1 \
         so that it cannot skip there). ====\n"
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    false
}

/// A loopback port nobody listens on (bound, then released).
///
/// # Panics
/// When no loopback port can be bound.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until something listens on loopback `port`.
///
/// # Panics
/// When nothing does within 20 s; the message names `what` was to listen there.
pub fn wait_for_port(port: u16, what: &str) {
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{what} did not listen on port {port}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// An example's binary (e.g. `greeter`), built by `cargo test` next to the test binaries.
///
/// # Panics
/// When it is not there.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let target = exe
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/<profile>/deps");
    let path = target
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test` builds the examples",
        path.display()
    );
    path
}
