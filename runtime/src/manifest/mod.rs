//! The manifest: everything to enter in Envoy's Dev Dashboard, built from the same declaration that
//! registers the routes, so the dashboard and the server cannot disagree. There is no import format
//! for the Dev Dashboard: the manifest is a checklist (`markdown`) and the same as JSON (`json`).
//!
//! The JSON schema is stable and its order deterministic (declaration order throughout); its
//! `schema` field names the version: `envoy-plugin-manifest/1`.

mod markdown;

use serde::Serialize;

use crate::Plugin;
use crate::route::RouteKindInfo;
use crate::setup::{FieldKind, LinkTarget, StepDescription, StepKindDescription};

pub use markdown::to_markdown;

/// The schema version written into every manifest.
pub const SCHEMA: &str = "envoy-plugin-manifest/1";

/// A plugin's manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// The schema version.
    pub schema: &'static str,
    /// The base URL every URL below starts with.
    pub base_url: String,
    /// The "Details" section.
    pub details: Details,
    /// The "Events" section: one worker URL per event.
    pub events: Vec<EventEntry>,
    /// The "Setup Steps" section, in order.
    pub setup_steps: Vec<StepEntry>,
    /// Every route the plugin serves besides its workers, with its URL.
    pub routes: Vec<RouteEntry>,
    /// The "API Credentials" section.
    pub api_credentials: ApiCredentials,
    /// The user scopes the plugin asks the installer for (`user_scopes` in `plugin!`), by their
    /// platform names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_scopes: Vec<&'static str>,
}

/// The "Details" section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Details {
    /// The plugin's name.
    pub name: &'static str,
    /// Its description.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub description: &'static str,
}

/// An event and the URL of its worker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventEntry {
    /// The event's name.
    pub event: &'static str,
    /// The worker's function name.
    pub worker: &'static str,
    /// The worker URL to enter.
    pub url: String,
}

/// A setup step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StepEntry {
    /// A form step.
    Form {
        /// The step's title.
        title: &'static str,
        /// The step's struct.
        name: &'static str,
        /// Its validation URL, if it has one.
        #[serde(skip_serializing_if = "Option::is_none")]
        validation_url: Option<String>,
        /// Its fields, in order.
        fields: Vec<FieldEntry>,
    },
    /// An OAuth2 step.
    #[serde(rename = "oauth2")]
    OAuth2 {
        /// The step's title.
        title: &'static str,
        /// The step's struct.
        name: &'static str,
        /// The provider's authorization URL.
        authorize_url: &'static str,
        /// The provider's token URL.
        token_url: &'static str,
        /// The scopes.
        scopes: &'static [&'static str],
        /// The variable holding the provider's client id.
        client_id_variable: &'static str,
        /// The variable holding the provider's client secret.
        client_secret_variable: &'static str,
        /// Its validation URL (required: the only way the step saves data).
        validation_url: Option<String>,
    },
    /// A pop-up step.
    Popup {
        /// The step's title.
        title: &'static str,
        /// The step's struct.
        name: &'static str,
        /// The content URL.
        content_url: String,
        /// Its validation URL.
        validation_url: Option<String>,
    },
}

/// A form field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldEntry {
    /// The config key (absent for info and link fields).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub key: &'static str,
    /// The field type, as the builder names it.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The label.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub label: &'static str,
    /// Whether it must be filled in.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The placeholder text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<&'static str>,
    /// Static text (info fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'static str>,
    /// The link (link fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'static str>,
    /// Where a link opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_in: Option<LinkTarget>,
    /// The options URL (select, mapping).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options_url: Option<String>,
    /// Searchable select.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub searchable: bool,
    /// Paginated select.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub paginated: bool,
    /// Cursor-paginated select.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cursor: bool,
    /// Several values can be chosen.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub multiple: bool,
    /// The selected-values URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_values_url: Option<String>,
    /// The resources of a resource select.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<&'static str>,
    /// The right-hand field of a mapping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping_to: Option<Box<FieldEntry>>,
}

/// A route besides the workers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteEntry {
    /// The handler's name.
    pub name: &'static str,
    /// `validation`, `options`, `selected_values`, `remote_value`, `migration`, `popup_content` or
    /// `callback`.
    pub kind: &'static str,
    /// The URL.
    pub url: String,
    /// The step it belongs to (validation and pop-up content routes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<&'static str>,
}

/// The "API Credentials" section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiCredentials {
    /// The variables to set from the generated credentials.
    pub variables: [&'static str; 2],
    /// What to do.
    pub note: &'static str,
}

/// Why a manifest cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError(String);

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManifestError {}

/// Checks a base URL: absolute `http` or `https`, with a host, without query or fragment. Returns it
/// without a trailing `/`.
pub fn check_base_url(base_url: &str) -> Result<String, ManifestError> {
    let bad = |why: &str| {
        ManifestError(format!(
            "--base-url `{base_url}` {why}: give the public URL the plugin is served at, e.g. `https://plugin.example.com`"
        ))
    };
    let url = url::Url::parse(base_url).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("is not an http(s) URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("has a query or fragment"));
    }
    Ok(base_url.trim_end_matches('/').to_owned())
}

