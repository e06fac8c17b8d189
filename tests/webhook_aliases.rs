//! `#[webhook]` decides what an argument is and how the answer is written from the types, not from
//! how they are spelt: a type alias or a re-export of the request, the payload, the result or the
//! answer behaves exactly like the original.

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::prelude::*;
use serde_json::{Value, json};

/// The request and the response under other names, as another crate might re-export them.
mod reexported {
    pub use actix_web::HttpRequest as Request;
    pub use actix_web::HttpResponse as Response;
}

/// `Result` under another name.
type Answer<T> = Result<T, PluginError>;
/// `()` under another name: still 204.
type Nothing = ();

#[derive(Debug, Deserialize)]
struct Order {
    order_id: String,
}

/// The payload under another name.
type Incoming = Order;

/// Request (re-exported) and payload (aliased), answered `()` through an alias: 204.
#[webhook(auth = none, path = "/aliases/empty")]
async fn empty(request: reexported::Request, order: Incoming) -> Answer<Nothing> {
    assert_eq!(request.path(), "/aliases/empty");
    assert_eq!(order.order_id, "o-1");
    Ok(())
}

/// A re-exported `HttpResponse` is answered as it is.
#[webhook(auth = none, path = "/aliases/response")]
async fn response(order: Incoming) -> Answer<reexported::Response> {
    Ok(reexported::Response::Created().json(json!({ "created": order.order_id })))
}

/// Only the request (re-exported): no payload is decoded; `T: Serialize` is 200 JSON.
#[webhook(auth = none, path = "/aliases/json")]
async fn json_only(request: reexported::Request) -> Answer<Value> {
    Ok(json!({ "path": request.path() }))
}

/// Two payload arguments: each is decoded from the whole body.
#[webhook(auth = none, path = "/aliases/two")]
async fn two(order: Order, raw: Value) -> Answer<Value> {
    Ok(json!({ "order": order.order_id, "raw": raw }))
}

fn post(path: &str, body: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri(path)
        .insert_header(("Content-Type", "application/json"))
        .set_payload(body.to_owned())
}

#[actix_web::test]
async fn aliases_and_reexports_behave_like_the_original_types() {
    let app = test::init_service(
        App::new()
            .service(empty)
            .service(response)
            .service(json_only)
            .service(two),
    )
    .await;
    let body = r#"{"order_id":"o-1"}"#;

    let res = test::call_service(&app, post("/aliases/empty", body).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let res = test::call_service(&app, post("/aliases/response", body).to_request()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let answer: Value = test::read_body_json(res).await;
    assert_eq!(answer, json!({ "created": "o-1" }));

    let res = test::call_service(&app, post("/aliases/json", "{}").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let answer: Value = test::read_body_json(res).await;
    assert_eq!(answer, json!({ "path": "/aliases/json" }));

    let res = test::call_service(&app, post("/aliases/two", body).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let answer: Value = test::read_body_json(res).await;
    assert_eq!(
        answer,
        json!({ "order": "o-1", "raw": { "order_id": "o-1" } })
    );
}

#[actix_web::test]
async fn an_aliased_payload_that_does_not_decode_is_the_400_row() {
    let app = test::init_service(App::new().service(empty)).await;
    let res = test::call_service(&app, post("/aliases/empty", r#"{"id":1}"#).to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let answer: Value = test::read_body_json(res).await;
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("order_id")),
        "{answer}"
    );
}
