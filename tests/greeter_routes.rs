//! The greeter example's setup routes over HTTP: options (search, pages, a bad page, cursor round
//! trip, disabled options), selected values (one and many), validation (save, remove, reject, bad
//! payloads), OAuth2 and pop-up payloads, the pop-up's content, remote value and migration.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::Settings;
use envoy_plugin_suite::{SECRET, fixture, signature};
use greeter::Greeter;
use serde_json::{Value, json};

/// A route body as the platform sends it (from the SDK factory's route fixture), with these params,
/// payload and config.
fn route_body(route: &str, params: Value, payload: Option<Value>, config: Value) -> Vec<u8> {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/route.options.json")).unwrap();
    body["meta"]["route"] = json!(route);
    body["meta"]["params"] = params;
    body["meta"]["config"] = config;
    if let Some(payload) = payload {
        body["payload"] = payload;
    }
    serde_json::to_vec(&body).unwrap()
}

async fn post(path: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let app = test::init_service(
        App::new().configure(envoy_plugin::configure(Greeter, &Settings::new(SECRET))),
    )
    .await;
    let req = test::TestRequest::post()
        .uri(path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, &body)))
        .set_payload(body)
        .to_request();
    let res = test::call_service(&app, req).await;
    let status = res.status();
    (
        status,
        serde_json::from_slice(&test::read_body(res).await).unwrap(),
    )
}

async fn options(path: &str, params: Value) -> (StatusCode, Value) {
    post(
        path,
        route_body("step-0-field-4-options", params, None, json!({})),
    )
    .await
}

fn labels(options: &Value) -> Vec<&str> {
    options
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn options_are_searched_and_paged() {
    let (status, body) = options("/routes/visitor_types", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(labels(&body), ["Visitor", "Contractor", "Interview"]);
    assert_eq!(body[0], json!({"label": "Visitor", "value": "visitor"}));

    let (_, body) = options("/routes/visitor_types", json!({"page": "2"})).await;
    assert_eq!(labels(&body), ["Delivery", "Vendor"]);

    let (_, body) = options(
        "/routes/visitor_types",
        json!({"search": "VEN", "page": "1"}),
    )
    .await;
    assert_eq!(labels(&body), ["Vendor"]);
}

#[actix_web::test]
async fn a_page_that_is_not_a_number_is_400() {
    for page in ["two", "0", "-1", "1.5"] {
        let (status, body) = options("/routes/visitor_types", json!({"page": page})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
        assert_eq!(body["error"]["type"], "INVALID_DATA");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("`meta.params.page`") && message.contains(page),
            "{message}"
        );
    }
}

#[actix_web::test]
async fn options_carry_is_disabled() {
    let (_, body) = options("/routes/languages", json!({})).await;
    assert_eq!(
        body,
        json!([
            {"label": "English", "value": "en"},
            {"label": "Deutsch", "value": "de"},
            {"label": "Klingon", "value": "tlh", "isDisabled": true}
        ])
    );
}

#[actix_web::test]
async fn cursor_pages_round_trip() {
    let (status, first) = options("/routes/flows", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(labels(&first["data"]), ["Visitor", "Employee"]);
    let cursor = first["cursor"]
        .as_str()
        .expect("a cursor to the next page")
        .to_owned();

    let (_, second) = options("/routes/flows", json!({"cursor": cursor})).await;
    assert_eq!(labels(&second["data"]), ["Delivery"]);
    assert!(
        second.get("cursor").is_none(),
        "the last page has no cursor: {second}"
    );

    let (status, body) = options("/routes/flows", json!({"cursor": "nonsense"})).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unknown cursor"))
    );
}

#[actix_web::test]
async fn selected_values_answer_one_option_or_a_list() {
    let (status, body) = options("/routes/visitor_type_values", json!({"value": "vendor"})).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"label": "Vendor", "value": "vendor"})
        )
    );

    let (_, body) = options(
        "/routes/visitor_type_values",
        json!({"value": ["visitor", "vendor"]}),
    )
    .await;
    assert_eq!(labels(&body), ["Visitor", "Vendor"]);

    let (_, body) = options("/routes/visitor_type_values", json!({"value": "gone"})).await;
    assert_eq!(body, Value::Null);

    let (status, body) = options("/routes/visitor_type_values", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], "missing field `meta.params.value`");
}

async fn validate(path: &str, payload: Value) -> (StatusCode, Value) {
    post(
        path,
        route_body("step-0-validation", json!({}), Some(payload), json!({})),
    )
    .await
}

