use envoy_plugin::prelude::*;

#[options]
async fn flows(query: CursorQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![SelectOption::new(query.cursor.unwrap_or_default(), "v")])
}

fn main() {}
