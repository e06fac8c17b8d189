//! `dev`, `setup`, `send` and `options` as a person runs them: the greeter's binary as child
//! processes on a free port, checking their output and exit codes, and that `dev`'s data survives a
//! restart.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The greeter example's binary, built by `cargo test` next to the test binaries.
fn greeter() -> PathBuf {
    envoy_plugin_suite::example_binary("greeter")
}

use envoy_plugin_suite::{free_port, wait_for_port};

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
    wait_for_port(port, "dev");
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

    // A wrong secret is refused by the plugin: not a job outcome, and `send` exits 1.
    let (code, out) = run(&dir, &["send", "entry_sign_in", "--secret", "wrong"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("status 401 (not a job outcome: the framework refused the request, AUTHENTICATION 401001"),
        "{out}"
    );

    // A config the worker cannot read is a 400, but not "ignored": the worker never ran.
    let (code, out) = run(
        &dir,
        &[
            "send",
            "entry_sign_out",
            "--config",
            "notify_on_sign_out=\"maybe\"",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "status 400 (not a job outcome: the framework refused the request, INVALID_DATA 400200"
        ),
        "{out}"
    );
    assert!(!out.contains("job ignored"), "{out}");

    // A failed job exits 1: a validation refusal too, the handler's or the framework's.
    let long = format!("greeting={}", "x".repeat(61));
    let (code, out) = run(&dir, &["validate", "check_greeting", "--set", &long]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("message: Keep the greeting under 60 characters"),
        "{out}"
    );
    let (code, out) = run(&dir, &["validate", "check_greeting", "--set", "greeting="]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("message: Greeting is required"), "{out}");

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
        wait_for_port(port, &format!("{case}: dev"));
        let (code, out) = run(&dir, &["send", "entry_sign_in"]);
        assert!(out.contains(&format!("127.0.0.1:{port}")), "{case}: {out}");
        assert_ne!(code, 2, "{case}: {out}");
    }
}

#[test]
fn help_names_the_plugin() {
    let output = Command::new(greeter()).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.starts_with("Greeter: an Envoy plugin"), "{help}");
    assert!(!help.contains("built with envoy-plugin"), "{help}");
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

/// `validate` is a dry run unless `--save`; `setup` refuses a value no option offered, and needs
/// `--values` when the form has required fields.
#[test]
fn local_tools_do_what_their_names_say() {
    let dir = scratch("tools");
    let port = free_port();
    let _dev = start_dev(&dir, port);
    let values = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/greeter-setup.json");

    let (code, out) = run(&dir, &["setup"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--values is missing") && out.contains("`greeting`"),
        "{out}"
    );

    let mut unoffered: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&values).unwrap()).unwrap();
    unoffered["GreeterConfig"]["visitor_type"] = "astronaut".into();
    let unoffered_file = dir.join("unoffered.json");
    std::fs::write(&unoffered_file, unoffered.to_string()).unwrap();
    let (code, out) = run(
        &dir,
        &["setup", "--values", unoffered_file.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(
            "`astronaut` for field `visitor_type` of step GreeterConfig is not among the options"
        ),
        "{out}"
    );
    assert!(!out.contains("Installed."), "{out}");

    let (code, out) = run(&dir, &["setup", "--values", values.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let greeted = |dir: &Path| run(dir, &["send", "entry_sign_in"]).1;
    assert!(greeted(&dir).contains("\"Hello, Erick Homenick!\""));

    // A dry run: the answer is shown, the config is not touched.
    let (code, out) = run(
        &dir,
        &["validate", "check_greeting", "--set", "greeting=Bonjour"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("dry run: the install config is unchanged"),
        "{out}"
    );
    assert!(greeted(&dir).contains("\"Hello, Erick Homenick!\""));

    let (code, out) = run(
        &dir,
        &[
            "validate",
            "check_greeting",
            "--set",
            "greeting=Bonjour",
            "--save",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(greeted(&dir).contains("\"Bonjour, Erick Homenick!\""));
}

/// In a git work tree, `dev` lists its data directory (secrets) in `.gitignore`, once.
#[test]
fn dev_keeps_its_secrets_out_of_git() {
    let dir = scratch("gitignore");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".gitignore"), "/target").unwrap();
    for _ in 0..2 {
        let port = free_port();
        let child = Command::new(greeter())
            .args([
                "dev",
                "--port",
                &port.to_string(),
                "--data-dir",
                "local-dev",
            ])
            .current_dir(&dir)
            .env_remove("ENVOY_CLIENT_SECRET")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let _dev = Dev(child);
        wait_for_port(port, "dev");
    }
    let ignored = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignored.starts_with("/target\n"), "{ignored}");
    assert_eq!(ignored.matches("/local-dev/").count(), 1, "{ignored}");
}
