//! The log line's format: exactly tracing-subscriber's default (`Full`, without colours), written
//! with less work.
//!
//! The default formatter prints the timestamp through a chain of `write!` calls and wraps every
//! part in a colour style even when colours are off; under load that is a noticeable share of a
//! request. This one writes the same bytes: the second's part of the timestamp is formatted once a
//! second per thread, the rest is copied. [`PlainFields`] writes `key=value` the same way without the
//! style wrappers; the message and errors, which tracing-subscriber escapes, are still written by its
//! own visitor.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_log::NormalizeEvent as _;
use tracing_subscriber::field::{MakeVisitor, VisitFmt, VisitOutput};
use tracing_subscriber::fmt::format::{DefaultVisitor, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// The default line format without colours: `2026-12-02T13:47:23.916707Z  INFO span{a=1}: target:
/// message key=value`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PlainLine;

impl<S, N> FormatEvent<S, N> for PlainLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        // A record of the `log` crate carries its real target in fields, as the default shows it.
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        write_now(&mut writer)?;
        writer.write_str(match *meta.level() {
            Level::TRACE => "TRACE ",
            Level::DEBUG => "DEBUG ",
            Level::INFO => " INFO ",
            Level::WARN => " WARN ",
            Level::ERROR => "ERROR ",
        })?;
        if let Some(scope) = ctx.event_scope() {
            let mut seen = false;
            for span in scope.from_root() {
                writer.write_str(span.metadata().name())?;
                seen = true;
                if let Some(fields) = span.extensions().get::<FormattedFields<N>>()
                    && !fields.is_empty()
                {
                    writer.write_char('{')?;
                    writer.write_str(&fields.fields)?;
                    writer.write_char('}')?;
                }
                writer.write_char(':')?;
            }
            if seen {
                writer.write_char(' ')?;
            }
        }
        writer.write_str(meta.target())?;
        writer.write_str(": ")?;
        ctx.format_fields(writer.by_ref(), event)?;
        writer.write_char('\n')
    }
}

/// The default field format, `message key=value` (a raw identifier `r#type` shown as `type`): the
/// same bytes as tracing-subscriber's `DefaultFields` without colours.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PlainFields;

impl<'a> MakeVisitor<Writer<'a>> for PlainFields {
    type Visitor = PlainVisitor<'a>;

    fn make_visitor(&self, writer: Writer<'a>) -> PlainVisitor<'a> {
        PlainVisitor {
            writer,
            is_empty: true,
            result: Ok(()),
        }
    }
}

/// Writes one event's or span's fields, separated by spaces.
pub(crate) struct PlainVisitor<'a> {
    writer: Writer<'a>,
    is_empty: bool,
    result: fmt::Result,
}

impl PlainVisitor<'_> {
    /// The message and errors go through tracing-subscriber's own visitor, which escapes them.
    fn as_default(&mut self, record: impl FnOnce(&mut DefaultVisitor<'_>)) {
        let mut default = DefaultVisitor::new(self.writer.by_ref(), self.is_empty);
        record(&mut default);
        self.result = default.finish();
        self.is_empty = false;
    }
}

impl Visit for PlainVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.as_default(|default| default.record_str(field, value));
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        if self.result.is_ok() {
            self.as_default(|default| default.record_error(field, value));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if self.result.is_err() {
            return;
        }
        let name = field.name();
        if name == "message" {
            self.as_default(|default| default.record_debug(field, value));
            return;
        }
        // The `log` crate's metadata, shown in the line's prefix already.
        if name.starts_with("log.") {
            return;
        }
        if self.is_empty {
            self.is_empty = false;
        } else if let Err(err) = self.writer.write_char(' ') {
            self.result = Err(err);
            return;
        }
        let name = name.strip_prefix("r#").unwrap_or(name);
        self.result = self
            .writer
            .write_str(name)
            .and_then(|()| self.writer.write_char('='))
            .and_then(|()| write!(self.writer, "{value:?}"));
    }
}

impl VisitOutput<fmt::Result> for PlainVisitor<'_> {
    fn finish(self) -> fmt::Result {
        self.result
    }
}

impl VisitFmt for PlainVisitor<'_> {
    fn writer(&mut self) -> &mut dyn fmt::Write {
        &mut self.writer
    }
}

