//! The user API against the stand-in platform, over HTTP: the grants (and a refused client),
//! cached and coalesced reads, every filter and sort on the wire, paging through the stream, invite
//! writes, a reservation, and models with unknown attributes and `null`s.

use std::time::Duration;

use envoy_plugin::Secret;
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::user_api::scope::ScopeSet as _;
use envoy_plugin::user_api::{
    EmployeeFilter, FlowFilter, InviteDraft, InviteFilter, InviteScope, LocationFilter,
    ReservationDraft, Scope, Sort, SortField, UserApi, UserAuth,
};
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde_json::{Value, json};

envoy_plugin::user_scopes! {
    /// Everything these tests call.
    pub AllScopes = [
        EmployeesRead, LocationsRead, FlowsRead, CompaniesRead, InvitesRead, InvitesWrite,
        SignInFieldPagesRead, SignInFieldsRead, AgreementsRead, ReservationsWrite,
    ]
}

const CLIENT_ID: &str = "user-api-client";
const CLIENT_SECRET: &str = "user-api-secret";

fn platform() -> StandIn {
    envoy_plugin_suite::seeded_stand_in(CLIENT_ID, CLIENT_SECRET)
}

fn auth(platform: &StandIn) -> UserAuth {
    UserAuth::connect(&platform.base_url(), CLIENT_ID, &Secret::new(CLIENT_SECRET))
}

/// A handle acting as the installer of install 5310 (the `plugin_install` grant, on first use).
fn installer(platform: &StandIn) -> UserApi<AllScopes> {
    auth(platform).installer("5310")
}

/// The requests the stand-in received for paths starting with `prefix`.
fn requests_to(platform: &StandIn, method: &str, prefix: &str) -> Vec<String> {
    platform
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.starts_with(prefix))
        .map(|r| r.path)
        .collect()
}

#[actix_web::test]
async fn plugin_install_grant_on_first_use_then_the_token_is_reused() {
    let platform = platform();
    let api = installer(&platform);
    assert!(platform.user_grants().is_empty(), "no grant before a call");
    let me = api.me().await.unwrap();
    assert_eq!(me.attributes.full_name.as_deref(), Some("Ines Installer"));
    api.employees().get("7").await.unwrap();
    assert_eq!(platform.user_grants(), ["plugin_install"]);
    let token_requests = requests_to(&platform, "POST", "/a/auth/v0/token");
    let body = &platform
        .requests()
        .into_iter()
        .find(|r| r.path == "/a/auth/v0/token")
        .unwrap();
    assert_eq!(token_requests.len(), 1);
    assert_eq!(
        body.body,
        json!({"grant_type": "plugin_install", "install_id": "5310"})
    );
    assert!(body.header("authorization").unwrap().starts_with("Basic "));
    let call = platform
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/v2/users/me")
        .unwrap();
    assert!(
        call.header("authorization")
            .unwrap()
            .starts_with("Bearer stand-in-user-token-")
    );
    assert_eq!(call.header("accept"), Some("application/vnd.api+json"));
}

#[actix_web::test]
async fn authorization_code_grant_exchanges_a_code_once() {
    let platform = platform();
    let auth = auth(&platform);
    let code = platform.authorization_code();
    let token = auth
        .authorization_code(&code, AllScopes::SCOPES)
        .await
        .unwrap();
    assert!(token.refresh_token().is_some());
    let sent = platform.requests().pop().unwrap();
    assert_eq!(sent.body["grant_type"], "authorization_code");
    assert_eq!(sent.body["code"], code.as_str());
    assert_eq!(sent.body["scope"][0], "employees.read");
    let api: UserApi<AllScopes> = auth.user_api(token);
    assert_eq!(
        api.employees()
            .get(7)
            .await
            .unwrap()
            .attributes
            .name
            .as_deref(),
        Some("Grace Hopper")
    );

    let again = auth
        .authorization_code(&code, &[Scope::EmployeesRead])
        .await
        .unwrap_err();
    assert_eq!(again.status, Some(400));
    assert!(again.to_string().contains("invalid_grant"), "{again}");
}

