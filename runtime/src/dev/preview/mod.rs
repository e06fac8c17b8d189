//! The install-flow preview: a page, served while `dev` runs, that plays the plugin's install flow
//! as an installer meets it in Envoy, against the running plugin and the stand-in platform.
//!
//! The page renders the setup steps from the plugin's manifest (every field type, selects fed by the
//! plugin's own options routes), saves each step through the plugin's validation route (signed as
//! the platform signs it) into the stand-in's install config, runs the OAuth2 step through a
//! stand-in authorize page and the pop-up step through the plugin's own pop-up page. Once installed,
//! it fires any event the plugin handles and shows the job's outcome, the plugin's log lines for
//! the request, and the install's storage and config.
//!
//! The page is server-rendered with its stylesheet and script embedded in the binary: no build
//! step, no CDN, nothing fetched from anywhere but this server, which talks only to the plugin and
//! the stand-in.

mod api;
mod assets;
mod events;
mod fields;
mod finish;
mod logs;
mod oauth2;
mod page;
mod popup;
mod resources;
mod session;
mod steps;

use std::sync::Arc;

use crate::Plugin;
use crate::background::Background;
use crate::dev::DevCredentials;

pub use logs::{LogLine, init_logging, keep_log_lines, log_lines_since, log_mark};
use session::Session;

/// Where the page is served.
pub const PATH: &str = "/_dev";

/// The preview's server, on a loopback port. Stops when dropped.
pub struct Preview {
    server: Background,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preview")
            .field("addr", &self.server.addr)
            .finish_non_exhaustive()
    }
}

impl Preview {
    /// Serves the preview of plugin `P` on `127.0.0.1:port` (0: a free port). `credentials` say
    /// where the plugin and the stand-in run, the secret requests are signed with, and the install
    /// the page sets up.
    pub fn start<P: Plugin>(credentials: &DevCredentials, port: u16) -> std::io::Result<Preview> {
        let session = Arc::new(Session::new::<P>(credentials).map_err(std::io::Error::other)?);
        let server = Background::start("envoy-dev-preview", move || {
            let server = actix_web::HttpServer::new(move || {
                actix_web::App::new().configure(api::configure(session.clone()))
            })
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", port))?;
            Ok((server.addrs()[0], server.run()))
        })?;
        Ok(Preview { server })
    }

    /// The page's address, e.g. `http://127.0.0.1:41234/_dev`.
    pub fn url(&self) -> String {
        format!("http://{}{PATH}", self.server.addr)
    }
}
