//! How a setup step is described: its fields and URLs, as the manifest prints them.

use serde::Serialize;

/// The three kinds of setup step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A form the installer fills out.
    Form,
    /// An OAuth2 flow run by Envoy.
    #[serde(rename = "oauth2")]
    OAuth2,
    /// A pop-up window with content served by the plugin.
    Popup,
}

/// A setup step, described.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StepDescription {
    /// The step's struct name.
    pub name: &'static str,
    /// The step's title in the setup flow.
    pub title: &'static str,
    /// Form, OAuth2 or pop-up, with what each needs.
    pub kind: StepKindDescription,
}

/// What each kind of step needs entered in the Dev Dashboard.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StepKindDescription {
    /// A form: its fields in order.
    Form {
        /// The fields.
        fields: &'static [FieldDescription],
    },
    /// An OAuth2 step.
    OAuth2 {
        /// The provider's authorization URL.
        authorize_url: &'static str,
        /// The provider's token URL.
        token_url: &'static str,
        /// The scopes to ask for.
        scopes: &'static [&'static str],
        /// The environment variable holding the provider's client id.
        client_id_variable: &'static str,
        /// The environment variable holding the provider's client secret.
        client_secret_variable: &'static str,
    },
    /// A pop-up step.
    Popup {
        /// The path of the content the plugin serves.
        content_path: &'static str,
    },
}

impl StepDescription {
    /// A form step.
    pub const fn form(
        name: &'static str,
        title: &'static str,
        fields: &'static [FieldDescription],
    ) -> Self {
        StepDescription {
            name,
            title,
            kind: StepKindDescription::Form { fields },
        }
    }

    /// An OAuth2 step.
    #[allow(clippy::too_many_arguments)]
    pub const fn oauth2(
        name: &'static str,
        title: &'static str,
        authorize_url: &'static str,
        token_url: &'static str,
        scopes: &'static [&'static str],
        client_id_variable: &'static str,
        client_secret_variable: &'static str,
    ) -> Self {
        StepDescription {
            name,
            title,
            kind: StepKindDescription::OAuth2 {
                authorize_url,
                token_url,
                scopes,
                client_id_variable,
                client_secret_variable,
            },
        }
    }

    /// A pop-up step.
    pub const fn popup(
        name: &'static str,
        title: &'static str,
        content_path: &'static str,
    ) -> Self {
        StepDescription {
            name,
            title,
            kind: StepKindDescription::Popup { content_path },
        }
    }
}

/// One field of a form step.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDescription {
    /// The key the value is saved under in the install config (empty for link and info).
    pub key: &'static str,
    /// The field's label.
    pub label: &'static str,
    /// The field's type and settings.
    pub kind: FieldKind,
}

impl FieldDescription {
    /// A field.
    pub const fn new(key: &'static str, label: &'static str, kind: FieldKind) -> Self {
        FieldDescription { key, label, kind }
    }
}

/// A form field's type, with its settings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldKind {
    /// A text input.
    Text {
        /// The installer must fill it in.
        required: bool,
        /// Greyed-out example text.
        placeholder: Option<&'static str>,
    },
    /// A checkbox.
    Checkbox,
    /// A button that opens a link.
    Link {
        /// Where it goes.
        url: &'static str,
        /// In a new tab or a pop-up.
        opens_in: LinkTarget,
    },
    /// Static text.
    Info {
        /// The text.
        text: &'static str,
    },
    /// A dropdown whose options come from an options route.
    Select {
        /// The options route.
        options: OptionsSource,
        /// Several values can be chosen (saved as an array).
        multiple: bool,
        /// The selected-values route's path (paginated and cursor selects).
        selected_values: Option<&'static str>,
        /// The installer must choose.
        required: bool,
    },
    /// A dropdown of Envoy resources.
    Resource {
        /// Which resources.
        resource: Resource,
        /// Several can be chosen.
        multiple: bool,
        /// The installer must choose.
        required: bool,
    },
    /// A mapping from the options on the left to values of another field type on the right; saved
    /// as an object keyed by the left value.
    Mapping {
        /// The options route of the left side.
        options: OptionsSource,
        /// The field type of the right side.
        to: &'static FieldKind,
    },
}

impl FieldKind {
    /// The type's name in the Dev Dashboard.
    pub fn type_name(&self) -> &'static str {
        match self {
            FieldKind::Text { .. } => "text",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Link { .. } => "link",
            FieldKind::Info { .. } => "info",
            FieldKind::Select { .. } => "select",
            FieldKind::Resource { .. } => "resource select",
            FieldKind::Mapping { .. } => "mapping",
        }
    }
}

/// Where a link field opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkTarget {
    /// A new browser tab.
    Tab,
    /// A pop-up window.
    Popup,
}

impl LinkTarget {
    /// `tab` or `popup`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkTarget::Tab => "tab",
            LinkTarget::Popup => "popup",
        }
    }
}

/// An options route as a field refers to it: its path and its paging flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionsSource {
    /// The handler's name.
    pub handler: &'static str,
    /// The route's path.
    pub path: &'static str,
    /// Searchable.
    pub searchable: bool,
    /// Paginated by page number.
    pub paginated: bool,
    /// Paginated by cursor.
    pub cursor: bool,
}

macro_rules! resources {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The Envoy resources a resource select offers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        #[non_exhaustive]
        pub enum Resource {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Resource {
            /// Every resource, by its name in the Dev Dashboard and in `#[field(resource = ...)]`.
            pub const ALL: &[(&str, Resource)] = &[$(($name, Resource::$variant)),*];

            /// The resource's name.
            pub fn name(self) -> &'static str {
                match self { $(Resource::$variant => $name,)* }
            }

            /// The resource of this name.
            ///
            /// # Panics
            /// When there is none (at compile time, where `#[derive(SetupForm)]` calls it, after
            /// checking the name itself).
            pub const fn named(name: &str) -> Resource {
                $(if crate::__private::str_eq(name, $name) { return Resource::$variant; })*
                panic!("unknown resource")
            }
        }
    };
}

resources! {
    /// Locations of the company.
    Locations = "locations",
    /// Sign-in flows.
    Flows = "flows",
    /// Employees.
    Employees = "employees",
    /// Visitor types.
    VisitorTypes = "visitor_types",
    /// Zones.
    Zones = "zones",
    /// Desks.
    Desks = "desks",
    /// Rooms.
    Rooms = "rooms",
}