#[actix_web::test]
async fn password_grant_accepts_the_right_password_only() {
    let platform = platform();
    let auth = auth(&platform);
    let token = auth
        .password(
            "ines@example.com",
            &Secret::new("correct horse battery staple"),
            &[Scope::EmployeesRead],
        )
        .await
        .unwrap();
    assert!(
        !format!("{token:?}").contains("stand-in-user-token"),
        "tokens never show in Debug"
    );
    let wrong = auth
        .password(
            "ines@example.com",
            &Secret::new("wrong"),
            &[Scope::EmployeesRead],
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.status, Some(400));
    assert!(
        !wrong.to_string().contains("wrong"),
        "the password is not in the error: {wrong}"
    );
    assert_eq!(platform.user_grants(), ["password"]);
}

#[actix_web::test]
async fn an_expired_token_is_renewed_with_its_refresh_token() {
    let platform = platform();
    let auth = auth(&platform);
    let token = auth
        .authorization_code(&platform.authorization_code(), &[])
        .await
        .unwrap();
    let refresh = token.refresh_token().unwrap().clone();
    let api: UserApi<AllScopes> = auth.user_api(token);
    api.me().await.unwrap();
    platform.expire_tokens();
    // The platform answers 401; the handle refreshes once and the call succeeds.
    api.companies().get(3).await.unwrap();
    assert_eq!(
        platform.user_grants(),
        ["authorization_code", "refresh_token"]
    );
    let sent = platform
        .requests()
        .into_iter()
        .rfind(|r| r.path == "/a/auth/v0/token")
        .unwrap();
    assert_eq!(
        sent.body,
        json!({"grant_type": "refresh_token", "refresh_token": refresh.expose()})
    );
    // A refresh token is good once.
    let reused = auth.refresh(&refresh).await.unwrap_err();
    assert_eq!(reused.status, Some(400));
}

#[actix_web::test]
async fn a_client_with_the_wrong_secret_is_refused() {
    let platform = platform();
    let auth = UserAuth::connect(
        &platform.base_url(),
        CLIENT_ID,
        &Secret::new("not the secret"),
    );
    let refused = auth.plugin_install(&"5310".into()).await.unwrap_err();
    assert_eq!(refused.status, Some(401));
    assert!(refused.to_string().contains("invalid_client"), "{refused}");
    assert!(!refused.to_string().contains("not the secret"));
    let api: UserApi<AllScopes> = auth.installer("5310");
    assert_eq!(api.me().await.unwrap_err().status, Some(401));
    assert!(platform.user_grants().is_empty());
}

#[actix_web::test]
async fn included_models_are_served_from_the_cache() {
    let platform = platform();
    let api = installer(&platform);
    let grace = api
        .employees()
        .get_including("7", &["locations", "company"])
        .await
        .unwrap();
    assert_eq!(
        requests_to(&platform, "GET", "/api/v3/employees"),
        ["/api/v3/employees/7?include=locations,company"]
    );
    let location = api
        .locations()
        .get(grace.location_ids()[0].clone())
        .await
        .unwrap();
    assert_eq!(location.attributes.name.as_deref(), Some("London HQ"));
    let company = api
        .companies()
        .get(grace.company_id().unwrap().clone())
        .await
        .unwrap();
    assert_eq!(
        company.attributes.name.as_deref(),
        Some("Analytical Engines Ltd")
    );
    api.employees().get(7).await.unwrap();
    assert!(requests_to(&platform, "GET", "/api/v3/locations").is_empty());
    assert!(requests_to(&platform, "GET", "/api/v3/companies").is_empty());
    assert_eq!(requests_to(&platform, "GET", "/api/v3/employees").len(), 1);
    // The employee screening flow arrives as `employee-screening-flows` and is kept as a flow too
    // (through a new handle: this one keeps location 1 already, read without its include).
    let fresh = installer(&platform);
    fresh
        .locations()
        .get_including(1, &["employee-screening-flow"])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let before = requests_to(&platform, "GET", "/api/v3/flows").len();
    let flow = fresh.flows().get(21).await.unwrap();
    assert_eq!(flow.attributes.name.as_deref(), Some("Employee screening"));
    assert_eq!(requests_to(&platform, "GET", "/api/v3/flows").len(), before);
}

