//! Every argument kind, both return kinds, a custom path, a typed config, and a declaration inside
//! a module with docs and visibility.
use envoy_plugin::prelude::*;

#[derive(Debug, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub greeting: Option<String>,
}

/// Welcomes visitors.
#[event("entry_sign_in", path = "/hooks/sign-in")]
pub async fn welcome(
    job: Job<Config>,
    entry: Entry,
    meta: EventMeta,
    request: actix_web::HttpRequest,
) -> JobResult {
    let _ = (meta.install_id, request.path());
    Ok(Outcome::done(format!("{:?} {}", job.config().greeting, entry.full_name)))
}

#[event("invite_created")]
async fn invited(invite: Invite) -> Outcome {
    Outcome::ignored(format!("not handling {}", invite.full_name))
}

#[event("location_capacity_updated")]
async fn capacity(location: Location, job: Job) -> Result<Outcome, std::io::Error> {
    Ok(Outcome::done(format!("{:?} {}", location.name, job.id())))
}

#[event("plugin_uninstalled")]
async fn uninstalled() -> JobResult {
    Ok(Outcome::done_silently())
}

mod declared {
    use super::*;
    plugin! {
        /// The plugin.
        pub Greeter {
            name: "Greeter",
            config: Config,
            events: [welcome, invited, capacity, uninstalled],
        }
    }
}

fn main() {
    let workers = <declared::Greeter as Plugin>::workers();
    assert_eq!(workers.len(), 4);
    assert_eq!(workers[0].path, "/hooks/sign-in");
    assert!(<declared::Greeter as Plugin>::check().is_ok());
}
