//! Every field type and step type, a validation route per step, each route kind.
use std::collections::BTreeMap;

use envoy_plugin::prelude::*;

#[options(searchable, paginated)]
async fn visitor_types(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![SelectOption::new(query.search.unwrap_or_default(), "v")])
}

#[selected_values]
async fn visitor_type_values(query: SelectedValuesQuery) -> Vec<SelectOption> {
    query.values.iter().map(|v| SelectOption::new(v.clone(), v.clone())).collect()
}

#[options(cursor, searchable)]
async fn flows(query: CursorQuery) -> Result<CursorPage, PluginError> {
    Ok(CursorPage::last(vec![SelectOption::new(query.cursor.unwrap_or_default(), "f")]))
}

#[derive(SetupForm, Serialize, Deserialize)]
#[form(title = "Settings", info(label = "About", text = "Hello"), link(label = "Docs", url = "https://x.test", tab))]
struct Settings {
    #[field(text, required, placeholder = "Hi")]
    greeting: String,
    #[field(checkbox)]
    #[serde(default)]
    notify: bool,
    #[field(select, options = visitor_types, selected = visitor_type_values, required)]
    visitor_type: String,
    #[field(select, options = flows, selected = visitor_type_values, multiple)]
    flows: Vec<String>,
    #[field(resource, resource = "employees", multiple, key = "hosts")]
    #[serde(rename = "hosts")]
    host_ids: Vec<String>,
    #[field(mapping, options = flows, to = select(visitor_types))]
    mapping: BTreeMap<String, String>,
    #[field(mapping, options = visitor_types, to = resource("locations"))]
    #[serde(rename = "locations_by_type")]
    per_type: BTreeMap<String, String>,
}

#[derive(OAuth2Step, Deserialize)]
#[oauth2(authorize_url = "https://a.test/auth", token_url = "https://a.test/token", scopes = ["a", "b"],
         client_id_variable = "A_ID", client_secret_variable = "A_SECRET")]
struct Login {
    access_token: String,
}

#[derive(PopupStep, Deserialize)]
#[popup(content = pairing_page)]
struct Pairing {
    code: String,
}

#[popup_content(Pairing)]
async fn pairing_page(request: PopupRequest) -> actix_web::HttpResponse {
    request.complete("https://app.envoy.com/cb", &[])
}

#[validate(Settings)]
async fn check_settings(settings: Settings, meta: RouteMeta) -> Validation {
    let _ = meta.install_id;
    Validation::save(settings)
}

#[validate(Login, path = "/oauth/done")]
async fn check_login(login: Login) -> Result<Validation, PluginError> {
    Ok(Validation::save_nothing().set("logged_in", !login.access_token.is_empty()))
}

#[validate(Pairing)]
async fn check_pairing(pairing: Pairing) -> Result<Validation, std::io::Error> {
    Ok(Validation::save_nothing().set("code", pairing.code))
}

#[remote_value]
async fn remote(_meta: RouteMeta) -> String {
    "value".into()
}

#[migration]
async fn migrate(meta: RouteMeta) -> Result<serde_json::Value, PluginError> {
    Ok(meta.config)
}

plugin! {
    Everything {
        name: "Everything",
        description: "Uses every step and route kind.",
        config: Settings,
        steps: [Settings, Login, Pairing],
        routes: [visitor_types, visitor_type_values, flows, pairing_page, check_settings, check_login,
                 check_pairing, remote, migrate],
    }
}

fn main() {
    let manifest = envoy_plugin::manifest::Manifest::of::<Everything>("https://x.test").unwrap();
    let json: serde_json::Value = serde_json::from_str(&manifest.to_json()).unwrap();
    assert_eq!(json["setup_steps"][0]["fields"][6]["key"], "hosts");
    assert_eq!(json["setup_steps"][0]["fields"][8]["key"], "locations_by_type");
    assert_eq!(json["setup_steps"][1]["validation_url"], "https://x.test/oauth/done");
    assert_eq!(json["setup_steps"][2]["content_url"], "https://x.test/popup/pairing_page");
}
