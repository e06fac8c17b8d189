//! Every attribute with every option, used correctly, listed in one declaration, served by an app.
use std::collections::BTreeMap;

use envoy_plugin::prelude::*;

#[derive(SetupForm, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[form(
    title = "Settings",
    info(label = "About", text = "Greets visitors"),
    link(label = "Docs", url = "https://example.com/docs", popup)
)]
struct Settings {
    #[field(text, label = "Greeting", required, placeholder = "Hello", key = "greetingText")]
    greeting_text: String,
    #[field(checkbox, label = "Notify the host")]
    #[serde(default)]
    notify_host: bool,
    #[field(select, label = "Visitor type", options = visitor_types, selected = visitor_type_values, required)]
    visitor_type: String,
    #[field(select, label = "Flows", options = flows, selected = visitor_type_values, multiple)]
    #[serde(default)]
    flows: Vec<String>,
    #[field(resource, label = "Hosts", resource = "employees", multiple, required)]
    #[serde(rename = "hostIds")]
    hosts: Option<Vec<String>>,
    #[field(mapping, label = "Badge per flow", options = flows, to = select(languages))]
    #[serde(default)]
    badges: BTreeMap<String, String>,
    #[field(mapping, label = "Location per type", options = languages, to = resource("locations"))]
    #[serde(default)]
    locations: BTreeMap<String, String>,
    #[field(mapping, label = "Print per type", options = languages, to = checkbox)]
    #[serde(default)]
    print: BTreeMap<String, bool>,
}

#[derive(OAuth2Step, Deserialize)]
#[oauth2(
    title = "Connect GitHub",
    authorize_url = "https://github.com/login/oauth/authorize",
    token_url = "https://github.com/login/oauth/access_token",
    scopes = ["repo", "read:user"],
    client_id_variable = "GITHUB_CLIENT_ID",
    client_secret_variable = "GITHUB_CLIENT_SECRET"
)]
struct GithubLogin {
    access_token: String,
}

#[derive(PopupStep, Deserialize)]
#[popup(title = "Pick a printer", content = printer_page)]
struct Printer {
    printer_id: String,
}

#[derive(Deserialize)]
pub struct Config {
    #[serde(default)]
    pub greeting_text: Option<String>,
}

#[event("entry_sign_in", path = "/hooks/sign-in", budget = "5s")]
async fn welcome(job: Job<Config>, entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("{:?} {}", job.config().greeting_text, entry.full_name)))
}

#[validate(Settings, path = "/check/settings", budget = "2s")]
async fn check_settings(settings: Settings) -> Result<Validation, PluginError> {
    Ok(Validation::save(settings))
}

#[validate(GithubLogin)]
async fn check_login(login: GithubLogin) -> Result<Validation, PluginError> {
    Ok(Validation::save(serde_json::json!({ "github_token": login.access_token })))
}

#[validate(Printer)]
async fn check_printer(printer: Printer) -> Result<Validation, PluginError> {
    Ok(Validation::save(serde_json::json!({ "printer_id": printer.printer_id })))
}

#[options(searchable, paginated, path = "/options/visitor-types", budget = "3s")]
async fn visitor_types(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![SelectOption::new(format!("page {}", query.page_or_first()), "v")])
}

#[options(cursor, searchable)]
async fn flows(query: CursorQuery) -> Result<CursorPage, PluginError> {
    Ok(CursorPage::last(vec![SelectOption::new(query.cursor.unwrap_or_default(), "f")]))
}

#[options]
async fn languages(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(Vec::new())
}

#[selected_values(budget = "1s")]
async fn visitor_type_values(query: SelectedValuesQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(query.values.iter().map(|v| SelectOption::new(v.clone(), v.clone())).collect())
}

#[remote_value(path = "/remote/status")]
async fn status() -> Result<String, PluginError> {
    Ok("up".into())
}

#[migration]
async fn migrate(meta: RouteMeta) -> Result<serde_json::Value, PluginError> {
    Ok(meta.config.clone())
}

#[popup_content(Printer, path = "/popup/printer")]
async fn printer_page(request: PopupRequest) -> actix_web::HttpResponse {
    request.complete("https://app.envoy.com/callback", &[("printer_id", "P-1")])
}

#[callback(get, path = "/callbacks/printed")]
async fn printed(job: JobApi, id: Id, body: serde_json::Value) -> Result<(), PluginError> {
    let _ = (job, id, body);
    Ok(())
}

#[derive(Deserialize)]
struct Order {
    order_id: String,
}

#[derive(Serialize)]
struct Accepted {
    id: String,
}

#[webhook(
    path = "/hooks/orders",
    auth = hmac(header = "X-Signature", algorithm = "sha512", encoding = "base64", prefix = "sha512=", secret_env = "ORDER_SECRET"),
    allow_from = ["10.0.0.0/8", "127.0.0.1"],
    read_timeout = "5s",
    budget = "2s",
    request_id_header = "X-Correlation-Id",
)]
async fn order_created(order: Order, request: actix_web::HttpRequest) -> Result<Accepted, PluginError> {
    let _ = request.path();
    Ok(Accepted { id: order.order_id })
}

#[webhook(auth = bearer(env = "PUSH_TOKEN"))]
async fn pushed(_event: serde_json::Value) -> Result<(), PluginError> {
    Ok(())
}

plugin! {
    /// The plugin.
    pub Everything {
        name: "Everything",
        description: "Uses every attribute.",
        config: Config,
        steps: [Settings, GithubLogin, Printer],
        events: [welcome],
        routes: [
            check_settings, check_login, check_printer, visitor_types, flows, languages,
            visitor_type_values, status, migrate, printer_page, printed,
        ],
        webhooks: [order_created, pushed],
    }
}

fn main() {
    use envoy_plugin::Endpoint;
    // Every handler is an `Endpoint`: one trait, whose constants say where and how it is served.
    assert_eq!(<welcome as Endpoint>::PATH, "/hooks/sign-in");
    assert_eq!(
        <welcome as Endpoint>::BUDGET,
        Some(std::time::Duration::from_secs(5))
    );
    assert_eq!(<check_settings as Endpoint>::NAME, "check_settings");
    assert_eq!(<flows as Endpoint>::PATH, "/routes/flows");
    assert_eq!(<printer_page as Endpoint>::PATH, "/popup/printer");
    assert!(<printed as Endpoint>::SETTINGS.allow_get);
    assert_eq!(<pushed as Endpoint>::PATH, "/webhooks/pushed");
    assert_eq!(<order_created as Endpoint>::PATH, "/hooks/orders");
    let settings = <order_created as Endpoint>::SETTINGS;
    assert_eq!(settings.request_id_header, "X-Correlation-Id");
    assert_eq!(settings.read_timeout, std::time::Duration::from_secs(5));
    assert_eq!(settings.allow_from, ["10.0.0.0/8", "127.0.0.1"]);
    assert_eq!(<Everything as Plugin>::routes().len(), 11);
    assert_eq!(<Everything as Plugin>::webhooks().len(), 2);
    let _ = actix_web::App::new()
        .service(welcome)
        .service(check_settings)
        .service(visitor_types)
        .service(visitor_type_values)
        .service(status)
        .service(migrate)
        .service(printer_page)
        .service(printed)
        .service(order_created)
        .service(pushed);
}
