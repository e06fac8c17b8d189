//! Employees: `GET /api/v3/employees/{id}` and `GET /api/v3/employees` (scope `employees.read`).

use super::attributes::attributes;
use super::query::{IdList, filters};
use super::resource::{Listable, Resource, UserResource};
use super::scope::EmployeesRead;
use crate::model::{Id, Timestamp};

attributes! {
    /// An employee's attributes.
    EmployeeAttributes {
        /// Full name.
        "name" => name: String,
        /// Email address.
        "email" => email: String,
        /// Phone number.
        "phone-number" => phone_number: String,
        /// Profile picture.
        "profile-picture-url" => profile_picture_url: String,
        /// Whether the employee was deleted.
        "deleted" => deleted: bool,
        /// The company's id, as an attribute.
        "company-id" => company_id: Id,
        /// Created.
        "created-at" => created_at: Timestamp,
        /// Last changed.
        "updated-at" => updated_at: Timestamp,
        /// Deleted at.
        "deleted-at" => deleted_at: Timestamp,
    }
}

/// An employee of the installer's company.
pub type Employee = Resource<EmployeeAttributes>;

impl UserResource for EmployeeAttributes {
    const TYPE: &'static str = "employees";
    type Read = EmployeesRead;
}

impl Listable for EmployeeAttributes {
    type Filter = EmployeeFilter;
}

impl Employee {
    /// The employee's company (relationship `company`, else the `company-id` attribute).
    pub fn company_id(&self) -> Option<&Id> {
        self.related("company")
            .or(self.attributes.company_id.as_ref())
    }

    /// The employee's locations (relationship `locations`).
    pub fn location_ids(&self) -> Vec<&Id> {
        self.related_all("locations")
    }
}

filters! {
    /// The filters of `GET /api/v3/employees`.
    ///
    /// ```
    /// use envoy_plugin::user_api::EmployeeFilter;
    /// let filter = EmployeeFilter::default().email("ada@example.com").locations([12, 13]);
    /// assert!(filter.deleted.is_none());
    /// ```
    EmployeeFilter {
        /// `filter[deleted]`: deleted employees (or not).
        "deleted" => deleted: bool,
        /// `filter[company]`: of this company.
        "company" => company: Id,
        /// `filter[locations]`: at these locations.
        "locations" => locations: IdList,
        /// `filter[email]`: with this email address.
        "email" => email: String,
        /// `filter[except]`: all but these employees.
        "except" => except: IdList,
        /// `filter[exclude-locations]`: not at these locations.
        "exclude-locations" => exclude_locations: IdList,
        /// `filter[exclude-hidden]`: leave out hidden employees.
        "exclude-hidden" => exclude_hidden: bool,
        /// `filter[manually-added]`: added by hand (not synced from a directory).
        "manually-added" => manually_added: bool,
        /// `filter[name]`: with this name.
        "name" => name: String,
        /// `filter[query]`: matching this search.
        "query" => query: String,
    }
}
