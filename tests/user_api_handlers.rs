//! `UserApi` as a handler argument, served over HTTP next to the stand-in: a worker's token comes
//! from `meta.auth`, else from the `plugin_install` grant for the event's install; a route's from
//! `meta.forwarded_bearer_token`. And the startup check of the plugin's declared user scopes.

use envoy_plugin::prelude::*;
use envoy_plugin::testing::{Harness, TestEvent, TestRoute};
use envoy_plugin::user_api::{UserApi, UserAuth};
use serde_json::{Value, json};

envoy_plugin::user_scopes! {
    /// What the host-lookup plugin asks for.
    pub LookupScopes = [EmployeesRead]
}

envoy_plugin::user_scopes! {
    /// More than `LookupScopes`.
    pub WiderScopes = [EmployeesRead, InvitesWrite]
}

/// Finds the visitor's host among the employees.
#[event("entry_sign_in")]
async fn find_host(entry: Entry, api: UserApi<LookupScopes>) -> JobResult {
    let email = entry.host_email.clone().unwrap_or_default();
    match api.employees().by_email(&email).await? {
        Some(host) => Ok(Outcome::done(format!(
            "host is {}",
            host.attributes.name.unwrap_or_default()
        ))),
        None => Ok(Outcome::ignored(format!(
            "no employee has the email {email}"
        ))),
    }
}

/// The employees as select options.
#[options]
async fn employee_options(
    _query: OptionsQuery,
    api: UserApi<LookupScopes>,
) -> Result<Vec<SelectOption>, PluginError> {
    let employees = api.employees().list().send().await?;
    Ok(employees
        .into_iter()
        .map(|e| SelectOption::new(e.attributes.name.unwrap_or_default(), e.id.to_string()))
        .collect())
}

plugin! {
    Lookup {
        name: "Lookup",
        user_scopes: LookupScopes,
        events: [find_host],
        routes: [employee_options],
    }
}

fn seeded(harness: &Harness) {
    harness
        .platform()
        .seed_directory(&envoy_plugin_suite::greeter_directory())
        .unwrap();
}

fn sign_in_hosted_by(email: &str) -> TestEvent {
    TestEvent::new("entry_sign_in").attribute("host-email", email)
}

#[actix_web::test]
async fn a_worker_without_meta_auth_acts_as_the_installer_through_the_plugin_install_grant() {
    let harness = Harness::start(Lookup).unwrap();
    seeded(&harness);
    let answer = harness
        .send(sign_in_hosted_by("grace@example.com").set("meta.auth", Value::Null))
        .await;
    assert_eq!(answer.outcome(), Some(JobStatus::Done), "{answer:?}");
    assert_eq!(answer.message(), Some("host is Grace Hopper"));
    assert_eq!(harness.platform().user_grants(), ["plugin_install"]);
    let grant = harness
        .platform()
        .requests()
        .into_iter()
        .find(|r| r.path == "/a/auth/v0/token")
        .unwrap();
    assert_eq!(grant.body["install_id"], TestEvent::INSTALL_ID);

    let answer = harness
        .send(sign_in_hosted_by("nobody@example.com").set("meta.auth", Value::Null))
        .await;
    assert_eq!(answer.outcome(), Some(JobStatus::Ignored));
}

#[actix_web::test]
async fn a_worker_uses_the_token_of_meta_auth() {
    let harness = Harness::start(Lookup).unwrap();
    seeded(&harness);
    let auth = UserAuth::connect(
        &harness.platform().base_url(),
        Harness::CLIENT_ID,
        &Harness::CLIENT_SECRET.into(),
    );
    let code = harness.platform().authorization_code();
    let token = auth.authorization_code(&code, &[]).await.unwrap();
    let event = sign_in_hosted_by("grace@example.com").set(
        "meta.auth",
        json!({"token_type": "Bearer", "access_token": token.access_token().expose(),
               "expires_in": 3600, "refresh_token": null}),
    );
    let answer = harness.send(event).await;
    assert_eq!(answer.outcome(), Some(JobStatus::Done), "{answer:?}");
    assert_eq!(
        harness.platform().user_grants(),
        ["authorization_code"],
        "no other grant"
    );
    let call = harness
        .platform()
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/api/v3/employees"))
        .unwrap();
    assert_eq!(
        call.header("authorization"),
        Some(format!("Bearer {}", token.access_token().expose()).as_str())
    );

    // A token the platform no longer accepts, without a refresh token: the worker fails (500).
    let stale = sign_in_hosted_by("grace@example.com").set(
        "meta.auth",
        json!({"access_token": "revoked", "expires_in": 3600}),
    );
    let answer = harness.send(stale).await;
    assert_eq!(answer.status, 500);
    assert!(
        !format!("{answer:?}").contains("revoked"),
        "the token is not in the answer"
    );
}

