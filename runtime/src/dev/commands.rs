//! The development commands. Each prints what it does step by step and exits non-zero when what it
//! sent failed (a failed job, a refused validation, an unanswered request).

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::DevCredentials;
use crate::api::{ApiPolicy, EnvoyApi};
use crate::manifest::{Manifest, StepEntry};
use crate::stand_in::StandIn;
use crate::testing::{Answer, Sender, TestEvent, TestRoute};
use crate::{JobStatus, Plugin, Secret, Settings, events};

/// Where `dev` runs and keeps its data.
#[derive(Debug, Clone)]
pub struct DevOptions {
    /// The plugin's port.
    pub port: u16,
    /// The stand-in platform's port (0: a free one).
    pub platform_port: u16,
    /// Where credentials and the platform's data are kept.
    pub data_dir: PathBuf,
    /// A JSON file seeding the user API's data (the installer's company), if given.
    pub directory: Option<PathBuf>,
    /// The install-flow preview page's port (0: a free one).
    pub preview_port: u16,
}

/// Which plugin a command talks to: `--to` and `--secret`, else what `dev` saved in its data
/// directory, else `http://127.0.0.1:8080` and `ENVOY_CLIENT_SECRET`.
#[derive(Debug, Clone)]
pub struct Target {
    /// The plugin's base URL.
    pub to: Option<String>,
    /// The plugin's client secret.
    pub secret: Option<String>,
    /// `dev`'s data directory.
    pub data_dir: PathBuf,
}

struct Resolved {
    sender: Sender,
    /// The stand-in's credentials and one client of its API (one login for the whole command).
    dev: Option<(DevCredentials, EnvoyApi)>,
    url: String,
}

impl Resolved {
    /// Calls the route at `path`, saying where.
    async fn call(&self, path: &str, request: &TestRoute) -> Result<Answer, String> {
        println!("POST {}{path}", self.url);
        self.sender
            .route(request)
            .await
            .map_err(|e| format!("{} does not answer: {e}", self.url))
    }
}

fn resolve(target: &Target) -> Result<Resolved, String> {
    let dev = DevCredentials::load(&target.data_dir);
    let url = target
        .to
        .clone()
        .or_else(|| dev.as_ref().map(|d| d.plugin_url.clone()))
        .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    // `--secret`, or ENVOY_CLIENT_SECRET through the flag's environment name.
    let secret = target
        .secret
        .clone()
        .filter(|s| !s.is_empty())
        .map(Secret::new)
        .or_else(|| dev.as_ref().map(|d| d.client_secret.clone()))
        .ok_or("no client secret: pass --secret, set ENVOY_CLIENT_SECRET, or run `dev` first")?;
    Ok(Resolved {
        sender: Sender::new(&url, secret),
        // The stand-in is only used when talking to dev's own plugin.
        dev: dev
            .filter(|d| target.to.is_none() || target.to.as_deref() == Some(&d.plugin_url))
            .map(|d| {
                let api = platform_api(&d);
                (d, api)
            }),
        url,
    })
}

fn platform_api(dev: &DevCredentials) -> EnvoyApi {
    EnvoyApi::connect(
        &dev.platform_url,
        &dev.client_id,
        &dev.client_secret,
        ApiPolicy::default().with_retries(1, std::time::Duration::ZERO),
    )
}

/// `KEY=VALUE` pairs into an object; a value that parses as JSON is taken as JSON, else as text.
pub(crate) fn pairs(items: &[String]) -> Result<Map<String, Value>, String> {
    items
        .iter()
        .map(|item| {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| format!("`{item}` is not KEY=VALUE"))?;
            let value =
                serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()));
            Ok((key.to_owned(), value))
        })
        .collect()
}

fn read_json(file: &PathBuf) -> Result<Value, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{} is not JSON: {e}", file.display()))
}

