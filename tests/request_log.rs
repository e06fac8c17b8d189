//! The served plugin's request log, read from its stderr as an operator's log collector reads it:
//! a request's line comes out while the server idles (the writer does not wait for more lines or
//! for shutdown), in the default format. That the guard writes out what waits when it is dropped is
//! a unit test of the writer (`runtime/src/log/batch.rs`).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use envoy_plugin_suite::{fixture, signature};

/// Posts the reference SDK's `entry_sign_in`, signed with `secret`, and answers the status code.
fn sign_in(port: u16, secret: &str, job: &str) -> u16 {
    let mut body: serde_json::Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["job"]["id"] = serde_json::json!(job);
    let body = serde_json::to_vec(&body).unwrap();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /events/entry_sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         X-Envoy-Signature: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        signature(secret, &body),
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer}"))
}

/// Waits up to `within` for a line containing `needle`.
fn line_with(lines: &mpsc::Receiver<String>, needle: &str, within: Duration) -> String {
    let deadline = Instant::now() + within;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(line) => seen.push(line),
            Err(_) => panic!("no line with {needle:?} within {within:?}; saw {seen:#?}"),
        }
    }
}

#[test]
fn a_requests_line_is_written_while_the_server_idles_in_the_default_format() {
    let port = envoy_plugin_suite::free_port();
    let mut child = std::process::Command::new(envoy_plugin_suite::example_binary("greeter"))
        .env("ENVOY_CLIENT_SECRET", "dev-secret")
        .env("PORT", port.to_string())
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    envoy_plugin_suite::wait_for_port(port, "the plugin");

    assert_eq!(sign_in(port, "dev-secret", "log-1"), 200);
    // The server now idles: the line must not wait for more lines, nor for shutdown.
    let line = line_with(
        &lines,
        "path=\"/events/entry_sign_in\"",
        Duration::from_secs(2),
    );
    // The default format: time, level, target, message, fields.
    let (time, rest) = line.split_once(' ').unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(time).is_ok() && time.ends_with('Z'),
        "{line}"
    );
    assert!(
        rest.starts_with(
            " INFO envoy_plugin::log: request method=POST path=\"/events/entry_sign_in\" \
             status=200 outcome=\"done\" duration_ms="
        ),
        "{line}"
    );

    // A refused request is logged too.
    assert_eq!(sign_in(port, "wrong-secret", "log-2"), 401);
    line_with(&lines, "status=401", Duration::from_secs(2));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
