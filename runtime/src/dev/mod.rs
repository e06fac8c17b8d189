//! Local development without an Envoy account: `dev` serves the plugin next to an embedded stand-in
//! platform whose data survives restarts; `send`, `options`, `validate` and `setup` sign and send
//! what the platform would, to `dev` or to any deployed plugin.

mod commands;
mod credentials;
mod gitignore;

pub use commands::{DevOptions, Target};
pub(crate) use commands::{SendArgs, dev, options, send, setup, validate};
pub use credentials::DevCredentials;
