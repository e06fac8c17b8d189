//! An OAuth2 step with a misspelt setting, a URL that is not one and a missing setting.
use envoy_plugin::prelude::*;

#[derive(OAuth2Step, Deserialize)]
#[oauth2(
    titel = "Connect GitHub",
    authorize_url = "github.com/login/oauth/authorize",
    token_url = "https://github.com/login/oauth/access_token",
    client_id_variable = "GITHUB_CLIENT_ID"
)]
struct GithubLogin {
    access_token: String,
}

#[validate(GithubLogin)]
async fn check_login(login: GithubLogin) -> Result<Validation, PluginError> {
    Ok(Validation::save(serde_json::json!({ "token": login.access_token })))
}

plugin! {
    Greeter { name: "Greeter", steps: [GithubLogin], routes: [check_login] }
}

fn main() {}
