//! Guides: how to write, test and run a plugin, one question per page. Each page is a Markdown file
//! next to this one (`runtime/src/guide/*.md`, readable as it is), and every Rust block in it is a
//! doctest: `cargo test -p envoy-plugin --doc --all-features` compiles each one, and runs those that
//! do not say `no_run`.
//!
//! | page | answers |
//! | --- | --- |
#![cfg_attr(
    feature = "testing",
    doc = "| [`tutorial`] | a plugin from nothing, step by step: a form, options that page, validation, three workers, tests, `dev`, the manifest |"
)]
#![cfg_attr(
    feature = "testing",
    doc = "| [`testing`] | which test attribute, where tests go in a binary crate, the config a test event carries, testing routes (selected values too) |"
)]
//! | [`workers`] | what a worker takes and answers; a typed config or an untyped `Job`; the attachments' JSON |
//! | [`paging`] | options routes: search, page numbers and page size, how the last page is known, cursors, the selected-values request |
//! | [`fields`] | the `#[field]` syntax (every widget and every setting), `#[form]`, OAuth2 and pop-up steps, what is checked on a submitted step |
//! | [`cli`] | every command and flag of a plugin's binary, with its environment variable; the files `send --payload` and `setup --values` read |
//!
//! The tutorial and the testing page need the test kit (feature `testing`), which is on for
//! `cargo test` of a plugin that lists it in its dev-dependencies.

#[cfg(feature = "testing")]
#[doc = include_str!("tutorial.md")]
pub mod tutorial {}

#[cfg(feature = "testing")]
#[doc = include_str!("testing.md")]
pub mod testing {}

#[doc = include_str!("workers.md")]
pub mod workers {}

#[doc = include_str!("paging.md")]
pub mod paging {}

#[doc = include_str!("fields.md")]
pub mod fields {}

#[doc = include_str!("cli.md")]
pub mod cli {}
