//! The greeter's generated `welcome` route against a hand-written actix-web server doing the same
//! work, under HTTP load: one command, two server processes, alternating rounds.
//!
//! `cargo bench --bench load` (or `LOAD_ROUNDS`, `LOAD_SECONDS`, `LOAD_CONNECTIONS` to change the
//! defaults of 6 rounds of 3 s on 64 connections; `LOAD_GREETER_LOG=warn` to serve the greeter
//! without its request log; `LOAD_GREETER=view` to serve it with its `welcome` reading the payload
//! through a `PayloadView` of the two fields it reads).
//!
//! - Each server runs in a process of its own (this binary, started again with `LOAD_ROLE`), pinned
//!   to CPU 0; the load generator runs here, pinned to CPU 1, one thread, closed loop: each of the
//!   64 keep-alive connections sends its next request when the answer to the last one is in.
//! - Every request is the reference SDK's `entry_sign_in` body with a job id of its own, signed.
//! - The greeter is served exactly as `envoy_plugin::run` serves it: default logging on (stderr, a
//!   pipe read here), the default in-memory delivery record.
//! - The hand-written server does the greeter's `welcome` job by hand: raw-body HMAC check, typed
//!   decode of the fields it reads, the same JSON answer (checked byte for byte), and the same
//!   duplicate-delivery record work (a claim and a record per job, bounded like the default).
//! - Rounds alternate which server goes first; req/s, p50 and p99 are medians over rounds, the
//!   ratios are medians of each round's ratio (both sides of a round see the same machine).
//! - Both servers count their allocations (a counting allocator in this binary): allocations per
//!   request are read from the server before and after each round.

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/greeter.rs"]
mod greeter;

mod load_support;

use load_support::{alloc, client, hand, server, view};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

fn main() {
    match std::env::var("LOAD_ROLE").as_deref() {
        Ok("greeter") if std::env::var("LOAD_GREETER").as_deref() == Ok("view") => {
            server::run_greeter(view::ViewGreeter)
        }
        Ok("greeter") => server::run_greeter(greeter::Greeter),
        Ok("hand") => server::run_hand(hand::configure),
        _ => client::compare(),
    }
}