#[actix_web::test]
async fn a_route_uses_the_forwarded_bearer_token() {
    let harness = Harness::start(Lookup).unwrap();
    seeded(&harness);
    let auth = UserAuth::connect(
        &harness.platform().base_url(),
        Harness::CLIENT_ID,
        &Harness::CLIENT_SECRET.into(),
    );
    let token = auth
        .authorization_code(&harness.platform().authorization_code(), &[])
        .await
        .unwrap();
    let route = TestRoute::new("/routes/employee_options")
        .set("meta.auth", Value::Null)
        .set("meta.forwarded_bearer_token", token.access_token().expose());
    let answer = harness.call(route).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.body,
        json!([{"label": "Grace Hopper", "value": "7"}, {"label": "Alan Turing", "value": "8"}])
    );
    assert_eq!(harness.platform().user_grants(), ["authorization_code"]);
}

/// Takes a handle with more scopes than its plugin declares.
#[event("entry_sign_in")]
async fn greedy(api: UserApi<WiderScopes>) -> JobResult {
    let _ = api;
    Ok(Outcome::done("never served"))
}

plugin! {
    Undeclared { name: "Undeclared", user_scopes: LookupScopes, events: [greedy] }
}

plugin! {
    Silent { name: "Silent", events: [greedy] }
}

plugin! {
    Declared { name: "Declared", user_scopes: WiderScopes, events: [greedy] }
}

#[test]
fn a_handler_whose_scopes_the_plugin_does_not_declare_stops_the_start() {
    let problem = <Undeclared as Plugin>::check().unwrap_err();
    assert!(problem.contains("`greedy`"), "{problem}");
    assert!(problem.contains("`invites.write`"), "{problem}");
    assert!(problem.contains("LookupScopes"), "{problem}");
    let problem = <Silent as Plugin>::check().unwrap_err();
    assert!(problem.contains("declares no `user_scopes`"), "{problem}");
    assert!(
        problem.contains("`employees.read`, `invites.write`"),
        "{problem}"
    );
    assert_eq!(<Declared as Plugin>::check(), Ok(()));
    // A handler may use fewer scopes than the plugin declares.
    assert_eq!(<Lookup as Plugin>::check(), Ok(()));
}

#[test]
fn the_manifest_lists_the_user_scopes() {
    let manifest =
        envoy_plugin::manifest::Manifest::of::<Declared>("https://p.example.com").unwrap();
    assert_eq!(manifest.user_scopes, ["employees.read", "invites.write"]);
    let json: Value = serde_json::from_str(&manifest.to_json()).unwrap();
    assert_eq!(
        json["user_scopes"],
        json!(["employees.read", "invites.write"])
    );
    let markdown = envoy_plugin::manifest::to_markdown(&manifest);
    assert!(
        markdown.contains(
            "User scopes (the plugin acts as the installer): `employees.read`, `invites.write`"
        ),
        "{markdown}"
    );
}

/// Hands the host lookup over to another system: answers ongoing, the message carrying the job
/// handle that system calls `host_found` back with.
#[event("entry_sign_in")]
async fn hand_over(job: Job) -> JobResult {
    let handle = job.handle(host_found, std::time::Duration::from_secs(600))?;
    Ok(Outcome::ongoing(handle))
}

/// The other system's callback: acts as the job's installer to find the host, and completes the
/// job with them.
#[callback]
async fn host_found(
    job: JobApi,
    api: UserApi<LookupScopes>,
    body: Value,
) -> Result<(), PluginError> {
    let email = body["email"].as_str().unwrap_or_default();
    let host = api
        .employees()
        .by_email(email)
        .await?
        .ok_or_else(|| PluginError::msg(format!("no employee has the email {email}")))?;
    let name = host.attributes.name.unwrap_or_default();
    job.complete(format!("host is {name}"), vec![]).await?;
    Ok(())
}

plugin! {
    HandOver {
        name: "HandOver",
        user_scopes: LookupScopes,
        events: [hand_over],
        routes: [host_found],
    }
}

const HOST_FOUND: &str = "/callbacks/host_found";

