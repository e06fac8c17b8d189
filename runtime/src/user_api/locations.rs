//! Locations and companies: `GET /api/v3/locations/{id}`, `GET /api/v3/locations` (scope
//! `locations.read`) and `GET /api/v3/companies/{id}` (scope `companies.read`).

use serde_json::Value;

use super::attributes::attributes;
use super::query::filters;
use super::resource::{Listable, Resource, UserResource};
use super::scope::{CompaniesRead, LocationsRead};
use crate::model::{Id, Timestamp};

attributes! {
    /// A location's attributes. Its feature flags (`*-enabled`) beyond those named here are in
    /// `extra`.
    LocationAttributes {
        /// Name.
        "name" => name: String,
        /// Address, one line.
        "address" => address: String,
        /// Address, first line.
        "address-line-1" => address_line_1: String,
        /// Address, second line.
        "address-line-2" => address_line_2: String,
        /// City.
        "city" => city: String,
        /// State or region.
        "state" => state: String,
        /// Country.
        "country" => country: String,
        /// Postal code.
        "zip" => zip: String,
        /// Latitude (a number or a string).
        "latitude" => latitude: Value,
        /// Longitude (a number or a string).
        "longitude" => longitude: Value,
        /// Locale, e.g. `en`.
        "locale" => locale: String,
        /// Time zone, e.g. `America/Los_Angeles`.
        "timezone" => timezone: String,
        /// How many people may be on site.
        "capacity-limit" => capacity_limit: u64,
        /// Whether the location is disabled.
        "disabled" => disabled: bool,
        /// The logo.
        "logo-url" => logo_url: String,
        /// Whether employees sign in here.
        "employee-sign-in-enabled" => employee_sign_in_enabled: bool,
        /// Whether visitors are screened.
        "visitor-screening-enabled" => visitor_screening_enabled: bool,
        /// Created.
        "created-at" => created_at: Timestamp,
        /// Last changed.
        "updated-at" => updated_at: Timestamp,
    }
}

impl LocationAttributes {
    /// A feature flag by its wire name (`"desks-enabled"`), named field or not.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match name {
            "employee-sign-in-enabled" => self.employee_sign_in_enabled,
            "visitor-screening-enabled" => self.visitor_screening_enabled,
            "disabled" => self.disabled,
            other => self.extra.get(other).and_then(Value::as_bool),
        }
    }
}

/// A location (an office).
pub type UserLocation = Resource<LocationAttributes>;

impl UserResource for LocationAttributes {
    const TYPE: &'static str = "locations";
    type Read = LocationsRead;
}

impl Listable for LocationAttributes {
    type Filter = LocationFilter;
}

impl UserLocation {
    /// Its company.
    pub fn company_id(&self) -> Option<&Id> {
        self.related("company")
    }
    /// Its employees.
    pub fn employee_ids(&self) -> Vec<&Id> {
        self.related_all("employees")
    }
    /// Its flows.
    pub fn flow_ids(&self) -> Vec<&Id> {
        self.related_all("flows")
    }
    /// Its employee screening flow.
    pub fn employee_screening_flow_id(&self) -> Option<&Id> {
        self.related("employee-screening-flow")
    }
}

filters! {
    /// The filters of `GET /api/v3/locations`.
    LocationFilter {
        /// `filter[disabled]`: disabled locations (or not).
        "disabled" => disabled: bool,
        /// `filter[company]`: of this company.
        "company" => company: Id,
    }
}

attributes! {
    /// A company's attributes.
    CompanyAttributes {
        /// Name.
        "name" => name: String,
        /// Whether it is active.
        "active" => active: bool,
        /// Created.
        "created-at" => created_at: Timestamp,
        /// Last changed.
        "updated-at" => updated_at: Timestamp,
    }
}

/// The installer's company.
pub type UserCompany = Resource<CompanyAttributes>;

impl UserResource for CompanyAttributes {
    const TYPE: &'static str = "companies";
    type Read = CompaniesRead;
}

impl UserCompany {
    /// Its locations.
    pub fn location_ids(&self) -> Vec<&Id> {
        self.related_all("locations")
    }
}
