//! The stand-in's user API: the user grants of `POST /a/auth/v0/token` and the endpoints a user
//! token calls (`/api/v3/...`, `/api/v2/users/me`, `/a/rms/reservations`), on the seeded
//! [`Directory`](super::directory::Directory).

use std::time::{Duration, Instant};

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

use super::directory::{READABLE, id_of};
use super::state::State;
use crate::user_api::Scope;

const JSON_API: &str = "application/vnd.api+json";

/// A user token the stand-in issued.
pub(crate) struct UserTokenRecord {
    pub expires: Instant,
    /// What it may do.
    pub scopes: Vec<Scope>,
}

/// Whether `path` is one of the user API's.
pub(crate) fn is_user_path(path: &str) -> bool {
    path.starts_with("/api/v3/") || path == "/api/v2/users/me" || path == "/a/rms/reservations"
}

/// A user grant (any grant type but `client_credentials`); the client is already authenticated.
pub(crate) fn grant(state: &mut State, body: &Value) -> HttpResponse {
    let grant = body["grant_type"].as_str().unwrap_or("");
    // The scopes a code or password grant asks for (checked before the code is spent).
    let asked = match grant {
        "authorization_code" | "password" => {
            match super::scopes::asked(&body["scope"], &state.install_scopes) {
                Ok(scopes) => scopes,
                Err(unknown) => {
                    return HttpResponse::BadRequest().json(json!({
                        "error": "invalid_scope",
                        "error_description": unknown,
                    }));
                }
            }
        }
        _ => Vec::new(),
    };
    // Whether the grant is accepted, and then with which scopes: an install's token carries what
    // the plugin asks installers for; a renewed one what the token it renews carried.
    let granted = match grant {
        "plugin_install" => (!body["install_id"].is_null()).then(|| state.install_scopes.clone()),
        "authorization_code" => {
            let code = body["code"].as_str().unwrap_or("");
            let known = state.codes.iter().position(|c| c == code);
            // A code is good for one exchange.
            known.map(|i| state.codes.remove(i)).map(|_| asked)
        }
        "password" => {
            let (user, password) = (body["username"].as_str(), body["password"].as_str());
            state
                .directory
                .users
                .iter()
                .any(|account| {
                    Some(account.username.as_str()) == user
                        && Some(account.password.as_str()) == password
                })
                .then_some(asked)
        }
        "refresh_token" => {
            let token = body["refresh_token"].as_str().unwrap_or("");
            // Refresh tokens rotate: each is good once.
            state.refresh_tokens.remove(token)
        }
        other => {
            return HttpResponse::BadRequest().json(json!({
                "error": "unsupported_grant_type",
                "error_description": format!("no grant `{other}`"),
            }));
        }
    };
    let Some(scopes) = granted else {
        return HttpResponse::BadRequest().json(json!({
            "error": "invalid_grant",
            "error_description": format!("the {grant} grant was not accepted"),
        }));
    };
    state.grants.push(grant.to_owned());
    state.issued += 1;
    let access = format!("stand-in-user-token-{}", state.issued);
    let refresh = format!("stand-in-user-refresh-{}", state.issued);
    state.user_tokens.insert(
        access.clone(),
        UserTokenRecord {
            expires: Instant::now() + Duration::from_secs(state.token_ttl),
            scopes: scopes.clone(),
        },
    );
    let scope = crate::user_api::scope::joined(&scopes);
    state.refresh_tokens.insert(refresh.clone(), scopes);
    HttpResponse::Ok().json(json!({
        "token_type": "Bearer",
        "access_token": access,
        "expires_in": state.token_ttl,
        "refresh_token": refresh,
        "refresh_token_expires_in": state.token_ttl * 24,
        "scope": scope,
    }))
}