#[actix_web::test]
async fn concurrent_gets_of_one_model_make_one_request() {
    let platform = platform();
    let api: UserApi<AllScopes> = auth(&platform).user_api(
        auth(&platform)
            .plugin_install(&"5310".into())
            .await
            .unwrap(),
    );
    platform.delay_next(1, Duration::from_millis(300));
    let employees = api.employees();
    let (a, b, c) =
        futures_util::future::join3(employees.get(8), employees.get("8"), employees.get(8)).await;
    assert_eq!(a.unwrap(), b.unwrap());
    assert_eq!(
        c.unwrap().attributes.email.as_deref(),
        Some("alan@example.com")
    );
    assert_eq!(
        requests_to(&platform, "GET", "/api/v3/employees/8").len(),
        1
    );
}

#[actix_web::test]
async fn every_filter_and_sort_reaches_the_wire_in_bracket_form() {
    let platform = platform();
    let api = installer(&platform);
    api.employees()
        .list()
        .filter(
            EmployeeFilter::default()
                .deleted(false)
                .company("3")
                .locations([1, 2])
                .email("grace@example.com")
                .except([8])
                .exclude_locations([2])
                .exclude_hidden(true)
                .manually_added(false)
                .name("Grace Hopper")
                .query("grace"),
        )
        .sort(Sort::ascending(SortField::Name))
        .limit(10)
        .offset(0)
        .include("locations")
        .send()
        .await
        .unwrap();
    api.flows()
        .list()
        .filter(
            FlowFilter::default()
                .employee_centric(false)
                .enabled(true)
                .location(1),
        )
        .sort(Sort::descending(SortField::CreatedAt))
        .send()
        .await
        .unwrap();
    api.locations()
        .list()
        .filter(LocationFilter::default().disabled(false).company(3))
        .sort(Sort::descending(SortField::Name))
        .send()
        .await
        .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let from: chrono::DateTime<chrono::Utc> = "2026-12-01T08:00:00Z".parse().unwrap();
    let to: chrono::DateTime<chrono::Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
    let invites = api
        .invites()
        .list()
        .filter(
            InviteFilter::default()
                .email("charles@example.com")
                .employee(7)
                .flow(20)
                .location(1)
                .date_from(day)
                .date_to(day)
                .datetime_from(from)
                .datetime_to(to)
                .for_date(day)
                .employee_centric(false)
                .scope(InviteScope::Hosted),
        )
        .sort(Sort::ascending(SortField::CreatedAt))
        .send()
        .await
        .unwrap();
    assert_eq!(invites.len(), 1, "the invite matches every filter");
    let paths: Vec<String> = platform
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.starts_with("/api/v3/"))
        .map(|r| r.path)
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v3/employees?filter[deleted]=false&filter[company]=3&filter[locations]=1%2C2\
             &filter[email]=grace%40example.com&filter[except]=8&filter[exclude-locations]=2\
             &filter[exclude-hidden]=true&filter[manually-added]=false&filter[name]=Grace+Hopper\
             &filter[query]=grace&page[limit]=10&page[offset]=0&sort=name&include=locations",
            "/api/v3/flows?filter[employee-centric]=false&filter[enabled]=true&filter[location]=1\
             &sort=-created_at",
            "/api/v3/locations?filter[disabled]=false&filter[company]=3&sort=-name",
            "/api/v3/invites?filter[email]=charles%40example.com&filter[employee]=7&filter[flow]=20\
             &filter[location]=1&filter[date-from]=2026-12-01&filter[date-to]=2026-12-01\
             &filter[datetime-from]=2026-12-01T08%3A00%3A00Z&filter[datetime-to]=2026-12-01T10%3A00%3A00Z\
             &filter[for-date]=2026-12-01&filter[employee-centric]=false&filter[scope]=hosted\
             &sort=created_at",
        ]
    );
}

#[actix_web::test]
async fn filters_and_sort_select_and_order_at_the_stand_in() {
    let platform = platform();
    let api = installer(&platform);
    let by_location = api
        .employees()
        .list()
        .filter(EmployeeFilter::default().locations([2]))
        .send()
        .await
        .unwrap();
    assert_eq!(by_location.len(), 1);
    assert_eq!(
        by_location[0].attributes.name.as_deref(),
        Some("Alan Turing")
    );
    let newest_first = api
        .employees()
        .list()
        .sort(Sort::descending(SortField::CreatedAt))
        .send()
        .await
        .unwrap();
    assert_eq!(newest_first[0].id.to_string(), "8");
    let enabled = api
        .locations()
        .list()
        .filter(LocationFilter::default().disabled(false))
        .send()
        .await
        .unwrap();
    assert_eq!(enabled.len(), 1);
}

