//! The plugin's log lines, kept in memory so the page can show the lines a request produced.
//!
//! [`init_logging`] sets up the same stderr logging as [`crate::init_logging`] plus a layer that
//! keeps the last lines, each with a sequence number: the page notes the number before it sends a
//! request and shows the lines logged until the answer came.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;

use serde::Serialize;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;

/// How many lines are kept.
const KEPT: usize = 2000;

/// A log line as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// Its place in the sequence of every line kept.
    pub seq: u64,
    /// `ERROR`, `WARN`, `INFO`, `DEBUG` or `TRACE`.
    pub level: String,
    /// The module that logged it.
    pub target: String,
    /// The message and its fields, `key=value`.
    pub text: String,
}

struct Kept {
    next: u64,
    lines: VecDeque<LogLine>,
}

static KEPT_LINES: Mutex<Kept> = Mutex::new(Kept {
    next: 0,
    lines: VecDeque::new(),
});

fn kept() -> std::sync::MutexGuard<'static, Kept> {
    KEPT_LINES.lock().unwrap_or_else(|p| p.into_inner())
}

/// The sequence number the next line will have.
pub fn log_mark() -> u64 {
    kept().next
}

/// The lines kept whose sequence number is `mark` or later.
pub fn log_lines_since(mark: u64) -> Vec<LogLine> {
    kept()
        .lines
        .iter()
        .filter(|line| line.seq >= mark)
        .cloned()
        .collect()
}

/// Logs to stderr like [`crate::init_logging`] (`RUST_LOG`, default `info`), and keeps the lines
/// for the preview page. Does nothing when the application has set up a subscriber already.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_writer(std::io::stderr),
        )
        .with(KeepLines)
        .try_init();
}

/// Keeps the lines for the preview page without writing them anywhere (`RUST_LOG`, default
/// `info`): for tests and for applications that log elsewhere. Does nothing when a subscriber is set
/// up already.
pub fn keep_log_lines() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(KeepLines)
        .try_init();
}

/// The layer that keeps lines.
struct KeepLines;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for KeepLines {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut text = Text::default();
        event.record(&mut text);
        let mut kept = kept();
        let line = LogLine {
            seq: kept.next,
            level: event.metadata().level().to_string(),
            target: event.metadata().target().to_owned(),
            text: text.0,
        };
        kept.next += 1;
        if kept.lines.len() == KEPT {
            kept.lines.pop_front();
        }
        kept.lines.push_back(line);
    }
}

/// An event's message followed by its fields.
#[derive(Default)]
struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, "{}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.record_debug(field, &format_args!("{value}"));
        } else {
            self.record_debug(field, &value);
        }
    }
}
