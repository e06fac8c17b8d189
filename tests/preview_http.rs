//! The install-flow preview's server side, over plain HTTP (no browser): the page it renders from
//! the manifest, and the endpoints its script calls, against the greeter served next to the
//! stand-in. These run everywhere; the browser tests are in `preview_browser.rs`.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

#[path = "common/preview.rs"]
mod common;

#[path = "common/offices.rs"]
mod offices;

use common::{INSTALL, Running, start};
use envoy_plugin::prelude::*;
use greeter::Greeter;
use serde_json::{Value, json};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(running: &Running, path: &str) -> (u16, String) {
    let response = client().get(running.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get_json(running: &Running, path: &str) -> Value {
    client()
        .get(running.url(path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn post_json(running: &Running, path: &str, body: Value) -> (u16, Value) {
    let response = client()
        .post(running.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// The value of `name="state" value="..."` in an HTML page.
fn state_in(html: &str) -> String {
    let (start, skip) = ["name=\"state\" value=\"", "name=state value=\""]
        .iter()
        .find_map(|marker| html.find(marker).map(|at| (at, marker.len())))
        .expect("a state field");
    html[start + skip..].split('"').next().unwrap().to_owned()
}

#[actix_web::test]
async fn the_page_renders_every_step_in_order_with_its_fields() {
    let running = start(Greeter);
    let (status, html) = page(&running, "/_dev").await;
    assert_eq!(status, 200);
    let order: Vec<usize> = [
        "Step 1 · Greeting",
        "Step 2 · Connect the badge printer",
        "Step 3 · Pair a kiosk",
    ]
    .iter()
    .map(|title| html.find(title).unwrap_or_else(|| panic!("{title}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "steps out of order");
    // Every field type of the greeter's form, labelled.
    for needle in [
        "The greeter welcomes each visitor by name when they sign in.",
        r#"href="https://greeter.example.com/docs""#,
        r#"<label for="step-0-greeting">Greeting<span class="required" aria-hidden="true"> *</span><span class="visually-hidden"> (required)</span></label>"#,
        r#"placeholder="Welcome""#,
        r#"<label for="step-0-notify_on_sign_out">Acknowledge sign-outs</label>"#,
        r#"data-options="/routes/visitor_types" data-selected-url="/routes/visitor_type_values" data-paging="page" data-searchable"#,
        r#"aria-label="Search Visitor type""#,
        r#"<select id="step-0-languages" name="languages" multiple"#,
        r#"data-type="resource""#,
        "Head office (stand-in)",
        r#"data-type="mapping" data-options="/routes/flows" data-paging="cursor" data-to="text""#,
        "<legend>Badge colour per flow</legend>",
        "https://printer.example.com/oauth/authorize",
        "badges:print",
        r#"data-open="/_dev/oauth2/1/authorize""#,
        r#"data-open="/_dev/popup/2""#,
        r#"data-remote-value="/routes/greeting_count""#,
        r#"<option value="entry_sign_in">entry_sign_in</option>"#,
        r#"<option value="upcoming_visit">upcoming_visit</option>"#,
        r#"<label for="event-payload">"#,
        r#"src="/_dev/assets/preview.js""#,
    ] {
        assert!(html.contains(needle), "the page lacks {needle}");
    }
    // The factory payload is in the editor, and the panel waits for the install.
    assert!(html.contains("&quot;type&quot;: &quot;entries&quot;"));
    assert!(html.contains(r#"<button id="fire" type="submit" disabled>"#));
    // Nothing is loaded from anywhere but this server.
    assert!(!html.contains("src=\"http"));
    assert!(html.contains(r#"<link rel="stylesheet" href="/_dev/assets/preview.css">"#));
}

#[actix_web::test]
async fn assets_are_embedded_and_unknown_paths_are_not_served() {
    let running = start(Greeter);
    for (asset, kind) in [
        ("preview.css", "text/css"),
        ("preview.js", "text/javascript"),
        ("finish.js", "text/javascript"),
    ] {
        let response = client()
            .get(running.url(&format!("/_dev/assets/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with(kind), "{asset}: {content_type}");
        assert!(!response.text().await.unwrap().is_empty());
    }
    assert_eq!(page(&running, "/_dev/assets/secrets.json").await.0, 404);
    let (status, _) = page(&running, "/").await;
    assert_eq!(status, 302);
}

#[actix_web::test]
async fn options_come_from_the_plugins_routes_with_search_pages_and_cursors() {
    let running = start(Greeter);
    let (status, first) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/visitor_types", "params": {"page": 1}}),
    )
    .await;
    assert_eq!(status, 200);
    let labels = |answer: &Value| -> Vec<String> {
        answer["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(labels(&first), ["Visitor", "Contractor", "Interview"]);
    let (_, second) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/visitor_types", "params": {"page": "2"}}),
    )
    .await;
    assert_eq!(labels(&second), ["Delivery", "Vendor"]);
    let (_, searched) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/visitor_types", "params": {"search": "ven", "page": "1"}}),
    )
    .await;
    assert_eq!(labels(&searched), ["Vendor"]);

    // Cursor pages: the cursor comes back, and the last page has none.
    let (_, flows) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/flows", "params": {}}),
    )
    .await;
    assert_eq!(labels(&flows), ["Visitor", "Employee"]);
    assert_eq!(flows["cursor"], "2");
    let (_, last) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/flows", "params": {"cursor": "2"}}),
    )
    .await;
    assert_eq!(labels(&last), ["Delivery"]);
    assert_eq!(last["cursor"], Value::Null);

    // Disabled options keep their flag.
    let (_, languages) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/languages", "params": {}}),
    )
    .await;
    assert_eq!(languages["options"][2]["isDisabled"], true);

    // The options route's failure is shown, not hidden.
    let (status, failed) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/flows", "params": {"cursor": "nonsense"}}),
    )
    .await;
    assert_eq!(status, 502);
    assert_eq!(failed["error"], "unknown cursor");

    // The page can call the plugin's options routes and nothing else.
    let (status, refused) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/check_greeting", "params": {}}),
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("not an options route")
    );
}

#[actix_web::test]
async fn saved_values_get_their_labels_from_the_selected_values_route() {
    let running = start(Greeter);
    let (status, answer) = post_json(
        &running,
        "/_dev/api/selected",
        json!({"path": "/routes/visitor_type_values", "value": "vendor"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["options"],
        json!([{"label": "Vendor", "value": "vendor"}])
    );
    // A saved config shows its values pre-filled on the page.
    running.harness.platform().set_config(
        INSTALL,
        json!({"greeting": "Ahoy", "visitor_type": "vendor"}),
    );
    let (_, html) = page(&running, "/_dev").await;
    assert!(html.contains(r#"value="Ahoy""#));
    assert!(html.contains(r#"data-saved="&quot;vendor&quot;""#));
}

#[actix_web::test]
async fn a_form_step_is_checked_validated_and_saved_into_the_install_config() {
    let running = start(Greeter);
    let platform = running.harness.platform();
    platform.set_config(INSTALL, json!({"message": "legacy"}));

    // A required field left empty is refused on that field, before the plugin is called.
    platform.clear_requests();
    let (status, reply) = post_json(
        &running,
        "/_dev/api/steps/0",
        json!({"values": {"greeting": ""}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(reply["ok"], false);
    assert_eq!(
        reply["errors"],
        json!([{"field": "greeting", "message": "Greeting is required"}])
    );

    // The plugin's refusal is put on the field it names.
    let (_, reply) = post_json(
        &running,
        "/_dev/api/steps/0",
        json!({"values": {"greeting": "x".repeat(61)}}),
    )
    .await;
    assert_eq!(
        reply["errors"],
        json!([{"field": "greeting", "message": "Keep the greeting under 60 characters"}])
    );
    assert_eq!(platform.config(INSTALL), json!({"message": "legacy"}));

    // Accepted: what the validation route answers is merged (its `null` removes a key).
    let (_, reply) = post_json(
        &running,
        "/_dev/api/steps/0",
        json!({"values": {
            "greeting": "  Hello ",
            "notify_on_sign_out": true,
            "visitor_type": "vendor",
            "languages": ["en"],
            "locations": ["1"],
            "badge_colours": {"visitor": "blue"}
        }}),
    )
    .await;
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["saved"]["greeting"], "Hello");
    assert_eq!(reply["saved"]["message"], Value::Null);
    assert_eq!(reply["installed"], false);
    let config = platform.config(INSTALL);
    assert_eq!(config["greeting"], "Hello");
    assert_eq!(config["badge_colours"], json!({"visitor": "blue"}));
    assert!(config.get("message").is_none());
    assert_eq!(reply["config"], config);

    // (The plugin checks every signature: an unsigned call would have been answered 401.)
    let install = get_json(&running, "/_dev/api/install").await;
    assert_eq!(install["done"], json!([0]));
    assert_eq!(install["config"], config);
}

#[actix_web::test]
async fn the_oauth2_step_runs_through_the_stand_in_authorize_page() {
    let running = start(Greeter);
    let (status, html) = page(&running, "/_dev/oauth2/1/authorize").await;
    assert_eq!(status, 200);
    assert!(html.contains("Stand-in for printer.example.com"));
    assert!(html.contains("<code>badges:print</code>"));
    let state = state_in(&html);

    let callback = |form: Vec<(&'static str, String)>| {
        let url = running.url("/_dev/oauth2/1/callback");
        async move {
            let response = client().post(url).form(&form).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    // Denied: refused, nothing saved.
    let (status, denied) = callback(vec![
        ("state", state.clone()),
        ("account", "ada".into()),
        ("decision", "deny".into()),
    ])
    .await;
    assert_eq!(status, 400);
    assert!(denied.contains("access_denied"));
    // The state was spent.
    let (status, reused) = callback(vec![
        ("state", state),
        ("account", "ada".into()),
        ("decision", "allow".into()),
    ])
    .await;
    assert_eq!(status, 400);
    assert!(reused.contains("Unknown state"));

    let (_, html) = page(&running, "/_dev/oauth2/1/authorize").await;
    let (status, allowed) = callback(vec![
        ("state", state_in(&html)),
        ("account", "ada".into()),
        ("decision", "allow".into()),
    ])
    .await;
    assert_eq!(status, 200, "{allowed}");
    assert!(allowed.contains("Step 2 saved"));
    assert!(allowed.contains("data-reply="));
    assert_eq!(
        running.harness.platform().config(INSTALL)["printer_account"],
        "ada"
    );
}

#[actix_web::test]
async fn the_popup_step_shows_the_plugins_page_and_saves_what_it_sends_back() {
    let running = start(Greeter);
    let response = client()
        .get(running.url("/_dev/popup/2"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/_dev/popup/2/content?state=preview-2-"));

    // The plugin's own page, with the state it was opened with.
    let (status, html) = page(&running, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Kiosk code"));
    let state = state_in(&html);

    // A state the page did not issue is refused, as the platform refuses it.
    let (status, refused) = page(&running, "/_dev/popup/2/content?state=forged&code=ABCDEF").await;
    assert_eq!(status, 400);
    assert!(refused.contains("did not issue"));

    // The plugin redirects to the platform's callback: the preview reads it and saves the values.
    let (status, done) = page(
        &running,
        &format!("/_dev/popup/2/content?state={state}&code=K7Q2ZP"),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Step 3 saved"));
    assert_eq!(
        running.harness.platform().config(INSTALL)["kiosk"],
        "K7Q2ZP"
    );

    // A refused code is shown in the window.
    let response = client()
        .get(running.url("/_dev/popup/2"))
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, refused) = page(&running, &format!("{location}&code=ABC")).await;
    assert_eq!(status, 400);
    assert!(refused.contains("A kiosk code has 6 characters"));
}

#[actix_web::test]
async fn an_event_is_fired_with_its_outcome_logs_storage_and_config() {
    let running = start(Greeter);
    running
        .harness
        .platform()
        .set_config(INSTALL, json!({"greeting": "Good morning"}));
    let payload = get_json(&running, "/_dev/api/events/entry_sign_in/payload").await;
    assert_eq!(payload["type"], "entries");
    let mut payload = payload;
    payload["attributes"]["full-name"] = json!("Ada <Lovelace>");

    let (status, fired) = post_json(
        &running,
        "/_dev/api/events/entry_sign_in",
        json!({ "payload": payload }),
    )
    .await;
    assert_eq!(status, 200, "{fired}");
    assert_eq!(fired["outcome"], "done");
    assert_eq!(fired["status"], 200);
    assert_eq!(fired["message"], "Greeted Ada <Lovelace>");
    assert_eq!(fired["attachments"][0]["type"], "text");
    assert_eq!(
        fired["attachments"][0]["value"],
        "Good morning, Ada <Lovelace>!"
    );
    assert_eq!(fired["config"], json!({"greeting": "Good morning"}));
    // The request's own log line is among those shown.
    let logs = fired["logs"].as_array().unwrap();
    assert!(
        logs.iter().any(|line| {
            let text = line["text"].as_str().unwrap();
            text.contains("/events/entry_sign_in") && text.contains("outcome=\"done\"")
        }),
        "{logs:?}"
    );

    // Storage as the stand-in holds it after the job.
    let (_, ongoing) = post_json(
        &running,
        "/_dev/api/events/upcoming_visit",
        json!({ "payload": get_json(&running, "/_dev/api/events/upcoming_visit/payload").await }),
    )
    .await;
    assert_eq!(ongoing["outcome"], "ongoing");
    let job = ongoing["job"].as_str().unwrap();
    assert_eq!(
        ongoing["storage"][format!("badge:{job}")]["callback_set"],
        true
    );

    // An event the plugin does not handle is refused.
    let (status, refused) = post_json(
        &running,
        "/_dev/api/events/desk_sign_in",
        json!({"payload": {}}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(refused["error"].as_str().unwrap().contains("no worker"));
}

#[actix_web::test]
async fn remote_values_are_what_the_plugin_answers() {
    let running = start(Greeter);
    let values = get_json(&running, "/_dev/api/remote-values").await;
    assert_eq!(
        values,
        json!([{"path": "/routes/greeting_count", "value": "install preview-install: 0 greetings so far"}])
    );
}

// A plugin whose names carry markup: the page shows it as text.

/// A form whose title and label hold markup.
#[derive(SetupForm, Serialize, Deserialize)]
#[form(title = "Tricky <b>title</b>")]
struct Tricky {
    #[field(text, label = "Name <script>alert(1)</script>", required)]
    name: String,
}

#[event("entry_sign_in")]
async fn hello(entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("Hi {}", entry.full_name)))
}

plugin! {
    TrickyPlugin { name: "Tricky & <Co>", config: envoy_plugin::UntypedConfig, steps: [Tricky], events: [hello] }
}

#[actix_web::test]
async fn everything_from_the_plugin_is_escaped_and_a_step_without_validation_saves_as_entered() {
    let running = start(TrickyPlugin);
    let (_, html) = page(&running, "/_dev").await;
    assert!(html.contains("Tricky &lt;b&gt;title&lt;/b&gt;"));
    assert!(html.contains("Name &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Tricky &amp; &lt;Co&gt;"));
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b>title"));

    let (_, reply) = post_json(
        &running,
        "/_dev/api/steps/0",
        json!({"values": {"name": "<i>Ada</i>"}}),
    )
    .await;
    assert_eq!(reply["ok"], true);
    assert_eq!(reply["installed"], true);
    assert_eq!(
        running.harness.platform().config(INSTALL),
        json!({"name": "<i>Ada</i>"})
    );
    // The saved value is pre-filled, escaped.
    let (_, html) = page(&running, "/_dev").await;
    assert!(html.contains(r#"value="&lt;i&gt;Ada&lt;/i&gt;""#));
    assert!(html.contains(r#"<button id="fire" type="submit">"#));
}

#[actix_web::test]
async fn a_mappings_right_hand_select_gets_its_parent() {
    let running = start(offices::Offices);
    let (_, html) = page(&running, "/_dev").await;
    assert!(html.contains(r#"data-to="select" data-to-options="/routes/desks""#));
    assert!(html.contains(r#"data-to="resource select""#));
    assert!(html.contains("Head office (stand-in)"));
    let (status, answer) = post_json(
        &running,
        "/_dev/api/options",
        json!({"path": "/routes/desks", "params": {"parent_resource_id": "first"}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["options"][0]["label"], "Window desk, first floor");
}

/// `dev` as a person runs it: it prints the preview's address, whose page installs the greeter and
/// fires an event showing the plugin's log lines for it.
#[actix_web::test]
async fn dev_prints_the_preview_address_and_serves_the_page() {
    use std::io::BufRead as _;
    use std::process::{Command, Stdio};

    let greeter_bin = envoy_plugin_suite::example_binary("greeter");
    let data = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("preview-dev-{}", std::process::id()));
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    // A free port can be taken by another test between its check and `dev`'s bind, and `dev` then
    // stops before printing: a few tries, each with new ports.
    let mut started = None;
    for _ in 0..3 {
        let (port, preview_port) = (
            envoy_plugin_suite::free_port(),
            envoy_plugin_suite::free_port(),
        );
        let _ = std::fs::remove_dir_all(&data);
        let mut child = Command::new(&greeter_bin)
            .args(["dev", "--port", &port.to_string()])
            .args(["--preview-port", &preview_port.to_string(), "--data-dir"])
            .arg(&data)
            .env_remove("ENVOY_CLIENT_SECRET")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Read until the preview's line, and kept open until `dev` is stopped (it prints more).
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let stop = Stop(child);
        let printed = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|line| line.trim_start().starts_with("preview"));
        if let Some(printed) = printed {
            started = Some((port, preview_port, printed, lines, stop));
            break;
        }
    }
    let (port, preview_port, printed, _lines, _stop) =
        started.expect("dev prints the preview's address");
    let expected = format!("http://127.0.0.1:{preview_port}/_dev");
    assert!(printed.contains(&expected), "{printed}");
    // The plugin itself listens a moment later.
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let html = client()
        .get(&expected)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Greeter · install preview"), "{html}");
    let (_, reply) = post_json_to(
        &format!("{expected}/api/steps/0"),
        json!({"values": {"greeting": "Hi"}}),
    )
    .await;
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["config"]["greeting"], "Hi");
    let payload = client()
        .get(format!("{expected}/api/events/entry_sign_in/payload"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let (status, fired) = post_json_to(
        &format!("{expected}/api/events/entry_sign_in"),
        json!({ "payload": payload }),
    )
    .await;
    assert_eq!(status, 200, "{fired}");
    assert_eq!(fired["outcome"], "done");
    assert!(
        fired["logs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|line| line["text"]
                .as_str()
                .unwrap()
                .contains("/events/entry_sign_in")),
        "{fired}"
    );
    let _ = std::fs::remove_dir_all(&data);
}

async fn post_json_to(url: &str, body: Value) -> (u16, Value) {
    let response = client().post(url).json(&body).send().await.unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}