impl Manifest {
    /// The manifest of plugin `P` served at `base_url`.
    pub fn of<P: Plugin>(base_url: &str) -> Result<Manifest, ManifestError> {
        let base = check_base_url(base_url)?;
        let url = |path: &str| format!("{base}{path}");
        let routes = P::routes();
        let validation_url = |step: &str| {
            routes
                .iter()
                .find(|r| matches!(r.kind, RouteKindInfo::Validate { step: s } if s == step))
                .map(|r| url(r.path))
        };
        let setup_steps = P::steps()
            .into_iter()
            .map(|step| step_entry(&step, &url, validation_url(step.name)))
            .collect();
        Ok(Manifest {
            schema: SCHEMA,
            base_url: base.clone(),
            details: Details {
                name: P::NAME,
                description: P::DESCRIPTION,
            },
            events: P::workers()
                .into_iter()
                .map(|w| EventEntry {
                    event: w.event,
                    worker: w.name,
                    url: url(w.path),
                })
                .collect(),
            setup_steps,
            routes: routes
                .iter()
                .map(|r| {
                    let (kind, step) = match &r.kind {
                        RouteKindInfo::Validate { step } => ("validation", Some(*step)),
                        RouteKindInfo::Options { .. } => ("options", None),
                        RouteKindInfo::SelectedValues => ("selected_values", None),
                        RouteKindInfo::RemoteValue => ("remote_value", None),
                        RouteKindInfo::Migration => ("migration", None),
                        RouteKindInfo::PopupContent { step } => ("popup_content", Some(*step)),
                        RouteKindInfo::Callback => ("callback", None),
                    };
                    RouteEntry {
                        name: r.name,
                        kind,
                        url: url(r.path),
                        step,
                    }
                })
                .collect(),
            api_credentials: ApiCredentials {
                variables: ["ENVOY_CLIENT_ID", "ENVOY_CLIENT_SECRET"],
                note: "Credentials are generated on the first save: set these variables where the plugin runs (or in its .env), then turn the plugin live.",
            },
            user_scopes: P::user_scopes()
                .map(|set| set.scopes.iter().map(|s| s.as_str()).collect())
                .unwrap_or_default(),
        })
    }

    /// The manifest as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest always serializes")
    }
}

fn step_entry(
    step: &StepDescription,
    url: &impl Fn(&str) -> String,
    validation_url: Option<String>,
) -> StepEntry {
    match &step.kind {
        StepKindDescription::Form { fields } => StepEntry::Form {
            title: step.title,
            name: step.name,
            validation_url,
            fields: fields
                .iter()
                .map(|f| field_entry(f.key, f.label, &f.kind, url))
                .collect(),
        },
        StepKindDescription::OAuth2 {
            authorize_url,
            token_url,
            scopes,
            client_id_variable,
            client_secret_variable,
        } => StepEntry::OAuth2 {
            title: step.title,
            name: step.name,
            authorize_url,
            token_url,
            scopes,
            client_id_variable,
            client_secret_variable,
            validation_url,
        },
        StepKindDescription::Popup { content_path } => StepEntry::Popup {
            title: step.title,
            name: step.name,
            content_url: url(content_path),
            validation_url,
        },
    }
}

fn field_entry(
    key: &'static str,
    label: &'static str,
    kind: &FieldKind,
    url: &impl Fn(&str) -> String,
) -> FieldEntry {
    let mut entry = FieldEntry {
        key,
        kind: kind.type_name(),
        label,
        required: false,
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
    };
    match kind {
        FieldKind::Text {
            required,
            placeholder,
        } => {
            entry.required = *required;
            entry.placeholder = *placeholder;
        }
        FieldKind::Checkbox => {}
        FieldKind::Link {
            url: link,
            opens_in,
        } => {
            entry.url = Some(link);
            entry.opens_in = Some(*opens_in);
        }
        FieldKind::Info { text } => entry.text = Some(text),
        FieldKind::Select {
            options,
            multiple,
            selected_values,
            required,
        } => {
            entry.options_url = Some(url(options.path));
            entry.searchable = options.searchable;
            entry.paginated = options.paginated;
            entry.cursor = options.cursor;
            entry.multiple = *multiple;
            entry.selected_values_url = selected_values.map(url);
            entry.required = *required;
        }
        FieldKind::Resource {
            resource,
            multiple,
            required,
        } => {
            entry.resource = Some(resource.name());
            entry.multiple = *multiple;
            entry.required = *required;
        }
        FieldKind::Mapping { options, to } => {
            entry.options_url = Some(url(options.path));
            entry.searchable = options.searchable;
            entry.paginated = options.paginated;
            entry.cursor = options.cursor;
            entry.mapping_to = Some(Box::new(field_entry("", "", to, url)));
        }
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            check_base_url("https://p.example.com/").unwrap(),
            "https://p.example.com"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080/plugin").unwrap(),
            "http://127.0.0.1:8080/plugin"
        );
        for bad in [
            "",
            "p.example.com",
            "ftp://p.example.com",
            "https://p.example.com/?x=1",
            "https://",
            "mailto:a@b.c",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }
}
