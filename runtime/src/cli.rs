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
        #[arg(long)]
        base_url: String,
        /// `json` (a stable schema) or `markdown` (a checklist).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
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
    let cli = Cli::parse();
    if let Err(problem) = P::check() {
        refuse(&problem);
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            init_logging();
            let settings = Settings::from_env().unwrap_or_else(|err| refuse(&err.to_string()));
            serve(plugin, settings).await
        }
        Command::Manifest { base_url, format } => {
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

fn refuse(problem: &str) -> ! {
    eprintln!("error: {problem}");
    std::process::exit(2);
}
