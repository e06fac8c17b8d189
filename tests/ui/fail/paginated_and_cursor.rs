use envoy_plugin::prelude::*;

#[options(paginated, cursor)]
async fn flows(query: CursorQuery) -> Result<CursorPage, PluginError> {
    Ok(CursorPage::last(vec![SelectOption::new(query.cursor.unwrap_or_default(), "v")]))
}

fn main() {}
