use envoy_plugin::prelude::*;

#[derive(OAuth2Step, Deserialize)]
#[oauth2(
    title = "Connect GitHub",
    authorize_url = "https://github.com/login/oauth/authorize",
    token_url = "https://github.com/login/oauth/access_token",
    client_id_variable = "GITHUB_CLIENT_ID",
    client_secret_variable = "GITHUB_CLIENT_SECRET"
)]
struct GithubLogin {
    access_token: String,
}

plugin! {
    Greeter { name: "Greeter", steps: [GithubLogin] }
}

fn main() {}
