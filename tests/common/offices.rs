//! A small plugin whose mappings have a select and a resource select on their right side: the
//! right-hand select's options route gets the left value as the mapping's parent.

use std::collections::BTreeMap;

use envoy_plugin::prelude::*;

/// Desks and locations per floor.
#[derive(SetupForm, Serialize, Deserialize)]
#[form(title = "Floors")]
pub struct FloorSetup {
    /// A desk per floor, from the desks of that floor.
    #[field(mapping, label = "Desk per floor", options = floors, to = select(desks))]
    #[serde(default)]
    pub desks: BTreeMap<String, String>,
    /// A location per floor.
    #[field(mapping, label = "Location per floor", options = floors, to = resource("locations"))]
    #[serde(default)]
    pub locations: BTreeMap<String, String>,
}

/// The floors.
#[options]
pub async fn floors(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![
        SelectOption::new("Ground floor", "ground"),
        SelectOption::new("First floor", "first"),
    ])
}

/// The desks of the floor the mapping's row is for.
#[options]
pub async fn desks(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    let floor = query.parent_resource_id.unwrap_or_default();
    Ok(vec![
        SelectOption::new(
            format!("Window desk, {floor} floor"),
            format!("{floor}-window"),
        ),
        SelectOption::new(
            format!("Corner desk, {floor} floor"),
            format!("{floor}-corner"),
        ),
    ])
}

/// Notes a sign-in.
#[event("entry_sign_in")]
pub async fn noted(entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("Noted {}", entry.full_name)))
}

plugin! {
    /// The offices plugin.
    pub Offices {
        name: "Offices",
        config: envoy_plugin::UntypedConfig,
        steps: [FloorSetup],
        events: [noted],
        routes: [floors, desks],
    }
}