#[actix_web::test]
async fn a_valid_form_is_saved_and_an_old_key_removed() {
    let (status, body) = validate(
        "/routes/check_greeting",
        json!({"greeting": "  Hello  ", "notify_on_sign_out": true, "languages": ["en"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "greeting": "Hello", "notify_on_sign_out": true, "visitor_type": null,
            "languages": ["en"], "locations": [], "badge_colours": {}, "message": null
        })
    );
}

#[actix_web::test]
async fn an_invalid_form_is_rejected_with_a_message_for_the_installer() {
    let (status, body) = validate(
        "/routes/check_greeting",
        json!({"greeting": "x".repeat(61)}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["message"], "Keep the greeting under 60 characters");
}

/// `required` means required: an empty or blank required field, or a missing one, is refused by
/// the framework before the validation handler runs, naming the field.
#[actix_web::test]
async fn an_empty_required_field_is_refused_before_the_handler() {
    for greeting in [json!(""), json!("   "), json!(null)] {
        let (status, body) =
            validate("/routes/check_greeting", json!({"greeting": greeting})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{greeting}: {body}");
        assert_eq!(body["error"]["code"], 400101, "{body}");
        assert_eq!(
            body["message"],
            "Greeting is required (`payload.greeting` is missing or empty)"
        );
    }
    let (status, body) = validate("/routes/check_greeting", json!({"languages": ["en"]})).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!(400101))
    );
}

#[actix_web::test]
async fn a_validation_payload_of_the_wrong_shape_is_400_naming_the_field() {
    let (status, body) = validate("/routes/check_greeting", json!({"greeting": 5})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid value at `payload.greeting`"),
        "{body}"
    );

    let (status, body) = post(
        "/routes/check_greeting",
        route_body("step-0-validation", json!({}), None, json!({})),
    )
    .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!(400100))
    );
}

#[actix_web::test]
async fn oauth2_and_popup_payloads_are_validated() {
    let (status, body) = validate(
        "/routes/check_printer",
        json!({"access_token": "tok-123", "token_type": "bearer", "account": "lobby"}),
    )
    .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"printer_account": "lobby"}))
    );

    let (status, body) = validate("/routes/check_printer", json!({"access_token": ""})).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("The printer service returned no token")
        )
    );

    let (status, body) = validate(
        "/routes/check_kiosk",
        json!({"kiosk_code": "K7Q2ZP", "state": "s"}),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"kiosk": "K7Q2ZP"})));
}

#[actix_web::test]
async fn the_popup_content_sends_the_installer_back_with_state_and_values() {
    let app = test::init_service(
        App::new().configure(envoy_plugin::configure(Greeter, &Settings::new(SECRET))),
    )
    .await;
    let req = test::TestRequest::get()
        .uri("/popup/kiosk_pairing?state=abc%20123&code=K7Q2ZP")
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers().get("location").unwrap(),
        "https://app.envoy.com/platform/popup-callback?state=abc+123&kiosk_code=K7Q2ZP"
    );

    // The state reaches the page as text: a script in it is escaped, and the page's policy
    // refuses scripts anyway.
    let req = test::TestRequest::get()
        .uri("/popup/kiosk_pairing?state=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    let policy = res.headers().get("content-security-policy").unwrap();
    assert!(policy.to_str().unwrap().starts_with("default-src 'none'"));
    let page = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains(r#"value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#),
        "{page}"
    );

    let req = test::TestRequest::get()
        .uri("/popup/kiosk_pairing")
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn remote_value_and_migration() {
    let (status, body) = options("/routes/greeting_count", json!({})).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"value": "install 52906: 0 greetings so far"})
        )
    );

    let (status, body) = post(
        "/routes/migrate_config",
        route_body(
            "migration",
            json!({}),
            None,
            json!({"message": "Hi", "notify_on_sign_out": true}),
        ),
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"greeting": "Hi", "notify_on_sign_out": true})
        )
    );
}

#[actix_web::test]
async fn routes_are_signed_too() {
    let app = test::init_service(
        App::new().configure(envoy_plugin::configure(Greeter, &Settings::new(SECRET))),
    )
    .await;
    let body = route_body("options", json!({}), None, json!({}));
    let req = test::TestRequest::post()
        .uri("/routes/visitor_types")
        .insert_header(("X-Envoy-Signature", signature("wrong secret", &body)))
        .set_payload(body)
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = test::call_service(
        &app,
        test::TestRequest::get()
            .uri("/routes/visitor_types")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[actix_web::test]
async fn the_sdk_factory_route_bodies_are_answered() {
    for (name, path) in [
        ("route.options.json", "/routes/visitor_types"),
        ("route.options-cursor.json", "/routes/flows"),
        ("route.selected-values.json", "/routes/visitor_type_values"),
    ] {
        let (status, body) = post(path, fixture(&format!("sdk-factories/{name}"))).await;
        assert!(
            status == StatusCode::OK || body["message"] == "unknown cursor",
            "{name}: {status} {body}"
        );
    }
}
