//! The user API's limits, over HTTP: the stand-in refuses a call whose scope the user's token lacks
//! (403, a JSON:API error), whichever grant gave the token; and the client retries calls that are
//! safe to repeat (GET, PUT, DELETE) on 5xx and connection errors, never a POST or a PATCH.

use std::io::{Read as _, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use envoy_plugin::Secret;
use envoy_plugin::api::ApiPolicy;
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::user_api::{InviteDraft, Scope, UserApi, UserAuth, UserToken};
use serde_json::{Value, json};

envoy_plugin::user_scopes! {
    /// Everything these tests call: more than some tokens carry.
    pub Wide = [EmployeesRead, FlowsRead, InvitesRead, InvitesWrite]
}

const CLIENT_ID: &str = "limits-client";
const CLIENT_SECRET: &str = "limits-secret";

fn platform() -> StandIn {
    envoy_plugin_suite::seeded_stand_in(CLIENT_ID, CLIENT_SECRET)
}

/// Grants with retries that wait little, so that the tests stay quick.
fn auth(base_url: &str) -> UserAuth {
    UserAuth::connect(base_url, CLIENT_ID, &Secret::new(CLIENT_SECRET))
        .with_policy(ApiPolicy::default().with_retries(3, Duration::from_millis(10)))
}

/// How many requests the stand-in received with `method` to `path` exactly.
fn count(platform: &StandIn, method: &str, path: &str) -> usize {
    platform
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

// ----- scopes -----

#[actix_web::test]
async fn an_install_token_carries_the_plugins_scopes_and_nothing_more() {
    let platform = platform();
    platform.set_install_scopes(&[Scope::EmployeesRead]);
    let auth = auth(&platform.base_url());
    let token = auth.plugin_install(&"5310".into()).await.unwrap();
    let api: UserApi<Wide> = auth.user_api(token.clone());
    let grace = api.employees().get(7).await.unwrap();
    assert_eq!(grace.attributes.name.as_deref(), Some("Grace Hopper"));
    // `users/me` needs no scope.
    api.me().await.unwrap();

    let invites_before = platform.models("invites").len();
    let refused = api
        .invites()
        .create(&InviteDraft::new("Ada Lovelace", chrono::Utc::now()))
        .await
        .unwrap_err();
    assert_eq!(refused.status, Some(403), "{refused}");
    assert!(refused.message.contains("`invites.write`"), "{refused}");
    assert_eq!(
        platform.models("invites").len(),
        invites_before,
        "nothing created"
    );
    let refused = api.flows().get(20).await.unwrap_err();
    assert_eq!(refused.status, Some(403), "{refused}");
    assert!(refused.message.contains("`flows.read`"), "{refused}");

    // The platform's error shape: a JSON:API error document.
    let raw = reqwest::Client::new()
        .get(format!("{}/api/v3/flows", platform.base_url()))
        .bearer_auth(token.access_token().expose())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 403);
    assert_eq!(
        raw.headers()["content-type"].to_str().unwrap(),
        "application/vnd.api+json"
    );
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["errors"][0]["status"], "403");
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("`flows.read`"),
        "{body}"
    );
}

#[actix_web::test]
async fn a_code_token_carries_the_scopes_asked_for_and_its_renewal_the_same() {
    let platform = platform();
    let auth = auth(&platform.base_url());
    let token = auth
        .authorization_code(&platform.authorization_code(), &[Scope::EmployeesRead])
        .await
        .unwrap();
    let api: UserApi<Wide> = auth.user_api(token);
    api.employees().list().send().await.unwrap();
    assert_eq!(
        api.flows().list().send().await.unwrap_err().status,
        Some(403)
    );
    // Renewed with the refresh token after a 401: the new token may do what the old one did.
    platform.expire_tokens();
    api.me().await.unwrap();
    assert_eq!(
        platform.user_grants(),
        ["authorization_code", "refresh_token"]
    );
    assert_eq!(
        api.flows().list().send().await.unwrap_err().status,
        Some(403)
    );
}

#[actix_web::test]
async fn a_password_token_may_read_invites_but_not_delete_one() {
    let platform = platform();
    let auth = auth(&platform.base_url());
    let token = auth
        .password(
            "ines@example.com",
            &Secret::new("correct horse battery staple"),
            &[Scope::InvitesRead],
        )
        .await
        .unwrap();
    let api: UserApi<Wide> = auth.user_api(token);
    api.invites().get(500).await.unwrap();
    let refused = api.invites().delete(500).await.unwrap_err();
    assert_eq!(refused.status, Some(403), "{refused}");
    assert!(
        platform.models("invites").iter().any(|i| i["id"] == "500"),
        "the invite is still there"
    );
}