thread_local! {
    /// This thread's last second and its text, `2026-12-02T13:47:23`.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

/// Writes the time now as the default formatter does, `2026-12-02T13:47:23.916707Z`, and a space.
fn write_now(writer: &mut Writer<'_>) -> fmt::Result {
    let Ok(since_epoch) = SystemTime::now().duration_since(UNIX_EPOCH) else {
        return writer.write_str("<unknown time> ");
    };
    let seconds = since_epoch.as_secs();
    SECOND.with_borrow_mut(|(second, text)| {
        if *second != seconds {
            text.clear();
            let Some(time) = i64::try_from(seconds)
                .ok()
                .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            else {
                return writer.write_str("<unknown time> ");
            };
            write!(text, "{}", time.format("%Y-%m-%dT%H:%M:%S"))?;
            *second = seconds;
        }
        writer.write_str(text)
    })?;
    let mut micros = since_epoch.subsec_micros();
    let mut digits = *b".000000Z ";
    for digit in digits[1..7].iter_mut().rev() {
        *digit = b'0' + (micros % 10) as u8;
        micros /= 10;
    }
    // ASCII digits and punctuation.
    writer.write_str(std::str::from_utf8(&digits).unwrap_or(".000000Z "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::batch::tests::Out as Lines;

    /// Logs a bit of everything: levels, targets, nested spans with and without fields, the
    /// message, raw identifiers, debug and display values, an escaped message.
    fn log_everything() {
        let outer = tracing::info_span!(
            "job",
            job = "j-1",
            event = %"entry_sign_in",
            attempt = tracing::field::Empty
        );
        outer.record("attempt", 2);
        let _outer = outer.enter();
        tracing::info!(worker = "welcome", status = 200_u16, "request");
        tracing::warn!(target: "my_plugin::badges", r#type = "badge", ok = false, "printer {} is out", 3);
        let inner = tracing::debug_span!("lookup");
        let _inner = inner.enter();
        tracing::error!(error = ?Some("x"), "it\"failed\t \x1b[31mtwice");
        tracing::trace!("no fields");
        let io = std::io::Error::other("disk full");
        let wrapped = std::io::Error::other(Wrapped(io));
        tracing::warn!(
            error = &wrapped as &(dyn std::error::Error + 'static),
            "could not write"
        );
        tracing::info!(
            message = "a message field",
            n = 1_u64,
            x = -2_i64,
            f = 0.5_f64
        );
        drop(_inner);
        drop(_outer);
        tracing::info!(duration_ms = format_args!("{:.2}", 1.5), "outside any span");
    }

    /// An error with a source.
    #[derive(Debug)]
    struct Wrapped(std::io::Error);

    impl fmt::Display for Wrapped {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("could not save \x1b[31mthe badge")
        }
    }

    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    fn lines_of(make: impl FnOnce(Lines) -> tracing::Dispatch) -> Vec<String> {
        let lines = Lines::default();
        tracing::dispatcher::with_default(&make(lines.clone()), log_everything);
        let text = String::from_utf8(lines.0.lock().unwrap().0.clone()).unwrap();
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn lines_are_the_default_formatters_byte_for_byte_but_the_time() {
        let default = lines_of(|lines| {
            tracing_subscriber::fmt()
                .with_max_level(Level::TRACE)
                .with_ansi(false)
                .with_writer(move || lines.clone())
                .finish()
                .into()
        });
        let plain = lines_of(|lines| {
            tracing_subscriber::fmt()
                .with_max_level(Level::TRACE)
                .with_ansi(false)
                .event_format(PlainLine)
                .fmt_fields(PlainFields)
                .with_writer(move || lines.clone())
                .finish()
                .into()
        });
        assert_eq!(default.len(), 7, "{default:#?}");
        assert_eq!(plain.len(), default.len(), "{plain:#?}");
        // The cases are there: a span field recorded later, an error with its sources.
        assert!(plain[0].contains("attempt=2}"), "{plain:#?}");
        assert!(
            plain.iter().any(|l| l.contains("error.sources=[")),
            "{plain:#?}"
        );
        for (plain, default) in plain.iter().zip(&default) {
            // `2026-12-02T13:47:23.916707Z `: 28 bytes, the same shape.
            let shape = |line: &str| {
                line[..28]
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '9' } else { c })
                    .collect::<String>()
            };
            assert_eq!(shape(plain), "9999-99-99T99:99:99.999999Z ");
            assert_eq!(shape(plain), shape(default));
            assert_eq!(plain[28..], default[28..]);
        }
    }

    #[test]
    fn the_time_is_now_in_utc() {
        let mut text = String::new();
        let before = chrono::Utc::now();
        write_now(&mut Writer::new(&mut text)).unwrap();
        let after = chrono::Utc::now();
        let logged = chrono::DateTime::parse_from_rfc3339(text.trim_end()).unwrap();
        // The line shows whole microseconds.
        let micros = |t: chrono::DateTime<chrono::Utc>| t.timestamp_micros();
        let logged = micros(logged.to_utc());
        assert!(
            micros(before) <= logged && logged <= micros(after),
            "{text}"
        );
        assert!(text.ends_with("Z "), "{text}");
    }
}
