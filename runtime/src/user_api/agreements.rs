//! Agreement pages and agreements: `GET /api/v3/agreement-pages/{id}` and
//! `GET /api/v3/agreements/{id}` (scope `agreements.read`).

use super::attributes::attributes;
use super::resource::{Resource, UserResource};
use super::scope::AgreementsRead;
use crate::model::Id;

attributes! {
    /// An agreement page's attributes.
    AgreementPageAttributes {
        /// Whether the page is shown.
        "enabled" => enabled: bool,
        /// Its place in the flow.
        "position" => position: i64,
    }
}

/// The page of a flow that holds its agreements (NDAs, ...).
pub type AgreementPage = Resource<AgreementPageAttributes>;

impl UserResource for AgreementPageAttributes {
    const TYPE: &'static str = "agreement-pages";
    type Read = AgreementsRead;
}

impl AgreementPage {
    /// Its agreements.
    pub fn agreement_ids(&self) -> Vec<&Id> {
        self.related_all("agreements")
    }
}

attributes! {
    /// An agreement's attributes.
    AgreementAttributes {
        /// Name.
        "name" => name: String,
        /// Whether signing it is optional.
        "optional" => optional: bool,
        /// Whether returning visitors sign again.
        "require-resign" => require_resign: bool,
        /// Its text.
        "body" => body: String,
        /// A video shown with it.
        "video-url" => video_url: String,
        /// Whether it is shown.
        "enabled" => enabled: bool,
        /// Its place on the page.
        "position" => position: i64,
    }
}

/// An agreement visitors sign.
pub type Agreement = Resource<AgreementAttributes>;

impl UserResource for AgreementAttributes {
    const TYPE: &'static str = "agreements";
    type Read = AgreementsRead;
}
