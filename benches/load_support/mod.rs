//! The parts of the load benchmark (`benches/load.rs`), one job per file.

pub mod alloc;
pub mod client;
pub mod hand;
pub mod server;
pub mod view;