/// Runs the plugin next to the stand-in platform until stopped.
pub(crate) async fn dev<P: Plugin>(plugin: P, options: DevOptions) -> Result<(), String> {
    let mut credentials = DevCredentials::load_or_make(&options.data_dir);
    let state_file = options.data_dir.join("platform.json");
    let platform = StandIn::start_on(
        &credentials.client_id,
        credentials.client_secret.expose(),
        options.platform_port,
        Some(state_file.clone()),
    )
    .map_err(|e| format!("the stand-in platform cannot start: {e}"))?;
    if let Some(directory) = &options.directory {
        platform.seed_directory_file(directory)?;
    }
    // Installs grant what the plugin asks for, so a call beyond it is refused (403) as it would be.
    platform.set_install_scopes(P::user_scopes().map_or(&[], |declared| declared.scopes));
    credentials.platform_url = platform.base_url();
    credentials.plugin_url = format!("http://127.0.0.1:{}", options.port);
    credentials
        .save(&options.data_dir)
        .map_err(|e| format!("cannot write to {}: {e}", options.data_dir.display()))?;

    let mut settings = Settings::new(credentials.client_secret.clone());
    settings.client_id = Some(credentials.client_id.clone());
    settings.base_url = platform.base_url();
    settings.jwt_secret = Some(credentials.jwt_secret.clone());
    settings.port = options.port;

    println!("{} in development", P::NAME);
    if let Some(note) = super::gitignore::ignore_data_dir(&options.data_dir) {
        println!("{note}");
    }
    println!(
        "  plugin      {}  ({} workers, {} routes)",
        credentials.plugin_url,
        P::workers().len(),
        P::routes().len()
    );
    println!(
        "  platform    {}  (stand-in; its data is kept in {})",
        platform.base_url(),
        state_file.display()
    );
    println!(
        "  credentials made up for development, in {}",
        DevCredentials::file(&options.data_dir).display()
    );
    println!("  install     {}", credentials.install_id);
    if let Some(directory) = &options.directory {
        println!("  user API    data from {}", directory.display());
    }
    let preview = super::preview::Preview::start::<P>(&credentials, options.preview_port)
        .map_err(|e| format!("the preview page cannot start: {e}"))?;
    println!(
        "  preview     {}  (install the plugin and fire events in a browser)",
        preview.url()
    );
    println!(
        "Next, open the preview, or from another terminal: `setup` to install the plugin, then `send <event>`."
    );
    // Like crate::init_logging, and the preview shows each request's lines.
    super::preview::init_logging();
    let served = crate::serve(plugin, settings)
        .await
        .map_err(|e| format!("the plugin cannot start: {e}"));
    drop(preview);
    drop(platform);
    served
}

/// Prints an answer; `Ok(true)` when it counts as a success.
fn print_answer(answer: &Answer, worker: bool) -> bool {
    let framework_error = answer.framework_error();
    let outcome = match (framework_error, worker) {
        // Not a job outcome: the worker never ran.
        (Some(error), _) => format!(
            " (not a job outcome: the framework refused the request, {} {}: {})",
            error.kind, error.code, error.message
        ),
        (None, true) => match answer.outcome() {
            Some(status) => format!(" (job {})", status.as_str()),
            None => " (job failed: unintended)".to_owned(),
        },
        (None, false) => String::new(),
    };
    println!("status {}{outcome}", answer.status);
    if let Some(message) = answer.message() {
        println!("message: {message}");
    }
    for attachment in answer.attachments() {
        println!(
            "attachment: {} {}: {}",
            attachment["type"].as_str().unwrap_or("?"),
            attachment["label"].as_str().unwrap_or(""),
            attachment["value"]
        );
    }
    if framework_error.is_some() {
        false
    } else if worker {
        !matches!(answer.outcome(), None | Some(JobStatus::Failed))
    } else {
        (200..300).contains(&answer.status)
    }
}

/// What `send` is told.
pub(crate) struct SendArgs {
    pub event: String,
    pub payload: Option<PathBuf>,
    pub config: Vec<String>,
    pub job: Option<String>,
}

