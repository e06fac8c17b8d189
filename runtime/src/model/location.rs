//! Locations, companies and zones: where things happen and who installed the plugin.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::object::envoy_object;
use super::{Extra, Relationships, Timestamp};

envoy_object! {
    /// A location (`type: "locations"`): in `meta.location`, and the payload of
    /// `location_capacity_updated`.
    Location(LocationAttributes, Relationships)
}

envoy_object! {
    /// The company that installed the plugin (`meta.company`).
    Company(CompanyAttributes, Relationships)
}

envoy_object! {
    /// A zone (`meta.zone`), for installs in a multi-tenant building.
    Zone(ZoneAttributes, Relationships)
}

/// A location's attributes, dash-case on the wire.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct LocationAttributes {
    /// The location's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A company name shown at this location instead of the company's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name_override: Option<String>,
    /// IANA time zone, e.g. `Europe/Berlin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Locale, e.g. `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The full address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Address, first line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_one: Option<String>,
    /// Address, second line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_two: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// Longitude, as the platform sends it (number or string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Value>,
    /// Latitude, as the platform sends it (number or string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Value>,
    /// When the location was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Attributes without a typed field (capacity figures arrive here).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A company's attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct CompanyAttributes {
    /// The company's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the company's account is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// When the company was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Attributes without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A zone's attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ZoneAttributes {
    /// The zone's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The zone's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The zone's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// IANA time zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Attributes without a typed field.
    #[serde(flatten)]
    pub extra: Extra,
}
