//! The preview's routes: the page, its assets, the JSON endpoints its script calls, and the
//! windows of the OAuth2 and pop-up steps.

use std::sync::Arc;

use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::session::Session;
use super::{PATH, assets, events, oauth2, page, popup, steps};

type Shared = web::Data<Arc<Session>>;

pub(crate) fn configure(session: Arc<Session>) -> impl FnOnce(&mut ServiceConfig) {
    move |config| {
        config
            .app_data(web::Data::new(session))
            .app_data(web::JsonConfig::default().limit(4 * 1024 * 1024))
            .route("/", web::get().to(to_page))
            .service(
                web::scope(PATH)
                    .route("", web::get().to(show_page))
                    .route("/", web::get().to(show_page))
                    .route("/assets/{name}", web::get().to(asset))
                    .route("/api/options", web::post().to(options))
                    .route("/api/selected", web::post().to(selected))
                    .route("/api/steps/{index}", web::post().to(save_step))
                    .route("/api/install", web::get().to(install))
                    .route("/api/remote-values", web::get().to(remote_values))
                    .route("/api/events/{event}/payload", web::get().to(payload))
                    .route("/api/events/{event}", web::post().to(fire))
                    .route("/oauth2/{index}/authorize", web::get().to(authorize))
                    .route("/oauth2/{index}/callback", web::post().to(oauth2_callback))
                    .route("/popup/{index}", web::get().to(open_popup))
                    .route("/popup/{index}/content", web::get().to(popup_content)),
            );
    }
}

/// A JSON error the page shows: `{"error": message}` with `status`.
fn problem(status: u16, message: impl Into<String>) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .json(json!({ "error": message.into() }))
}

async fn to_page() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", PATH))
        .finish()
}

async fn show_page(session: Shared) -> HttpResponse {
    let config = session.config().await;
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(page::render(&session, &config).into_string())
}

async fn asset(name: web::Path<String>) -> HttpResponse {
    assets::serve(&name)
}

/// A request for options: the options route's path and the params the platform would send
/// (`search`, `page`, `cursor`, `parent_resource_id`).
#[derive(Debug, Deserialize)]
struct OptionsRequest {
    path: String,
    #[serde(default)]
    params: Map<String, Value>,
}

/// The options of a route, with the cursor of the next page when it has one.
async fn options(session: Shared, request: web::Json<OptionsRequest>) -> HttpResponse {
    if !session.is_route(&request.path, &["options"]) {
        return problem(
            404,
            format!("{} is not an options route of the plugin", request.path),
        );
    }
    // The platform sends params as strings.
    let params: Map<String, Value> = request
        .params
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), Value::String(text))
        })
        .collect();
    match session.call_route(&request.path, &params, None).await {
        Ok(answer) if (200..300).contains(&answer.status) => {
            let (options, cursor) = match answer.body {
                Value::Array(items) => (items, None),
                Value::Object(mut page) => (
                    match page.remove("data") {
                        Some(Value::Array(items)) => items,
                        _ => Vec::new(),
                    },
                    page.remove("cursor").filter(|c| !c.is_null()),
                ),
                _ => (Vec::new(), None),
            };
            HttpResponse::Ok().json(json!({ "options": options, "cursor": cursor }))
        }
        Ok(answer) => problem(
            502,
            answer.message().map_or_else(
                || format!("the options route answered {}", answer.status),
                str::to_owned,
            ),
        ),
        Err(e) => problem(502, e),
    }
}

/// A request for the options of saved values.
#[derive(Debug, Deserialize)]
struct SelectedRequest {
    path: String,
    value: Value,
}

/// The options of saved values, from the select's selected-values route.
async fn selected(session: Shared, request: web::Json<SelectedRequest>) -> HttpResponse {
    if !session.is_route(&request.path, &["selected_values"]) {
        return problem(
            404,
            format!(
                "{} is not a selected-values route of the plugin",
                request.path
            ),
        );
    }
    let mut params = Map::new();
    params.insert("value".to_owned(), request.value.clone());
    match session.call_route(&request.path, &params, None).await {
        Ok(answer) if (200..300).contains(&answer.status) => {
            let options = match answer.body {
                Value::Array(items) => items,
                Value::Null => Vec::new(),
                single => vec![single],
            };
            HttpResponse::Ok().json(json!({ "options": options }))
        }
        Ok(answer) => problem(
            502,
            format!("the selected-values route answered {}", answer.status),
        ),
        Err(e) => problem(502, e),
    }
}

/// A step's values.
#[derive(Debug, Deserialize)]
struct StepValues {
    values: Map<String, Value>,
}

async fn save_step(
    session: Shared,
    index: web::Path<usize>,
    values: web::Json<StepValues>,
) -> HttpResponse {
    let reply = steps::save(&session, *index, values.into_inner().values).await;
    HttpResponse::Ok().json(reply)
}

/// The install as the stand-in holds it, and how far the page got.
async fn install(session: Shared) -> HttpResponse {
    let done: Vec<usize> = session.progress().done.iter().copied().collect();
    let installed = done.len() == session.manifest.setup_steps.len();
    HttpResponse::Ok().json(json!({
        "config": session.config().await,
        "storage": session.storage().await,
        "done": done,
        "installed": installed,
    }))
}

/// What each remote value route answers for the install.
async fn remote_values(session: Shared) -> HttpResponse {
    let mut values = Vec::new();
    for route in session
        .manifest
        .routes
        .iter()
        .filter(|r| r.kind == "remote_value")
    {
        let path = session.path_of(&route.url);
        let entry = match session.call_route(path, &Map::new(), None).await {
            Ok(answer) if (200..300).contains(&answer.status) => {
                json!({"path": path, "value": answer.body.get("value").cloned().unwrap_or(answer.body)})
            }
            Ok(answer) => json!({"path": path, "error": answer.message().map_or_else(
                || format!("answered {}", answer.status), str::to_owned)}),
            Err(e) => json!({"path": path, "error": e}),
        };
        values.push(entry);
    }
    HttpResponse::Ok().json(values)
}

async fn payload(event: web::Path<String>) -> HttpResponse {
    match events::factory_payload(&event) {
        Some(payload) => HttpResponse::Ok().json(payload),
        None => problem(404, format!("`{event}` is not an event the platform sends")),
    }
}

/// An event's payload.
#[derive(Debug, Deserialize)]
struct FireRequest {
    payload: Value,
}

async fn fire(
    session: Shared,
    event: web::Path<String>,
    request: web::Json<FireRequest>,
) -> HttpResponse {
    match events::fire(&session, &event, request.into_inner().payload).await {
        Ok(fired) => HttpResponse::Ok().json(fired),
        Err(e) => problem(400, e),
    }
}

async fn authorize(session: Shared, index: web::Path<usize>) -> HttpResponse {
    oauth2::authorize(&session, *index)
}

async fn oauth2_callback(
    session: Shared,
    index: web::Path<usize>,
    decision: web::Form<oauth2::Decision>,
) -> HttpResponse {
    oauth2::callback(session, *index, decision.into_inner()).await
}

async fn open_popup(session: Shared, index: web::Path<usize>) -> HttpResponse {
    popup::open(&session, *index)
}

async fn popup_content(session: Shared, index: web::Path<usize>, req: HttpRequest) -> HttpResponse {
    popup::content(&session, *index, &req).await
}