#[actix_web::test]
async fn the_stream_walks_250_employees_page_by_page() {
    let platform = StandIn::start(CLIENT_ID, CLIENT_SECRET).unwrap();
    let employees: Vec<Value> = (1..=250)
        .map(|n| {
            json!({"id": n, "type": "employees", "attributes": {
                "name": format!("Employee {n:03}"), "email": format!("e{n}@example.com"),
                "created-at": format!("2025-01-01T00:00:{:02}Z", n % 60)}})
        })
        .collect();
    platform
        .seed_directory(&json!({"employees": employees}))
        .unwrap();
    let api = installer(&platform);
    let stream = api
        .employees()
        .list()
        .sort(Sort::ascending(SortField::Name))
        .limit(100)
        .stream();
    // Lazy: nothing is fetched before the stream is read.
    assert!(requests_to(&platform, "GET", "/api/v3/employees").is_empty());
    let all: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(all.len(), 250);
    assert_eq!(all[0].attributes.name.as_deref(), Some("Employee 001"));
    assert_eq!(all[249].attributes.name.as_deref(), Some("Employee 250"));
    assert_eq!(
        requests_to(&platform, "GET", "/api/v3/employees"),
        [
            "/api/v3/employees?page[limit]=100&page[offset]=0&sort=name",
            "/api/v3/employees?page[limit]=100&page[offset]=100&sort=name",
            "/api/v3/employees?page[limit]=100&page[offset]=200&sort=name",
        ]
    );
    // Reading only the first items fetches only the first page.
    let fresh = installer(&platform);
    platform.clear_requests();
    let first_five: Vec<_> = fresh
        .employees()
        .list()
        .limit(100)
        .stream()
        .take(5)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first_five.len(), 5);
    assert_eq!(requests_to(&platform, "GET", "/api/v3/employees").len(), 1);
}

