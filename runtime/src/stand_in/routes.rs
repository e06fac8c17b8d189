//! The stand-in's endpoints, with the platform's documented semantics. One handler takes every
//! request, records it, applies any injected failure or delay, then dispatches on method and path.

use std::sync::{Arc, Mutex};

use actix_web::http::Method;
use actix_web::web::{self, Bytes, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine as _;
use serde_json::{Value, json};

use super::state::{RecordedRequest, State};

type Shared = Arc<Mutex<State>>;

pub(crate) fn configure(state: Shared) -> impl FnOnce(&mut ServiceConfig) {
    move |config| {
        config
            .app_data(web::Data::new(state))
            .app_data(web::PayloadConfig::new(4 * 1024 * 1024))
            .default_service(web::to(handle));
    }
}

async fn handle(req: HttpRequest, body: Bytes, state: web::Data<Shared>) -> HttpResponse {
    let (failure, delay) = {
        let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
        state.requests.push(record(&req, &body));
        (state.failures.pop_front(), state.delays.pop_front())
    };
    if let Some(delay) = delay {
        actix_web::rt::time::sleep(delay).await;
    }
    if let Some(status) = failure {
        return HttpResponse::build(
            actix_web::http::StatusCode::from_u16(status)
                .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
        )
        .json(json!({"errors": [{"detail": "injected failure"}]}));
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
    let response = dispatch(&mut state, &req, &body);
    if req.method() != Method::GET
        && response.status().is_success()
        && let Err(err) = state.save()
    {
        tracing::error!(error = %err, "the stand-in could not save its data");
    }
    response
}

fn dispatch(state: &mut State, req: &HttpRequest, body: &Value) -> HttpResponse {
    let path = req.path().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if req.method() == Method::POST && path == "/a/auth/v0/token" {
        return login(state, req, body);
    }
    if super::user_api::is_user_path(&path) {
        return super::user_api::serve(state, req, body);
    }
    if !authorized(state, req) {
        return HttpResponse::Unauthorized()
            .json(json!({"errors": [{"detail": "invalid or expired token"}]}));
    }
    match (req.method().clone(), segments.as_slice()) {
        (Method::PATCH, ["api", "v2", "plugin-services", "jobs", id]) => {
            update_job(state, id, body)
        }
        (Method::POST, ["api", "v2", "plugin-services", "storage"]) => storage(state, body),
        (Method::GET, ["api", "v2", "plugin-services", "installs", id, "config"]) => {
            HttpResponse::Ok().json(json!({"data": state.config_of(id).clone()}))
        }
        (Method::PUT, ["api", "v2", "plugin-services", "installs", id, "config"]) => {
            let config = state.config_of(id);
            merge(config, body);
            HttpResponse::Ok().json(json!({"data": config.clone()}))
        }
        (
            Method::POST,
            [
                "api",
                "v2",
                "plugin-services",
                "installs",
                id,
                "notifications",
            ],
        ) => {
            state
                .notifications
                .entry((*id).to_owned())
                .or_default()
                .push(body.clone());
            HttpResponse::Created().json(json!({"data": {"ok": true}}))
        }
        _ => HttpResponse::NotFound()
            .json(json!({"errors": [{"detail": format!("no endpoint {} {path}", req.method())}]})),
    }
}

fn record(req: &HttpRequest, body: &Bytes) -> RecordedRequest {
    RecordedRequest {
        method: req.method().to_string(),
        path: req
            .uri()
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: req
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_ascii_lowercase(),
                    value.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect(),
        body: serde_json::from_slice(body).unwrap_or(Value::Null),
    }
}

fn login(state: &mut State, req: &HttpRequest, body: &Value) -> HttpResponse {
    let expected = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", state.client_id, state.client_secret));
    let basic_ok = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Basic {expected}"));
    if !basic_ok {
        return HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}));
    }
    if body["grant_type"] != "client_credentials" {
        return super::user_api::grant(state, body);
    }
    let body_ok = body["client_id"] == state.client_id.as_str()
        && body["client_secret"] == state.client_secret.as_str();
    if !body_ok {
        return HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}));
    }
    let (token, ttl) = state.issue_token();
    HttpResponse::Ok().json(json!({
        "token_type": "Bearer",
        "access_token": token,
        "expires_in": ttl,
        "refresh_token": format!("refresh-{token}"),
        "refresh_token_expires_in": ttl * 24,
    }))
}

fn authorized(state: &State, req: &HttpRequest) -> bool {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| state.token_valid(token))
}

fn update_job(state: &mut State, id: &str, body: &Value) -> HttpResponse {
    let job = state.jobs.entry(id.to_owned()).or_default();
    if let Some(status) = body.get("status").and_then(Value::as_str) {
        if !matches!(status, "done" | "ignored" | "failed") {
            return HttpResponse::BadRequest()
                .json(json!({"errors": [{"detail": format!("unknown status {status}")}]}));
        }
        job.status = Some(status.to_owned());
    }
    if let Some(message) = body.get("status_message").and_then(Value::as_str) {
        job.status_message = Some(message.to_owned());
    }
    if let Some(reason) = body.get("failure_reason").and_then(Value::as_str) {
        job.failure_reason = Some(reason.to_owned());
    }
    if let Some(attachments) = body.get("attachments").and_then(Value::as_array) {
        job.attachments.extend(attachments.iter().cloned());
    }
    job.updates.push(body.clone());
    HttpResponse::Ok().json(json!({"data": {"id": id, "status": job.status}}))
}

