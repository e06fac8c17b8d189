//! `dev`, `setup`, `send` and `options` as a person runs them: the greeter's binary as child
//! processes on a free port, checking their output and exit codes, and that `dev`'s data survives a
//! restart.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The greeter example's binary, built by `cargo test` next to the test binaries.
fn greeter() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe.parent().unwrap().parent().unwrap();
    let path = target
        .join("examples")
        .join(format!("greeter{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test` builds the examples",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `dev`, stopped when dropped.
struct Dev(Child);

impl Drop for Dev {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_dev(dir: &Path, port: u16) -> Dev {
    let child = Command::new(greeter())
        .args(["dev", "--port", &port.to_string(), "--data-dir"])
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("ENVOY_CLIENT_SECRET")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "dev did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Dev(child)
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(greeter())
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .current_dir(dir)
        .env_remove("ENVOY_CLIENT_SECRET")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.code().unwrap_or(-1), text)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("envoy-plugin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_scripted_install_then_signed_events_and_a_restart() {
    let dir = scratch("dev");
    let port = free_port();
    let dev = start_dev(&dir, port);
    let values = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/greeter-setup.json");

    let (code, out) = run(&dir, &["setup", "--values", values.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Step 1: Greeting (GreeterConfig)"), "{out}");
    assert!(
        out.contains("field visitor_type offers: Visitor, Contractor, Interview"),
        "{out}"
    );
    assert!(out.contains("Step 3: Pair a kiosk (KioskPairing)"), "{out}");
    assert!(out.contains("\"kiosk\":\"K7Q2ZP\""), "{out}");
    assert!(
        out.trim_end()
            .ends_with("Installed. Send an event with `send <event>`."),
        "{out}"
    );

    let (code, out) = run(&dir, &["send", "entry_sign_in", "--job", "job-1"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("status 200 (job done)"), "{out}");
    assert!(
        out.contains("\"Hello, Erick Homenick!\""),
        "the install's config reached the worker: {out}"
    );

    let (code, out) = run(&dir, &["send", "entry_sign_out"]);
    assert_eq!(
        (code, out.contains("status 200 (job done)")),
        (0, true),
        "{out}"
    );

    let (code, out) = run(
        &dir,
        &[
            "send",
            "entry_sign_out",
            "--config",
            "notify_on_sign_out=false",
        ],
    );
    assert_eq!(
        (code, out.contains("status 400 (job ignored)")),
        (0, true),
        "{out}"
    );

    let (code, out) = run(&dir, &["options", "visitor_types", "--param", "search=ven"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("option: Vendor = \"vendor\""), "{out}");

    // A wrong secret is refused by the plugin, and `send` says the job failed.
    let (code, out) = run(&dir, &["send", "entry_sign_in", "--secret", "wrong"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("status 401 (job failed: unintended)"), "{out}");

    // A failed job exits 1: a validation refusal too.
    let (code, out) = run(&dir, &["validate", "check_greeting", "--set", "greeting="]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("message: The greeting cannot be empty"),
        "{out}"
    );

    // Mistakes in the command itself exit 2 with a message.
    let (code, out) = run(&dir, &["send", "invite_removed"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("error: Greeter has no worker for `invite_removed`"),
        "{out}"
    );
    let (code, out) = run(&dir, &["send", "entry_signin"]);
    assert_eq!(code, 2, "{out}");

    // Restart: the install's config is still there.
    drop(dev);
    let _dev = start_dev(&dir, port);
    let (code, out) = run(&dir, &["send", "entry_sign_in"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"Hello, Erick Homenick!\""),
        "the config did not survive the restart: {out}"
    );
    let saved = std::fs::read_to_string(dir.join("data/platform.json")).unwrap();
    assert!(saved.contains("lobby-printer"), "{saved}");
    // The credentials and the platform's data are secrets: their owner's alone.
    use std::os::unix::fs::PermissionsExt as _;
    for file in ["data/credentials.json", "data/platform.json"] {
        let mode = std::fs::metadata(dir.join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}: {mode:o}");
    }
}

#[test]
fn dev_refuses_to_start_twice_on_one_port() {
    let dir = scratch("dev-twice");
    let port = free_port();
    let _dev = start_dev(&dir, port);
    let output = Command::new(greeter())
        .args(["dev", "--port", &port.to_string(), "--data-dir"])
        .arg(dir.join("data"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: the plugin cannot start"));
}

#[test]
fn the_manifest_refuses_a_plain_http_public_url_unless_forced() {
    let run = |args: &[&str]| {
        let output = Command::new(greeter()).args(args).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code().unwrap_or(-1), text)
    };
    let (code, out) = run(&["manifest", "--base-url", "http://plugin.example.com"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is not https"), "{out}");
    assert!(out.contains("--allow-insecure-http"), "{out}");
    for args in [
        &["manifest", "--base-url", "https://plugin.example.com"][..],
        &["manifest", "--base-url", "http://127.0.0.1:8080"],
        &[
            "manifest",
            "--base-url",
            "http://plugin.example.com",
            "--allow-insecure-http",
        ],
    ] {
        let (code, out) = run(args);
        assert_eq!(code, 0, "{args:?}: {out}");
        assert!(out.contains("\"events\""), "{args:?}: {out}");
    }
}

/// `dev` reads `PORT` as `serve` does, from the environment or from a `.env` file in its working
/// directory; `send` finds it through what `dev` saved.
#[test]
fn dev_listens_on_port_from_the_environment_or_dot_env() {
    for (case, from_dot_env) in [("environment", false), (".env", true)] {
        let dir = scratch(&format!("dev-port-{from_dot_env}"));
        let port = free_port();
        let mut command = Command::new(greeter());
        command
            .args(["dev", "--data-dir"])
            .arg(dir.join("data"))
            .current_dir(&dir)
            .env_remove("ENVOY_CLIENT_SECRET")
            .env_remove("PORT")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if from_dot_env {
            std::fs::write(dir.join(".env"), format!("PORT={port}\n")).unwrap();
        } else {
            command.env("PORT", port.to_string());
        }
        let _dev = Dev(command.spawn().unwrap());
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{case}: dev did not start on PORT {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let (code, out) = run(&dir, &["send", "entry_sign_in"]);
        assert!(out.contains(&format!("127.0.0.1:{port}")), "{case}: {out}");
        assert_ne!(code, 2, "{case}: {out}");
    }
}

#[test]
fn every_flag_names_its_environment_variable_in_help() {
    for (command, variables) in [
        (
            &["dev", "--help"][..],
            &["[env: PORT=", "[env: ENVOY_DEV_DATA_DIR="][..],
        ),
        (
            &["send", "--help"],
            &[
                "[env: ENVOY_PLUGIN_URL=",
                "[env: ENVOY_CLIENT_SECRET",
                "[env: ENVOY_DEV_DATA_DIR=",
            ],
        ),
        (&["manifest", "--help"], &["[env: PLUGIN_BASE_URL="]),
    ] {
        let output = Command::new(greeter()).args(command).output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        for variable in variables {
            assert!(help.contains(variable), "{command:?}: {help}");
        }
        assert!(!help.contains("dev-secret"), "{help}");
    }
}
