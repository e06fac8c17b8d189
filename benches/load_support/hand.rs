//! The hand-written server: what a careful person writes with actix-web for the greeter's `welcome`
//! worker, doing the same work as the generated route.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use actix_web::http::header::ContentType;
use actix_web::web::{self, Bytes, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine as _;
use envoy_plugin::Id;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How many answers the record keeps, like the framework's default in-memory record.
const RECORD_CAPACITY: usize = 20_000;

/// The server's state: the signing key and the record of answered jobs.
#[derive(Clone)]
pub struct State {
    key: Hmac<Sha256>,
    record: Arc<Mutex<Record>>,
}

/// Answered jobs (and jobs running: `None`), oldest first in `order`.
#[derive(Default)]
struct Record {
    answers: HashMap<Box<str>, Option<Bytes>>,
    order: VecDeque<Box<str>>,
}

impl State {
    /// The state of a server checking signatures with `secret`.
    pub fn new(secret: &str) -> Self {
        State {
            key: Hmac::new_from_slice(secret.as_bytes()).expect("any key length"),
            record: Arc::default(),
        }
    }
}

/// The fields the worker reads, and nothing else.
#[derive(Deserialize)]
struct Body {
    meta: Meta,
    payload: Payload,
}

#[derive(Deserialize)]
struct Meta {
    event: String,
    job: Job,
    #[serde(default)]
    config: Config,
}

#[derive(Deserialize)]
struct Job {
    id: Id,
}

#[derive(Deserialize)]
struct Config {
    #[serde(default = "default_greeting")]
    greeting: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            greeting: default_greeting(),
        }
    }
}

fn default_greeting() -> String {
    "Welcome".to_owned()
}

#[derive(Deserialize)]
struct Payload {
    attributes: Attributes,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Attributes {
    full_name: String,
    #[serde(default)]
    host: Option<String>,
}

/// The greeter's answer, as it writes it.
#[derive(Serialize)]
struct Answer<'a> {
    message: String,
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'static str,
    value: &'a str,
}

/// The hand-written route, at the greeter's path.
pub fn configure(config: &mut ServiceConfig) {
    config
        .app_data(web::PayloadConfig::new(1024 * 1024))
        .route("/events/entry_sign_in", web::post().to(welcome));
}

fn error(status: actix_web::http::StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({ "message": message }))
}

async fn welcome(req: HttpRequest, body: Bytes, state: web::Data<State>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let Some(tag) = req.headers().get("X-Envoy-Signature").and_then(|v| {
        base64::engine::general_purpose::STANDARD
            .decode(v.as_bytes())
            .ok()
    }) else {
        return error(StatusCode::UNAUTHORIZED, "bad signature");
    };
    let mut mac = state.key.clone();
    mac.update(&body);
    if mac.verify_slice(&tag).is_err() {
        return error(StatusCode::UNAUTHORIZED, "bad signature");
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(body) => body,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if body.meta.event != "entry_sign_in" {
        return error(StatusCode::BAD_REQUEST, "wrong event");
    }
    let key: Box<str> = format!("/events/entry_sign_in#{}", body.meta.job.id).into();
    let respond = |answer: Bytes| {
        HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(answer)
    };
    {
        let mut record = state.record.lock().expect("not poisoned");
        if let Some(known) = record.answers.get(&key) {
            return match known {
                Some(answer) => respond(answer.clone()),
                None => error(StatusCode::CONFLICT, "running"),
            };
        }
        record.answers.insert(key.clone(), None);
        record.order.push_back(key.clone());
        while record.order.len() > RECORD_CAPACITY {
            let oldest = record.order.pop_front().expect("not empty");
            record.answers.remove(&oldest);
        }
    }
    let attributes = &body.payload.attributes;
    let greeting = format!("{}, {}!", body.meta.config.greeting, attributes.full_name);
    let mut attachments = vec![Attachment {
        kind: "text",
        label: "Greeting",
        value: &greeting,
    }];
    if let Some(host) = &attributes.host {
        attachments.push(Attachment {
            kind: "text",
            label: "Host",
            value: host,
        });
    }
    let answer = Answer {
        message: format!("Greeted {}", attributes.full_name),
        attachments,
    };
    let answer = Bytes::from(serde_json::to_vec(&answer).expect("JSON"));
    if let Some(slot) = state
        .record
        .lock()
        .expect("not poisoned")
        .answers
        .get_mut(&key)
    {
        *slot = Some(answer.clone());
    }
    respond(answer)
}
