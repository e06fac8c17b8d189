//! Flows: `GET /api/v3/flows/{id}` and `GET /api/v3/flows` (scope `flows.read`).

use super::attributes::attributes;
use super::query::filters;
use super::resource::{Listable, Resource, UserResource};
use super::scope::FlowsRead;
use crate::model::{Id, Timestamp};

attributes! {
    /// A flow's attributes.
    FlowAttributes {
        /// Name.
        "name" => name: String,
        /// Whether it is a flow for employees.
        "employee-centric" => employee_centric: bool,
        /// Whether it is enabled.
        "enabled" => enabled: bool,
        /// The flow's type.
        "type" => flow_type: String,
        /// Created.
        "created-at" => created_at: Timestamp,
        /// Last changed.
        "updated-at" => updated_at: Timestamp,
    }
}

/// A sign-in flow.
pub type Flow = Resource<FlowAttributes>;

impl UserResource for FlowAttributes {
    const TYPE: &'static str = "flows";
    type Read = FlowsRead;
}

impl Listable for FlowAttributes {
    type Filter = FlowFilter;
}

impl Flow {
    /// Its location.
    pub fn location_id(&self) -> Option<&Id> {
        self.related("location")
    }
    /// Its sign-in field page.
    pub fn sign_in_field_page_id(&self) -> Option<&Id> {
        self.related("sign-in-field-page")
    }
    /// Its agreement page.
    pub fn agreement_page_id(&self) -> Option<&Id> {
        self.related("agreement-page")
    }
    /// The company-wide flow it derives from.
    pub fn global_flow_id(&self) -> Option<&Id> {
        self.related("global-flow")
    }
}

filters! {
    /// The filters of `GET /api/v3/flows`.
    FlowFilter {
        /// `filter[employee-centric]`: flows for employees (or not).
        "employee-centric" => employee_centric: bool,
        /// `filter[enabled]`: enabled flows (or not).
        "enabled" => enabled: bool,
        /// `filter[location]`: of this location.
        "location" => location: Id,
    }
}
