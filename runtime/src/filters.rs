//! The reference SDK's worker filters, as a gate a worker passes first: run only when a boolean
//! install-config flag is on, only when employee sign-in is enabled, and not for excluded
//! employees. A closed gate is the job's outcome, "ignored" with a reason.
//!
//! ```
//! use envoy_plugin::prelude::*;
//! use envoy_plugin::filters::Gate;
//!
//! #[event("employee_entry_sign_in")]
//! async fn screen(job: Job, entry: Entry) -> JobResult {
//!     let gate = Gate::new(&job)
//!         .flag("screening_on", "Screening is off for this install.")
//!         .employee_sign_in_enabled("protect_enabled")
//!         .skip_excluded_employees(&entry, "excluded_employees");
//!     if let Some(ignored) = gate.verdict()? {
//!         return Ok(ignored); // 400: the job is ignored, with the gate's reason
//!     }
//!     Ok(Outcome::done(format!("screened {}", entry.full_name)))
//! }
//! ```

use serde_json::Value;

use crate::{Entry, ErrorKind, Job, Outcome, PluginError};

/// The reference SDK's reason when employee sign-in is off.
pub const EMPLOYEE_SIGN_IN_DISABLED: &str = "Envoy Protect is disabled.";
/// The reference SDK's reason for an excluded employee.
pub const EMPLOYEE_EXCLUDED: &str = "Employee excluded from integration.";
/// The reference SDK's reason for an uninvited visitor when invites are required.
pub const NOT_INVITED: &str = "Visitors must be invited.";

/// A worker's filters, checked in order; the first that closes decides the reason.
#[derive(Debug)]
#[must_use = "a gate decides nothing until its `verdict` is read"]
pub struct Gate<'a, C> {
    job: &'a Job<C>,
    verdict: Result<Option<Outcome>, PluginError>,
}

impl<'a, C> Gate<'a, C> {
    /// An open gate for this job.
    pub fn new(job: &'a Job<C>) -> Self {
        Gate {
            job,
            verdict: Ok(None),
        }
    }

    /// Adds a check, unless the gate is closed already.
    fn check(
        mut self,
        check: impl FnOnce(&Job<C>) -> Result<Option<Outcome>, PluginError>,
    ) -> Self {
        if matches!(self.verdict, Ok(None)) {
            self.verdict = check(self.job);
        }
        self
    }

    /// Open only when the install config's `key` is truthy (as JavaScript reads it: not `false`,
    /// `null`, `0`, `""` or missing); else ignored with `reason`.
    pub fn flag(self, key: &str, reason: &str) -> Self {
        self.check(
            |job| Ok((!truthy(job.meta().config.get(key))).then(|| Outcome::ignored(reason))),
        )
    }

    /// Open only when `on` says so, reading the typed config; else ignored with `reason`.
    pub fn when(self, on: impl FnOnce(&C) -> bool, reason: &str) -> Self {
        self.check(|job| Ok((!on(job.config())).then(|| Outcome::ignored(reason))))
    }

    /// Open only when employee sign-in (Envoy Protect) is enabled: the install config's `key` is
    /// truthy; else ignored with [`EMPLOYEE_SIGN_IN_DISABLED`].
    pub fn employee_sign_in_enabled(self, key: &str) -> Self {
        self.flag(key, EMPLOYEE_SIGN_IN_DISABLED)
    }

    /// Closed for an employee's screening entry whose employee is in the install config's list
    /// `key` (employee ids): ignored with [`EMPLOYEE_EXCLUDED`]. A `key` that holds something other
    /// than a list is the worker's error (500), as in the reference SDK.
    pub fn skip_excluded_employees(self, entry: &Entry, key: &str) -> Self {
        self.check(|job| {
            if entry.employee_screening_flow != Some(true) {
                return Ok(None);
            }
            let excluded = match job.meta().config.get(key) {
                None | Some(Value::Null) => return Ok(None),
                Some(Value::Array(ids)) => ids,
                Some(_) => {
                    return Err(PluginError::new(
                        ErrorKind::Handler,
                        format!("the install config's `{key}` is not a list of employee ids"),
                    ));
                }
            };
            let Some(employee) = entry.relationships.employee.as_ref().and_then(|r| r.id()) else {
                return Ok(None);
            };
            let employee = employee.to_string();
            let listed = excluded.iter().any(|id| match id {
                Value::String(s) => *s == employee,
                Value::Number(n) => n.to_string() == employee,
                _ => false,
            });
            Ok(listed.then(|| Outcome::ignored(EMPLOYEE_EXCLUDED)))
        })
    }

    /// Closed for an entry without an invite when the install config's `key` is truthy (invited
    /// visitors only): ignored with [`NOT_INVITED`].
    pub fn invited_only(self, entry: &Entry, key: &str) -> Self {
        self.check(|job| {
            let invited = entry
                .relationships
                .invite
                .as_ref()
                .is_some_and(|r| r.id().is_some());
            Ok((!invited && truthy(job.meta().config.get(key)))
                .then(|| Outcome::ignored(NOT_INVITED)))
        })
    }

    /// `None` when every check passed; the "ignored" outcome of the first that did not; or the
    /// error of a config the checks cannot read.
    pub fn verdict(self) -> Result<Option<Outcome>, PluginError> {
        self.verdict
    }
}

/// Truthiness as the reference SDK (JavaScript) reads a config value.
fn truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}
