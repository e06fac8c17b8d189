//! Starting the install-flow preview for a test: the plugin served next to the stand-in (the test
//! kit's harness), and the preview pointed at both, as `dev` does.

use envoy_plugin::Plugin;
use envoy_plugin::Secret;
use envoy_plugin::dev::DevCredentials;
use envoy_plugin::dev::preview::{Preview, keep_log_lines};
use envoy_plugin::testing::Harness;

/// The install the preview sets up in the tests.
pub const INSTALL: &str = "preview-install";

/// A plugin, the stand-in and the preview, running. Stopped when dropped.
pub struct Running {
    pub harness: Harness,
    pub preview: Preview,
}

impl Running {
    /// The address of a path of the preview's server, e.g. `/_dev/api/install`.
    pub fn url(&self, path: &str) -> String {
        let page = self.preview.url();
        format!("{}{path}", page.trim_end_matches("/_dev"))
    }
}

/// Serves `plugin` next to the stand-in, and the preview of it.
pub fn start<P: Plugin>(plugin: P) -> Running {
    keep_log_lines();
    let harness = Harness::start(plugin).expect("the plugin and the stand-in start");
    let credentials = DevCredentials {
        client_id: Harness::CLIENT_ID.to_owned(),
        client_secret: Secret::new(Harness::CLIENT_SECRET),
        jwt_secret: Secret::new(Harness::JWT_SECRET),
        plugin_url: harness.base_url().to_owned(),
        platform_url: harness.platform().base_url(),
        install_id: INSTALL.to_owned(),
    };
    let preview = Preview::start::<P>(&credentials, 0).expect("the preview starts");
    Running { harness, preview }
}
