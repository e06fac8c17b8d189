//! The log's writer: lines are appended to a buffer in memory, and a thread of their own writes
//! the buffer out in one go, at most [`LOG_FLUSH_INTERVAL`] after its first line.
//!
//! A request therefore never makes a system call for its log line. A writer that writes each line
//! as it arrives (as a channel-fed writer does whenever it keeps up) costs a `write`, and on a busy
//! single CPU a context switch, per request. Here, under load, one `write` carries the lines of
//! many requests.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a logged line waits, at most, before it is written out.
pub const LOG_FLUSH_INTERVAL: Duration = Duration::from_millis(50);

/// How many bytes of lines wait for the writer, at most. A line logged past it waits until the
/// writer has caught up: the log is lossless, never unbounded.
pub const LOG_BUFFER_BYTES: usize = 1024 * 1024;

/// From this many waiting bytes on, the writer is woken at once instead of at the interval.
const WRITE_EARLY_BYTES: usize = 64 * 1024;

/// A `tracing_subscriber` writer that batches lines in memory for a thread that writes them out.
///
/// Made by [`LogWriter::new`]; [`crate::init_logging`] sets one up for stderr.
///
/// ```
/// let (writer, guard) = envoy_plugin::LogWriter::new(std::io::sink());
/// let subscriber = tracing_subscriber::fmt().with_writer(writer).finish();
/// tracing::subscriber::with_default(subscriber, || tracing::info!("hello"));
/// drop(guard); // writes out what is still waiting, and stops the thread
/// ```
#[derive(Clone, Debug)]
pub struct LogWriter {
    shared: Arc<Shared>,
}

/// Keeps the log's writer thread going; dropping it writes out the lines still waiting. Hold it for
/// as long as the program logs (`let _log = init_logging();` in `main`).
#[must_use = "dropping the guard stops the log's writer thread"]
#[derive(Debug)]
pub struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Wakes the writer: a first line after a pause, a full buffer, or the guard's drop.
    to_writer: Condvar,
    /// Wakes loggers waiting for room in the buffer.
    to_loggers: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Lines not yet handed to the writer.
    waiting: Vec<u8>,
    /// The writer sleeps until a line arrives (so an idle server costs nothing).
    writer_asleep: bool,
    /// The writer was told the buffer is full; told once, not again for each line until it has
    /// taken the buffer (a wake-up is a system call).
    writer_told_full: bool,
    /// The guard was dropped: write out what waits, then end.
    closing: bool,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves a byte buffer, still valid: keep logging.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl LogWriter {
    /// A writer of lines to `out`, and the guard of the thread that writes them.
    ///
    /// # Panics
    /// If the operating system cannot start a thread.
    pub fn new(out: impl Write + Send + 'static) -> (LogWriter, LogGuard) {
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("envoy-plugin-log".to_owned())
            .spawn({
                let shared = shared.clone();
                move || write_out(&shared, out)
            })
            .expect("the log's writer thread starts");
        let guard = LogGuard {
            shared: shared.clone(),
            thread: Some(thread),
        };
        (LogWriter { shared }, guard)
    }
}

impl Write for LogWriter {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut state = self.shared.state();
        while state.waiting.len() >= LOG_BUFFER_BYTES && !state.closing {
            state = self
                .shared
                .to_loggers
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.waiting.extend_from_slice(line);
        // Only a wake-up that is needed costs a system call.
        let full = state.waiting.len() >= WRITE_EARLY_BYTES && !state.writer_told_full;
        if state.writer_asleep || full {
            state.writer_asleep = false;
            state.writer_told_full |= full;
            self.shared.to_writer.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // The writer thread flushes; a line is out within `LOG_FLUSH_INTERVAL`.
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> LogWriter {
        self.clone()
    }
}

/// The writer thread: sleeps until a line waits, lets lines gather for the interval, writes them
/// out in one go; until the guard is dropped and nothing waits.
fn write_out(shared: &Shared, mut out: impl Write) {
    let mut batch = Vec::new();
    loop {
        {
            let mut state = shared.state();
            while state.waiting.is_empty() && !state.closing {
                state.writer_asleep = true;
                state = shared
                    .to_writer
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if !state.closing && state.waiting.len() < WRITE_EARLY_BYTES {
                state = shared
                    .to_writer
                    .wait_timeout_while(state, LOG_FLUSH_INTERVAL, |state| {
                        !state.closing && state.waiting.len() < WRITE_EARLY_BYTES
                    })
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            if state.waiting.is_empty() && state.closing {
                break;
            }
            // The two buffers change places: loggers go on into the empty one (its capacity
            // kept) while this one is written.
            std::mem::swap(&mut state.waiting, &mut batch);
            state.writer_told_full = false;
        }
        shared.to_loggers.notify_all();
        // A log that cannot be written has nowhere to report it: the lines are dropped, and the
        // thread goes on (stderr closed by a supervisor must not stop the plugin).
        let _ = out.write_all(&batch).and_then(|()| out.flush());
        batch.clear();
    }
    let _ = out.flush();
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.state().closing = true;
        self.shared.to_writer.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// What was written, and how many writes it took (the line format's tests read it too).
    #[derive(Clone, Default)]
    pub(crate) struct Out(pub(crate) Arc<Mutex<(Vec<u8>, usize)>>);

    impl Write for Out {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let mut out = self.0.lock().unwrap();
            out.0.extend_from_slice(bytes);
            out.1 += 1;
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_come_out_in_order_in_few_writes_and_all_of_them_on_drop() {
        let out = Out::default();
        let (mut writer, guard) = LogWriter::new(out.clone());
        for n in 0..10_000 {
            writer.write_all(format!("line {n}\n").as_bytes()).unwrap();
        }
        drop(guard);
        let (bytes, writes) = out.0.lock().unwrap().clone();
        let expected: String = (0..10_000).map(|n| format!("line {n}\n")).collect();
        assert_eq!(String::from_utf8(bytes).unwrap(), expected);
        assert!(writes < 100, "{writes} writes for 10,000 lines");
    }

    #[test]
    fn a_line_of_an_idle_program_is_written_within_the_interval() {
        let out = Out::default();
        let (mut writer, _guard) = LogWriter::new(out.clone());
        writer.write_all(b"only line\n").unwrap();
        let deadline = std::time::Instant::now() + LOG_FLUSH_INTERVAL * 20;
        while out.0.lock().unwrap().0.is_empty() {
            assert!(std::time::Instant::now() < deadline, "not written");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(out.0.lock().unwrap().0, b"only line\n");
    }

    #[test]
    fn loggers_wait_for_room_instead_of_dropping_lines() {
        /// A slow terminal: each write takes a while.
        #[derive(Clone, Default)]
        struct Slow(Out);
        impl Write for Slow {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                std::thread::sleep(Duration::from_millis(2));
                self.0.write(bytes)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let out = Slow::default();
        let (writer, guard) = LogWriter::new(out.clone());
        let line = [b'x'; 1023];
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let mut writer = writer.clone();
                std::thread::spawn(move || {
                    for _ in 0..1024 {
                        writer.write_all(&line).unwrap();
                        writer.write_all(b"\n").unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(guard);
        // 4 MiB through a 1 MiB buffer: nothing lost.
        assert_eq!(out.0.0.lock().unwrap().0.len(), 4 * 1024 * 1024);
    }
}