/// Signs and sends an event to the plugin's worker; `Ok(false)` when the job failed.
pub(crate) async fn send<P: Plugin>(args: SendArgs, target: Target) -> Result<bool, String> {
    let worker = P::workers().into_iter().find(|w| w.event == args.event);
    let built_in = events::ALL.contains(&args.event.as_str());
    if !built_in && worker.is_none() {
        let custom: Vec<_> = P::workers()
            .into_iter()
            .map(|w| w.event)
            .filter(|e| !events::ALL.contains(e))
            .collect();
        return Err(format!(
            "`{}` is not an event the platform sends ({}), nor one of {}'s custom events ({})",
            args.event,
            events::ALL.join(", "),
            P::NAME,
            if custom.is_empty() {
                "none".to_owned()
            } else {
                custom.join(", ")
            }
        ));
    }
    let worker = worker.ok_or_else(|| format!("{} has no worker for `{}`", P::NAME, args.event))?;
    let resolved = resolve(&target)?;
    let mut event = if built_in {
        TestEvent::new(&args.event)
    } else if worker.payload.ends_with("TakeoverAttributes>") {
        // An event the platform names per plugin: a sample of the worker's payload type, or
        // `--payload` for a type of the plugin's own.
        TestEvent::custom(&args.event, TestEvent::sample_takeover())
    } else {
        TestEvent::custom(&args.event, TestEvent::sample_notification())
    };
    let job_id = args.job.unwrap_or_else(|| {
        format!(
            "job-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis())
        )
    });
    event = event.job_id(&job_id);
    let mut config = Map::new();
    if let Some((dev, api)) = &resolved.dev {
        event = event.install_id(&dev.install_id);
        if let Ok(Value::Object(saved)) =
            api.install(dev.install_id.as_str()).config::<Value>().await
        {
            config = saved;
        }
    }
    config.extend(pairs(&args.config)?);
    event = event.config(Value::Object(config));
    if let Some(file) = &args.payload {
        event = event.payload(read_json(file)?);
    }
    if let Some((dev, _)) = &resolved.dev {
        event = event.set("meta.auth", installer_auth::<P>(dev).await?);
    }
    println!(
        "POST {}{} (event {}, job {job_id})",
        resolved.url, worker.path, args.event
    );
    let answer = resolved
        .sender
        .event(worker.path, &event)
        .await
        .map_err(|e| format!("{} does not answer: {e}", resolved.url))?;
    Ok(print_answer(&answer, true))
}

fn route_path<P: Plugin>(route: &str) -> Result<&'static str, String> {
    P::routes()
        .into_iter()
        .find(|r| r.name == route || r.path == route)
        .map(|r| r.path)
        .ok_or_else(|| {
            let names: Vec<_> = P::routes().iter().map(|r| r.name).collect();
            format!(
                "{} has no route `{route}`: it has {}",
                P::NAME,
                names.join(", ")
            )
        })
}

/// Calls an options route and prints the options.
pub(crate) async fn options<P: Plugin>(
    route: &str,
    params: Vec<String>,
    target: Target,
) -> Result<bool, String> {
    let path = route_path::<P>(route)?;
    let resolved = resolve(&target)?;
    let mut request = TestRoute::new(path);
    for (key, value) in pairs(&params)? {
        // The platform sends params as strings.
        let value = match value {
            Value::String(s) => s,
            other => other.to_string(),
        };
        request = request.param(&key, value);
    }
    let answer = resolved.call(path, &request).await?;
    let ok = print_answer(&answer, false);
    let (list, cursor) = match &answer.body {
        Value::Array(items) => (items.clone(), None),
        Value::Object(page) if page.contains_key("data") => (
            page["data"].as_array().cloned().unwrap_or_default(),
            page.get("cursor")
                .and_then(Value::as_str)
                .map(str::to_owned),
        ),
        _ => (Vec::new(), None),
    };
    for option in &list {
        let disabled = if option["isDisabled"] == true {
            " (disabled)"
        } else {
            ""
        };
        println!(
            "option: {} = {}{disabled}",
            option["label"].as_str().unwrap_or("?"),
            option["value"]
        );
    }
    if let Some(cursor) = cursor {
        println!("next page: --param cursor={cursor}");
    }
    Ok(ok)
}

