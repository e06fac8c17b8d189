//! Saving a setup step as the platform does: required fields first, then the step's validation
//! route (signed), whose answer is merged into the install config or shown as the step's error.

use serde::Serialize;
use serde_json::{Map, Value};

use super::session::Session;
use crate::manifest::{FieldEntry, StepEntry};

/// An error shown on the page: on a field (`field` is its key) or on the whole step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StepError {
    /// The field's key, when the error belongs to one.
    pub field: Option<String>,
    /// What the installer reads.
    pub message: String,
}

/// What saving a step answers the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StepReply {
    /// Whether the step was saved.
    pub ok: bool,
    /// Why not.
    pub errors: Vec<StepError>,
    /// What the step merged into the install config (`null` for a key removes it).
    pub saved: Option<Value>,
    /// The install config after the step.
    pub config: Value,
    /// Whether every step is saved now.
    pub installed: bool,
}

impl StepReply {
    async fn refused(session: &Session, errors: Vec<StepError>) -> StepReply {
        StepReply {
            ok: false,
            errors,
            saved: None,
            config: session.config().await,
            installed: false,
        }
    }
}

/// Whether a form value counts as empty for a required field: the framework's own rule (a blank
/// text is empty), so the page refuses what the plugin's validation route would refuse.
fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(map)) => map.is_empty(),
        Some(_) => false,
    }
}

/// The required fields left empty, as the Dev Dashboard refuses them before calling the plugin.
fn missing_required(fields: &[FieldEntry], values: &Map<String, Value>) -> Vec<StepError> {
    fields
        .iter()
        .filter(|f| f.required && !f.key.is_empty() && is_empty(values.get(f.key)))
        .map(|f| StepError {
            field: Some(f.key.to_owned()),
            message: format!("{} is required", f.label),
        })
        .collect()
}

/// The field a refusal speaks of: the one whose label or key (with spaces for underscores) the
/// message names, the longest such name winning; `None` when it names none (the error is then
/// shown on the step). The platform's answer is only a message, so this is how the page puts it
/// next to the field the installer has to change.
pub(crate) fn field_named(message: &str, fields: &[FieldEntry]) -> Option<String> {
    let message = message.to_lowercase();
    fields
        .iter()
        .filter(|f| !f.key.is_empty())
        .flat_map(|f| {
            [
                f.label.to_lowercase(),
                f.key.replace('_', " "),
                f.key.to_owned(),
            ]
            .into_iter()
            .filter(|name| !name.is_empty() && message.contains(name.as_str()))
            .map(move |name| (name.len(), f.key))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, key)| key.to_owned())
}

/// Saves step `index` with `values` (a form's values, or what the OAuth2 provider or pop-up
/// returned).
pub(crate) async fn save(session: &Session, index: usize, values: Map<String, Value>) -> StepReply {
    let Some(step) = session.step(index) else {
        return StepReply::refused(
            session,
            vec![StepError {
                field: None,
                message: format!("there is no step {}", index + 1),
            }],
        )
        .await;
    };
    let (fields, validation_url): (&[FieldEntry], _) = match step {
        StepEntry::Form {
            fields,
            validation_url,
            ..
        } => (fields, validation_url),
        StepEntry::OAuth2 { validation_url, .. } | StepEntry::Popup { validation_url, .. } => {
            (&[], validation_url)
        }
    };
    let missing = missing_required(fields, &values);
    if !missing.is_empty() {
        return StepReply::refused(session, missing).await;
    }
    let saved = match validation_url {
        Some(url) => {
            let path = session.path_of(url);
            let answer = match session
                .call_route(path, &Map::new(), Some(Value::Object(values)))
                .await
            {
                Ok(answer) => answer,
                Err(problem) => {
                    return StepReply::refused(
                        session,
                        vec![StepError {
                            field: None,
                            message: problem,
                        }],
                    )
                    .await;
                }
            };
            if !(200..300).contains(&answer.status) {
                let message = answer.message().map_or_else(
                    || format!("the validation route answered {}", answer.status),
                    str::to_owned,
                );
                let field = field_named(&message, fields);
                return StepReply::refused(session, vec![StepError { field, message }]).await;
            }
            answer.body
        }
        // Without a validation URL the platform saves a form's values as entered.
        None => Value::Object(values),
    };
    let config = match session.update_config(&saved).await {
        Ok(config) => config,
        Err(problem) => {
            return StepReply::refused(
                session,
                vec![StepError {
                    field: None,
                    message: problem,
                }],
            )
            .await;
        }
    };
    let installed = {
        let mut progress = session.progress();
        progress.done.insert(index);
        progress.done.len() == session.manifest.setup_steps.len()
    };
    StepReply {
        ok: true,
        errors: Vec::new(),
        saved: Some(saved),
        config,
        installed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &'static str, label: &'static str, required: bool) -> FieldEntry {
        FieldEntry {
            key,
            kind: "text",
            label,
            required,
            placeholder: None,
            text: None,
            url: None,
            opens_in: None,
            options_url: None,
            searchable: false,
            paginated: false,
            cursor: false,
            multiple: false,
            selected_values_url: None,
            resource: None,
            mapping_to: None,
        }
    }

    #[test]
    fn a_refusal_goes_to_the_field_it_names() {
        let fields = [
            field("greeting", "Greeting", true),
            field("visitor_type", "Visitor type", false),
            field("", "How it works", false),
        ];
        assert_eq!(
            field_named("The greeting cannot be empty", &fields).as_deref(),
            Some("greeting")
        );
        assert_eq!(
            field_named("Unknown visitor type `x`", &fields).as_deref(),
            Some("visitor_type")
        );
        assert_eq!(field_named("The service is down", &fields), None);
    }

    #[test]
    fn required_fields_are_checked_before_the_plugin_is_called() {
        let fields = [
            field("greeting", "Greeting", true),
            field("note", "Note", false),
        ];
        let mut values = Map::new();
        values.insert("greeting".into(), Value::String(String::new()));
        let errors = missing_required(&fields, &values);
        assert_eq!(
            errors,
            vec![StepError {
                field: Some("greeting".into()),
                message: "Greeting is required".into()
            }]
        );
        values.insert("greeting".into(), Value::String("Hi".into()));
        assert!(missing_required(&fields, &values).is_empty());
    }
}
