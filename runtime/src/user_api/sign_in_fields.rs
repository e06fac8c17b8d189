//! Sign-in field pages and their fields: `GET /api/v3/sign-in-field-pages/{id}` (scope
//! `sign-in-field-pages.read`), `GET /api/v3/sign-in-fields/{id}` and
//! `GET /api/v3/sign-in-field-pages/{id}/sign-in-fields` (scope `sign-in-fields.read`).

use serde::{Deserialize, Serialize};

use super::attributes::attributes;
use super::resource::{Resource, UserResource};
use super::scope::{SignInFieldPagesRead, SignInFieldsRead};
use crate::model::Id;

attributes! {
    /// A sign-in field page's attributes.
    SignInFieldPageAttributes {
        /// Whether the page is shown.
        "enabled" => enabled: bool,
        /// Its place in the flow.
        "position" => position: i64,
    }
}

/// The page of a flow that holds its sign-in fields.
pub type SignInFieldPage = Resource<SignInFieldPageAttributes>;

impl UserResource for SignInFieldPageAttributes {
    const TYPE: &'static str = "sign-in-field-pages";
    type Read = SignInFieldPagesRead;
}

impl SignInFieldPage {
    /// Its flow.
    pub fn flow_id(&self) -> Option<&Id> {
        self.related("flow")
    }
    /// Its fields.
    pub fn field_ids(&self) -> Vec<&Id> {
        self.related_all("sign-in-fields")
    }
}

attributes! {
    /// A sign-in field's attributes.
    SignInFieldAttributes {
        /// The question.
        "name" => name: String,
        /// `text`, `email`, `phone`, `single-selection`, ...
        "kind" => kind: String,
        /// Whether an answer is required.
        "required" => required: bool,
        /// A stable identifier (`host`, `purpose-of-visit`, ...).
        "identifier" => identifier: String,
        /// Whether it is translated.
        "localized" => localized: bool,
        /// Its names on the iPad, per language.
        "ipad-localized-names" => ipad_localized_names: Vec<LocalizedName>,
        /// The choices of a selection field.
        "options" => options: Vec<FieldOption>,
        /// Its place on the page.
        "position" => position: i64,
        /// Whether the answer is kept.
        "store-response" => store_response: bool,
    }
}

/// One localized name of a sign-in field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct LocalizedName {
    /// e.g. `en`.
    #[serde(default)]
    pub language_code: Option<String>,
    /// e.g. `US`.
    #[serde(default)]
    pub region_code: Option<String>,
    /// The name shown.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// One choice of a selection field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldOption {
    /// The choice.
    #[serde(default)]
    pub value: Option<String>,
    /// Its place.
    #[serde(default)]
    pub position: Option<i64>,
}

/// One field of a sign-in page.
pub type SignInField = Resource<SignInFieldAttributes>;

impl UserResource for SignInFieldAttributes {
    const TYPE: &'static str = "sign-in-fields";
    type Read = SignInFieldsRead;
}
