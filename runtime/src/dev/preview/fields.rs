//! Each form field type as the page renders it, with its label, help text, required marker and
//! the value the install config holds for it. Selects and mappings are filled by the page's script
//! from the plugin's options routes.

use maud::{Markup, html};
use serde_json::Value;

use super::resources;
use super::session::Session;
use crate::manifest::FieldEntry;

/// The element id of field `key` of step `step`.
pub(crate) fn field_id(step: usize, key: &str) -> String {
    format!("step-{step}-{key}")
}

/// The marker after a required field's label: a star for the eye, words for a screen reader.
fn required_marker(required: bool) -> Markup {
    html! {
        @if required {
            span.required aria-hidden="true" { " *" }
            span.visually-hidden { " (required)" }
        }
    }
}

/// What the installer is told under a field: how its options behave, its default, and where its
/// value goes (the manifest carries no help text of its own).
fn help_text(field: &FieldEntry) -> Markup {
    let mut parts = Vec::new();
    match field.kind {
        "select" | "mapping" => {
            if field.searchable {
                parts.push("Type to search the options.".to_owned());
            }
            if field.paginated || field.cursor {
                parts.push("More options load on demand.".to_owned());
            }
            if field.multiple {
                parts.push("Choose several with Ctrl or Shift.".to_owned());
            }
        }
        "resource select" => parts.push(format!(
            "Envoy {}; the stand-in offers made-up ones.",
            field.resource.unwrap_or("resources").replace('_', " ")
        )),
        _ => {}
    }
    if let Some(placeholder) = field.placeholder {
        parts.push(format!("Default: “{placeholder}”."));
    }
    html! {
        (parts.join(" "))
        @if !field.key.is_empty() {
            @if !parts.is_empty() { " " }
            "Saved as " code { (field.key) } " in the install config."
        }
    }
}

/// The saved value as JSON text, for the page's script (`null` when nothing is saved).
fn saved_json(saved: Option<&Value>) -> String {
    saved.map_or_else(|| "null".to_owned(), Value::to_string)
}

/// One field of step `step`, with the value `saved` in the install config, if any.
pub(crate) fn field(
    session: &Session,
    step: usize,
    field: &FieldEntry,
    saved: Option<&Value>,
) -> Markup {
    let id = field_id(step, field.key);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described = format!("{help_id} {error_id}");
    let help = help_text(field);
    let has_help = !help.0.is_empty();
    let options_path = field.options_url.as_deref().map(|url| session.path_of(url));
    let selected_path = field
        .selected_values_url
        .as_deref()
        .map(|url| session.path_of(url));
    let paging = if field.cursor {
        "cursor"
    } else if field.paginated {
        "page"
    } else {
        "none"
    };
    let list_box = field.multiple || field.searchable || paging != "none";
    let footer = html! {
        @if has_help { p.help id=(help_id) { (help) } }
        p.field-error id=(error_id) role="alert" hidden {}
    };
    match field.kind {
        "info" => html! {
            div.field.info data-type="info" {
                p { (field.text.unwrap_or_default()) }
            }
        },
        "link" => html! {
            div.field.link data-type="link" {
                a href=(field.url.unwrap_or("#")) target="_blank" rel="noopener noreferrer" {
                    (field.label) " ↗"
                }
                p.help {
                    @if field.opens_in.is_some_and(|t| t.as_str() == "popup") {
                        "Opens in a pop-up on Envoy; in a new tab here."
                    } @else {
                        "Opens in a new tab."
                    }
                }
            }
        },
        "checkbox" => html! {
            div.field.checkbox data-field=(field.key) data-type="checkbox" {
                input type="checkbox" id=(id) name=(field.key)
                    checked[saved == Some(&Value::Bool(true))] aria-describedby=(described);
                label for=(id) { (field.label) (required_marker(field.required)) }
                (footer)
            }
        },
        "select" => html! {
            div.field.select data-field=(field.key) data-type="select"
                data-options=[options_path] data-selected-url=[selected_path]
                data-paging=(paging) data-searchable[field.searchable]
                data-multiple[field.multiple] data-required[field.required]
                data-saved=(saved_json(saved)) {
                label for=(id) { (field.label) (required_marker(field.required)) }
                @if field.searchable {
                    input.search type="search" id=(format!("{id}-search"))
                        aria-label=(format!("Search {}", field.label)) aria-controls=(id)
                        placeholder="Search…" autocomplete="off";
                }
                // A list box when the options change under the installer's hands (search, more
                // pages) or several can be chosen, so the options are in view; else a dropdown.
                select id=(id) name=(field.key) multiple[field.multiple]
                    size=[list_box.then_some(5)] aria-describedby=(described)
                    aria-required=[field.required.then_some("true")] {
                    @if !field.multiple {
                        option value="" { @if list_box { "— none —" } @else { "— choose —" } }
                    }
                }
                @if paging != "none" {
                    button.load-more type="button" data-load-more { "Load more" }
                }
                p.options-status role="status" aria-live="polite" {}
                (footer)
            }
        },
        "resource select" => html! {
            div.field.select data-field=(field.key) data-type="resource"
                data-multiple[field.multiple] data-saved=(saved_json(saved)) {
                label for=(id) { (field.label) (required_marker(field.required)) }
                select id=(id) name=(field.key) multiple[field.multiple]
                    size=[field.multiple.then_some(3)] aria-describedby=(described) {
                    @if !field.multiple { option value="" { "— choose —" } }
                    @for (label, value) in resources::made_up(field.resource.unwrap_or_default()) {
                        option value=(Value::String(value).to_string()) { (label) }
                    }
                }
                (footer)
            }
        },
        "mapping" => {
            let to = field.mapping_to.as_deref();
            let to_kind = to.map_or("text", |t| t.kind);
            let to_options = to
                .and_then(|t| t.options_url.as_deref())
                .map(|url| session.path_of(url));
            // A resource select on the right: the stand-in's made-up resources, as options.
            let to_choices = to.and_then(|t| t.resource).map(|resource| {
                let choices: Vec<Value> = resources::made_up(resource)
                    .into_iter()
                    .map(|(label, value)| serde_json::json!({"label": label, "value": value}))
                    .collect();
                Value::Array(choices).to_string()
            });
            html! {
                fieldset.field.mapping data-field=(field.key) data-type="mapping"
                    data-options=[options_path] data-paging=(paging)
                    data-to=(to_kind) data-to-options=[to_options] data-to-choices=[to_choices]
                    data-saved=(saved_json(saved)) aria-describedby=(described) {
                    legend { (field.label) (required_marker(field.required)) }
                    table {
                        thead { tr { th scope="col" { "Option" } th scope="col" { "Value (" (to_kind) ")" } } }
                        tbody data-rows {}
                    }
                    @if paging != "none" {
                        button.load-more type="button" data-load-more { "Load more" }
                    }
                    p.options-status role="status" aria-live="polite" {}
                    (footer)
                }
            }
        }
        _ => html! {
            div.field.text data-field=(field.key) data-type="text" {
                label for=(id) { (field.label) (required_marker(field.required)) }
                input type="text" id=(id) name=(field.key)
                    value=[saved.and_then(Value::as_str)]
                    placeholder=[field.placeholder]
                    aria-required=[field.required.then_some("true")]
                    aria-describedby=(described);
                (footer)
            }
        },
    }
}