/// Serves a user-API call: 401 without a valid user token, 403 when the token lacks the scope the
/// endpoint needs.
pub(crate) fn serve(state: &mut State, req: &HttpRequest, body: &Value) -> HttpResponse {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|token| state.user_tokens.get(token))
        .filter(|t| Instant::now() < t.expires);
    let Some(token) = token else {
        return error(401, "a user token is required (invalid or expired)");
    };
    let path = req.path().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if let Some(needed) = super::scopes::required(req.method(), &segments)
        && !token.scopes.contains(&needed)
    {
        return error(
            403,
            &format!(
                "the token lacks the scope `{needed}` that {} {path} needs: the user did not grant it",
                req.method()
            ),
        );
    }
    let params: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let include: Vec<&str> = params
        .iter()
        .find(|(k, _)| k == "include")
        .map(|(_, v)| v.split(',').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let directory = &mut state.directory;
    match (req.method().clone(), segments.as_slice()) {
        (Method::GET, ["api", "v2", "users", "me"]) => document(json!(directory.me), Vec::new()),
        (Method::GET, ["api", "v3", "sign-in-field-pages", page, "sign-in-fields"]) => {
            let fields: Vec<Value> = directory
                .models
                .get("sign-in-fields")
                .into_iter()
                .flatten()
                .filter(|f| id_of(&f["relationships"]["sign-in-field-page"]["data"]) == *page)
                .cloned()
                .collect();
            document(Value::Array(fields), Vec::new())
        }
        (Method::GET, ["api", "v3", kind, id]) if READABLE.contains(kind) => {
            match directory.find(kind, id) {
                Some(model) => {
                    let included = directory.included(&[model], &include);
                    document(model.clone(), included)
                }
                None => error(404, &format!("no {kind} {id}")),
            }
        }
        (
            Method::GET,
            [
                "api",
                "v3",
                kind @ ("employees" | "flows" | "locations" | "invites"),
            ],
        ) => match directory.list(kind, &params) {
            Ok(models) => {
                let included = directory.included(&models, &include);
                document(
                    Value::Array(models.into_iter().cloned().collect()),
                    included,
                )
            }
            Err(detail) => error(400, &detail),
        },
        (Method::POST, ["api", "v3", "invites"]) => {
            let data = &body["data"];
            if data["type"] != "invites" || !data["attributes"].is_object() {
                return error(
                    400,
                    "an invite is `{\"data\": {\"type\": \"invites\", \"attributes\": {...}}}`",
                );
            }
            let mut invite = json!({
                "type": "invites",
                "attributes": data["attributes"].clone(),
                "relationships": data.get("relationships").cloned().unwrap_or(json!({})),
            });
            invite["attributes"]["arrived"] = json!(false);
            let created = directory.create("invites", invite);
            status_document(201, created)
        }
        (method @ (Method::PUT | Method::PATCH), ["api", "v3", "invites", id]) => {
            if id_of(&body["data"]) != *id {
                return error(400, "`data.id` must be the invite's id");
            }
            match directory.change("invites", id, &body["data"], method == Method::PATCH) {
                Some(invite) => document(invite, Vec::new()),
                None => error(404, &format!("no invite {id}")),
            }
        }
        (Method::DELETE, ["api", "v3", "invites", id]) => {
            if directory.remove("invites", id) {
                HttpResponse::NoContent().finish()
            } else {
                error(404, &format!("no invite {id}"))
            }
        }
        (Method::POST, ["a", "rms", "reservations"]) => {
            let data = &body["data"];
            let user = &data["relationships"]["user"]["data"];
            if user["type"] != "users" || user["id"].is_null() {
                return error(
                    400,
                    "a reservation needs `relationships.user` of type `users`",
                );
            }
            if data["attributes"]["start-time"].as_str().is_none()
                || data["attributes"]["booking-source"] != "EXTERNAL_API"
            {
                return error(
                    400,
                    "a reservation needs `start-time` and `booking-source` EXTERNAL_API",
                );
            }
            let reservation = json!({
                "type": "reservations",
                "attributes": data["attributes"].clone(),
                "relationships": data["relationships"].clone(),
            });
            status_document(201, directory.create("reservations", reservation))
        }
        _ => error(404, &format!("no endpoint {} {path}", req.method())),
    }
}

fn document(data: Value, included: Vec<Value>) -> HttpResponse {
    let mut body = json!({ "data": data });
    if !included.is_empty() {
        body["included"] = Value::Array(included);
    }
    HttpResponse::Ok()
        .content_type(JSON_API)
        .body(body.to_string())
}

fn status_document(status: u16, data: Value) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default())
        .content_type(JSON_API)
        .body(json!({ "data": data }).to_string())
}

fn error(status: u16, detail: &str) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .content_type(JSON_API)
    .body(json!({"errors": [{"status": status.to_string(), "detail": detail}]}).to_string())
}