/// Calls `host_found` back with `handle`, as the system the work was handed to does.
async fn call_back(harness: &Harness, handle: &str, email: &str) -> envoy_plugin::testing::Answer {
    harness
        .sender()
        .post_bearer(HOST_FOUND, Some(handle), &json!({ "email": email }))
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_callback_acts_as_the_installer_of_the_install_its_handle_names() {
    let harness = Harness::start(HandOver).unwrap();
    seeded(&harness);
    let event = TestEvent::new("entry_sign_in")
        .job_id("job-77")
        .install_id("install-9");
    let answer = harness.send(event).await;
    assert_eq!(answer.outcome(), Some(JobStatus::Ongoing), "{answer:?}");
    let handle = answer.message().unwrap().to_owned();
    assert!(
        harness.platform().user_grants().is_empty(),
        "the worker made no user call"
    );

    let called_back = call_back(&harness, &handle, "grace@example.com").await;
    assert_eq!(called_back.status, 200, "{called_back:?}");
    let job = harness.platform().job("job-77").unwrap();
    assert_eq!(job.status.as_deref(), Some("done"));
    assert_eq!(job.status_message.as_deref(), Some("host is Grace Hopper"));
    // The installer's token came from the plugin_install grant for the event's install.
    assert_eq!(harness.platform().user_grants(), ["plugin_install"]);
    let grant = harness
        .platform()
        .requests()
        .into_iter()
        .find(|r| r.path == "/a/auth/v0/token" && r.body["grant_type"] == "plugin_install")
        .unwrap();
    assert_eq!(grant.body["install_id"], "install-9");
}

/// The test kit's `callback` makes the handle a worker would: it names the test install.
#[actix_web::test]
async fn the_test_kits_callback_acts_as_the_installer_of_the_test_install() {
    let harness = Harness::start(HandOver).unwrap();
    seeded(&harness);
    let answer = harness
        .callback(
            HOST_FOUND,
            "job-78",
            json!({ "email": "grace@example.com" }),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let job = harness.platform().job("job-78").unwrap();
    assert_eq!(job.status_message.as_deref(), Some("host is Grace Hopper"));
    let grant = harness
        .platform()
        .requests()
        .into_iter()
        .find(|r| r.path == "/a/auth/v0/token" && r.body["grant_type"] == "plugin_install")
        .unwrap();
    assert_eq!(grant.body["install_id"], TestEvent::INSTALL_ID);
}

#[actix_web::test]
async fn a_handle_made_from_a_bare_job_id_says_how_to_make_one_the_callback_can_use() {
    let harness = Harness::start(HandOver).unwrap();
    seeded(&harness);
    let handles = envoy_plugin::api::JobHandles::new(&Harness::JWT_SECRET.into());
    let bare = handles.encode(
        &"job-78".into(),
        HOST_FOUND,
        std::time::Duration::from_secs(600),
    );
    let answer = call_back(&harness, &bare, "grace@example.com").await;
    assert_eq!(answer.status, 500, "{answer:?}");
    let message = answer.message().unwrap();
    assert!(message.contains("names no install"), "{message}");
    assert!(message.contains("job.handle(callback, ttl)"), "{message}");
    assert_eq!(
        harness.platform().job("job-78"),
        None,
        "the job is untouched"
    );
    assert!(harness.platform().user_grants().is_empty());

    // The same job with its install named: the callback runs.
    let named = handles.encode_for_install(
        &"job-78".into(),
        &"install-9".into(),
        HOST_FOUND,
        std::time::Duration::from_secs(600),
    );
    let answer = call_back(&harness, &named, "alan@example.com").await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        harness
            .platform()
            .job("job-78")
            .unwrap()
            .status_message
            .as_deref(),
        Some("host is Alan Turing")
    );
}

/// A callback whose handle set has more scopes than its plugin declares.
#[callback]
async fn greedy_callback(api: UserApi<WiderScopes>) -> Result<(), PluginError> {
    let _ = api;
    Ok(())
}

plugin! {
    GreedyCallback { name: "GreedyCallback", user_scopes: LookupScopes, routes: [greedy_callback] }
}

plugin! {
    DeclaredCallback { name: "DeclaredCallback", user_scopes: WiderScopes, routes: [greedy_callback] }
}

#[test]
fn a_callback_whose_scopes_the_plugin_does_not_declare_stops_the_start() {
    let problem = <GreedyCallback as Plugin>::check().unwrap_err();
    assert!(problem.contains("`greedy_callback`"), "{problem}");
    assert!(problem.contains("`invites.write`"), "{problem}");
    assert_eq!(<DeclaredCallback as Plugin>::check(), Ok(()));
    assert_eq!(<HandOver as Plugin>::check(), Ok(()));
}
