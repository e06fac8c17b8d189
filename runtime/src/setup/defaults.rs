//! The install config a plugin's setup steps give before the installer changes anything: what the
//! test kit sends as `meta.config` when a test does not set one, so that a worker reading a typed
//! config with required fields runs without every test spelling the whole config out.

use serde_json::{Map, Value, json};

use super::{FieldKind, StepDescription, StepKindDescription};
use crate::Plugin;

/// The setup defaults of plugin `P`: one value per form field that has one, keyed as the install
/// config saves it.
///
/// | field | default |
/// | --- | --- |
/// | `text` with a `placeholder` | the placeholder (what the form shows, and the preview calls the default) |
/// | `text` without one | none |
/// | `checkbox` | `false` (an unticked box) |
/// | `select` or `resource` with `multiple` | `[]` |
/// | `select` or `resource`, single | none (nothing chosen) |
/// | `mapping` | `{}` |
///
/// OAuth2 and pop-up steps save what their validation route answers, so they give no default; nor
/// do `info` and `link`, which hold no value. A field without a default is left out: a config type
/// that requires it (no `Option`, no `#[serde(default)]`) cannot be read from the defaults alone.
///
/// ```
/// use envoy_plugin::prelude::*;
///
/// #[derive(SetupForm, Serialize, Deserialize)]
/// struct Config {
///     #[field(text, label = "Greeting", required, placeholder = "Welcome")]
///     greeting: String,
///     #[field(checkbox, label = "Notify the host")]
///     notify_host: bool,
///     #[field(text, label = "Channel")]
///     channel: Option<String>,
/// }
///
/// #[event("entry_sign_in")]
/// async fn welcome(job: Job<Config>, entry: Entry) -> JobResult {
///     Ok(Outcome::done(format!("{}, {}", job.config().greeting, entry.full_name)))
/// }
///
/// plugin! { Greeter { name: "Greeter", config: Config, steps: [Config], events: [welcome] } }
///
/// assert_eq!(
///     envoy_plugin::setup::default_config::<Greeter>(),
///     serde_json::json!({"greeting": "Welcome", "notify_host": false}),
/// );
/// ```
pub fn default_config<P: Plugin>() -> Value {
    Value::Object(defaults_of(&P::steps()))
}

/// The defaults of `steps`, in setup order (a later step's key wins, as it would in the config).
pub(crate) fn defaults_of(steps: &[StepDescription]) -> Map<String, Value> {
    let mut config = Map::new();
    for step in steps {
        let StepKindDescription::Form { fields } = &step.kind else {
            continue;
        };
        for field in fields.iter().filter(|f| !f.key.is_empty()) {
            if let Some(value) = default_of(&field.kind) {
                config.insert(field.key.to_owned(), value);
            }
        }
    }
    config
}

fn default_of(kind: &FieldKind) -> Option<Value> {
    match kind {
        FieldKind::Text { placeholder, .. } => placeholder.map(|p| json!(p)),
        FieldKind::Checkbox => Some(json!(false)),
        FieldKind::Select { multiple, .. } | FieldKind::Resource { multiple, .. } => {
            multiple.then(|| json!([]))
        }
        FieldKind::Mapping { .. } => Some(json!({})),
        FieldKind::Link { .. } | FieldKind::Info { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::{FieldDescription, OptionsSource, Resource};

    const SOURCE: OptionsSource = OptionsSource {
        handler: "h",
        path: "/routes/h",
        searchable: false,
        paginated: false,
        cursor: false,
    };

    #[test]
    fn each_field_type_gives_its_default_and_fields_without_one_are_left_out() {
        const FIELDS: &[FieldDescription] = &[
            FieldDescription::new(
                "greeting",
                "Greeting",
                FieldKind::Text {
                    required: true,
                    placeholder: Some("Welcome"),
                },
            ),
            FieldDescription::new(
                "api_key",
                "API key",
                FieldKind::Text {
                    required: true,
                    placeholder: None,
                },
            ),
            FieldDescription::new("notify", "Notify", FieldKind::Checkbox),
            FieldDescription::new(
                "kind",
                "Kind",
                FieldKind::Select {
                    options: SOURCE,
                    multiple: false,
                    selected_values: None,
                    required: false,
                },
            ),
            FieldDescription::new(
                "languages",
                "Languages",
                FieldKind::Select {
                    options: SOURCE,
                    multiple: true,
                    selected_values: None,
                    required: false,
                },
            ),
            FieldDescription::new(
                "locations",
                "Locations",
                FieldKind::Resource {
                    resource: Resource::Locations,
                    multiple: true,
                    required: false,
                },
            ),
            FieldDescription::new(
                "colours",
                "Colours",
                FieldKind::Mapping {
                    options: SOURCE,
                    to: &FieldKind::Checkbox,
                },
            ),
            FieldDescription::new("", "Docs", FieldKind::Info { text: "..." }),
        ];
        let steps = [
            StepDescription::form("Form", "Form", FIELDS),
            StepDescription::popup("Pairing", "Pair", "/popup/p"),
        ];
        assert_eq!(
            Value::Object(defaults_of(&steps)),
            json!({
                "greeting": "Welcome",
                "notify": false,
                "languages": [],
                "locations": [],
                "colours": {},
            })
        );
    }
}
