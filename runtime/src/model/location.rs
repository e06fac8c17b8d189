//! Locations, companies and zones: where things happen and who installed the plugin.

use super::wire::wire_struct;
use serde_json::Value;

use super::object::envoy_object;
use super::{Relationships, Timestamp};

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

wire_struct! {
    /// A location's attributes, dash-case on the wire.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct LocationAttributes {
        /// The location's name.
        ["name", optional] pub name: Option<String>,
        /// A company name shown at this location instead of the company's.
        ["company-name-override", optional] pub company_name_override: Option<String>,
        /// IANA time zone, e.g. `Europe/Berlin`.
        ["timezone", optional] pub timezone: Option<String>,
        /// Locale, e.g. `en`.
        ["locale", optional] pub locale: Option<String>,
        /// The full address.
        ["address", optional] pub address: Option<String>,
        /// Address, first line.
        ["address-line-one", optional] pub address_line_one: Option<String>,
        /// Address, second line.
        ["address-line-two", optional] pub address_line_two: Option<String>,
        /// City.
        ["city", optional] pub city: Option<String>,
        /// State or region.
        ["state", optional] pub state: Option<String>,
        /// Country.
        ["country", optional] pub country: Option<String>,
        /// Postal code.
        ["zip", optional] pub zip: Option<String>,
        /// Longitude, as the platform sends it (number or string).
        ["longitude", optional] pub longitude: Option<Value>,
        /// Latitude, as the platform sends it (number or string).
        ["latitude", optional] pub latitude: Option<Value>,
        /// When the location was created.
        ["created-at", optional] pub created_at: Option<Timestamp>,
        @extra
        /// Attributes without a typed field (capacity figures arrive here).
        pub extra: Extra,
    }
    expecting = "LocationAttributes (a JSON object)"
}

wire_struct! {
    /// A company's attributes.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct CompanyAttributes {
        /// The company's name.
        ["name", optional] pub name: Option<String>,
        /// Whether the company's account is active.
        ["active", optional] pub active: Option<bool>,
        /// When the company was created.
        ["created-at", optional] pub created_at: Option<Timestamp>,
        @extra
        /// Attributes without a typed field.
        pub extra: Extra,
    }
    expecting = "CompanyAttributes (a JSON object)"
}

wire_struct! {
    /// A zone's attributes.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    pub struct ZoneAttributes {
        /// The zone's name.
        ["name", optional] pub name: Option<String>,
        /// The zone's address.
        ["address", optional] pub address: Option<String>,
        /// The zone's logo.
        ["logo-url", optional] pub logo_url: Option<String>,
        /// IANA time zone.
        ["time-zone", optional] pub time_zone: Option<String>,
        @extra
        /// Attributes without a typed field.
        pub extra: Extra,
    }
    expecting = "ZoneAttributes (a JSON object)"
}
