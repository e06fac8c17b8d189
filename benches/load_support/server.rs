//! The server side of the load benchmark: a process serving one of the two servers, pinned to its
//! CPU, answering the benchmark's questions (allocations so far) on stdin/stdout.

use std::io::{BufRead as _, Write as _};

use actix_web::web::ServiceConfig;
use actix_web::{App, HttpServer};
use envoy_plugin::{Plugin, Settings};

/// The key both servers check signatures with.
pub const SECRET: &str = "load-bench-secret";

/// Pins this process (and every thread it starts from now on) to `cpu`, when the machine has it.
pub fn pin_to(cpu: usize) {
    // SAFETY: a zeroed cpu_set_t is the empty set; the calls only read and write `set`.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            eprintln!("could not pin to CPU {cpu}: running unpinned");
        }
    }
}

fn port() -> u16 {
    std::env::var("LOAD_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .expect("LOAD_PORT")
}

/// Answers `allocs` on stdin with the allocation count; ends the process when stdin closes.
fn answer_questions() {
    std::thread::spawn(|| {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if line.trim() == "allocs" {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{}", super::alloc::count());
                let _ = out.flush();
            }
        }
        std::process::exit(0);
    });
}

/// Serves the plugin as `envoy_plugin::run` does: default logging, default settings but the port.
pub fn run_greeter<P: Plugin>(plugin: P) {
    pin_to(0);
    answer_questions();
    let mut settings = Settings::new(SECRET);
    settings.port = port();
    let _log = envoy_plugin::init_logging();
    actix_web::rt::System::new()
        .block_on(envoy_plugin::serve(plugin, settings))
        .expect("the greeter serves");
}

/// Serves the hand-written app on its own.
pub fn run_hand(configure: fn(&mut ServiceConfig)) {
    pin_to(0);
    answer_questions();
    let state = actix_web::web::Data::new(super::hand::State::new(SECRET));
    actix_web::rt::System::new()
        .block_on(async move {
            HttpServer::new(move || App::new().app_data(state.clone()).configure(configure))
                .bind(("127.0.0.1", port()))?
                .run()
                .await
        })
        .expect("the hand-written server serves");
}
