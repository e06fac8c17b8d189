//! The current user: `GET /api/v2/users/me`, the person whose token the handle holds.

use serde::{Deserialize, Serialize};

use super::attributes::attributes;
use super::resource::Resource;

attributes! {
    /// The current user's attributes.
    CurrentUserAttributes {
        /// Full name.
        "full-name" => full_name: String,
        /// Email address.
        "email" => email: String,
        /// Roles at locations.
        "location-roles" => location_roles: Vec<Role>,
        /// Roles at the company.
        "company-roles" => company_roles: Vec<Role>,
    }
}

/// A role of the current user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Role {
    /// e.g. `Global Admin`.
    #[serde(default)]
    pub role_name: Option<String>,
    /// When it was confirmed.
    #[serde(default)]
    pub confirmed_at: Option<String>,
}

/// The person the token acts as.
pub type CurrentUser = Resource<CurrentUserAttributes>;
