//! The page: the setup steps in order, the plugin's remote values, the events panel and the
//! install as the stand-in holds it.

use maud::{DOCTYPE, Markup, html};
use serde_json::Value;

use super::PATH;
use super::events::factory_payload;
use super::fields;
use super::session::Session;
use crate::manifest::StepEntry;

/// The `<head>` every page of the preview shares.
pub(crate) fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) }
            link rel="stylesheet" href=(format!("{PATH}/assets/preview.css"));
        }
    }
}

fn step_title(step: &StepEntry) -> &'static str {
    match step {
        StepEntry::Form { title, .. }
        | StepEntry::OAuth2 { title, .. }
        | StepEntry::Popup { title, .. } => title,
    }
}

/// The main page, with the install config the stand-in holds now.
pub(crate) fn render(session: &Session, config: &Value) -> Markup {
    let done = session.progress().done.clone();
    let steps = &session.manifest.setup_steps;
    let installed = done.len() == steps.len();
    let first_event = session.workers.first().map(|(event, _)| *event);
    let remote_values: Vec<_> = session
        .manifest
        .routes
        .iter()
        .filter(|r| r.kind == "remote_value")
        .collect();
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(&format!("{} · install preview", session.name)))
            body data-installed[installed] data-steps=(steps.len()) {
                a.skip href="#steps" { "Skip to the setup steps" }
                header.bar {
                    h1 { (session.name) span.sub { " install preview" } }
                    p.where {
                        "Install " code { (session.install_id) }
                        " on the stand-in platform · plugin at " code { (session.manifest.base_url) }
                    }
                }
                main {
                    nav aria-label="Setup progress" {
                        ol.progress {
                            @for (i, step) in steps.iter().enumerate() {
                                li data-progress=(i) data-done[done.contains(&i)] {
                                    a href=(format!("#step-{i}")) { (i + 1) ". " (step_title(step)) }
                                }
                            }
                            li data-progress="installed" data-done[installed] { "Installed" }
                        }
                    }
                    div #steps {
                        @for (i, step) in steps.iter().enumerate() {
                            (render_step(session, i, step, config, done.contains(&i)))
                        }
                    }
                    @if !remote_values.is_empty() {
                        section.panel #remote-values aria-labelledby="remote-values-title" {
                            h2 #remote-values-title { "Remote values" }
                            p.help { "What the plugin's remote value routes answer for this install." }
                            dl {
                                @for route in &remote_values {
                                    dt { code { (route.name) } }
                                    dd { output data-remote-value=(session.path_of(&route.url)) { "Loading…" } }
                                }
                            }
                        }
                    }
                    section.panel #events aria-labelledby="events-title" {
                        h2 #events-title { "Fire an event" }
                        p #events-locked hidden[installed] {
                            "Save every setup step above to install the plugin; then fire the events it handles here."
                        }
                        @if let Some(first) = first_event {
                            form #fire-form {
                                div.field {
                                    label for="event-name" { "Event" }
                                    select #event-name name="event" {
                                        @for (event, _) in &session.workers {
                                            option value=(event) { (event) }
                                        }
                                    }
                                }
                                div.field {
                                    label for="event-payload" { "Payload (JSON, from the built-in factories)" }
                                    textarea #event-payload name="payload" rows="10" spellcheck="false"
                                        aria-describedby="event-payload-error" {
                                        (factory_payload(first).map(|p| serde_json::to_string_pretty(&p).unwrap_or_default()).unwrap_or_default())
                                    }
                                    p.field-error #event-payload-error role="alert" hidden {}
                                }
                                div.actions {
                                    button #fire type="submit" disabled[!installed] { "Fire event" }
                                    button #reset-payload type="button" { "Reset payload" }
                                }
                            }
                            div #outcome aria-live="polite" hidden {}
                        } @else {
                            p { (session.name) " handles no events." }
                        }
                    }
                    section.panel #install aria-labelledby="install-title" {
                        h2 #install-title { "The install on the stand-in" }
                        div.columns {
                            div {
                                h3 { "Config" }
                                pre #install-config tabindex="0" aria-label="Install config" {
                                    (serde_json::to_string_pretty(config).unwrap_or_default())
                                }
                            }
                            div {
                                h3 { "Storage" }
                                pre #install-storage tabindex="0" aria-label="Install storage" { "Loading…" }
                            }
                        }
                        button #refresh-install type="button" { "Refresh" }
                    }
                }
                script src=(format!("{PATH}/assets/preview.js")) defer {}
            }
        }
    }
}

fn render_step(
    session: &Session,
    index: usize,
    step: &StepEntry,
    config: &Value,
    done: bool,
) -> Markup {
    let title_id = format!("step-{index}-title");
    let (kind, body) = match step {
        StepEntry::Form { fields, .. } => (
            "form",
            html! {
                @for field in fields {
                    (fields::field(session, index, field, config.get(field.key).filter(|_| !field.key.is_empty())))
                }
            },
        ),
        StepEntry::OAuth2 {
            authorize_url,
            scopes,
            ..
        } => (
            "oauth2",
            html! {
                p {
                    "On Envoy the installer signs in at " code { (authorize_url) }
                    " and Envoy saves what the provider returns. Here a stand-in authorize page plays the provider: nothing leaves this machine."
                }
                p.help { "Scopes: " (scopes.join(", ")) }
            },
        ),
        StepEntry::Popup { content_url, .. } => (
            "popup",
            html! {
                p {
                    "Opens the plugin's pop-up page (" code { (content_url) } ") with a "
                    code { "state" } "; the values it sends back go to the step's validation route."
                }
            },
        ),
    };
    html! {
        section.step.panel id=(format!("step-{index}")) data-step=(index) data-kind=(kind)
            data-done[done] aria-labelledby=(title_id) {
            h2 id=(title_id) { "Step " (index + 1) " · " (step_title(step)) }
            p.step-state role="status" { @if done { "Saved" } @else { "Not saved yet" } }
            form.step-form novalidate data-step-form=(index) {
                (body)
                p.step-error role="alert" hidden {}
                div.actions {
                    @match kind {
                        "oauth2" => button type="button" data-open=(format!("{}/oauth2/{index}/authorize", PATH)) { "Connect" },
                        "popup" => button type="button" data-open=(format!("{}/popup/{index}", PATH)) { "Open the pop-up" },
                        _ => button type="submit" { "Save" },
                    }
                }
            }
            details.saved hidden[!done] {
                summary { "What the step saved" }
                pre data-saved-json {}
            }
        }
    }
}
