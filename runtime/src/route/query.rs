//! The typed query parameters of options and selected-values routes (`meta.params`).

use serde_json::Value;

use super::{Cursor, FromRoute, List, Options, RouteParts, SelectedValues};
use crate::{ErrorKind, PluginError};

/// What an options route is asked: the search text, the page, and the context of the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OptionsQuery {
    /// The installer's search text (searchable selects).
    pub search: Option<String>,
    /// The page asked for, from 1 (paginated selects; the platform sends it as a string).
    pub page: Option<u32>,
    /// For a mapping field: the value on the left side the options are for.
    pub parent_resource_id: Option<String>,
    /// The zone being set up.
    pub zone_id: Option<String>,
    /// The location being set up.
    pub location_id: Option<String>,
}

impl OptionsQuery {
    /// The page asked for, 1 when none was.
    pub fn page_or_first(&self) -> u32 {
        self.page.unwrap_or(1)
    }
}

/// What a cursor-paginated options route is asked: the cursor of the page (none for the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CursorQuery {
    /// Where the page starts: the cursor of the previous answer; `None` for the first page.
    pub cursor: Option<String>,
    /// The installer's search text (searchable selects).
    pub search: Option<String>,
    /// For a mapping field: the value on the left side the options are for.
    pub parent_resource_id: Option<String>,
    /// The zone being set up.
    pub zone_id: Option<String>,
    /// The location being set up.
    pub location_id: Option<String>,
}

/// What a selected-values route is asked: the values saved earlier, whose options it answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SelectedValuesQuery {
    /// The values (one for a single select, several for a multi-select).
    pub values: Vec<String>,
    /// Whether the platform sent a list (it is then answered a list) or a single value (answered
    /// one option or `null`).
    pub is_list: bool,
}

/// A parameter as text: strings as they are, numbers as written, anything else is refused.
fn text_param(
    params: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<String>, PluginError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(PluginError::new(
            ErrorKind::InvalidData,
            format!("invalid value at `meta.params.{name}`: expected a string, got `{other}`"),
        )),
    }
}

fn page_param(params: &serde_json::Map<String, Value>) -> Result<Option<u32>, PluginError> {
    let Some(text) = text_param(params, "page")? else {
        return Ok(None);
    };
    match text.trim().parse::<u32>() {
        Ok(page) if page >= 1 => Ok(Some(page)),
        _ => Err(PluginError::new(
            ErrorKind::InvalidData,
            format!(
                "invalid value at `meta.params.page`: `{text}` is not a page number (1, 2, ...)"
            ),
        )),
    }
}

impl<const S: bool, const P: bool> FromRoute<Options<List<S, P>>> for OptionsQuery {
    fn from_route(parts: &mut RouteParts<Options<List<S, P>>>) -> Result<Self, PluginError> {
        let params = &parts.meta.params;
        Ok(OptionsQuery {
            search: text_param(params, "search")?,
            page: page_param(params)?,
            parent_resource_id: text_param(params, "parent_resource_id")?,
            zone_id: text_param(params, "zone_id")?,
            location_id: text_param(params, "location_id")?,
        })
    }
}

impl<const S: bool> FromRoute<Options<Cursor<S>>> for CursorQuery {
    fn from_route(parts: &mut RouteParts<Options<Cursor<S>>>) -> Result<Self, PluginError> {
        let params = &parts.meta.params;
        Ok(CursorQuery {
            cursor: text_param(params, "cursor")?,
            search: text_param(params, "search")?,
            parent_resource_id: text_param(params, "parent_resource_id")?,
            zone_id: text_param(params, "zone_id")?,
            location_id: text_param(params, "location_id")?,
        })
    }
}

impl FromRoute<SelectedValues> for SelectedValuesQuery {
    fn from_route(parts: &mut RouteParts<SelectedValues>) -> Result<Self, PluginError> {
        let invalid = |got: &Value| {
            PluginError::new(
                ErrorKind::InvalidData,
                format!(
                    "invalid value at `meta.params.value`: expected a string or a list of strings, got `{got}`"
                ),
            )
        };
        let as_text = |v: &Value| match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(invalid(other)),
        };
        match parts.meta.params.get("value") {
            None | Some(Value::Null) => Err(PluginError::new(
                ErrorKind::MissingProperty,
                "missing field `meta.params.value`",
            )),
            Some(Value::Array(items)) => Ok(SelectedValuesQuery {
                values: items.iter().map(as_text).collect::<Result<_, _>>()?,
                is_list: true,
            }),
            Some(one) => Ok(SelectedValuesQuery {
                values: vec![as_text(one)?],
                is_list: false,
            }),
        }
    }
}