#[actix_web::test]
async fn employee_by_email() {
    let platform = platform();
    let api = installer(&platform);
    let grace = api
        .employees()
        .by_email("grace@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grace.id.to_string(), "7");
    assert!(
        api.employees()
            .by_email("nobody@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        requests_to(&platform, "GET", "/api/v3/employees")[0],
        "/api/v3/employees?filter[email]=grace%40example.com&page[limit]=1"
    );
}

#[actix_web::test]
async fn invite_create_replace_update_and_delete_round_trip() {
    let platform = platform();
    let api = installer(&platform);
    let arrival: chrono::DateTime<chrono::Utc> = "2026-12-03T09:30:00Z".parse().unwrap();
    let created = api
        .invites()
        .create(
            &InviteDraft::new("Ada Lovelace", arrival)
                .email("ada@example.com")
                .user_datum("Purpose of visit", "Follow-up")
                .notify_visitor(false)
                .location(1)
                .host(7),
        )
        .await
        .unwrap();
    let sent = platform.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.header("content-type"),
        Some("application/vnd.api+json")
    );
    assert_eq!(
        sent.body,
        json!({"data": {"type": "invites",
            "attributes": {"full-name": "Ada Lovelace", "email": "ada@example.com",
                "expected-arrival-time": "2026-12-03T09:30:00Z",
                "user-data": {"Purpose of visit": "Follow-up"}, "notify-visitor": false},
            "relationships": {"location": {"data": {"type": "locations", "id": 1}},
                "employee": {"data": {"type": "employees", "id": 7}}}}})
    );
    assert_eq!(
        created.attributes.full_name.as_deref(),
        Some("Ada Lovelace")
    );
    assert_eq!(
        created.employee_id().map(ToString::to_string).as_deref(),
        Some("7")
    );
    let id = created.id.clone();

    let updated = api
        .invites()
        .update(
            id.clone(),
            &InviteDraft::changes().private_notes("Bring the engine plans"),
        )
        .await
        .unwrap();
    let sent = platform.requests().pop().unwrap();
    assert_eq!(sent.method, "PATCH");
    assert_eq!(sent.body["data"]["id"], json!(id.to_string()));
    assert_eq!(
        updated.attributes.private_notes.as_deref(),
        Some("Bring the engine plans")
    );
    assert_eq!(
        updated.attributes.email.as_deref(),
        Some("ada@example.com"),
        "PATCH keeps the rest"
    );

    let replaced = api
        .invites()
        .replace(id.clone(), &InviteDraft::new("Ada King", arrival))
        .await
        .unwrap();
    assert_eq!(platform.requests().pop().unwrap().method, "PUT");
    assert_eq!(replaced.attributes.full_name.as_deref(), Some("Ada King"));
    assert_eq!(
        replaced.attributes.email, None,
        "PUT replaces the writable attributes"
    );
    // The handle keeps what the write answered.
    assert_eq!(api.invites().get(id.clone()).await.unwrap(), replaced);
    assert!(requests_to(&platform, "GET", "/api/v3/invites").is_empty());

    api.invites().delete(id.clone()).await.unwrap();
    assert_eq!(platform.requests().pop().unwrap().method, "DELETE");
    assert!(
        platform
            .models("invites")
            .iter()
            .all(|i| i["id"] != json!(id.to_string()))
    );
    let gone = api.invites().get(id).await.unwrap_err();
    assert_eq!(gone.status, Some(404));
}

#[actix_web::test]
async fn a_reservation() {
    let platform = platform();
    let api = installer(&platform);
    let start: chrono::DateTime<chrono::Utc> = "2026-12-04T09:00:00Z".parse().unwrap();
    let end: chrono::DateTime<chrono::Utc> = "2026-12-04T17:00:00Z".parse().unwrap();
    let reservation = api
        .reserve(&ReservationDraft::new("1", start).location("1").until(end))
        .await
        .unwrap();
    let sent = platform.requests().pop().unwrap();
    assert_eq!(sent.path, "/a/rms/reservations");
    assert_eq!(
        sent.body,
        json!({"data": {"type": "reservations",
            "relationships": {"user": {"data": {"type": "users", "id": "1"}},
                "location": {"data": {"type": "locations", "id": "1"}}},
            "attributes": {"start-time": "2026-12-04T09:00:00Z", "end-time": "2026-12-04T17:00:00Z",
                "booking-source": "EXTERNAL_API", "booking-type": "visitor"}}})
    );
    assert!(
        reservation.attributes.created_at.is_some(),
        "created-at is a Unix number"
    );
    assert_eq!(platform.models("reservations").len(), 1);
}

#[actix_web::test]
async fn unknown_attributes_and_nulls_decode() {
    let platform = platform();
    let api = installer(&platform);
    let grace = api.employees().get(7).await.unwrap();
    assert_eq!(grace.attributes.phone_number, None);
    assert_eq!(grace.attributes.deleted_at, None);
    assert_eq!(grace.attributes.extra["favourite-colour"], "navy");
    assert_eq!(
        grace
            .attributes
            .company_id
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("3")
    );
    assert_eq!(
        grace.attributes.updated_at.as_ref().unwrap().to_rfc3339(),
        "2026-01-02T10:00:00+00:00"
    );
    let london = api.locations().get(1).await.unwrap();
    assert_eq!(london.attributes.flag("desks-enabled"), Some(true));
    assert_eq!(london.attributes.updated_at, None);
    let flow = api.flows().get(20).await.unwrap();
    assert_eq!(flow.global_flow_id(), None, "a null link");
    assert_eq!(
        flow.sign_in_field_page_id()
            .map(ToString::to_string)
            .as_deref(),
        Some("30")
    );
    let fields = api.sign_in_fields().of_page(30).await.unwrap();
    assert_eq!(
        fields[0].attributes.ipad_localized_names.as_ref().unwrap()[0].region_code,
        None
    );
    assert_eq!(fields[0].attributes.options.as_ref().unwrap().len(), 2);
    let page = api.sign_in_field_pages().get(30).await.unwrap();
    assert_eq!(page.field_ids().len(), 1);
    let agreements = api.agreement_pages().get(40).await.unwrap();
    let nda = api
        .agreements()
        .get(agreements.agreement_ids()[0].clone())
        .await
        .unwrap();
    assert_eq!(nda.attributes.video_url, None);
    let invite = api.invites().get(500).await.unwrap();
    assert_eq!(
        invite
            .attributes
            .approval_status
            .as_ref()
            .unwrap()
            .status
            .as_deref(),
        Some("approved")
    );
}