/// Runs the commands in order on a copy of the storage and keeps the copy only if all succeed: one
/// transaction.
fn storage(state: &mut State, body: &Value) -> HttpResponse {
    let install = body.get("install_id").and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let Some(commands) = body.get("commands").and_then(Value::as_array) else {
        return HttpResponse::BadRequest()
            .json(json!({"errors": [{"detail": "commands must be an array"}]}));
    };
    let mut counter = state.unique_counter;
    let mut store = state.storage_of(install.as_deref()).clone();
    let mut results = Vec::with_capacity(commands.len());
    for command in commands {
        match run_command(&mut store, command, &mut counter) {
            Ok(result) => results.push(result),
            Err(detail) => {
                return HttpResponse::BadRequest().json(json!({"errors": [{"detail": detail}]}));
            }
        }
    }
    *state.storage_of(install.as_deref()) = store;
    state.unique_counter = counter;
    HttpResponse::Ok().json(json!({ "data": results }))
}

fn run_command(
    store: &mut std::collections::BTreeMap<String, Value>,
    command: &Value,
    counter: &mut u64,
) -> Result<Value, String> {
    let key = || {
        command
            .get("key")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| "a storage command needs a `key`".to_owned())
    };
    let item = |key: &str, value: &Value| json!({"key": key, "value": value});
    match command.get("action").and_then(Value::as_str) {
        Some("get") => {
            let key = key()?;
            Ok(store.get(&key).map_or(Value::Null, |v| item(&key, v)))
        }
        Some("set") => {
            let key = key()?;
            let value = command.get("value").cloned().unwrap_or(Value::Null);
            store.insert(key.clone(), value.clone());
            Ok(item(&key, &value))
        }
        Some("unset") => {
            let key = key()?;
            Ok(store.remove(&key).map_or(Value::Null, |v| item(&key, &v)))
        }
        Some("set_unique") => {
            let key = key()?;
            let chars: Vec<char> = command
                .get("chars")
                .and_then(Value::as_str)
                .unwrap_or("0123456789")
                .chars()
                .collect();
            let size = command.get("size").and_then(Value::as_u64).unwrap_or(12) as usize;
            if chars.is_empty() || size == 0 {
                return Err("set_unique needs characters and a size".into());
            }
            let value = loop {
                *counter += 1;
                let candidate = unique_string(&chars, size, *counter);
                if !store
                    .values()
                    .any(|v| v.as_str() == Some(candidate.as_str()))
                {
                    break candidate;
                }
            };
            store.insert(key, Value::String(value.clone()));
            Ok(Value::String(value))
        }
        Some("set_unique_num") => {
            let key = key()?;
            let min = command.get("min").and_then(Value::as_u64).unwrap_or(0);
            let max = command
                .get("max")
                .and_then(Value::as_u64)
                .unwrap_or((1u64 << 53) - 1);
            if max < min {
                return Err("set_unique_num needs min <= max".into());
            }
            let span = max - min + 1;
            let taken: Vec<u64> = store.values().filter_map(Value::as_u64).collect();
            let value = (0..span.min(1_000_000))
                .map(|i| min + (counter.wrapping_mul(7919).wrapping_add(i)) % span)
                .find(|n| !taken.contains(n))
                .ok_or_else(|| "no unique number left in range".to_owned())?;
            *counter += 1;
            store.insert(key, json!(value));
            Ok(json!(value))
        }
        Some("list") => {
            let page = command
                .get("page")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1) as usize;
            const PAGE_SIZE: usize = 100;
            Ok(Value::Array(
                store
                    .iter()
                    .skip((page - 1) * PAGE_SIZE)
                    .take(PAGE_SIZE)
                    .map(|(k, v)| item(k, v))
                    .collect(),
            ))
        }
        other => Err(format!("unknown storage action {other:?}")),
    }
}

/// A deterministic string of `size` characters from `chars` for the `n`th request (distinct `n`
/// give distinct strings while the alphabet allows).
fn unique_string(chars: &[char], size: usize, n: u64) -> String {
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..size)
        .map(|_| {
            x ^= x >> 33;
            x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
            x ^= x >> 29;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

/// Merges `patch` into `config`: a key set to `null` is removed.
fn merge(config: &mut Value, patch: &Value) {
    let (Some(config), Some(patch)) = (config.as_object_mut(), patch.as_object()) else {
        return;
    };
    for (key, value) in patch {
        if value.is_null() {
            config.remove(key);
        } else {
            config.insert(key.clone(), value.clone());
        }
    }
}