#[actix_web::test]
async fn a_grant_asking_for_an_unknown_scope_is_refused() {
    let platform = platform();
    let answer = reqwest::Client::new()
        .post(format!("{}/a/auth/v0/token", platform.base_url()))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .json(
            &json!({"grant_type": "password", "username": "ines@example.com",
            "password": "correct horse battery staple", "scope": "employees.read employee.write"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "invalid_scope");
    assert!(platform.user_grants().is_empty());
}

// ----- retries -----

/// A handle whose token is already obtained, so that injected failures hit the calls only.
async fn ready(platform: &StandIn) -> UserApi<Wide> {
    let auth = auth(&platform.base_url());
    let token = auth.plugin_install(&"5310".into()).await.unwrap();
    auth.user_api(token)
}

#[actix_web::test]
async fn a_get_is_retried_on_5xx_until_it_succeeds_within_the_attempts() {
    let platform = platform();
    let api = ready(&platform).await;
    platform.fail_next(2, 503);
    let grace = api.employees().get(7).await.unwrap();
    assert_eq!(grace.attributes.name.as_deref(), Some("Grace Hopper"));
    assert_eq!(count(&platform, "GET", "/api/v3/employees/7"), 3);

    // Three failures use up the three attempts: the last error is the answer.
    platform.fail_next(3, 502);
    let failed = api.employees().get(8).await.unwrap_err();
    assert_eq!(failed.status, Some(502), "{failed}");
    assert_eq!(count(&platform, "GET", "/api/v3/employees/8"), 3);

    // A 4xx is final.
    let missing = api.employees().get(404).await.unwrap_err();
    assert_eq!(missing.status, Some(404));
    assert_eq!(count(&platform, "GET", "/api/v3/employees/404"), 1);
}

#[actix_web::test]
async fn put_and_delete_are_retried_post_and_patch_never() {
    let platform = platform();
    let api = ready(&platform).await;
    let arrival: chrono::DateTime<chrono::Utc> = "2026-12-03T09:30:00Z".parse().unwrap();

    platform.fail_next(1, 503);
    let refused = api
        .invites()
        .create(&InviteDraft::new("Ada Lovelace", arrival))
        .await
        .unwrap_err();
    assert_eq!(refused.status, Some(503));
    assert_eq!(
        count(&platform, "POST", "/api/v3/invites"),
        1,
        "a create is not repeated"
    );

    let created = api
        .invites()
        .create(&InviteDraft::new("Ada Lovelace", arrival))
        .await
        .unwrap();
    let path = format!("/api/v3/invites/{}", created.id);

    platform.fail_next(1, 500);
    let refused = api
        .invites()
        .update(
            created.id.clone(),
            &InviteDraft::changes().private_notes("x"),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status, Some(500));
    assert_eq!(
        count(&platform, "PATCH", &path),
        1,
        "a PATCH is not repeated"
    );

    platform.fail_next(1, 503);
    let replaced = api
        .invites()
        .replace(created.id.clone(), &InviteDraft::new("Ada King", arrival))
        .await
        .unwrap();
    assert_eq!(replaced.attributes.full_name.as_deref(), Some("Ada King"));
    assert_eq!(count(&platform, "PUT", &path), 2);

    platform.fail_next(2, 504);
    api.invites().delete(created.id.clone()).await.unwrap();
    assert_eq!(count(&platform, "DELETE", &path), 3);
    assert!(
        platform
            .models("invites")
            .iter()
            .all(|i| i["id"] != json!(created.id.to_string()))
    );
}

/// Reads a request's head, up to its blank line (the calls of these tests send no body).
fn read_request_head(stream: &mut std::net::TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
}

/// A loopback HTTP server that drops the first `drops` connections after reading their request
/// (their answers lost), then answers each with `status` and the JSON:API document `body`; counts
/// the connections.
fn flaky_server(drops: usize, status: &'static str, body: Value) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            read_request_head(&mut stream);
            if n < drops {
                continue; // dropped: the connection closes with no answer
            }
            let body = body.to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/vnd.api+json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, accepted)
}

#[actix_web::test]
async fn a_repeated_delete_that_finds_the_invite_gone_has_succeeded_a_first_one_has_not() {
    // The DELETE took effect but its answer was lost; its retry finds the invite gone.
    let not_found = json!({"errors": [{"status": "404", "title": "Not found"}]});
    let (url, accepted) = flaky_server(1, "404 Not Found", not_found);
    let api: UserApi<Wide> = auth(&url).user_api(UserToken::new("a user token"));
    api.invites().delete(41).await.unwrap();
    assert_eq!(accepted.load(Ordering::SeqCst), 2);

    // Answered 404 on its first try: there was nothing to delete.
    let missing = api.invites().delete(42).await.unwrap_err();
    assert_eq!(missing.status, Some(404), "{missing}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[actix_web::test]
async fn a_get_is_retried_after_connections_that_close_without_an_answer() {
    let me = json!({"data": {"id": "1", "type": "users",
        "attributes": {"full-name": "Ines Installer", "email": "ines@example.com"}}});
    let (url, accepted) = flaky_server(2, "200 OK", me);
    let api: UserApi<Wide> = auth(&url).user_api(UserToken::new("a user token"));
    let user = api.me().await.unwrap();
    assert_eq!(user.attributes.full_name.as_deref(), Some("Ines Installer"));
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[actix_web::test]
async fn a_post_is_not_retried_after_a_connection_closes() {
    let (url, accepted) = flaky_server(5, "200 OK", json!({}));
    let api: UserApi<Wide> = auth(&url).user_api(UserToken::new("a user token"));
    let failed = api
        .invites()
        .create(&InviteDraft::new("Ada Lovelace", chrono::Utc::now()))
        .await
        .unwrap_err();
    assert_eq!(failed.status, None, "{failed}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}
