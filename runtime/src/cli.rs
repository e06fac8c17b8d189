//! The plugin binary's command line: `serve` (the default) and `manifest`.

use clap::{Parser, Subcommand, ValueEnum};

use crate::manifest::{Manifest, to_markdown};
use crate::{Plugin, Settings, init_logging, serve};

/// The command line of a plugin built with envoy-plugin.
#[derive(Debug, Parser)]
#[command(about = "An Envoy plugin built with envoy-plugin")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the plugin (the default): needs ENVOY_CLIENT_SECRET.
    Serve,
    /// Print what to enter in Envoy's Dev Dashboard for this plugin.
    Manifest {
        /// The public URL the plugin is served at, e.g. https://plugin.example.com.
        #[arg(long, env = "PLUGIN_BASE_URL")]
        base_url: String,
        /// `json` (a stable schema) or `markdown` (a checklist).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Accept a plain `http://` base URL to a host other than loopback. The platform would
        /// send every event, with its signature and the install's config, unencrypted.
        #[arg(long)]
        allow_insecure_http: bool,
    },
    /// Serve the plugin next to a local stand-in of the platform, with made-up credentials.
    #[cfg(feature = "dev")]
    Dev {
        /// The plugin's port (the same variable as `serve`'s).
        #[arg(long, env = "PORT", default_value_t = 8080)]
        port: u16,
        /// The stand-in platform's port (0: a free one).
        #[arg(long, env = "ENVOY_DEV_PLATFORM_PORT", default_value_t = 0)]
        platform_port: u16,
        /// Where credentials and the platform's data are kept (they survive restarts).
        #[arg(long, env = "ENVOY_DEV_DATA_DIR", default_value = ".envoy-dev")]
        data_dir: std::path::PathBuf,
        /// A JSON file of the installer's company (employees, locations, flows, invites, ...) that
        /// the stand-in's user API serves; replaces what it kept.
        #[arg(long, env = "ENVOY_DEV_DIRECTORY")]
        directory: Option<std::path::PathBuf>,
        /// The install-flow preview page's port (0: a free one).
        #[arg(long, env = "ENVOY_DEV_PREVIEW_PORT", default_value_t = 0)]
        preview_port: u16,
    },
    /// Sign and send an event to the plugin's worker, as the platform does.
    #[cfg(feature = "dev")]
    Send {
        /// The event, e.g. entry_sign_in, or one the platform names for the plugin (a custom
        /// event: its sample notification or takeover is sent unless `--payload` says otherwise).
        event: String,
        /// A JSON file with the payload (default: a realistic one).
        #[arg(long)]
        payload: Option<std::path::PathBuf>,
        /// Install config values, KEY=VALUE (JSON values allowed); repeatable.
        #[arg(long = "config")]
        config: Vec<String>,
        /// The job's id (default: a new one).
        #[arg(long)]
        job: Option<String>,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Call an options route (by name or path) and print its options.
    #[cfg(feature = "dev")]
    Options {
        /// The route's name or path.
        route: String,
        /// Params, KEY=VALUE (search, page, cursor, parent_resource_id, ...); repeatable.
        #[arg(long = "param")]
        params: Vec<String>,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Submit a step's data to a validation route (by name or path).
    #[cfg(feature = "dev")]
    Validate {
        /// The route's name or path.
        route: String,
        /// A JSON file with the step's data.
        #[arg(long)]
        payload: Option<std::path::PathBuf>,
        /// Values, KEY=VALUE (JSON values allowed); repeatable.
        #[arg(long = "set")]
        set: Vec<String>,
        /// Save the answer in the install config of `dev`'s stand-in (default: a dry run).
        #[arg(long)]
        save: bool,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Install the plugin into `dev`'s stand-in: walk the setup steps as the platform would.
    #[cfg(feature = "dev")]
    Setup {
        /// A JSON file with each step's data, keyed by the step's struct name.
        #[arg(long)]
        values: Option<std::path::PathBuf>,
        #[command(flatten)]
        target: TargetArgs,
    },
}

/// Which plugin to talk to.
#[cfg(feature = "dev")]
#[derive(Debug, clap::Args)]
struct TargetArgs {
    /// The plugin's base URL (default: the one `dev` runs, else http://127.0.0.1:8080).
    #[arg(long, env = "ENVOY_PLUGIN_URL")]
    to: Option<String>,
    /// The plugin's client secret (default: `dev`'s).
    #[arg(long, env = "ENVOY_CLIENT_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// `dev`'s data directory.
    #[arg(long, env = "ENVOY_DEV_DATA_DIR", default_value = ".envoy-dev")]
    data_dir: std::path::PathBuf,
}

#[cfg(feature = "dev")]
impl From<TargetArgs> for crate::dev::Target {
    fn from(args: TargetArgs) -> Self {
        crate::dev::Target {
            to: args.to,
            secret: args.secret,
            data_dir: args.data_dir,
        }
    }
}

/// Exits 0 when what was sent succeeded, 1 when it failed, 2 when it could not be sent.
#[cfg(feature = "dev")]
fn finish(result: Result<bool, String>) -> std::io::Result<()> {
    match result {
        Ok(true) => Ok(()),
        Ok(false) => std::process::exit(1),
        Err(problem) => refuse(&problem),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Markdown,
}

/// Runs `plugin` the way a plugin binary's `main` does: `serve` (the default) reads
/// [`Settings::from_env`], sets up logging (`RUST_LOG`, default `info`) and serves until stopped;
/// `manifest --base-url URL [--format json|markdown]` prints the Dev Dashboard manifest.
///
/// Refuses to start, with a one-line message naming the problem and exit status 2, when the settings
/// are incomplete (no `ENVOY_CLIENT_SECRET`), a base URL is wrong, or the declaration does not hold
/// together.
///
/// ```no_run
/// use envoy_plugin::prelude::*;
///
/// #[event("entry_sign_in")]
/// async fn welcome(entry: Entry) -> JobResult {
///     Ok(Outcome::done(format!("Welcomed {}", entry.full_name)))
/// }
///
/// plugin! { Greeter { name: "Greeter", events: [welcome] } }
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     envoy_plugin::run(Greeter).await
/// }
/// ```
pub async fn run<P: Plugin>(plugin: P) -> std::io::Result<()> {
    // Every command reads the same variables, from the environment or `.env` (loaded first, so
    // that the flags' environment names see it too).
    if let Err(problem) = crate::settings::load_dot_env() {
        refuse(&problem.to_string());
    }
    // The help names the plugin, not the framework.
    let matches = <Cli as clap::CommandFactory>::command()
        .name(P::NAME)
        .bin_name(P::NAME.to_lowercase().replace(' ', "-"))
        .about(format!("{}: an Envoy plugin", P::NAME))
        .get_matches();
    let cli =
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(problem) = P::check() {
        refuse(&problem);
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let _log = init_logging();
            let settings = Settings::from_env().unwrap_or_else(|err| refuse(&err.to_string()));
            serve(plugin, settings).await
        }
        #[cfg(feature = "dev")]
        Command::Dev {
            port,
            platform_port,
            data_dir,
            directory,
            preview_port,
        } => {
            let options = crate::dev::DevOptions {
                port,
                platform_port,
                data_dir,
                directory,
                preview_port,
            };
            crate::dev::dev(plugin, options)
                .await
                .map_err(|problem| refuse(&problem))
        }
        #[cfg(feature = "dev")]
        Command::Send {
            event,
            payload,
            config,
            job,
            target,
        } => {
            let args = crate::dev::SendArgs {
                event,
                payload,
                config,
                job,
            };
            finish(crate::dev::send::<P>(args, target.into()).await)
        }
        #[cfg(feature = "dev")]
        Command::Options {
            route,
            params,
            target,
        } => finish(crate::dev::options::<P>(&route, params, target.into()).await),
        #[cfg(feature = "dev")]
        Command::Validate {
            route,
            payload,
            set,
            save,
            target,
        } => finish(crate::dev::validate::<P>(&route, payload, set, save, target.into()).await),
        #[cfg(feature = "dev")]
        Command::Setup { values, target } => {
            finish(crate::dev::setup::<P>(values, target.into()).await)
        }
        Command::Manifest {
            base_url,
            format,
            allow_insecure_http,
        } => {
            if !allow_insecure_http && let Err(problem) = check_public_url(&base_url) {
                refuse(&problem);
            }
            let manifest =
                Manifest::of::<P>(&base_url).unwrap_or_else(|err| refuse(&err.to_string()));
            match format {
                Format::Json => println!("{}", manifest.to_json()),
                Format::Markdown => print!("{}", to_markdown(&manifest)),
            }
            Ok(())
        }
    }
}

/// The plugin's public URL must be https, unless it is on this machine (the stand-in, a tunnel's
/// local end).
fn check_public_url(base_url: &str) -> Result<(), String> {
    crate::api::check_base_url(base_url).map_err(|_| {
        format!(
            "--base-url {base_url} is not https: the platform would send events and the install's \
             config unencrypted. Serve the plugin over https, or pass --allow-insecure-http"
        )
    })
}

fn refuse(problem: &str) -> ! {
    eprintln!("error: {problem}");
    std::process::exit(2);
}
