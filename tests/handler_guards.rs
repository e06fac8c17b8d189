//! Every kind of handler runs inside the same guards, pop-up pages included: a panic is a
//! structured 500 and the server keeps serving; a wrong method is a structured 405. Pop-up content
//! and callbacks are actix-web services like every other handler (`App::service`).

use std::io::{Read, Write};
use std::net::TcpStream;

use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, test};
use envoy_plugin::prelude::*;
use envoy_plugin_suite::serve_on_loopback;
use serde_json::Value;

#[derive(PopupStep, Deserialize)]
#[popup(title = "Pick a printer", content = printer_page)]
struct Printer {
    /// What the pop-up passes back (not validated in these tests).
    #[allow(dead_code)]
    printer_id: String,
}

/// Panics when asked to, else sends the installer back.
#[popup_content(Printer)]
async fn printer_page(request: PopupRequest) -> HttpResponse {
    if request.query.contains_key("explode") {
        panic!("the printer list is gone");
    }
    request.complete("https://app.envoy.com/callback", &[("printer_id", "P-1")])
}

#[callback]
async fn printed(job: JobApi) -> Result<(), PluginError> {
    let _ = job;
    Ok(())
}

/// A raw HTTP/1.1 GET over a new connection: the status line and the body.
fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (
        head.lines().next().unwrap_or("").to_owned(),
        body.to_owned(),
    )
}

#[actix_web::test]
async fn a_panicking_popup_page_is_a_structured_500_and_the_server_keeps_serving() {
    let (addr, handle) = serve_on_loopback(|| App::new().service(printer_page));
    let (panicked, ok) = actix_web::rt::task::spawn_blocking(move || {
        (
            get(addr, "/popup/printer_page?state=s&explode=1"),
            get(addr, "/popup/printer_page?state=s"),
        )
    })
    .await
    .unwrap();
    handle.stop(true).await;

    assert!(panicked.0.contains("500"), "{panicked:?}");
    // Chunked or not, the JSON error is in the body and names the handler, never the panic text.
    assert!(
        panicked.1.contains("`printer_page` panicked"),
        "{panicked:?}"
    );
    assert!(
        !panicked.1.contains("the printer list is gone"),
        "{panicked:?}"
    );
    assert!(ok.0.contains("302"), "{ok:?}");
}

#[actix_web::test]
async fn a_popup_page_answers_405_to_another_method() {
    let app = test::init_service(App::new().service(printer_page)).await;
    let res = test::call_service(
        &app,
        test::TestRequest::post()
            .uri("/popup/printer_page?state=s")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = test::read_body_json(res).await;
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains("GET")),
        "{body}"
    );
}

#[actix_web::test]
async fn a_callback_is_a_service_that_refuses_a_call_without_a_handle() {
    let app = test::init_service(App::new().service(printed)).await;
    let res = test::call_service(
        &app,
        test::TestRequest::put()
            .uri("/callbacks/printed")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let res = test::call_service(
        &app,
        test::TestRequest::post()
            .uri("/callbacks/printed")
            .to_request(),
    )
    .await;
    // No plugin context here: the callback cannot check a handle, and says so as a structured error.
    assert!(res.status().is_server_error() || res.status() == StatusCode::UNAUTHORIZED);
    let body: Value = test::read_body_json(res).await;
    assert!(body["message"].is_string(), "{body}");
}
