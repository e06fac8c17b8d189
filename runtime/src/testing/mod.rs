//! A test kit for plugins (feature `testing`): signed requests of every event and route kind with
//! realistic default bodies that a test overrides field by field, and a harness that serves a plugin
//! on a loopback port next to the stand-in platform, so a test sends an event and checks the
//! outcome, the job updates, storage and config in a few lines.
//!
//! ```no_run
//! use envoy_plugin::prelude::*;
//! use envoy_plugin::testing::{Harness, TestEvent};
//!
//! #[event("entry_sign_in")]
//! async fn welcome(job: Job, entry: Entry) -> JobResult {
//!     job.install_storage().set("last", &entry.full_name).await?;
//!     Ok(Outcome::done(format!("Welcomed {}", entry.full_name)))
//! }
//! plugin! { Greeter { name: "Greeter", events: [welcome] } }
//!
//! # async fn test() {
//! let harness = Harness::start(Greeter).unwrap();
//! let answer = harness
//!     .send(TestEvent::new("entry_sign_in").attribute("full-name", "Ada Lovelace"))
//!     .await;
//! assert_eq!(answer.status, 200);
//! assert_eq!(answer.message(), Some("Welcomed Ada Lovelace"));
//! assert_eq!(harness.platform().storage(Some(TestEvent::INSTALL_ID))["last"], "Ada Lovelace");
//! # }
//! ```

mod harness;
mod requests;

pub use harness::{Answer, FrameworkError, Harness, Sender};
pub use requests::{TestEvent, TestRoute};