/// Calls a validation route; with `dev`, a success is merged into the install config, as the
/// platform does.
pub(crate) async fn validate<P: Plugin>(
    route: &str,
    payload: Option<PathBuf>,
    set: Vec<String>,
    save: bool,
    target: Target,
) -> Result<bool, String> {
    let path = route_path::<P>(route)?;
    let resolved = resolve(&target)?;
    let mut data = match payload {
        Some(file) => read_json(&file)?,
        None => json!({}),
    };
    if let Value::Object(object) = &mut data {
        object.extend(pairs(&set)?);
    }
    submit(&resolved, path, data, save).await
}

/// Submits a step's `data` to its validation route; with `save`, merges the answer into the
/// install config of `dev`'s stand-in, as the platform does when an installer saves the step.
async fn submit(resolved: &Resolved, path: &str, data: Value, save: bool) -> Result<bool, String> {
    let mut request = TestRoute::new(path).payload(data);
    if let Some((dev, api)) = &resolved.dev {
        request = request.set("meta.install_id", dev.install_id.as_str());
        if let Ok(config) = api.install(dev.install_id.as_str()).config::<Value>().await {
            request = request.config(config);
        }
    }
    let answer = resolved.call(path, &request).await?;
    let ok = print_answer(&answer, false);
    if ok {
        println!("saves: {}", answer.body);
        if !save {
            println!("dry run: the install config is unchanged (pass --save to save the answer)");
            return Ok(ok);
        }
        if let Some((dev, api)) = &resolved.dev {
            let config = api
                .install(dev.install_id.as_str())
                .update_config(&answer.body)
                .await
                .map_err(|e| format!("the stand-in did not save the config: {e}"))?;
            println!("install config: {config}");
        }
    }
    Ok(ok)
}

/// Walks the plugin's setup steps as the platform would: shows each select's options, submits each
/// step's values (from `values`, keyed by step name) to its validation route, and saves the result
/// in the install config of `dev`'s stand-in.
pub(crate) async fn setup<P: Plugin>(
    values: Option<PathBuf>,
    target: Target,
) -> Result<bool, String> {
    let resolved = resolve(&target)?;
    let Some((dev, api)) = resolved.dev.as_ref() else {
        return Err(
            "setup installs the plugin into `dev`'s stand-in platform: run `dev` first".into(),
        );
    };
    let manifest = Manifest::of::<P>(&resolved.url).map_err(|e| e.to_string())?;
    let values = match values {
        Some(file) => read_json(&file)?,
        None => match required_fields(&manifest).first() {
            None => json!({}),
            Some(field) => {
                return Err(format!(
                    "--values is missing, and the setup has required fields (`{field}` first): \
                     pass a JSON file of each step's values, keyed by the step's struct name"
                ));
            }
        },
    };
    println!(
        "Installing {} as {} on {}",
        P::NAME,
        dev.install_id,
        dev.platform_url
    );
    for (i, step) in manifest.setup_steps.iter().enumerate() {
        let (title, name, validation_url) = match step {
            StepEntry::Form {
                title,
                name,
                validation_url,
                ..
            }
            | StepEntry::OAuth2 {
                title,
                name,
                validation_url,
                ..
            }
            | StepEntry::Popup {
                title,
                name,
                validation_url,
                ..
            } => (title, name, validation_url),
        };
        println!("\nStep {}: {title} ({name})", i + 1);
        let data = values.get(*name).cloned().unwrap_or_else(|| json!({}));
        if let StepEntry::Form { fields, .. } = step {
            for field in fields.iter().filter(|f| f.options_url.is_some()) {
                let path = field
                    .options_url
                    .as_deref()
                    .unwrap_or_default()
                    .trim_start_matches(&resolved.url);
                let offered = offered_options(&resolved.sender, path).await?;
                let shown: Vec<&str> = offered
                    .iter()
                    .take(5)
                    .map(|(label, _)| label.as_str())
                    .collect();
                println!("  field {} offers: {}", field.key, shown.join(", "));
                // A select saves option values; a mapping saves an object keyed by them.
                let chosen: Vec<&str> = match data.get(field.key) {
                    Some(Value::String(value)) => vec![value.as_str()],
                    Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
                    Some(Value::Object(map)) if field.kind == "mapping" => {
                        map.keys().map(String::as_str).collect()
                    }
                    _ => Vec::new(),
                };
                if let Some(unoffered) = chosen
                    .into_iter()
                    .find(|value| !offered.iter().any(|(_, offered)| offered == value))
                {
                    return Err(format!(
                        "`{unoffered}` for field `{}` of step {name} is not among the options its \
                         route offers: the dashboard could not save it",
                        field.key
                    ));
                }
            }
        }
        let ok = match validation_url {
            Some(url) => {
                submit(&resolved, url.trim_start_matches(&resolved.url), data, true).await?
            }
            None => {
                // Without a validation URL the platform saves the form's values as entered.
                let config = api
                    .install(dev.install_id.as_str())
                    .update_config(&data)
                    .await
                    .map_err(|e| e.to_string())?;
                println!("saved as entered; install config: {config}");
                true
            }
        };
        if !ok {
            println!("Step {} was refused: the install stops here.", i + 1);
            return Ok(false);
        }
    }
    println!("\nInstalled. Send an event with `send <event>`.");
    Ok(true)
}

