//! Secrets never show in `Debug` output of the platform's models: `meta.auth`'s extra keys, the
//! install config's values (often API keys), and an invite's tokens. What is not secret still shows.

use envoy_plugin::{EventMeta, Invite, RouteMeta};
use serde_json::json;

const API_KEY: &str = "sk_live_do-not-print";
const ID_TOKEN: &str = "eyJ-id-token-do-not-print";

fn auth() -> serde_json::Value {
    json!({
        "token_type": "Bearer",
        "access_token": "access-do-not-print",
        "refresh_token": "refresh-do-not-print",
        "id_token": ID_TOKEN,
        "company_id": "c-1"
    })
}

fn assert_hidden(debug: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!debug.contains(secret), "`{secret}` printed in {debug}");
    }
}

#[test]
fn event_meta_shows_config_keys_and_hides_their_values_and_auth_extras() {
    let meta: EventMeta = serde_json::from_value(json!({
        "event": "entry_sign_in", "plugin_id": 1, "install_id": 2, "job": {"id": "j-1"},
        "config": {"api_key": API_KEY, "greeting": "Hello"},
        "auth": auth()
    }))
    .unwrap();
    let debug = format!("{meta:?}");
    assert_hidden(
        &debug,
        &[
            API_KEY,
            "Hello",
            ID_TOKEN,
            "access-do-not-print",
            "refresh-do-not-print",
            "c-1",
        ],
    );
    // The keys, and what is not secret, are still there to debug with.
    for shown in [
        "api_key",
        "greeting",
        "id_token",
        "company_id",
        "entry_sign_in",
        "j-1",
        "Bearer",
    ] {
        assert!(debug.contains(shown), "`{shown}` missing from {debug}");
    }
    // Decoding keeps the values themselves.
    assert_eq!(meta.config["api_key"], API_KEY);
    assert_eq!(meta.auth.as_ref().unwrap().extra["id_token"], ID_TOKEN);
}

#[test]
fn route_meta_hides_config_values_and_auth_extras() {
    let meta: RouteMeta = serde_json::from_value(json!({
        "plugin_id": 1, "install_id": 2,
        "config": {"api_key": API_KEY},
        "auth": auth()
    }))
    .unwrap();
    let debug = format!("{meta:?}");
    assert_hidden(&debug, &[API_KEY, ID_TOKEN, "access-do-not-print"]);
    assert!(
        debug.contains("api_key") && debug.contains("id_token"),
        "{debug}"
    );
}

#[test]
fn an_invites_tokens_are_secrets() {
    let invite: Invite = serde_json::from_value(json!({
        "id": 9, "type": "invites",
        "attributes": {
            "full-name": "Ada Lovelace",
            "secret-token": "st-do-not-print",
            "edit-token": "et-do-not-print"
        }
    }))
    .unwrap();
    let debug = format!("{invite:?}");
    assert_hidden(&debug, &["st-do-not-print", "et-do-not-print"]);
    assert!(debug.contains("Ada Lovelace"), "{debug}");
    assert_eq!(
        invite.secret_token.as_ref().unwrap().expose(),
        "st-do-not-print"
    );
    // Re-encoded as sent: the platform's own value.
    assert_eq!(
        serde_json::to_value(&invite).unwrap()["attributes"]["edit-token"],
        "et-do-not-print"
    );
}
