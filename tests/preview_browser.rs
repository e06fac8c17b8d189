//! The install-flow preview in a real browser: headless Chromium driven through chromedriver
//! (WebDriver, with fantoccini), against the greeter served next to the stand-in.
//!
//! These tests need Debian's `chromium` and `chromium-driver`: without them they skip loudly, and
//! with `ENVOY_PLUGIN_REQUIRE_SYSTEM_DEPS=1` (CI) they fail. Screenshots are written to
//! `target/tmp/preview-screenshots/`.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

#[path = "common/preview.rs"]
#[allow(dead_code)]
mod common;

#[path = "common/offices.rs"]
mod offices;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{INSTALL, Running, start};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use greeter::Greeter;
use serde_json::{Value, json};

/// One browser at a time: the machines running these tests are small.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Whether chromium and chromedriver are installed (skips loudly, or fails in CI, when not).
fn browser_installed() -> bool {
    envoy_plugin_suite::system_program("chromium", "apt-get install chromium chromium-driver")
        && envoy_plugin_suite::system_program(
            "chromedriver",
            "apt-get install chromium chromium-driver",
        )
}

/// A chromedriver on a free loopback port; killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver does not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium window of 1280×800.
async fn browser(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({"args": [
            "--headless=new",
            // Chromium refuses to run as root without it (CI containers run as root).
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1280,800",
        ]}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session");
    set_viewport(&client, 1280, 800).await;
    client
}

/// Sizes the window so that the page gets `width`×`height` (the window's frame takes some).
async fn set_viewport(client: &Client, width: u32, height: u32) {
    client.set_window_size(width, height).await.unwrap();
    let inner = eval(client, "[window.innerWidth, window.innerHeight]").await;
    let (inner_width, inner_height) = (
        inner[0].as_u64().unwrap() as u32,
        inner[1].as_u64().unwrap() as u32,
    );
    client
        .set_window_size(
            width + width.saturating_sub(inner_width),
            height + height.saturating_sub(inner_height),
        )
        .await
        .unwrap();
}

/// Waits until `condition` (a JavaScript expression) is true in the page, failing after 15 s with
/// `what`.
async fn wait_until(client: &Client, condition: &str, what: &str) {
    let started = Instant::now();
    loop {
        let answer = client
            .execute(&format!("return Boolean({condition});"), vec![])
            .await;
        if matches!(answer, Ok(Value::Bool(true))) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what} ({condition})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The value of a JavaScript expression in the page.
async fn eval(client: &Client, expression: &str) -> Value {
    client
        .execute(&format!("return {expression};"), vec![])
        .await
        .unwrap()
}

/// The labels of the options of a `<select>`, without the "choose" placeholder.
async fn option_labels(client: &Client, select: &str) -> Vec<String> {
    let labels = eval(
        client,
        &format!(
            "Array.from(document.querySelectorAll('{select} option')).filter(o => o.value !== '').map(o => o.textContent)"
        ),
    )
    .await;
    serde_json::from_value(labels).unwrap()
}

async fn css(client: &Client, selector: &str) -> fantoccini::elements::Element {
    client
        .find(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no element {selector}: {e}"))
}

/// Scrolls `selector` near the top of the window.
async fn scroll_to(client: &Client, selector: &str) {
    client
        .execute(
            "window.scrollTo(0, document.querySelector(arguments[0]).getBoundingClientRect().top + window.scrollY - 12);",
            vec![json!(selector)],
        )
        .await
        .unwrap();
}

/// Where the tests write their screenshots.
fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("preview-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Takes a screenshot of the window, writes it as `name.png`, and answers its pixels.
async fn screenshot(client: &Client, name: &str) -> Picture {
    let png = client.screenshot().await.expect("a screenshot");
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, &png).unwrap();
    eprintln!("screenshot: {}", path.display());
    Picture::decode(&png)
}

/// A screenshot's pixels.
struct Picture {
    width: u32,
    height: u32,
    rgba: Vec<[u8; 4]>,
}

impl Picture {
    fn decode(png_bytes: &[u8]) -> Picture {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buffer = vec![0; reader.output_buffer_size().expect("a size")];
        let frame = reader.next_frame(&mut buffer).expect("a frame");
        let bytes = &buffer[..frame.buffer_size()];
        let channels = frame.color_type.samples();
        let rgba = bytes
            .chunks(channels)
            .map(|px| match channels {
                4 => [px[0], px[1], px[2], px[3]],
                3 => [px[0], px[1], px[2], 255],
                2 => [px[0], px[0], px[0], px[1]],
                _ => [px[0], px[0], px[0], 255],
            })
            .collect();
        Picture {
            width: frame.width,
            height: frame.height,
            rgba,
        }
    }

    /// Not blank: many colours, and no single colour covering nearly all of it.
    fn assert_not_blank(&self, name: &str) {
        let mut counts = std::collections::HashMap::new();
        for px in &self.rgba {
            *counts.entry(*px).or_insert(0usize) += 1;
        }
        let most = counts.values().max().copied().unwrap_or(0);
        assert!(
            counts.len() > 50,
            "{name}: only {} colours in {}x{}",
            counts.len(),
            self.width,
            self.height
        );
        assert!(
            most * 100 < self.rgba.len() * 95,
            "{name}: one colour covers {most} of {} pixels",
            self.rgba.len()
        );
    }
}

/// Opens the page and waits for its selects to be filled from the plugin's options routes.
async fn open_page(client: &Client, running: &Running) {
    client.goto(&running.preview.url()).await.unwrap();
    wait_until(
        client,
        "document.querySelectorAll('#step-0-visitor_type option').length > 1 \
         && document.querySelectorAll('[data-field=badge_colours] tbody tr').length > 0 \
         && document.querySelectorAll('#step-0-languages option').length > 0",
        "the options to load",
    )
    .await;
}

/// Clicks `opener` in the main window, does `inside` in the window it opens, and comes back.
async fn in_opened_window<F, Fut>(client: &Client, opener: &str, inside: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let main = client.window().await.unwrap();
    // Windows of an earlier step may still be closing.
    let before = client.windows().await.unwrap();
    css(client, opener).await.click().await.unwrap();
    let started = Instant::now();
    let opened = loop {
        let windows = client.windows().await.unwrap();
        if let Some(other) = windows.into_iter().find(|w| !before.contains(w)) {
            break other;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no window opened"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    client.switch_to_window(opened).await.unwrap();
    inside(client.clone()).await;
    client.switch_to_window(main).await.unwrap();
}

#[actix_web::test]
async fn the_greeters_whole_install_flow_then_an_event_with_its_outcome() {
    if !browser_installed() {
        return;
    }
    let _one = ONE_BROWSER.lock().await;
    let running = start(Greeter);
    let driver = Driver::start();
    let client = browser(&driver).await;
    open_page(&client, &running).await;

    // Step 1: every field of the greeting form, with the keyboard and the mouse.
    css(&client, "#step-0-greeting")
        .await
        .send_keys("Hello")
        .await
        .unwrap();
    css(&client, "#step-0-notify_on_sign_out")
        .await
        .click()
        .await
        .unwrap();
    css(&client, "#step-0-visitor_type")
        .await
        .select_by_value("\"contractor\"")
        .await
        .unwrap();
    css(&client, "#step-0-languages")
        .await
        .select_by_value("\"en\"")
        .await
        .unwrap();
    // Klingon is shown but cannot be chosen.
    assert_eq!(
        eval(
            &client,
            "document.querySelector('#step-0-languages option[value=\\'\"tlh\"\\']').disabled"
        )
        .await,
        true
    );
    css(&client, "#step-0-locations")
        .await
        .select_by_value("\"1\"")
        .await
        .unwrap();
    css(&client, "#step-0-badge_colours-0")
        .await
        .send_keys("blue")
        .await
        .unwrap();
    scroll_to(&client, "[data-field=greeting]").await;
    screenshot(&client, "install-form")
        .await
        .assert_not_blank("install-form");
    css(&client, "#step-0 button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &client,
        "document.querySelector('#step-0').hasAttribute('data-done')",
        "step 1 to be saved",
    )
    .await;

    // Step 2: OAuth2 through the stand-in authorize page, in a window of its own.
    in_opened_window(&client, "#step-1 [data-open]", |window| async move {
        wait_until(
            &window,
            "document.querySelector('#account')",
            "the authorize page",
        )
        .await;
        let account = css(&window, "#account").await;
        account.clear().await.unwrap();
        account.send_keys("ada").await.unwrap();
        screenshot(&window, "oauth2-authorize").await;
        css(&window, "button[value=allow]")
            .await
            .click()
            .await
            .unwrap();
    })
    .await;
    wait_until(
        &client,
        "document.querySelector('#step-1').hasAttribute('data-done')",
        "step 2 to be saved",
    )
    .await;

    // Step 3: the plugin's own pop-up page.
    in_opened_window(&client, "#step-2 [data-open]", |window| async move {
        wait_until(
            &window,
            "document.querySelector('input[name=code]')",
            "the pop-up page",
        )
        .await;
        css(&window, "input[name=code]")
            .await
            .send_keys("K7Q2ZP")
            .await
            .unwrap();
        css(&window, "button").await.click().await.unwrap();
    })
    .await;
    wait_until(
        &client,
        "document.querySelector('#step-2').hasAttribute('data-done') && document.body.hasAttribute('data-installed')",
        "step 3 to be saved and the plugin installed",
    )
    .await;

    // The stand-in holds what every step saved.
    let config = running.harness.platform().config(INSTALL);
    assert_eq!(config["greeting"], "Hello");
    assert_eq!(config["notify_on_sign_out"], true);
    assert_eq!(config["visitor_type"], "contractor");
    assert_eq!(config["languages"], json!(["en"]));
    assert_eq!(config["locations"], json!(["1"]));
    assert_eq!(config["badge_colours"], json!({"visitor": "blue"}));
    assert_eq!(config["printer_account"], "ada");
    assert_eq!(config["kiosk"], "K7Q2ZP");
    assert!(
        css(&client, "#install-config")
            .await
            .text()
            .await
            .unwrap()
            .contains("K7Q2ZP")
    );
    client
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    let installed = screenshot(&client, "install-flow").await;
    installed.assert_not_blank("install-flow");

    // After the install: fire entry_sign_in with the factory payload, edited.
    let payload = css(&client, "#event-payload").await;
    let mut body: Value =
        serde_json::from_str(&payload.prop("value").await.unwrap().unwrap()).unwrap();
    body["attributes"]["full-name"] = json!("Grace Hopper");
    client
        .execute(
            "document.querySelector('#event-payload').value = arguments[0];",
            vec![json!(serde_json::to_string_pretty(&body).unwrap())],
        )
        .await
        .unwrap();
    css(&client, "#fire").await.click().await.unwrap();
    wait_until(
        &client,
        "document.querySelector('#outcome [data-outcome]')",
        "the outcome",
    )
    .await;
    let outcome = css(&client, "#outcome").await.text().await.unwrap();
    assert!(outcome.contains("done (HTTP 200)"), "{outcome}");
    assert!(outcome.contains("Greeted Grace Hopper"), "{outcome}");
    assert!(outcome.contains("Hello, Grace Hopper!"), "{outcome}");
    assert!(outcome.contains("/events/entry_sign_in"), "{outcome}");
    scroll_to(&client, "#fire").await;
    screenshot(&client, "fired-event")
        .await
        .assert_not_blank("fired-event");

    // A narrow window: nothing wider than the window.
    set_viewport(&client, 400, 800).await;
    scroll_to(&client, "#step-0").await;
    screenshot(&client, "narrow")
        .await
        .assert_not_blank("narrow");
    assert_eq!(
        eval(
            &client,
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        .await,
        true,
        "the page scrolls sideways on a narrow window"
    );
    client.close().await.unwrap();
}

#[actix_web::test]
async fn a_search_and_the_next_pages_of_paginated_selects() {
    if !browser_installed() {
        return;
    }
    let _one = ONE_BROWSER.lock().await;
    let running = start(Greeter);
    let driver = Driver::start();
    let client = browser(&driver).await;
    open_page(&client, &running).await;

    let select = "#step-0-visitor_type";
    assert_eq!(
        option_labels(&client, select).await,
        ["Visitor", "Contractor", "Interview"]
    );
    // The second page, by page number.
    css(&client, "[data-field=visitor_type] [data-load-more]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &client,
        "document.querySelectorAll('#step-0-visitor_type option').length === 6",
        "the second page",
    )
    .await;
    assert_eq!(
        option_labels(&client, select).await,
        ["Visitor", "Contractor", "Interview", "Delivery", "Vendor"]
    );
    // The third page is empty: no more "Load more".
    css(&client, "[data-field=visitor_type] [data-load-more]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &client,
        "getComputedStyle(document.querySelector('[data-field=visitor_type] [data-load-more]')).display === 'none'",
        "the last page",
    )
    .await;

    // The mapping's second page, by cursor.
    let rows = "document.querySelectorAll('[data-field=badge_colours] tbody tr')";
    assert_eq!(eval(&client, &format!("{rows}.length")).await, 2);
    css(&client, "[data-field=badge_colours] [data-load-more]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(&client, &format!("{rows}.length === 3"), "the cursor page").await;
    assert_eq!(
        eval(
            &client,
            "getComputedStyle(document.querySelector('[data-field=badge_colours] [data-load-more]')).display === 'none'"
        )
        .await,
        true
    );

    // Search as you type.
    css(&client, "#step-0-visitor_type-search")
        .await
        .send_keys("ven")
        .await
        .unwrap();
    wait_until(
        &client,
        "document.querySelectorAll('#step-0-visitor_type option').length === 2",
        "the search's options",
    )
    .await;
    assert_eq!(option_labels(&client, select).await, ["Vendor"]);
    scroll_to(&client, "[data-field=visitor_type]").await;
    screenshot(&client, "search")
        .await
        .assert_not_blank("search");
    client.close().await.unwrap();
}

#[actix_web::test]
async fn a_refused_greeting_is_shown_on_its_field_then_fixed() {
    if !browser_installed() {
        return;
    }
    let _one = ONE_BROWSER.lock().await;
    let running = start(Greeter);
    // A config saved earlier: its values are shown, the select's through its selected-values
    // route (Vendor is on the second page).
    running.harness.platform().set_config(
        INSTALL,
        json!({"visitor_type": "vendor", "languages": ["de"], "badge_colours": {"employee": "green"}}),
    );
    let driver = Driver::start();
    let client = browser(&driver).await;
    open_page(&client, &running).await;
    let selected = |select: &str| {
        format!(
            "Array.from(document.querySelector('{select}').selectedOptions).map(o => o.textContent)"
        )
    };
    wait_until(
        &client,
        &format!(
            "JSON.stringify({}) === '[\"Vendor\"]' && JSON.stringify({}) === '[\"Deutsch\"]' \
             && document.querySelector('#step-0-badge_colours-1').value === 'green'",
            selected("#step-0-visitor_type"),
            selected("#step-0-languages")
        ),
        "the saved values to be shown",
    )
    .await;

    let greeting = css(&client, "#step-0-greeting").await;
    greeting.send_keys(&"x".repeat(61)).await.unwrap();
    css(&client, "#step-0 button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &client,
        "!document.querySelector('#step-0-greeting-error').hidden",
        "the field's error",
    )
    .await;
    assert_eq!(
        css(&client, "#step-0-greeting-error")
            .await
            .text()
            .await
            .unwrap(),
        "Keep the greeting under 60 characters"
    );
    assert_eq!(
        greeting.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );
    // The error is on the step's greeting field, nowhere else, and the field has the focus.
    assert_eq!(
        eval(
            &client,
            "Array.from(document.querySelectorAll('.field-error, .step-error')).filter(e => !e.hidden).map(e => e.id)"
        )
        .await,
        json!(["step-0-greeting-error"])
    );
    assert_eq!(
        eval(&client, "document.activeElement.id").await,
        "step-0-greeting"
    );
    assert!(
        running
            .harness
            .platform()
            .config(INSTALL)
            .get("greeting")
            .is_none()
    );
    scroll_to(&client, "[data-field=greeting]").await;
    screenshot(&client, "validation-error")
        .await
        .assert_not_blank("validation-error");

    // Fixed, and submitted with the keyboard.
    greeting.clear().await.unwrap();
    greeting.send_keys("Good morning").await.unwrap();
    greeting
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    wait_until(
        &client,
        "document.querySelector('#step-0').hasAttribute('data-done')",
        "the step to be saved",
    )
    .await;
    assert_eq!(
        eval(
            &client,
            "document.querySelector('#step-0-greeting-error').hidden"
        )
        .await,
        true
    );
    assert_eq!(greeting.attr("aria-invalid").await.unwrap(), None);
    let config = running.harness.platform().config(INSTALL);
    assert_eq!(config["greeting"], "Good morning");
    assert_eq!(config["visitor_type"], "vendor");
    assert_eq!(config["badge_colours"], json!({"employee": "green"}));
    client.close().await.unwrap();
}

#[actix_web::test]
async fn a_mappings_right_hand_selects_are_fed_per_row_with_the_parent() {
    if !browser_installed() {
        return;
    }
    let _one = ONE_BROWSER.lock().await;
    let running = start(offices::Offices);
    let driver = Driver::start();
    let client = browser(&driver).await;
    client.goto(&running.preview.url()).await.unwrap();
    let desk = "#step-0-desks-1";
    wait_until(
        &client,
        &format!("document.querySelectorAll('{desk} option').length === 3"),
        "the first floor's desks",
    )
    .await;
    assert_eq!(
        option_labels(&client, desk).await,
        ["Window desk, first floor", "Corner desk, first floor"]
    );
    css(&client, desk)
        .await
        .select_by_value("\"first-corner\"")
        .await
        .unwrap();
    css(&client, "#step-0-locations-0")
        .await
        .select_by_value("\"2\"")
        .await
        .unwrap();
    css(&client, "#step-0 button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &client,
        "document.body.hasAttribute('data-installed')",
        "the install",
    )
    .await;
    assert_eq!(
        running.harness.platform().config(INSTALL),
        json!({"desks": {"first": "first-corner"}, "locations": {"ground": "2"}})
    );
    client.close().await.unwrap();
}