/// `meta.auth` as the platform sends it to dev's plugin: the installer's token (from the stand-in's
/// `plugin_install` grant) when the plugin asks for user scopes, else `null`.
async fn installer_auth<P: Plugin>(dev: &DevCredentials) -> Result<Value, String> {
    if P::user_scopes().is_none() {
        return Ok(Value::Null);
    }
    let auth =
        crate::user_api::UserAuth::connect(&dev.platform_url, &dev.client_id, &dev.client_secret);
    let token = auth
        .plugin_install(&dev.install_id.as_str().into())
        .await
        .map_err(|e| format!("the stand-in gave no installer token: {e}"))?;
    Ok(json!({
        "token_type": "Bearer",
        "access_token": token.access_token().expose(),
        "expires_in": 3600,
        "refresh_token": token.refresh_token().map(crate::Secret::expose),
    }))
}

/// The keys of the form fields that must be filled in, in setup order.
fn required_fields(manifest: &Manifest) -> Vec<&'static str> {
    manifest
        .setup_steps
        .iter()
        .flat_map(|step| match step {
            StepEntry::Form { fields, .. } => fields.as_slice(),
            _ => &[],
        })
        .filter(|field| field.required)
        .map(|field| field.key)
        .collect()
}

/// Every option an options route offers, as `(label, value)`: all its pages (page numbers or a
/// cursor), up to a bound, as the dashboard's "load more" would.
async fn offered_options(sender: &Sender, path: &str) -> Result<Vec<(String, String)>, String> {
    const MOST_PAGES: usize = 50;
    let mut offered = Vec::new();
    let mut cursor: Option<String> = None;
    for page in 1..=MOST_PAGES {
        let mut request = TestRoute::new(path).param("page", page.to_string());
        if let Some(cursor) = &cursor {
            request = request.param("cursor", cursor.as_str());
        }
        let answer = sender.route(&request).await.map_err(|e| e.to_string())?;
        let list = answer.body.get("data").unwrap_or(&answer.body);
        let before = offered.len();
        for option in list.as_array().into_iter().flatten() {
            let value = match &option["value"] {
                Value::String(value) => value.clone(),
                other => other.to_string(),
            };
            let pair = (option["label"].as_str().unwrap_or("?").to_owned(), value);
            if !offered.contains(&pair) {
                offered.push(pair);
            }
        }
        cursor = answer.body["cursor"].as_str().map(str::to_owned);
        // A route that ignores paging answers the same list again: nothing new, so stop.
        if offered.len() == before || (answer.body.get("data").is_some() && cursor.is_none()) {
            break;
        }
    }
    Ok(offered)
}
